// Depthwise Conv, channel multiplier 1, int8, 2-D, DSP extension: the twin
// of reference/depthwise_conv_s8.cc for C_out = C_in = group.
//
// Four channels at a time: one word load per tap reads the four channels'
// inputs, SXTB16 splits them into the pairs (c0, c2) and (c1, c3), and
// SMLABB / SMLATT multiply each half with the matching weight (expanded once
// per call into the same pairs). For a window inside the input the input
// offset is not added per tap: the accumulators start at input_offset * sum
// of the channel's weights instead. Windows touching the padding add the
// offset per tap (SADD16) and skip the taps outside. 3x3 kernels run their
// taps, all the quads of a pixel, in assembly, with no taps to skip: a
// window touching the padding reads a copy of its taps (a patch) or of
// its input rows (the row walk of an unpooled Conv) with the padding the
// byte -input_offset, whose (x + input_offset) is 0.
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

// Byte steps between the taps of a 3x3 window: to the next column, from
// the first row to the second and from the second to the third.
struct TapSteps {
  int32_t column, row1, row2;
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

bool Is3x3(const ConvS8Params& p) { return p.window.kernel[1] == 3 && p.window.kernel[2] == 3; }

// Whether the padding can be written as an input byte: the byte
// -input_offset, whose (x + input_offset) is 0.
bool PaddingIsAByte(const ConvS8Params& p) {
  return p.quant.input_offset >= -127 && p.quant.input_offset <= 128;
}

// Input columns an output row of a 3x3 window (dilation 1) reads, from
// the first one, in the leading padding if there is one.
int32_t RowColumns(const ConvS8Params& p) {
  return (p.window.output[2] - 1) * p.window.stride[2] + 3;
}

// The largest scratch the three padded input rows of the row walk
// (RunRows) may take; wider rows take the pixel walk.
constexpr int32_t kMaxRowsBytes = 4096;

int32_t RowsBytes(const ConvS8Params& p) { return 3 * RowColumns(p) * 4 * BlockQuads(p); }

// Unpooled 3x3 windows of dilation 1 whose padding is a byte take the row
// walk (RunRows); the others the pixel walk.
bool TakesRows(const ConvS8Params& p) {
  const WindowGeometry& g = p.window;
  return !p.pool.Active() && Is3x3(p) && g.dilation[1] == 1 && g.dilation[2] == 1 &&
         PaddingIsAByte(p) && RowsBytes(p) <= kMaxRowsBytes;
}

// Words of the padded input rows of the row walk, or, for the pixel walk,
// of the patch of one window touching the padding (the same space: the
// pool, which picks the walk, may be fused after prepare).
int32_t RowsWords(const ConvS8Params& p) {
  if (!Is3x3(p)) return 0;
  return RowsBytes(p) <= kMaxRowsBytes ? RowsBytes(p) / 4 : 9 * BlockQuads(p);
}

// Per call, in the kernel's scratch: each tap's input offset (bytes) from
// the window's top-left input pixel, the weights of the block's quads, the
// block's requantizers and accumulators (a partial last quad fills its 4
// lanes too); for 3x3 kernels the tap steps in the input and the padded
// input rows of the row walk (RunRows) or the patch of a window touching
// the padding (FillPatch).
struct Block {
  Block(const ConvS8Params& p, void* scratch)
      : taps(p.window.KernelSize()), quad_words(4 + 2 * taps) {
    dsp::ScratchCarver carve(scratch);
    tap_offset = carve.Take<int32_t>(taps);
    words = carve.Take<uint32_t>(BlockQuads(p) * quad_words);
    channel_block = carve.Take<dsp::ChannelBlock>(1);
    acc = carve.Take<int32_t>(4 * BlockQuads(p));
    rows = carve.Take<uint32_t>(RowsWords(p));
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
  uint32_t* rows;
  size_t scratch_bytes;
  TapSteps input_steps = {0, 0, 0};
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
  if (Is3x3(p)) {
    block->input_steps = {block->tap_offset[1], block->tap_offset[3], block->tap_offset[3]};
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

// Stores a quad's accumulators at acc, or (kMax) the maximum of them and
// what acc holds.
template <bool kMax>
inline void Merge(int32_t a0, int32_t a1, int32_t a2, int32_t a3, int32_t* acc) {
  acc[0] = kMax ? dsp::Max(acc[0], a0) : a0;
  acc[1] = kMax ? dsp::Max(acc[1], a1) : a1;
  acc[2] = kMax ? dsp::Max(acc[2], a2) : a2;
  acc[3] = kMax ? dsp::Max(acc[3], a3) : a3;
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
#define TINYONNX_DW_NEXT_ROW(step) "ldr %[v], %[" step "]\n\tadd %[p], %[p], %[v]\n\t"
// One quad: its accumulators' start (the quad's first words), the nine
// taps, then p back to the first row at the next quad's bytes.
#define TINYONNX_DW_QUAD                                                                 \
  "1:\n\t"                                                                               \
  "ldrd %[a0], %[a1], [%[w]], #8\n\t"                                                    \
  "ldrd %[a2], %[a3], [%[w]], #8\n\t" TINYONNX_DW_ROW TINYONNX_DW_NEXT_ROW("row1")        \
      TINYONNX_DW_ROW TINYONNX_DW_NEXT_ROW("row2") TINYONNX_DW_ROW                       \
  "ldr %[v], %[back]\n\t"                                                                \
  "sub %[p], %[p], %[v]\n\t"
#define TINYONNX_DW_MAX(a, b) "cmp %[" a "], %[" b "]\n\tit lt\n\tmovlt %[" a "], %[" b "]\n\t"
// The accumulators' maximum with what acc holds (a fused max-pool).
#define TINYONNX_DW_MAX_WITH_ACC                                      \
  "ldrd %[v], %[even], [%[acc]]\n\t" TINYONNX_DW_MAX("a0", "v")       \
      TINYONNX_DW_MAX("a1", "even") "ldrd %[v], %[even], [%[acc], #8]\n\t" \
          TINYONNX_DW_MAX("a2", "v") TINYONNX_DW_MAX("a3", "even")
#define TINYONNX_DW_STORE_AND_LOOP               \
  "strd %[a0], %[a1], [%[acc]], #8\n\t"          \
  "strd %[a2], %[a3], [%[acc]], #8\n\t"          \
  "ldr %[v], %[end]\n\t"                         \
  "cmp %[acc], %[v]\n\t"                         \
  "bne 1b\n\t"
#define TINYONNX_DW_OPERANDS                                                                \
  : [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3), [p] "+r"(origin),       \
    [w] "+r"(w), [acc] "+r"(acc), [v] "=&r"(v), [even] "=&r"(even), [w_even] "=&r"(w_even), \
    [w_odd] "=&r"(w_odd)                                                                    \
  : [column] "r"(steps.column), [row1] "m"(steps.row1), [row2] "m"(steps.row2),           \
    [back] "m"(back), [end] "m"(end)                                                        \
  : "cc", "memory"

// The accumulators of the block's first `quads` full quads for a 3x3 window
// whose top-left byte (of the block's first channel) is `origin`, taps
// `steps` apart, into acc[4 q ..] (kMax: their maximum with acc), the
// window inside the input (or a patch of it). All in assembly, 8
// instructions a tap and quad: GCC 12 runs out of registers here and
// spills to the FPU registers; the row steps and the end are read from
// memory, the registers are all taken.
template <bool kMax>
__attribute__((noinline)) void InsideQuads3x3(const Block& block, int32_t quads,
                                              const int8_t* origin, TapSteps steps,
                                              int32_t* acc) {
  if (quads <= 0) return;
  const int32_t back = steps.row1 + steps.row2 - 4;  // to the next quad's first row
  const int32_t* const end = acc + 4 * quads;
  const uint32_t* w = block.words;
  int32_t a0, a1, a2, a3;
  uint32_t v, even, w_even, w_odd;
  if (kMax) {
    asm volatile(TINYONNX_DW_QUAD TINYONNX_DW_MAX_WITH_ACC TINYONNX_DW_STORE_AND_LOOP
                 TINYONNX_DW_OPERANDS);
  } else {
    asm volatile(TINYONNX_DW_QUAD TINYONNX_DW_STORE_AND_LOOP TINYONNX_DW_OPERANDS);
  }
}

#undef TINYONNX_DW_OPERANDS
#undef TINYONNX_DW_STORE_AND_LOOP
#undef TINYONNX_DW_MAX_WITH_ACC
#undef TINYONNX_DW_MAX
#undef TINYONNX_DW_QUAD
#undef TINYONNX_DW_NEXT_ROW
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

// n words `word` from out on; returns the end.
uint32_t* FillWords(uint32_t word, int32_t n, uint32_t* out) {
  uint32_t* const end = out + n;
  while (out != end) *out++ = word;
  return end;
}

// The bytes of `count` consecutive channels from `from` on as quads from
// out on (a partial last quad's missing lanes 0); returns the end.
uint32_t* CopyQuads(const int8_t* from, int32_t count, uint32_t* out) {
  const int32_t whole = count / 4;
  for (int32_t q = 1; q < whole; q += 2, from += 8, out += 2) {  // two words a pass
    out[0] = dsp::LoadWord(from);
    out[1] = dsp::LoadWord(from + 4);
  }
  if (whole % 2 != 0) {
    *out++ = dsp::LoadWord(from);
    from += 4;
  }
  if (count % 4 != 0) *out++ = LoadLanes<false>(from, count % 4);
  return out;
}

// The 9 taps of a 3x3 window touching the padding into a patch at the
// start of the block's rows, `quads` words a tap (a partial last quad's
// missing lanes 0), the taps in the padding as the byte -input_offset in
// every lane: the window's accumulators are then those of a window inside
// the input, the offset added to all taps by the accumulators' start.
// Returns the patch's steps.
TapSteps FillPatch(const ConvS8Params& p, const Block& block, int32_t count, const int8_t* x,
                   const PixelWindow& pw) {
  const int32_t quads = (count + 3) / 4;
  const uint32_t padding = dsp::AllBytes(-p.quant.input_offset);
  uint32_t* out = block.rows;
  for (int32_t kh = 0; kh < 3; ++kh) {
    const bool row_inside = kh >= pw.row_first && kh < pw.row_last;
    for (int32_t kw = 0; kw < 3; ++kw) {
      if (!row_inside || kw < pw.col_first || kw >= pw.col_last) {
        out = FillWords(padding, quads, out);
      } else {
        out = CopyQuads(x + (pw.origin + block.tap_offset[kh * 3 + kw]), count, out);
      }
    }
  }
  return {4 * quads, 12 * quads, 12 * quads};
}

// The accumulators of every channel of the block for the Conv pixel of
// window pw into acc (kMax: their maximum with acc); k3x3: 3x3 windows
// inside the input take the assembly, and so do windows touching the
// padding, through a patch.
template <bool kMax, bool k3x3>
void AccumulatePixel(const ConvS8Params& p, const Block& block, const dsp::ChannelBlock& channels,
                     const int8_t* x, const PixelWindow& pw, int32_t* acc) {
  const int32_t count = channels.count();  // in a register: the stores to acc might change it
  const int32_t whole = count / 4;
  const int32_t last_lanes = count - 4 * whole;  // of a partial last quad
  const int8_t* block_x = x + channels.first();
  if (!pw.inside && k3x3 && PaddingIsAByte(p)) {
    const TapSteps steps = FillPatch(p, block, count, block_x, pw);
    InsideQuads3x3<kMax>(block, steps.column / 4, reinterpret_cast<const int8_t*>(block.rows),
                         steps, acc);
    return;
  }
  if (!pw.inside) {
    BorderQuads<kMax, true>(p, block, 0, whole, 4, block_x, pw, acc);
    if (last_lanes > 0) {
      BorderQuads<kMax, false>(p, block, whole, whole + 1, last_lanes, block_x, pw, acc);
    }
    return;
  }
  int32_t q = 0;
  if (k3x3) {
    InsideQuads3x3<kMax>(block, whole, block_x + pw.origin, block.input_steps, acc);
    q = whole;
  }
  for (; q * 4 < count; ++q) {
    const int8_t* origin = block_x + (pw.origin + 4 * q);
    const Acc4 a = q < whole ? AccumulateInside<true>(block, block.quad(q), origin, 4)
                             : AccumulateInside<false>(block, block.quad(q), origin, last_lanes);
    Merge<kMax>(a.lane[0], a.lane[1], a.lane[2], a.lane[3], acc + 4 * q);
  }
}

// Input row ih of the block's channels (x points at the first), padded
// to the RowColumns(p) columns an output row reads, into slot: `quads`
// words a column, the padding (and a row outside the input) the byte
// -input_offset in every lane.
void FillRow(const ConvS8Params& p, int32_t count, const int8_t* x, int32_t ih, uint32_t* slot) {
  const WindowGeometry& g = p.window;
  const int32_t quads = (count + 3) / 4;
  const int32_t columns = RowColumns(p);
  const uint32_t padding = dsp::AllBytes(-p.quant.input_offset);
  if (ih < 0 || ih >= g.input[1]) {
    FillWords(padding, columns * quads, slot);
    return;
  }
  const int32_t leading = dsp::Min(g.pad_begin[2], columns);
  const int32_t inside = dsp::Min(g.input[2], columns - leading);
  uint32_t* out = FillWords(padding, leading * quads, slot);
  const int8_t* from = x + ih * g.input[2] * p.in_channels;
  if (count == p.in_channels && count % 4 == 0) {  // the row's bytes as they are
    std::memcpy(out, from, static_cast<size_t>(inside * count));
    out += inside * quads;
  } else {
    for (int32_t iw = 0; iw < inside; ++iw) out = CopyQuads(from + iw * p.in_channels, count, out);
  }
  FillWords(padding, (columns - leading - inside) * quads, out);
}

// The row walk of an unpooled Conv (TakesRows): per output row, the input
// rows it reads not yet in the three row slots of the scratch (a ring:
// input row ih in slot ih mod 3, counted from the first padding row) are
// padded into it; then every window of the row lies inside the slots and
// takes the assembly, all quads, with no per-pixel window.
void RunRows(const ConvS8Params& p, const Block& block, const dsp::ChannelBlock& channels,
             const int8_t* x, int8_t* y) {
  const WindowGeometry& g = p.window;
  const int32_t count = channels.count();
  const int32_t quads = (count + 3) / 4;
  const int32_t slot_words = RowColumns(p) * quads;
  const int32_t pad_top = g.pad_begin[1];
  const auto slot = [&](int32_t ih) { return block.rows + ((ih + pad_top) % 3) * slot_words; };
  const auto bytes_between = [](const uint32_t* from, const uint32_t* to) {
    return static_cast<int32_t>(reinterpret_cast<const int8_t*>(to) -
                                reinterpret_cast<const int8_t*>(from));
  };
  const int32_t pixel_step = 4 * quads * g.stride[2];
  for (int32_t n = 0; n < p.batch; ++n) {
    const int8_t* x_block = x + n * g.InputSize() * p.in_channels + channels.first();
    int8_t* y_pixel = y + n * g.OutputSize() * p.out_channels + channels.first();
    int32_t next_row = -pad_top;  // the first input row not in the slots
    for (int32_t oh = 0; oh < g.output[1]; ++oh) {
      const int32_t top = oh * g.stride[1] - pad_top;
      for (int32_t ih = dsp::Max(top, next_row); ih < top + 3; ++ih) {
        FillRow(p, count, x_block, ih, slot(ih));
      }
      next_row = top + 3;
      const TapSteps steps = {4 * quads, bytes_between(slot(top), slot(top + 1)),
                              bytes_between(slot(top + 1), slot(top + 2))};
      const int8_t* origin = reinterpret_cast<const int8_t*>(slot(top));
      for (int32_t ow = 0; ow < g.output[2]; ++ow, origin += pixel_step) {
        InsideQuads3x3<false>(block, quads, origin, steps, block.acc);
        channels.Store(block.acc, p.quant, y_pixel);
        y_pixel += p.out_channels;
      }
    }
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

bool dsp::DepthwiseConvRowsS8DspFits(const ConvS8Params& p) {
  return dsp::DepthwiseConvS8DspFits(p) && TakesRows(p);
}

namespace {

// Runs walk(block, channels, x, y) for each block of channels, its
// requantizers and weights prepared.
template <typename Walk>
void ForEachChannelBlock(const void* params, const void* const* inputs, void* const* outputs,
                         Walk&& walk) {
  const ConvS8Params& p = *static_cast<const ConvS8Params*>(params);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  int8_t* y = static_cast<int8_t*>(outputs[0]);
  Block block(p, p.scratch);
  for (int32_t first = 0; first < p.out_channels; first += dsp::kChannelBlock) {
    const dsp::ChannelBlock& channels =
        *new (block.channel_block) dsp::ChannelBlock(p.quant, first, p.out_channels);
    PrepareBlock(p, channels, &block);
    walk(p, block, channels, x, y);
  }
}

}  // namespace

void DepthwiseConvS8DspFitted(const void* params, const void* const* inputs,
                              void* const* outputs) {
  ForEachChannelBlock(params, inputs, outputs,
                      [](const ConvS8Params& p, const Block& block,
                         const dsp::ChannelBlock& channels, const int8_t* x, int8_t* y) {
                        if (TakesRows(p)) {
                          RunRows(p, block, channels, x, y);
                        } else if (Is3x3(p)) {
                          RunBlock<true>(p, block, channels, x, y);
                        } else {
                          RunBlock<false>(p, block, channels, x, y);
                        }
                      });
}

void DepthwiseConvRowsS8Dsp(const void* params, const void* const* inputs, void* const* outputs) {
  ForEachChannelBlock(params, inputs, outputs, RunRows);
}

void DepthwiseConvS8Dsp(const void* params, const void* const* inputs, void* const* outputs) {
  if (!dsp::DepthwiseConvS8DspFits(*static_cast<const ConvS8Params*>(params))) {
    return DepthwiseConvS8(params, inputs, outputs);
  }
  DepthwiseConvS8DspFitted(params, inputs, outputs);
}

}  // namespace tinyonnx

#endif  // TINYONNX_HAS_DSP_KERNELS
