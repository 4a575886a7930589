// Depthwise Conv, channel multiplier 1, int8, 2-D, DSP extension: the twin
// of reference/depthwise_conv_s8.cc for C_out = C_in = group.
//
// Four channels at a time: one word load per tap reads the four channels'
// inputs, SXTB16 splits them into the pairs (c0, c2) and (c1, c3), and
// SMLABB / SMLATT multiply each half with the matching weight (expanded once
// per call into the same pairs). For a window inside the input the input
// offset is not added per tap: the accumulators start at input_offset * sum
// of the channel's weights instead. Windows touching the padding add the
// offset per tap (SADD16) and skip the taps outside. 3x3 kernels run an
// unrolled tap sequence in assembly.
#include "tinyonnx/kernels/arm/dsp_support.h"

#if TINYONNX_HAS_DSP_KERNELS

namespace tinyonnx {
namespace {

using dsp::EvenBytes;
using dsp::OddBytes;

// The largest window taken (5x5, the largest the twin test runs): the
// scratch grows with the taps, 68 bytes a tap for a full channel block.
constexpr int32_t kMaxTaps = 25;

// Up to four bytes of consecutive channels as a word (missing lanes 0).
template <bool kFullQuad>
inline uint32_t LoadLanes(const int8_t* p, int32_t lanes) {
  if (kFullQuad) return dsp::LoadWord(p);
  uint32_t v = 0;
  for (int32_t l = 0; l < lanes; ++l) {
    v |= static_cast<uint32_t>(static_cast<uint8_t>(p[l])) << (8 * l);
  }
  return v;
}

// Byte steps between the taps of a 3x3 window: to the next column and to
// the next row.
struct TapSteps {
  int32_t column, row;
};

// Quads (4 channels) in the first (largest) channel block.
int32_t BlockQuads(const ConvS8Params& p) { return (dsp::FirstBlockCount(p.out_channels) + 3) / 4; }

// One channel quad's weights (its words in the scratch): the accumulators'
// start for a window inside the input, then per tap the weights as SXTB16
// pairs (even, odd).
struct QuadWeights {
  int32_t* inside_start;  // [4]
  uint32_t* taps;         // [taps][2]
};

// Per call, in the kernel's scratch: each tap's input offset (bytes) from
// the window's top-left input pixel, the weights of the block's quads, the
// block's requantizers and accumulators (a partial last quad fills its 4
// lanes too); for 3x3 kernels the tap steps in the input.
struct Block {
  Block(const ConvS8Params& p, void* scratch)
      : taps(p.window.KernelSize()), quad_words(4 + 2 * taps) {
    dsp::ScratchCarver carve(scratch);
    tap_offset = carve.Take<int32_t>(taps);
    words = carve.Take<uint32_t>(BlockQuads(p) * quad_words);
    channel_block = carve.Take<dsp::ChannelBlock>(1);
    acc = carve.Take<int32_t>(4 * BlockQuads(p));
    scratch_bytes = carve.used();
  }

  QuadWeights quad(int32_t q) const {
    uint32_t* start = words + q * quad_words;
    return {reinterpret_cast<int32_t*>(start), start + 4};
  }

