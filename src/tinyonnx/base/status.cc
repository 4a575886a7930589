#include "tinyonnx/base/status.h"

#include "tinyonnx/base/format.h"

namespace tinyonnx {

const char* StatusName(Status status) {
  switch (status) {
    case Status::kOk: return "ok";
    case Status::kInvalidModel: return "invalid model";
    case Status::kUnsupported: return "unsupported";
    case Status::kInvalidArgument: return "invalid argument";
    case Status::kOutOfMemory: return "out of memory";
    case Status::kInternal: return "internal error";
  }
  return "unknown status";
}

#if TINYONNX_ERROR_MESSAGES
Status ErrorReporter::ReportV(Status status, const char* format, va_list args) {
  FormatV(message_, kCapacity, format, args);
  return status;
}

Status ErrorReporter::Report(Status status, const char* format, ...) {
  va_list args;
  va_start(args, format);
  status = ReportV(status, format, args);
  va_end(args);
  return status;
}

void ErrorReporter::Prefix(const char* format, ...) {
  char prefix[96];
  va_list args;
  va_start(args, format);
  size_t n = FormatV(prefix, sizeof(prefix), format, args);
  va_end(args);
  size_t length = 0;
  while (message_[length] != '\0') ++length;
  if (n + length >= kCapacity) length = kCapacity - 1 - n;  // keep the prefix whole
  // Shift the message right (back to front, the ranges overlap), then insert.
  for (size_t i = length + 1; i-- > 0;) message_[n + i] = i == length ? '\0' : message_[i];
  for (size_t i = 0; i < n; ++i) message_[i] = prefix[i];
}

#endif  // TINYONNX_ERROR_MESSAGES

}  // namespace tinyonnx
