// Pieces the DSP kernels share: word loads, the SXTB16 pair order, the
// requantization on SMULL, and the walk over output positions (with a
// fused max-pool, the Conv pixels of one pool window).
#pragma once

#include "tinyonnx/kernels/arm/dsp_kernels.h"

#if TINYONNX_HAS_DSP_KERNELS

#include <arm_acle.h>

#include <cstddef>
#include <cstring>
#include <new>

#include "tinyonnx/kernels/fixed_point.h"

namespace tinyonnx {
namespace dsp {

// 4 bytes from any address (LDR: Cortex-M loads words unaligned).
inline uint32_t LoadWord(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

inline void StoreWord(void* p, uint32_t v) { std::memcpy(p, &v, sizeof(v)); }

// Bytes b0 b1 b2 b3 of a word as the int16 pairs (b0, b2) and (b1, b3):
// the SXTB16 order. Every int16 copy of int8 data here keeps that order
// within each complete group of four, so the pairs of data and weights meet
// in SMLAD without repacking.
inline uint32_t EvenBytes(uint32_t w) { return __sxtb16(w); }
inline uint32_t OddBytes(uint32_t w) {
  uint32_t r;
  asm("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(w));  // GCC 12 splits __sxtb16 of a rotate in two
  return r;
}

// An int16 value in both halves of a word (SADD16's operand).
inline uint32_t BothHalves(int32_t v) { return (static_cast<uint32_t>(v) & 0xFFFFu) * 0x10001u; }

// count int8 values + offset as int16: complete groups of four in SXTB16
// order, group g at out + g * group_stride, the rest in order after the
// last group's place.
inline void ExpandWithOffset(const int8_t* in, int32_t count, int32_t offset, int16_t* out,
                             int32_t group_stride = 4) {
  const uint32_t offset_pair = BothHalves(offset);
  const int32_t whole = count & ~3;
  for (int32_t i = 0; i < whole; i += 4, out += group_stride) {
    const uint32_t w = LoadWord(in + i);
    StoreWord(out, __sadd16(EvenBytes(w), offset_pair));
    StoreWord(out + 2, __sadd16(OddBytes(w), offset_pair));
  }
  for (int32_t i = whole; i < count; ++i) out[i - whole] = static_cast<int16_t>(in[i] + offset);
}

// An int8 value in all four bytes of a word.
inline uint32_t AllBytes(int32_t v) { return (static_cast<uint32_t>(v) & 0xFFu) * 0x01010101u; }

// w with its byte kByte replaced by the low byte of v.
template <int kByte>
inline uint32_t InsertByte(uint32_t w, uint32_t v) {
  asm("bfi %0, %1, %2, #8" : "+r"(w) : "r"(v), "i"(8 * kByte));
  return w;
}

// Each signed byte of w clamped to [the byte of lo, the byte of hi]: SSUB8
// sets the GE flags SEL picks by (in one asm statement: the flags are not
// operands the compiler knows of).
inline uint32_t ClampBytes(uint32_t w, uint32_t lo, uint32_t hi) {
  uint32_t difference;
  asm("ssub8 %[d], %[w], %[lo]\n\t"
      "sel %[w], %[w], %[lo]\n\t"
      "ssub8 %[d], %[w], %[hi]\n\t"
      "sel %[w], %[hi], %[w]"
      : [w] "+r"(w), [d] "=&r"(difference)
      : [lo] "r"(lo), [hi] "r"(hi)
      : "cc");
  return w;
}

// One output channel's requantization, Requantize(AddBias(acc, q, c), ...)
// of quantized_loops.h bit for bit, with its constants worked out once:
//
//   round_half_to_even(x * multiplier / 2^(31 - shift))
//     = floor((x * multiplier + 2^(t-1) - 1 + odd) / 2^t),  t = 31 - shift,
//
// odd being bit t of the product (the quotient before rounding is odd: a
// tie then goes up, to the even neighbour). For shift < 0, t = 32 + right:
// one SMULL, the 64-bit add of the rounding constant, and the high word
// shifted right by `right`. For shift >= 0 the accumulator is first
// multiplied by 2^(shift + 1) so that t = 32 again; it is clamped to
// [-4096, 4095] before, which changes no output: any |x| >= 4095 makes
// |product / 2^t| >= 2047, beyond every clamp. Multipliers of 2^18 and more
// (shift > 18) use the portable arithmetic.
//
// Valid for multipliers from QuantizeMultiplier (in [2^30, 2^31), or 0)
// and an output offset and activation range inside [-128, 127]
// (checked by the selection): then clamping the product to +-1024 before
// adding the offset, as Requantize does, changes nothing, and QADD is
// AddBias's saturating add.
// floor((x * multiplier + round + odd) / 2^(32 + right)), round as its two
// words, odd being bit 32 + right of the product.
inline int32_t RoundedHighProduct(int32_t x, int32_t multiplier, uint32_t right,
                                  uint32_t round_high, uint32_t round_low) {
  const int64_t product = static_cast<int64_t>(x) * multiplier;
  const uint32_t odd = (static_cast<uint32_t>(static_cast<uint64_t>(product) >> 32) >> right) & 1u;
  const uint64_t sum =
      static_cast<uint64_t>(product) + ((static_cast<uint64_t>(round_high) << 32 | round_low) + odd);
  return static_cast<int32_t>(static_cast<uint32_t>(sum >> 32)) >> right;
}

// The output offset and clamp of a call, held in registers by the loops.
struct OutputRange {
  explicit OutputRange(const ChannelQuantization& q)
      : offset(q.output_offset), lo(q.act_min), hi(q.act_max) {}
  int8_t operator()(int32_t v) const { return Clamp(v + offset); }
  int8_t Clamp(int32_t v) const { return static_cast<int8_t>(v < lo ? lo : v > hi ? hi : v); }
  int32_t offset, lo, hi;
};

class ChannelRequantizer {
 public:
  // Which arithmetic a channel takes: its shift < 0; 0 <= shift <= 18; larger.
  enum class Path : uint8_t { kRight, kLeft, kPortable };

  ChannelRequantizer() = default;
  ChannelRequantizer(const ChannelQuantization& q, int32_t c)
      : bias_(q.bias != nullptr ? q.bias[c] : 0),
        multiplier_(q.multiplier[c]),
        shift_(static_cast<int8_t>(q.shift[c])) {
    if (shift_ < 0) {
      path_ = Path::kRight;
      right_ = static_cast<uint8_t>(-1 - shift_);
      round_high_ = ((1u << right_) - 1u) >> 1;
      round_low_ = right_ > 0 ? 0xFFFFFFFFu : 0x7FFFFFFFu;
    } else {
      path_ = shift_ <= kMaxLeftShift ? Path::kLeft : Path::kPortable;
      left_ = static_cast<uint8_t>(shift_ + 1);
    }
  }

  Path path() const { return path_; }

  // For path kRight: __ssat(product + offset, 8), the product
  //   RoundedHighProduct(__qadd(acc, bias_), multiplier_, right_, round_high_, round_low_)
  // of acc[kLane] and requantize[kLane]. One statement with its loads: of
  // four such channels GCC hoists all the loads, runs out of registers and
  // spills.
  template <int kLane>
  static int32_t RightByte(const int32_t* acc, const ChannelRequantizer* requantize,
                           int32_t offset) {
    // The LDRDs: (bias, multiplier) and (round_high, round_low).
    static_assert(offsetof(ChannelRequantizer, multiplier_) ==
                      offsetof(ChannelRequantizer, bias_) + 4, "");
    static_assert(offsetof(ChannelRequantizer, round_low_) ==
                      offsetof(ChannelRequantizer, round_high_) + 4, "");
    constexpr size_t kAt = kLane * sizeof(ChannelRequantizer);
    int32_t x, bias, multiplier, high, low, right;
    asm("ldr %[x], [%[acc], %[acc_at]]\n\t"
        "ldrd %[bias], %[m], [%[rq], %[bias_at]]\n\t"
        "ldrd %[high], %[low], [%[rq], %[round_at]]\n\t"
        "ldrb %[right], [%[rq], %[right_at]]\n\t"
        "qadd %[x], %[x], %[bias]\n\t"
        "smlal %[low], %[high], %[x], %[m]\n\t"
        "smull %[x], %[bias], %[x], %[m]\n\t"  // bias: the product's high word
        "lsr %[bias], %[bias], %[right]\n\t"
        "and %[bias], %[bias], #1\n\t"
        "adds %[low], %[low], %[bias]\n\t"
        "adc %[high], %[high], #0\n\t"
        "asr %[high], %[high], %[right]\n\t"
        "add %[high], %[high], %[offset]\n\t"
        "ssat %[high], #8, %[high]"
        : [x] "=&r"(x), [bias] "=&r"(bias), [m] "=&r"(multiplier), [high] "=&r"(high),
          [low] "=&r"(low), [right] "=&r"(right)
        : [acc] "r"(acc), [rq] "r"(requantize), [offset] "r"(offset),
          [acc_at] "i"(4 * kLane), [bias_at] "i"(kAt + offsetof(ChannelRequantizer, bias_)),
          [round_at] "i"(kAt + offsetof(ChannelRequantizer, round_high_)),
          [right_at] "i"(kAt + offsetof(ChannelRequantizer, right_))
        : "cc", "memory");
    return high;
  }

  // The rounded product before the offset, for path kLeft.
  int32_t Left(int32_t acc) const {
    return RoundedHighProduct(__ssat(__qadd(acc, bias_), 13) << left_, multiplier_, 0, 0,
                              0x7FFFFFFFu);
  }

  int8_t operator()(int32_t acc, const ChannelQuantization& q) const {
    switch (path_) {
      case Path::kRight:
        return OutputRange(q).Clamp(RightByte<0>(&acc, this, q.output_offset));
      case Path::kLeft:
        return OutputRange(q)(Left(acc));
      default:
        return Portable(acc, q);
    }
  }

 private:
  static constexpr int32_t kMaxLeftShift = 18;

  // Out of line: keeps the 64-bit arithmetic out of the kernels' loops.
  __attribute__((noinline)) int8_t Portable(int32_t acc, const ChannelQuantization& q) const {
    return static_cast<int8_t>(Requantize(__qadd(acc, bias_), multiplier_, shift_, q.output_offset,
                                          q.act_min, q.act_max));
  }

  // 20 bytes: a block of them lives on the stack.
  int32_t bias_ = 0;
  int32_t multiplier_ = 0;
  uint32_t round_high_ = 0;
  uint32_t round_low_ = 0;
  uint8_t right_ = 0;  // 0 .. 30
  uint8_t left_ = 0;   // 1 .. 19
  int8_t shift_ = 0;   // -31 .. 30
  Path path_ = Path::kPortable;
};

// The requantizers of a block of up to kChannelBlock consecutive output
// channels, prepared once per call and block. The kernels write a block's
// accumulators into an int32 array first and requantize them in a loop of
// their own: both loops then keep their values in registers, and the
// requantization loop is picked once per block when all its channels take
// the same path.
constexpr int32_t kChannelBlock = 32;

class ChannelBlock {
 public:
  ChannelBlock(const ChannelQuantization& q, int32_t first, int32_t channels)
      : first_(first), count_(channels - first < kChannelBlock ? channels - first : kChannelBlock) {
    for (int32_t c = 0; c < count_; ++c) {
      requantize_[c] = ChannelRequantizer(q, first + c);
      if (requantize_[c].path() != requantize_[0].path()) mixed_ = true;
    }
  }

  int32_t first() const { return first_; }
  int32_t count() const { return count_; }

  // out[i] from acc[i] for the block's channels begin + i, i < count.
  void Store(const int32_t* acc, const ChannelQuantization& q, int8_t* out, int32_t begin,
             int32_t count) const {
    const OutputRange range(q);
    const ChannelRequantizer* requantize = requantize_ + begin;
    const ChannelRequantizer::Path path =
        mixed_ ? ChannelRequantizer::Path::kPortable : requantize_[0].path();
    if (path == ChannelRequantizer::Path::kRight) {
      const int32_t whole = count & ~3;
      const uint32_t lo = AllBytes(q.act_min), hi = AllBytes(q.act_max);
      // Four channels a word: each saturated to int8 and inserted (BFI),
      // then the four clamped at once.
      for (int32_t i = 0; i < whole; i += 4) {
        const int32_t* a = acc + i;
        const ChannelRequantizer* r = requantize + i;
        uint32_t word = static_cast<uint32_t>(ChannelRequantizer::RightByte<0>(a, r, range.offset));
        word = InsertByte<1>(word, ChannelRequantizer::RightByte<1>(a, r, range.offset));
        word = InsertByte<2>(word, ChannelRequantizer::RightByte<2>(a, r, range.offset));
        word = InsertByte<3>(word, ChannelRequantizer::RightByte<3>(a, r, range.offset));
        StoreWord(out + i, ClampBytes(word, lo, hi));
      }
      for (int32_t i = whole; i < count; ++i) {
        const int32_t v = ChannelRequantizer::RightByte<0>(acc + i, requantize + i, range.offset);
        out[i] = range.Clamp(v);
      }
    } else if (path == ChannelRequantizer::Path::kLeft) {
      for (int32_t i = 0; i < count; ++i) out[i] = range(requantize[i].Left(acc[i]));
    } else {
      for (int32_t i = 0; i < count; ++i) out[i] = requantize[i](acc[i], q);
    }
  }
  void Store(const int32_t* acc, const ChannelQuantization& q, int8_t* out) const {
    Store(acc, q, out, 0, count_);
  }

 private:
  int32_t first_;
  int32_t count_;
  bool mixed_ = false;
  ChannelRequantizer requantize_[kChannelBlock];
};

inline int32_t Max(int32_t a, int32_t b) { return a > b ? a : b; }
inline int32_t Min(int32_t a, int32_t b) { return a < b ? a : b; }

// Channels in the first (largest) block of `channels`.
inline int32_t FirstBlockCount(int32_t channels) { return Min(channels, kChannelBlock); }

// Cuts a DSP kernel's working arrays out of its scratch (the params'
// `scratch`, from the planner) one after another, each on an 8-byte
// boundary (LDRD wants words; the planner's buffers are 16-aligned). Over
// a null scratch it only counts: a kernel's ScratchBytes function and the
// kernel itself take the same arrays through one function, so the size
// prepare requests is the size the kernel uses.
class ScratchCarver {
 public:
  explicit ScratchCarver(void* scratch) : base_(static_cast<uint8_t*>(scratch)) {}

  template <typename T>
  T* Take(int32_t count) {
    T* array = base_ != nullptr ? reinterpret_cast<T*>(base_ + used_) : nullptr;
    used_ += (sizeof(T) * static_cast<size_t>(count) + 7u) & ~size_t{7};
    return array;
  }
  size_t used() const { return used_; }

 private:
  uint8_t* base_;
  size_t used_ = 0;
};

// Conv output pixels that make one stored output: one pixel (or
// `unpooled` consecutive pixels, each its own output) without a fused pool;
// the pixels of one pool window, reduced to their maximum, with one.
constexpr int32_t kMaxGroupPixels = 9;

struct PixelGroup {
  int32_t count = 0;
  int32_t row[kMaxGroupPixels];
  int32_t col[kMaxGroupPixels];
  int32_t out = 0;  // the first output position (row-major in the stored map)
};

// Conv output rows and columns of every group, in output order.
template <typename Visit>
void ForEachPixelGroup(const ConvS8Params& p, int32_t unpooled, Visit&& visit) {
  const FusedMaxPool& pool = p.pool;
  PixelGroup group;
  if (pool.Active()) {
    for (int32_t ph = 0; ph < pool.output[1]; ++ph) {
      for (int32_t pw = 0; pw < pool.output[2]; ++pw) {
        group.count = 0;
        for (int32_t i = 0; i < pool.kernel[1]; ++i) {
          for (int32_t j = 0; j < pool.kernel[2]; ++j) {
            group.row[group.count] = ph * pool.kernel[1] + i;
            group.col[group.count++] = pw * pool.kernel[2] + j;
          }
        }
        group.out = ph * pool.output[2] + pw;
        visit(group);
      }
    }
    return;
  }
  const int32_t width = p.window.output[2];
  const int32_t total = p.window.OutputSize();
  int32_t row = 0, col = 0;  // of the next pixel
  for (int32_t first = 0; first < total; first += unpooled) {
    group.count = total - first < unpooled ? total - first : unpooled;
    for (int32_t i = 0; i < group.count; ++i) {
      group.row[i] = row;
      group.col[i] = col;
      if (++col == width) {
        col = 0;
        ++row;
      }
    }
    group.out = first;
    visit(group);
  }
}

// A fused max-pool the kernels can walk: 2-D, at most kMaxGroupPixels pixels
// (or none).
inline bool PoolFits(const FusedMaxPool& pool) {
  return pool.kernel[0] == 1 && pool.kernel[1] * pool.kernel[2] <= kMaxGroupPixels;
}

// Whether each kernel's specialization covers the parameters beyond the
// checks SelectDspConvS8 makes for all of them (their own files). The
// graph pass that fuses a max-pool fills ConvS8Params::pool after prepare
// chose the kernel, so each kernel checks again at run time and hands
// parameters it does not cover (a larger pool) to its portable twin.
bool ConvS8DspFits(const ConvS8Params& p);
bool SingleChannelConvS8DspFits(const ConvS8Params& p);
bool DepthwiseConvS8DspFits(const ConvS8Params& p);
// The depthwise shapes the row walk alone covers (DepthwiseConvRowsS8Dsp).
bool DepthwiseConvRowsS8DspFits(const ConvS8Params& p);

// The scratch each kernel works in for parameters it fits (ConvS8Params::
// scratch, FullyConnectedS8Params::scratch): its channel block's
// requantizers, accumulators and staged inputs or weights. Independent of
// a fused pool, which may be added after prepare.
size_t ConvS8DspScratchBytes(const ConvS8Params& p);
size_t SingleChannelConvS8DspScratchBytes(const ConvS8Params& p);
size_t DepthwiseConvS8DspScratchBytes(const ConvS8Params& p);
size_t FullyConnectedS8DspScratchBytes(const FullyConnectedS8Params& p);

// Stored output positions per batch image.
inline int32_t StoredOutputSize(const ConvS8Params& p) {
  return p.pool.Active() ? p.pool.OutputSize() : p.window.OutputSize();
}

}  // namespace dsp
}  // namespace tinyonnx

#endif  // TINYONNX_HAS_DSP_KERNELS
