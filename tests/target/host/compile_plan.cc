// compile_plan MODEL OUT: `tinyonnx compile` for cross builds, which have no
// host CLI: the firmware's compiled model is made at build time by the same
// writer (tools/lib/plan_compiler.cc), and checked against the Interpreter.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "plan_compiler.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: compile_plan MODEL OUT\n");
    return 1;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> model((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  tinyonnx::tools::CompiledModel compiled;
  std::string error;
  if (model.empty()) error = "cannot read the model";
  if (error.empty()) tinyonnx::tools::CompileModel(model, &compiled, &error);
  if (error.empty()) tinyonnx::tools::VerifyCompiledModel(model, compiled, 16, &error);
  std::ofstream out(argv[2], std::ios::binary);
  if (error.empty()) {
    out.write(reinterpret_cast<const char*>(compiled.bytes.data()),
              static_cast<std::streamsize>(compiled.bytes.size()));
    if (!out.flush()) error = "cannot write the output";
  }
  if (!error.empty()) {
    std::fprintf(stderr, "compile_plan: %s: %s\n", argv[1], error.c_str());
    return 1;
  }
  return 0;
}
