// Protocol-buffers wire format reader over a byte range (zero copy).
//
// The reader never allocates and never reads outside [data, data + size):
// every length is checked before it is used, and malformed input makes
// Next() return false with error() set.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tinyonnx {

// A view of bytes inside the model buffer.
struct Bytes {
  const uint8_t* data = nullptr;
  uint32_t size = 0;

  bool empty() const { return size == 0; }
};

// A view of a string inside the model buffer (not NUL-terminated).
struct Str {
  const char* data = nullptr;
  uint32_t size = 0;

  Str() = default;
  Str(const char* d, uint32_t n) : data(d), size(n) {}
  explicit Str(Bytes b) : data(reinterpret_cast<const char*>(b.data)), size(b.size) {}
  static Str FromCString(const char* s);

  bool empty() const { return size == 0; }
  bool operator==(Str other) const;
  bool operator!=(Str other) const { return !(*this == other); }
  bool operator==(const char* s) const { return *this == FromCString(s); }
  bool operator!=(const char* s) const { return !(*this == s); }
  // For "%.*s" formatting.
  int length() const { return static_cast<int>(size); }
};

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

// Decodes a base-128 varint at *cursor (not past end). Advances *cursor.
// Returns false on truncation or on more than 10 bytes.
bool ReadVarint(const uint8_t** cursor, const uint8_t* end, uint64_t* value);

class WireReader {
 public:
  WireReader() = default;
  WireReader(const uint8_t* data, size_t size) : cursor_(data), end_(data + size) {}
  explicit WireReader(Bytes bytes) : WireReader(bytes.data, bytes.size) {}

  // Reads the next field's tag and payload. Returns false at the end of the
  // message or on malformed input (then error() is true).
  bool Next();

  uint32_t field() const { return field_; }
  WireType wire_type() const { return wire_type_; }
  bool error() const { return error_; }
  // Offset of the error inside the message, for messages.
  const uint8_t* cursor() const { return cursor_; }

  // Payload accessors; only the one matching wire_type() is meaningful.
  uint64_t varint() const { return scalar_; }
  uint32_t fixed32() const { return static_cast<uint32_t>(scalar_); }
  uint64_t fixed64() const { return scalar_; }
  float float32() const;
  double float64() const;
  Bytes bytes() const { return bytes_; }
  Str str() const { return Str(bytes_); }

 private:
  bool Fail() {
    error_ = true;
    cursor_ = end_;
    return false;
  }

  const uint8_t* cursor_ = nullptr;
  const uint8_t* end_ = nullptr;
  uint32_t field_ = 0;
  WireType wire_type_ = WireType::kVarint;
  uint64_t scalar_ = 0;
  Bytes bytes_;
  bool error_ = false;
};

// Reads little-endian scalars from possibly unaligned memory.
uint32_t LoadLE32(const uint8_t* p);
uint64_t LoadLE64(const uint8_t* p);

}  // namespace tinyonnx
