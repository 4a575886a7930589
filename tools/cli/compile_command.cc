// tinyonnx compile MODEL -o OUT.onnx [--verify N]
//
// Prepares an int8 model on the PC and appends the plan (plan/
// plan_format.h) to it: the PlanInterpreter on the device then needs no
// graph builder, passes or memory planner (docs/cortex-m.md "Compiled
// plans"). The output stays standard ONNX.
#include <cstdio>
#include <fstream>

#include "commands.h"
#include "plan_compiler.h"
#include "session.h"

namespace tinyonnx::tools {
namespace {

struct CompileOptions {
  std::string model;
  std::string output;
  int verify = 16;
};

int RunCompile(const CompileOptions& options) {
  auto fail = [&](const std::string& what) {
    std::fprintf(stderr, "tinyonnx compile: %s: %s\n", options.model.c_str(), what.c_str());
    return 1;
  };
  Session session;
  std::string error;
  if (!session.Load(options.model, &error)) return fail(error);
  CompiledModel compiled;
  if (!CompileModel(session.model_bytes(), &compiled, &error)) return fail(error);
  if (options.verify > 0 &&
      !VerifyCompiledModel(session.model_bytes(), compiled, options.verify, &error)) {
    return fail("the compiled plan does not reproduce the model: " + error);
  }
  std::ofstream out(options.output, std::ios::binary);
  out.write(reinterpret_cast<const char*>(compiled.bytes.data()),
            static_cast<std::streamsize>(compiled.bytes.size()));
  if (!out.flush()) return fail("cannot write " + options.output);
  std::printf("%s: %u steps, plan %zu bytes appended (%zu -> %zu bytes), activations %zu bytes",
              options.output.c_str(), compiled.steps, compiled.plan_bytes,
              session.model_bytes().size(), compiled.bytes.size(), compiled.activation_bytes);
  if (options.verify > 0) {
    std::printf("; the PlanInterpreter gives the Interpreter's outputs bit for bit on %d random inputs",
                options.verify);
  }
  std::printf("\n");
  return 0;
}

}  // namespace

void AddCompileCommand(CLI::App& app) {
  auto options = std::make_shared<CompileOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compile", "Append the prepared plan of an int8 model, for the PlanInterpreter (no graph builder on the device)");
  cmd->add_option("model", options->model, "ONNX model file")->required();
  cmd->add_option("--output,-o", options->output, "ONNX file to write (the model with its plan)")->required();
  cmd->add_option("--verify", options->verify,
                  "Random inputs on which to compare the plan with the Interpreter (0: none)")
      ->capture_default_str();
  cmd->callback([options] { std::exit(RunCompile(*options)); });
}

}  // namespace tinyonnx::tools
