// Status codes and the error reporter the core uses instead of exceptions.
//
// Every fallible core function returns a Status; the human-readable message
// (which node, which op, what was wrong) is written into the ErrorReporter
// owned by whoever drives the work (usually the Interpreter). This keeps the
// returned value one byte wide, which matters on a microcontroller stack.
#pragma once

#include <cstdarg>
#include <cstddef>

// TINYONNX_ERROR_MESSAGES=0 (CMake option of the same name, for the
// smallest firmware) keeps every Status but leaves the message text out of
// the image: Report, Prefix and OpContext::Fail become inline functions that
// drop their format strings, and message() is only the status name
// ("invalid model"). The default, 1, keeps the full messages.
#ifndef TINYONNX_ERROR_MESSAGES
#define TINYONNX_ERROR_MESSAGES 1
#endif

namespace tinyonnx {

enum class [[nodiscard]] Status : unsigned char {
  kOk = 0,
  kInvalidModel,     // the bytes are not a well-formed ONNX model
  kUnsupported,      // well-formed, but uses something tinyonnx does not implement
  kInvalidArgument,  // the caller passed something wrong (shape, name, buffer)
  kOutOfMemory,      // the arena (or a fixed table) is too small
  kInternal,         // a bug in tinyonnx
};

const char* StatusName(Status status);

// Holds the message of the most recent failure.
class ErrorReporter {
 public:
#if TINYONNX_ERROR_MESSAGES
  static constexpr size_t kCapacity = 256;

  ErrorReporter() { message_[0] = '\0'; }

  // Formats the message (printf subset, see format.h) and returns `status`,
  // so a failing path reads: return errors.Report(Status::kUnsupported, ...).
  Status Report(Status status, const char* format, ...)
      __attribute__((format(printf, 3, 4)));
  Status ReportV(Status status, const char* format, va_list args);

  // Prepends context ("node 'conv1' (Conv): ") to the current message.
  void Prefix(const char* format, ...) __attribute__((format(printf, 2, 3)));

  const char* message() const { return message_; }
  void Clear() { message_[0] = '\0'; }

 private:
  char message_[kCapacity];
#else
  template <typename... Args>
  Status Report(Status status, const char*, Args...) {
    last_ = status;
    return status;
  }
  template <typename... Args>
  void Prefix(const char*, Args...) {}

  const char* message() const { return last_ == Status::kOk ? "" : StatusName(last_); }
  void Clear() { last_ = Status::kOk; }

 private:
  Status last_ = Status::kOk;
#endif
};

}  // namespace tinyonnx

// Propagates a non-ok Status to the caller.
#define TINYONNX_RETURN_IF_ERROR(expr)                          \
  do {                                                          \
    ::tinyonnx::Status tinyonnx_status_ = (expr);               \
    if (tinyonnx_status_ != ::tinyonnx::Status::kOk) return tinyonnx_status_; \
  } while (0)
