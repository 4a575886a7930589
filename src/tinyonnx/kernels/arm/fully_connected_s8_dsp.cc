// Fully connected, int8, DSP extension: the twin of
// reference/fully_connected_s8.cc (FullyConnectedS8).
//
// The input row is expanded once per block into int16 with the input offset
// added, in the SXTB16 pair order of the weights (dsp_support.h); then two
// weight rows at a time meet it: per 4 elements one load of each row, two
// SXTB16 each, and 4 SMLAD against the two expanded input words, 8 MACs in
// 13 instructions with the loop. Blocks bound the scratch: kDepthBlock
// input elements, dsp::kChannelBlock int32 accumulators.
#include "tinyonnx/kernels/arm/dsp_support.h"

#if TINYONNX_HAS_DSP_KERNELS

namespace tinyonnx {
namespace {

constexpr int32_t kDepthBlock = 512;  // a multiple of 4: blocks keep the groups of four

// One group of four: the next expanded input words against the next word
// of each weight row (one LDRD, two LDR, four SXTB16, four SMLAD), pointers
// post-indexed.
#define TINYONNX_FC_GROUP                                \
  "ldrd %[x_even], %[x_odd], [%[in]], #8\n\t"            \
  "ldr %[w], [%[w0]], #4\n\t"                            \
  "sxtb16 %[w_even], %[w]\n\t"                           \
  "sxtb16 %[w], %[w], ror #8\n\t"                        \
  "smlad %[r0], %[x_even], %[w_even], %[r0]\n\t"         \
  "smlad %[r0], %[x_odd], %[w], %[r0]\n\t"               \
  "ldr %[w], [%[w1]], #4\n\t"                            \
  "sxtb16 %[w_even], %[w]\n\t"                           \
  "sxtb16 %[w], %[w], ror #8\n\t"                        \
  "smlad %[r1], %[x_even], %[w_even], %[r1]\n\t"         \
  "smlad %[r1], %[x_odd], %[w], %[r1]\n\t"

// Sums of the expanded input (word-aligned) against weight rows w0 and w1
// over `size`. The groups of four run in assembly, two per loop turn:
// GCC 12 spills in this loop and does not fold the rotation into SXTB16.
struct Dot1x2 {
  int32_t r0 = 0, r1 = 0;

  void Run(const int16_t* in, const int8_t* w0, const int8_t* w1, int32_t size) {
    int32_t pairs = size >> 3;
    uint32_t x_even, x_odd, w, w_even;
    if (pairs > 0) {
      asm volatile("1:\n\t" TINYONNX_FC_GROUP TINYONNX_FC_GROUP
                   "subs %[pairs], %[pairs], #1\n\t"
                   "bne 1b"
                   : [r0] "+r"(r0), [r1] "+r"(r1), [in] "+r"(in), [w0] "+r"(w0), [w1] "+r"(w1),
                     [pairs] "+r"(pairs), [x_even] "=&r"(x_even), [x_odd] "=&r"(x_odd),
                     [w] "=&r"(w), [w_even] "=&r"(w_even)
                   :
                   : "cc", "memory");
    }
    if (size & 4) {
      asm volatile(TINYONNX_FC_GROUP
                   : [r0] "+r"(r0), [r1] "+r"(r1), [in] "+r"(in), [w0] "+r"(w0), [w1] "+r"(w1),
                     [x_even] "=&r"(x_even), [x_odd] "=&r"(x_odd), [w] "=&r"(w),
                     [w_even] "=&r"(w_even)
                   :
                   : "memory");
    }
    for (int32_t k = 0; k < (size & 3); ++k) {
      r0 += in[k] * w0[k];
      r1 += in[k] * w1[k];
    }
  }
};

#undef TINYONNX_FC_GROUP

// The kernel's arrays in its scratch: the requantizers of the block of
// outputs being computed, their accumulators, and one block of the input
// row expanded.
struct Workspace {
  Workspace(const FullyConnectedS8Params& p, void* scratch) {
    dsp::ScratchCarver carve(scratch);
    block = carve.Take<dsp::ChannelBlock>(1);
    acc = carve.Take<int32_t>(dsp::FirstBlockCount(p.output_depth));
    expanded = carve.Take<int16_t>(dsp::Min(p.input_depth, kDepthBlock));
    bytes = carve.used();
  }

  dsp::ChannelBlock* block;
  int32_t* acc;
  int16_t* expanded;
  size_t bytes;
};

// Accumulators of outputs [first, first + count) of input row x.
void AccumulateBlock(const FullyConnectedS8Params& p, const int8_t* x, int32_t first, int32_t count,
                     int16_t* expanded, int32_t* acc) {
  const int32_t depth = p.input_depth;
  for (int32_t i = 0; i < count; ++i) acc[i] = 0;
  for (int32_t k0 = 0; k0 < depth; k0 += kDepthBlock) {
    const int32_t size = depth - k0 < kDepthBlock ? depth - k0 : kDepthBlock;
    dsp::ExpandWithOffset(x + k0, size, p.quant.input_offset, expanded);
    for (int32_t i = 0; i < count; i += 2) {
      // An odd last row runs as both rows of the pair; one is kept.
      const int32_t i1 = i + 1 < count ? i + 1 : i;
      Dot1x2 s;
      s.Run(expanded, p.weights + (first + i) * depth + k0, p.weights + (first + i1) * depth + k0,
            size);
      acc[i] += s.r0;
      if (i1 != i) acc[i1] += s.r1;
    }
  }
}

}  // namespace

size_t dsp::FullyConnectedS8DspScratchBytes(const FullyConnectedS8Params& p) {
  return Workspace(p, nullptr).bytes;
}

void FullyConnectedS8Dsp(const void* params, const void* const* inputs, void* const* outputs) {
  const FullyConnectedS8Params& p = *static_cast<const FullyConnectedS8Params*>(params);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  int8_t* y = static_cast<int8_t*>(outputs[0]);
  const Workspace w(p, p.scratch);
  for (int32_t n0 = 0; n0 < p.output_depth; n0 += dsp::kChannelBlock) {
    const dsp::ChannelBlock& block = *new (w.block) dsp::ChannelBlock(p.quant, n0, p.output_depth);
    for (int32_t r = 0; r < p.rows; ++r) {
      AccumulateBlock(p, x + r * p.input_depth, n0, block.count(), w.expanded, w.acc);
      block.Store(w.acc, p.quant, y + r * p.output_depth + n0);
    }
  }
}

}  // namespace tinyonnx

#endif  // TINYONNX_HAS_DSP_KERNELS
