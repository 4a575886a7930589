// Number formatting shared by the host tools' reports.
#pragma once

#include <cstdint>
#include <string>

namespace tinyonnx::tools {

// Formats 12345678 as "12,345,678".
std::string Thousands(int64_t value);

}  // namespace tinyonnx::tools
