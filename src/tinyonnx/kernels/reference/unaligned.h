// Float data that may start at any byte address: weights read in place from
// a model's raw_data. Elements are read with memcpy, which compiles to a
// plain load where the target allows unaligned loads (x86, Cortex-M LDR)
// and never to an alignment-faulting one (VLDR, LDRD).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tinyonnx {

class UnalignedFloats {
 public:
  explicit UnalignedFloats(const void* data) : bytes_(static_cast<const unsigned char*>(data)) {}

  float operator[](int32_t i) const {
    float value;
    std::memcpy(&value, bytes_ + static_cast<ptrdiff_t>(i) * sizeof(float), sizeof(float));
    return value;
  }
  UnalignedFloats operator+(int32_t i) const {
    return UnalignedFloats(bytes_ + static_cast<ptrdiff_t>(i) * sizeof(float));
  }

 private:
  const unsigned char* bytes_;
};

}  // namespace tinyonnx
