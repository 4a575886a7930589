// tinyonnx: inspect, run, evaluate and convert ONNX models for
// microcontrollers.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace tinyonnx::tools {

std::string Thousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

}  // namespace tinyonnx::tools

int main(int argc, char** argv) {
  CLI::App app{"tinyonnx: ONNX inference for microcontrollers and the host"};
  app.require_subcommand(1);
  tinyonnx::tools::AddInfoCommand(app);
  tinyonnx::tools::AddRunCommand(app);
  tinyonnx::tools::AddEvalCommand(app);
  tinyonnx::tools::AddDigitCommand(app);
  tinyonnx::tools::AddQuantizeCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
