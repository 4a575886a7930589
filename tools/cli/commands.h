// The tinyonnx subcommands; each registers itself on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

#include "number_text.h"

namespace tinyonnx::tools {

void AddInfoCommand(CLI::App& app);
void AddRunCommand(CLI::App& app);
void AddEvalCommand(CLI::App& app);
void AddDigitCommand(CLI::App& app);
void AddQuantizeCommand(CLI::App& app);
void AddExportHeaderCommand(CLI::App& app);
void AddCompileCommand(CLI::App& app);

}  // namespace tinyonnx::tools
