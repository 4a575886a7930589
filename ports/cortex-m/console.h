// Console output for firmware and on-target tests: printf-style through the
// core's small formatter (tinyonnx/base/format.h), written to the
// semihosting console. No newlib stdio.
#pragma once

#include <cstddef>

namespace tinyonnx::port {

// Formats into a line buffer (at most 255 characters per call) and writes it.
void Print(const char* format, ...) __attribute__((format(printf, 1, 2)));
// Writes the text as it is (any length).
void Write(const char* text, size_t size);
void Write(const char* text);

// A float with a fixed number of decimals (the core's formatter prints
// six significant digits for %f). Writes into `buffer` and returns it.
const char* Fixed(char* buffer, size_t size, double value, int decimals);

}  // namespace tinyonnx::port
