// Fixed-point arithmetic of the int8 kernels.
//
// A real multiplier M > 0 (for example s_in * s_w / s_out) is represented
// once, at prepare time, as an int32 `multiplier` in [2^30, 2^31) and a
// power-of-two `shift`:  M = multiplier * 2^(shift - 31). At run time
//
//   MultiplyByQuantizedMultiplier(x, multiplier, shift)
//     = round_half_to_even(x * multiplier / 2^(31 - shift))
//
// uses integers only: one 32x32 -> 64-bit multiply (SMULL on Cortex-M) and
// one rounding of the exact product, half to even as ONNX rounds. This is
// the requantization of every int8 kernel; optimized twins must give the
// same bits.
//
// Why not TFLite's two-step scheme (SaturatingRoundingDoublingHighMul, then
// RoundingDivideByPOT, below)? It rounds twice: the high multiply keeps only
// the integer part of x * multiplier / 2^31, so for a small x (Mul of two
// 8-bit values, Concat and AveragePool requantizing 8-bit sums) and a
// multiplier near 1 the first rounding costs up to a quarter step, and on
// such ops 6 to 25 % of the outputs came out one step away from ONNX
// Runtime and from the exact value round(x * M). The single rounding is
// exact up to M's own 31-bit precision. The two TFLite helpers stay here,
// written from their definitions and tested, as the documented alternative.
#pragma once

#include <cmath>
#include <cstdint>

namespace tinyonnx {

constexpr int32_t kInt32Max = 2147483647;
constexpr int32_t kInt32Min = -kInt32Max - 1;

// TFLite's first step: round(a * b / 2^31) with ties rounded up (toward
// +infinity), saturated: only a == b == INT32_MIN overflows, giving INT32_MAX.
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == kInt32Min && b == kInt32Min) return kInt32Max;
  const int64_t product = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t half = int64_t{1} << 30;
  // Division truncates toward zero: adding half (or half - 1 below zero)
  // first rounds to nearest with ties up.
  const int64_t rounded = product >= 0 ? product + half : product - half + 1;
  return static_cast<int32_t>(rounded / (int64_t{1} << 31));
}

// TFLite's second step: x / 2^exponent rounded half away from zero, for
// exponent in [0, 31].
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((uint32_t{1} << exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  // >> of a negative value is an arithmetic shift on every supported compiler.
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// round_half_to_even(x * multiplier * 2^(shift - 31)), saturated to int32;
// shift in [-31, 30] (QuantizeMultiplier's range).
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int32_t shift) {
  const int64_t product = static_cast<int64_t>(x) * multiplier;  // |product| < 2^62
  const int total = 31 - shift;                                  // 1 .. 62
  const int64_t unit = int64_t{1} << total;
  // >> of a negative value is an arithmetic shift (a floor) on every
  // supported compiler.
  int64_t q = product >> total;
  const int64_t remainder = product - q * unit;  // in [0, unit)
  const int64_t half = unit >> 1;
  if (remainder > half || (remainder == half && (q & 1) != 0)) ++q;
  return q > kInt32Max ? kInt32Max : q < kInt32Min ? kInt32Min : static_cast<int32_t>(q);
}

inline int32_t ClampInt32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

// offset + MultiplyByQuantizedMultiplier(x, ...) clamped to [lo, hi], an
// 8-bit range: the requantization of every int8 output, overflow-free for
// any x (a product far outside the range is clamped before the offset).
inline int32_t Requantize(int32_t x, int32_t multiplier, int32_t shift, int32_t offset, int32_t lo,
                          int32_t hi) {
  const int32_t v = ClampInt32(MultiplyByQuantizedMultiplier(x, multiplier, shift), -1024, 1024);
  return ClampInt32(offset + v, lo, hi);
}

// Largest shift QuantizeMultiplier produces (multipliers up to 2^30).
constexpr int32_t kMaxMultiplierShift = 30;

// Prepare time: the (multiplier, shift) of a real multiplier. Values below
// 2^-32 become multiplier 0 (the product rounds to 0 anyway). Returns false
// for a negative, non-finite or too large (>= 2^30) multiplier.
inline bool QuantizeMultiplier(double real, int32_t* multiplier, int32_t* shift) {
  *multiplier = 0;
  *shift = 0;
  if (!(real >= 0.0) || !std::isfinite(real)) return false;
  if (real == 0.0) return true;
  int exponent = 0;
  const double fraction = std::frexp(real, &exponent);  // real = fraction * 2^exponent
  int64_t q = static_cast<int64_t>(std::round(fraction * 2147483648.0));
  if (q == (int64_t{1} << 31)) {
    q /= 2;
    ++exponent;
  }
  if (exponent > kMaxMultiplierShift) return false;
  if (exponent < -31) return true;  // rounds to 0 for every int32 input
  *multiplier = static_cast<int32_t>(q);
  *shift = exponent;
  return true;
}

}  // namespace tinyonnx
