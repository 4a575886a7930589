// The per-layer report of `tinyonnx quantize`: for each quantized tensor its
// scale, zero point, range and SQNR against float, so a user sees where
// accuracy goes; then the weight bytes int8 against float.
#pragma once

#include <cstdio>
#include <string>

#include "quantizer.h"

namespace tinyonnx::quantize {

void PrintReport(const QuantizeReport& report, std::FILE* out);

// "42.1", "exact" for +infinity.
std::string FormatSqnr(double db);

}  // namespace tinyonnx::quantize
