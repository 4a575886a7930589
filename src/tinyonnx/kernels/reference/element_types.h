// Element types of the reference kernels: the C++ type of each DType and
// conversions between them without undefined behaviour.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "tinyonnx/base/dtype.h"

namespace tinyonnx {

// ONNX bool tensors hold one byte per element; reading such a byte as C++
// bool would be undefined for values other than 0 and 1.
struct BoolByte {
  uint8_t value;
};

template <typename T>
constexpr DType DTypeOf() {
  if constexpr (std::is_same_v<T, float>) return DType::kFloat;
  if constexpr (std::is_same_v<T, double>) return DType::kDouble;
  if constexpr (std::is_same_v<T, int8_t>) return DType::kInt8;
  if constexpr (std::is_same_v<T, uint8_t>) return DType::kUint8;
  if constexpr (std::is_same_v<T, int16_t>) return DType::kInt16;
  if constexpr (std::is_same_v<T, uint16_t>) return DType::kUint16;
  if constexpr (std::is_same_v<T, int32_t>) return DType::kInt32;
  if constexpr (std::is_same_v<T, uint32_t>) return DType::kUint32;
  if constexpr (std::is_same_v<T, int64_t>) return DType::kInt64;
  if constexpr (std::is_same_v<T, uint64_t>) return DType::kUint64;
  if constexpr (std::is_same_v<T, BoolByte>) return DType::kBool;
  return DType::kUndefined;
}

// Integer arithmetic is done in this unsigned type so that overflow wraps
// around as two's complement hardware does, instead of being undefined
// (types narrower than int would otherwise be promoted to signed int).
template <typename T>
using WrapType =
    std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;

template <typename T>
constexpr WrapType<T> Wrap(T x) {
  return static_cast<WrapType<T>>(x);
}

// Float to integer truncates toward zero like C++; values outside the
// integer's range (undefined in C++, implementation-defined in ONNX)
// saturate, and NaN becomes 0.
template <typename To, typename From>
To SaturatingTruncate(From x) {
  // Both limits are powers of two (or 0), so exact in any float type.
  constexpr From kLow = static_cast<From>(std::numeric_limits<To>::min());
  constexpr From kHighExclusive =
      static_cast<From>(2) * static_cast<From>(std::numeric_limits<To>::max() / 2 + 1);
  if (std::isnan(x)) return 0;
  if (x <= kLow) return std::numeric_limits<To>::min();
  if (x >= kHighExclusive) return std::numeric_limits<To>::max();
  return static_cast<To>(x);
}

// Converts one element as ONNX Cast does: to bool is "nonzero", from bool
// is 0 or 1, float to integer saturates, everything else as C++ converts.
template <typename To, typename From>
To ConvertElement(From x) {
  if constexpr (std::is_same_v<From, BoolByte>) {
    return ConvertElement<To>(static_cast<uint8_t>(x.value != 0));
  } else if constexpr (std::is_same_v<To, BoolByte>) {
    return BoolByte{static_cast<uint8_t>(x != 0)};
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return SaturatingTruncate<To>(x);
  } else {
    return static_cast<To>(x);
  }
}

}  // namespace tinyonnx
