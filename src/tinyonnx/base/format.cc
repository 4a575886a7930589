#include "tinyonnx/base/format.h"

#include <cstdint>

namespace tinyonnx {
namespace {

class Sink {
 public:
  Sink(char* buffer, size_t size) : buffer_(buffer), size_(size) {}
  void Put(char c) {
    if (size_ != 0 && length_ + 1 < size_) buffer_[length_++] = c;
  }
  void Finish() {
    if (size_ != 0) buffer_[length_] = '\0';
  }
  size_t length() const { return length_; }

 private:
  char* buffer_;
  size_t size_;
  size_t length_ = 0;
};

void PutPadded(Sink& out, const char* text, size_t length, int width, bool left) {
  int pad = width > static_cast<int>(length) ? width - static_cast<int>(length) : 0;
  if (!left) for (int i = 0; i < pad; ++i) out.Put(' ');
  for (size_t i = 0; i < length; ++i) out.Put(text[i]);
  if (left) for (int i = 0; i < pad; ++i) out.Put(' ');
}

// Renders an unsigned magnitude in `base` into the end of `digits`.
size_t RenderUnsigned(uint64_t value, unsigned base, char* digits_end) {
  size_t n = 0;
  do {
    unsigned d = static_cast<unsigned>(value % base);
    *--digits_end = static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10);
    value /= base;
    ++n;
  } while (value != 0);
  return n;
}

void PutInteger(Sink& out, uint64_t magnitude, bool negative, unsigned base, int width,
                bool left) {
  char digits[24];
  char* end = digits + sizeof(digits);
  size_t n = RenderUnsigned(magnitude, base, end);
  char* start = end - n;
  if (negative) {
    *--start = '-';
    ++n;
  }
  PutPadded(out, start, n, width, left);
}

// Six significant digits, plain or exponent notation; enough for messages.
void PutFloat(Sink& out, double value, int width, bool left) {
  char text[32];
  size_t n = 0;
  if (value != value) {
    PutPadded(out, "nan", 3, width, left);
    return;
  }
  if (value < 0) {
    text[n++] = '-';
    value = -value;
  }
  if (value > 1e300) {
    text[n++] = 'i'; text[n++] = 'n'; text[n++] = 'f';
    PutPadded(out, text, n, width, left);
    return;
  }
  int exponent = 0;
  if (value != 0) {
    while (value >= 10) { value /= 10; ++exponent; }
    while (value < 1) { value *= 10; --exponent; }
  }
  uint64_t mantissa = static_cast<uint64_t>(value * 100000.0 + 0.5);  // 6 digits
  if (mantissa >= 1000000) { mantissa /= 10; ++exponent; }
  char digits[8];
  for (int i = 5; i >= 0; --i) { digits[i] = static_cast<char>('0' + mantissa % 10); mantissa /= 10; }
  int last = 5;
  while (last > 0 && digits[last] == '0') --last;
  if (exponent >= -4 && exponent < 6) {
    if (exponent < 0) {
      text[n++] = '0'; text[n++] = '.';
      for (int i = -1; i > exponent; --i) text[n++] = '0';
      for (int i = 0; i <= last; ++i) text[n++] = digits[i];
    } else {
      for (int i = 0; i <= exponent; ++i) text[n++] = i <= 5 ? digits[i] : '0';
      if (last > exponent) {
        text[n++] = '.';
        for (int i = exponent + 1; i <= last; ++i) text[n++] = digits[i];
      }
    }
  } else {
    text[n++] = digits[0];
    if (last > 0) {
      text[n++] = '.';
      for (int i = 1; i <= last; ++i) text[n++] = digits[i];
    }
    text[n++] = 'e';
    char exp_digits[8];
    char* end = exp_digits + sizeof(exp_digits);
    unsigned magnitude = static_cast<unsigned>(exponent < 0 ? -exponent : exponent);
    size_t k = RenderUnsigned(magnitude, 10, end);
    text[n++] = exponent < 0 ? '-' : '+';
    if (k == 1) text[n++] = '0';  // two exponent digits, as printf writes them
    for (size_t i = 0; i < k; ++i) text[n++] = end[-static_cast<long>(k) + static_cast<long>(i)];
  }
  PutPadded(out, text, n, width, left);
}

}  // namespace

size_t FormatV(char* buffer, size_t size, const char* format, va_list args) {
  Sink out(buffer, size);
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      out.Put(*p);
      continue;
    }
    ++p;
    bool left = false;
    if (*p == '-') { left = true; ++p; }
    int width = 0;
    while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    int precision = -1;
    if (*p == '.') {
      ++p;
      if (*p == '*') { precision = va_arg(args, int); ++p; }
      else { precision = 0; while (*p >= '0' && *p <= '9') precision = precision * 10 + (*p++ - '0'); }
    }
    int longs = 0;
    bool size_type = false;
    while (*p == 'l') { ++longs; ++p; }
    if (*p == 'z') { size_type = true; ++p; }
    switch (*p) {
      case 's': {
        const char* s = va_arg(args, const char*);
        if (s == nullptr) s = "(null)";
        size_t n = 0;
        while ((precision < 0 || n < static_cast<size_t>(precision)) && s[n] != '\0') ++n;
        PutPadded(out, s, n, width, left);
        break;
      }
      case 'c': {
        char c = static_cast<char>(va_arg(args, int));
        PutPadded(out, &c, 1, width, left);
        break;
      }
      case 'd':
      case 'i': {
        int64_t v = longs >= 2 ? va_arg(args, long long)
                    : longs == 1 ? va_arg(args, long)
                    : size_type ? static_cast<int64_t>(va_arg(args, size_t))
                                : va_arg(args, int);
        uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
        PutInteger(out, magnitude, v < 0, 10, width, left);
        break;
      }
      case 'u':
      case 'x': {
        uint64_t v = longs >= 2 ? va_arg(args, unsigned long long)
                     : longs == 1 ? va_arg(args, unsigned long)
                     : size_type ? va_arg(args, size_t)
                                 : va_arg(args, unsigned);
        PutInteger(out, v, false, *p == 'x' ? 16 : 10, width, left);
        break;
      }
      case 'g':
      case 'f':
        PutFloat(out, va_arg(args, double), width, left);
        break;
      case '%':
        out.Put('%');
        break;
      case '\0':
        --p;
        break;
      default:
        out.Put('%');
        out.Put(*p);
        break;
    }
  }
  out.Finish();
  return out.length();
}

size_t Format(char* buffer, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  size_t n = FormatV(buffer, size, format, args);
  va_end(args);
  return n;
}

}  // namespace tinyonnx
