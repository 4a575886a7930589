#include "console.h"

#include <cstdarg>
#include <cstdint>

#include "semihosting.h"
#include "tinyonnx/base/format.h"

namespace tinyonnx::port {

void Print(const char* format, ...) {
  char line[256];
  va_list args;
  va_start(args, format);
  size_t n = FormatV(line, sizeof(line), format, args);
  va_end(args);
  sh_write(line, n);
}

void Write(const char* text, size_t size) { sh_write(text, size); }

void Write(const char* text) { sh_puts(text); }

const char* Fixed(char* buffer, size_t size, double value, int decimals) {
  if (size == 0) return buffer;
  bool negative = value < 0;
  if (negative) value = -value;
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  uint64_t scaled = static_cast<uint64_t>(value * static_cast<double>(scale) + 0.5);
  uint64_t whole = scaled / scale, fraction = scaled % scale;
  char digits[48];
  size_t n = 0;
  for (int i = 0; i < decimals; ++i) {
    digits[n++] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  if (decimals > 0) digits[n++] = '.';
  do {
    digits[n++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole != 0 && n < sizeof(digits) - 1);
  if (negative) digits[n++] = '-';
  size_t k = 0;
  while (n > 0 && k + 1 < size) buffer[k++] = digits[--n];
  buffer[k] = '\0';
  return buffer;
}

}  // namespace tinyonnx::port
