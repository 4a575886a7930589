#include "tinyonnx/onnx/wire.h"

#include <cstring>

namespace tinyonnx {

Str Str::FromCString(const char* s) {
  uint32_t n = 0;
  while (s[n] != '\0') ++n;
  return Str(s, n);
}

bool Str::operator==(Str other) const {
  return size == other.size && (size == 0 || std::memcmp(data, other.data, size) == 0);
}

bool ReadVarint(const uint8_t** cursor, const uint8_t* end, uint64_t* value) {
  uint64_t result = 0;
  const uint8_t* p = *cursor;
  for (int shift = 0; shift < 70; shift += 7) {
    if (p >= end) return false;
    uint8_t byte = *p++;
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      *cursor = p;
      *value = result;
      return true;
    }
  }
  return false;  // more than 10 bytes
}

uint32_t LoadLE32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

uint64_t LoadLE64(const uint8_t* p) {
  return static_cast<uint64_t>(LoadLE32(p)) | static_cast<uint64_t>(LoadLE32(p + 4)) << 32;
}

float WireReader::float32() const {
  uint32_t bits = fixed32();
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

double WireReader::float64() const {
  uint64_t bits = fixed64();
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

bool WireReader::Next() {
  if (cursor_ >= end_) return false;
  uint64_t tag;
  if (!ReadVarint(&cursor_, end_, &tag)) return Fail();
  uint64_t field = tag >> 3;
  if (field == 0 || field > 536870911u) return Fail();
  field_ = static_cast<uint32_t>(field);
  wire_type_ = static_cast<WireType>(tag & 7);
  switch (wire_type_) {
    case WireType::kVarint:
      if (!ReadVarint(&cursor_, end_, &scalar_)) return Fail();
      return true;
    case WireType::kFixed64:
      if (end_ - cursor_ < 8) return Fail();
      scalar_ = LoadLE64(cursor_);
      cursor_ += 8;
      return true;
    case WireType::kFixed32:
      if (end_ - cursor_ < 4) return Fail();
      scalar_ = LoadLE32(cursor_);
      cursor_ += 4;
      return true;
    case WireType::kLengthDelimited: {
      uint64_t length;
      if (!ReadVarint(&cursor_, end_, &length)) return Fail();
      if (length > static_cast<uint64_t>(end_ - cursor_)) return Fail();
      bytes_.data = cursor_;
      bytes_.size = static_cast<uint32_t>(length);
      cursor_ += length;
      return true;
    }
    default:
      // Groups (3, 4) are deprecated and never used by ONNX; 6 and 7 are invalid.
      return Fail();
  }
}

}  // namespace tinyonnx
