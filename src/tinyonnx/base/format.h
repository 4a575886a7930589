// A small printf-style formatter for error messages, so that the core needs
// neither stdio nor newlib's large vsnprintf on a microcontroller.
//
// Supported: %s %.*s %c %d %i %u %x %ld %lu %lld %llu %zu %g %f %% with an
// optional '-' flag and width. %g/%f print up to 6 significant digits.
#pragma once

#include <cstdarg>
#include <cstddef>

namespace tinyonnx {

// Writes at most size-1 characters and a terminating NUL. Returns the number
// of characters written (excluding the NUL).
size_t FormatV(char* buffer, size_t size, const char* format, va_list args);
size_t Format(char* buffer, size_t size, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace tinyonnx
