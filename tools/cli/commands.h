// The tinyonnx subcommands; each registers itself on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

namespace tinyonnx::tools {

void AddInfoCommand(CLI::App& app);
void AddRunCommand(CLI::App& app);
void AddEvalCommand(CLI::App& app);
void AddDigitCommand(CLI::App& app);
void AddQuantizeCommand(CLI::App& app);

// Formats 12345678 as "12,345,678".
std::string Thousands(int64_t value);

}  // namespace tinyonnx::tools