  int32_t taps;
  int32_t quad_words;  // of one quad's weights
  int32_t* tap_offset;
  uint32_t* words;
  dsp::ChannelBlock* channel_block;
  int32_t* acc;
  size_t scratch_bytes;
  TapSteps input_steps = {0, 0};
};

void PrepareBlock(const ConvS8Params& p, const dsp::ChannelBlock& channels, Block* block) {
  const WindowGeometry& g = p.window;
  const int32_t c_all = p.out_channels;
  int32_t t = 0;
  for (int32_t kh = 0; kh < g.kernel[1]; ++kh) {
    for (int32_t kw = 0; kw < g.kernel[2]; ++kw, ++t) {
      block->tap_offset[t] = (kh * g.dilation[1] * g.input[2] + kw * g.dilation[2]) * c_all;
    }
  }
  if (g.kernel[1] == 3 && g.kernel[2] == 3) {
    block->input_steps = {block->tap_offset[1], block->tap_offset[3]};
  }
  // In registers: the stores into the scratch might, as far as the compiler
  // knows, change these.
  const int32_t taps = block->taps;
  const int32_t count = channels.count();
  const int8_t* block_weights = p.weights + channels.first();
  for (int32_t q = 0; q * 4 < count; ++q) {
    const QuadWeights w = block->quad(q);
    const int32_t lanes = count - 4 * q < 4 ? count - 4 * q : 4;
    int32_t sum[4] = {0, 0, 0, 0};
    for (t = 0; t < taps; ++t) {
      const int8_t* weights = block_weights + t * c_all + 4 * q;
      const uint32_t word = LoadLanes<false>(weights, lanes);
      w.taps[2 * t] = EvenBytes(word);
      w.taps[2 * t + 1] = OddBytes(word);
      for (int32_t l = 0; l < lanes; ++l) sum[l] += weights[l];
    }
    for (int32_t l = 0; l < 4; ++l) w.inside_start[l] = p.quant.input_offset * sum[l];
  }
}

struct Acc4 {
  int32_t lane[4];
};

// The accumulators of a window inside the input whose top-left input byte
// (of the quad's first channel) is `origin`, any kernel.
template <bool kFullQuad>
Acc4 AccumulateInside(const Block& block, const QuadWeights& w, const int8_t* origin,
                      int32_t lanes) {
  int32_t a0 = w.inside_start[0], a1 = w.inside_start[1];
  int32_t a2 = w.inside_start[2], a3 = w.inside_start[3];
  for (int32_t t = 0; t < block.taps; ++t) {
    const uint32_t v = LoadLanes<kFullQuad>(origin + block.tap_offset[t], lanes);
    const uint32_t even = EvenBytes(v), odd = OddBytes(v);
    a0 = __smlabb(even, w.taps[2 * t], a0);
    a2 = __smlatt(even, w.taps[2 * t], a2);
    a1 = __smlabb(odd, w.taps[2 * t + 1], a1);
    a3 = __smlatt(odd, w.taps[2 * t + 1], a3);
  }
  return {{a0, a1, a2, a3}};
}

// One tap of a full quad: the input word at [p + offset], the tap's weight
// pairs (post-indexed LDRD), two SXTB16, four multiply-accumulates.
#define TINYONNX_DW_TAP(offset)                 \
  "ldr %[v], [%[p]" offset                      \
  "]\n\t"                                       \
  "ldrd %[w_even], %[w_odd], [%[w]], #8\n\t"    \
  "sxtb16 %[even], %[v]\n\t"                    \
  "sxtb16 %[v], %[v], ror #8\n\t"               \
  "smlabb %[a0], %[even], %[w_even], %[a0]\n\t" \
  "smlatt %[a2], %[even], %[w_even], %[a2]\n\t" \
  "smlabb %[a1], %[v], %[w_odd], %[a1]\n\t"     \
  "smlatt %[a3], %[v], %[w_odd], %[a3]\n\t"
#define TINYONNX_DW_ROW \
  TINYONNX_DW_TAP("") TINYONNX_DW_TAP(", %[column]") TINYONNX_DW_TAP(", %[column], lsl #1")

// Stores a quad's accumulators at acc, or (kMax) the maximum of them and
// what acc holds.
template <bool kMax>
inline void Merge(int32_t a0, int32_t a1, int32_t a2, int32_t a3, int32_t* acc) {
  acc[0] = kMax ? dsp::Max(acc[0], a0) : a0;
  acc[1] = kMax ? dsp::Max(acc[1], a1) : a1;
  acc[2] = kMax ? dsp::Max(acc[2], a2) : a2;
  acc[3] = kMax ? dsp::Max(acc[3], a3) : a3;
}

// The accumulators of the block's first `quads` full quads for a 3x3 window
// inside the input whose top-left byte (of the block's first channel) is
// `origin`, into acc[4 q ..] (kMax: their maximum with acc). The taps run
// in assembly, 8 instructions a tap and quad: GCC 12 runs out of registers
// here and spills to the FPU registers.
template <bool kMax>
__attribute__((noinline)) void InsideQuads3x3(const Block& block, int32_t quads,
                                              const int8_t* origin, int32_t* acc) {
  for (int32_t q = 0; q < quads; ++q, acc += 4) {
    const QuadWeights weights = block.quad(q);
    int32_t a0 = weights.inside_start[0], a1 = weights.inside_start[1];
    int32_t a2 = weights.inside_start[2], a3 = weights.inside_start[3];
    const int8_t* p = origin + 4 * q;
    const uint32_t* w = weights.taps;
    uint32_t v, even, w_even, w_odd;
    asm volatile(
        TINYONNX_DW_ROW "add %[p], %[p], %[row]\n\t" TINYONNX_DW_ROW
                        "add %[p], %[p], %[row]\n\t" TINYONNX_DW_ROW
        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [p] "+r"(p), [w] "+r"(w),
          [v] "=&r"(v), [even] "=&r"(even), [w_even] "=&r"(w_even), [w_odd] "=&r"(w_odd)
        : [column] "r"(block.input_steps.column), [row] "r"(block.input_steps.row)
        : "memory");
    Merge<kMax>(a0, a1, a2, a3, acc);
  }
}

#undef TINYONNX_DW_ROW
#undef TINYONNX_DW_TAP

// Where a Conv pixel's window lies, worked out once per pixel for all quads:
// its top-left input pixel (may lie in the padding, before x) and, for a
// window touching the padding, the kernel rows and columns inside.
struct PixelWindow {
  int32_t origin;  // (ih0 * W + iw0) * C
  bool inside;
  int32_t row_first, row_last, col_first, col_last;
};

PixelWindow WindowOf(const ConvS8Params& p, int32_t row, int32_t col) {
  const WindowGeometry& g = p.window;
  const AxisWindow h = WindowAt(g, 1, row);
  const AxisWindow w = WindowAt(g, 2, col);
  PixelWindow pw;
  pw.origin = (h.start * g.input[2] + w.start) * p.in_channels;
  pw.inside = h.first == 0 && h.last == g.kernel[1] && w.first == 0 && w.last == g.kernel[2];
  pw.row_first = h.first, pw.row_last = h.last, pw.col_first = w.first, pw.col_last = w.last;
  return pw;
}

// The accumulators of quads [first_quad, end_quad) of the block (`lanes`
// channels each) for a window touching the padding, into acc[4 q ..] (kMax:
// their maximum with acc): the taps inside only, the offset added to each.
// x points at the block's first channel.
template <bool kMax, bool kFullQuad>
__attribute__((noinline)) void BorderQuads(const ConvS8Params& p, const Block& block,
                                           int32_t first_quad, int32_t end_quad, int32_t lanes,
                                           const int8_t* x, const PixelWindow& pw, int32_t* acc) {
  const uint32_t offset_pair = dsp::BothHalves(p.quant.input_offset);
  const int32_t columns = p.window.kernel[2];
  for (int32_t q = first_quad; q < end_quad; ++q) {
    const QuadWeights w = block.quad(q);
    const int8_t* origin = x + 4 * q;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (int32_t kh = pw.row_first; kh < pw.row_last; ++kh) {
      for (int32_t t = kh * columns + pw.col_first; t < kh * columns + pw.col_last; ++t) {
        const uint32_t v = LoadLanes<kFullQuad>(origin + (pw.origin + block.tap_offset[t]), lanes);
        const uint32_t even = __sadd16(EvenBytes(v), offset_pair);
        const uint32_t odd = __sadd16(OddBytes(v), offset_pair);
        a0 = __smlabb(even, w.taps[2 * t], a0);
        a2 = __smlatt(even, w.taps[2 * t], a2);
        a1 = __smlabb(odd, w.taps[2 * t + 1], a1);
        a3 = __smlatt(odd, w.taps[2 * t + 1], a3);
      }
    }
    Merge<kMax>(a0, a1, a2, a3, acc + 4 * q);
  }
}

// The accumulators of every channel of the block for the Conv pixel of
// window pw into acc (kMax: their maximum with acc); k3x3: 3x3 windows
// inside the input take the assembly.
template <bool kMax, bool k3x3>
void AccumulatePixel(const ConvS8Params& p, const Block& block, const dsp::ChannelBlock& channels,
                     const int8_t* x, const PixelWindow& pw, int32_t* acc) {
  const int32_t count = channels.count();  // in a register: the stores to acc might change it
  const int32_t whole = count / 4;
  const int32_t last_lanes = count - 4 * whole;  // of a partial last quad
  const int8_t* block_x = x + channels.first();
  if (!pw.inside) {
    BorderQuads<kMax, true>(p, block, 0, whole, 4, block_x, pw, acc);
    if (last_lanes > 0) {
      BorderQuads<kMax, false>(p, block, whole, whole + 1, last_lanes, block_x, pw, acc);
    }
    return;
  }
  int32_t q = 0;
  if (k3x3) {
    InsideQuads3x3<kMax>(block, whole, block_x + pw.origin, acc);
    q = whole;
  }
  for (; q * 4 < count; ++q) {
    const int8_t* origin = block_x + (pw.origin + 4 * q);
    const Acc4 a = q < whole ? AccumulateInside<true>(block, block.quad(q), origin, 4)
                             : AccumulateInside<false>(block, block.quad(q), origin, last_lanes);
    Merge<kMax>(a.lane[0], a.lane[1], a.lane[2], a.lane[3], acc + 4 * q);
  }
}

template <bool k3x3>
void RunBlock(const ConvS8Params& p, const Block& block, const dsp::ChannelBlock& channels,
              const int8_t* x, int8_t* y) {
  int32_t* acc = block.acc;
  for (int32_t n = 0; n < p.batch; ++n) {
    const int8_t* x_batch = x + n * p.window.InputSize() * p.in_channels;
    int8_t* y_batch = y + n * dsp::StoredOutputSize(p) * p.out_channels;
    dsp::ForEachPixelGroup(p, 1, [&](const dsp::PixelGroup& group) {
      // The group's pixels one after another, their maximum kept in acc.
      AccumulatePixel<false, k3x3>(p, block, channels, x_batch,
                                   WindowOf(p, group.row[0], group.col[0]), acc);
      for (int32_t i = 1; i < group.count; ++i) {
        AccumulatePixel<true, k3x3>(p, block, channels, x_batch,
                                    WindowOf(p, group.row[i], group.col[i]), acc);
      }
      channels.Store(acc, p.quant, y_batch + group.out * p.out_channels + channels.first());
    });
  }
}

}  // namespace

bool dsp::DepthwiseConvS8DspFits(const ConvS8Params& p) {
  return PoolFits(p.pool) && p.group == p.in_channels && p.out_channels == p.in_channels &&
         p.window.KernelSize() <= kMaxTaps;
}

size_t dsp::DepthwiseConvS8DspScratchBytes(const ConvS8Params& p) {
  return Block(p, nullptr).scratch_bytes;
}

void DepthwiseConvS8Dsp(const void* params, const void* const* inputs, void* const* outputs) {
  const ConvS8Params& p = *static_cast<const ConvS8Params*>(params);
  if (!dsp::DepthwiseConvS8DspFits(p)) return DepthwiseConvS8(params, inputs, outputs);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  int8_t* y = static_cast<int8_t*>(outputs[0]);
  Block block(p, p.scratch);
  for (int32_t first = 0; first < p.out_channels; first += dsp::kChannelBlock) {
    const dsp::ChannelBlock& channels =
        *new (block.channel_block) dsp::ChannelBlock(p.quant, first, p.out_channels);
    PrepareBlock(p, channels, &block);
    if (p.window.kernel[1] == 3 && p.window.kernel[2] == 3) {
      RunBlock<true>(p, block, channels, x, y);
    } else {
      RunBlock<false>(p, block, channels, x, y);
    }
  }
}

}  // namespace tinyonnx

#endif  // TINYONNX_HAS_DSP_KERNELS
