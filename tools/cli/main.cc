// tinyonnx: inspect, run, evaluate and convert ONNX models for
// microcontrollers.
#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"tinyonnx: ONNX inference for microcontrollers and the host"};
  app.require_subcommand(1);
  tinyonnx::tools::AddInfoCommand(app);
  tinyonnx::tools::AddRunCommand(app);
  tinyonnx::tools::AddEvalCommand(app);
  tinyonnx::tools::AddDigitCommand(app);
  tinyonnx::tools::AddQuantizeCommand(app);
  tinyonnx::tools::AddExportHeaderCommand(app);
  tinyonnx::tools::AddCompileCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
