// Conv, int8, group 1, 2-D, DSP extension: the twin of reference/conv_s8.cc.
//
// Each Conv output pixel's receptive field is copied into an int16 column
// (im2col, a chunk of kernel rows at a time) with the input offset added and
// padding taps as zeros, in the SXTB16 pair order of the weights
// (dsp_support.h), two pixels' columns interleaved. The product then runs
// over 2 pixels x 2 output channels: per 4 filter elements one word of each
// weight row, two SXTB16 each, and 8 SMLAD against the two columns, 16 MACs
// in 18 instructions with the loop.
//
// With a fused max-pool the pixels are those of one pool window and the
// maximum of their accumulators is requantized once (the bias add and the
// requantization are monotone, so this is the pooled unfused Conv).
#include "tinyonnx/kernels/arm/dsp_support.h"

#if TINYONNX_HAS_DSP_KERNELS

namespace tinyonnx {
namespace {

// At most this many int16 elements in one column pair (1 KiB of the
// scratch). The filter runs through it in chunks of whole kernel rows
// (RowChunk), so a kernel row of up to 256 elements (kW x C_in) fits.
constexpr int32_t kColumnCapacity = 512;

int32_t FilterSize(const ConvS8Params& p) {
  return p.window.kernel[1] * p.window.kernel[2] * p.in_channels;
}

// The columns of two pixels are interleaved by groups of four elements:
// group g of pixel s (0 or 1) at pair + 8 * g + 4 * s, so that one pointer
// reads both (two LDRD). A pair takes its element count rounded up to a
// group, twice.
int32_t PairStride(int32_t size) { return 2 * ((size + 3) & ~3); }

// Kernel rows per chunk: as many as the column pair holds.
int32_t RowChunk(const ConvS8Params& p) {
  return kColumnCapacity / PairStride(p.window.kernel[2] * p.in_channels);
}

// The kernel's arrays in its scratch: the requantizers of the channel block
// being computed, the column pair (sized for the largest chunk), and the
// accumulators of a pixel pair (a, b) and of a pool window (best).
struct Workspace {
  Workspace(const ConvS8Params& p, void* scratch) {
    const int32_t rows = dsp::Min(RowChunk(p), p.window.kernel[1]);
    const int32_t channels = dsp::FirstBlockCount(p.out_channels);
    dsp::ScratchCarver carve(scratch);
    block = carve.Take<dsp::ChannelBlock>(1);
    pair = carve.Take<int16_t>(PairStride(rows * p.window.kernel[2] * p.in_channels));
    a = carve.Take<int32_t>(channels);
    b = carve.Take<int32_t>(channels);
    best = carve.Take<int32_t>(channels);
    bytes = carve.used();
  }

  dsp::ChannelBlock* block;
  int16_t* pair;
  int32_t *a, *b, *best;
  size_t bytes;
};

// Position of chunk element f (of `size`) of pixel `slot` within its pair:
// SXTB16 order inside complete groups (elements 1 and 2 swap), in order in
// the last, partial one.
inline int32_t ColumnIndex(int32_t f, int32_t size, int32_t slot) {
  const int32_t lane = f & 3;
  const bool swap = f < (size & ~3) && (lane == 1 || lane == 2);
  return (f & ~3) * 2 + 4 * slot + (swap ? lane ^ 3 : lane);
}

// Writes kernel rows [kh_first, kh_end) of the column of Conv output pixel
// (row, col) of one batch image x into slot `slot` of `pair`, the chunk's
// element 0 first.
void FillColumn(const ConvS8Params& p, const int8_t* x, int32_t row, int32_t col, int32_t kh_first,
                int32_t kh_end, int16_t* pair, int32_t slot) {
  const WindowGeometry& g = p.window;
  const int32_t c_in = p.in_channels;
  const int32_t row_size = g.kernel[2] * c_in;
  const int32_t size = (kh_end - kh_first) * row_size;
  const int32_t offset = p.quant.input_offset;
  const bool whole_groups = (c_in & 3) == 0;  // every tap starts a group of four
  const int32_t ih0 = row * g.stride[1] - g.pad_begin[1];
  const int32_t iw0 = col * g.stride[2] - g.pad_begin[2];
  int16_t* column = pair + 4 * slot;
  // A kernel row inside the input is one run of kW * C_in bytes.
  const bool row_runs =
      whole_groups && g.dilation[2] == 1 && iw0 >= 0 && iw0 + g.kernel[2] <= g.input[2];
  for (int32_t kh = kh_first; kh < kh_end; ++kh) {
    const int32_t ih = ih0 + kh * g.dilation[1];
    const bool row_inside = ih >= 0 && ih < g.input[1];
    const int32_t row_start = (kh - kh_first) * row_size;
    if (row_runs && row_inside) {
      dsp::ExpandWithOffset(x + (ih * g.input[2] + iw0) * c_in, row_size, offset,
                            column + 2 * row_start, 8);
      continue;
    }
    for (int32_t kw = 0; kw < g.kernel[2]; ++kw) {
      const int32_t iw = iw0 + kw * g.dilation[2];
      const int32_t f = row_start + kw * c_in;
      const bool inside = row_inside && iw >= 0 && iw < g.input[2];
      if (whole_groups && inside) {  // the tap's elements keep their own groups of four
        dsp::ExpandWithOffset(x + (ih * g.input[2] + iw) * c_in, c_in, offset, column + 2 * f, 8);
        continue;
      }
      for (int32_t i = 0; i < c_in; ++i) {
        const int32_t value = inside ? x[(ih * g.input[2] + iw) * c_in + i] + offset : 0;
        pair[ColumnIndex(f + i, size, slot)] = static_cast<int16_t>(value);
      }
    }
  }
}

// One group of four filter elements against both pixels of a pair and one
// weight row (one LDR, two SXTB16, four SMLAD).
#define TINYONNX_CONV_ROW(w, acc_a, acc_b)        \
  "ldr %[u], [%[" w                               \
  "]], #4\n\t"                                    \
  "sxtb16 %[t], %[u]\n\t"                         \
  "sxtb16 %[u], %[u], ror #8\n\t"                 \
  "smlad %[" acc_a "], %[a_even], %[t], %[" acc_a \
  "]\n\t"                                         \
  "smlad %[" acc_a "], %[a_odd], %[u], %[" acc_a  \
  "]\n\t"                                         \
  "smlad %[" acc_b "], %[b_even], %[t], %[" acc_b \
  "]\n\t"                                         \
  "smlad %[" acc_b "], %[b_odd], %[u], %[" acc_b "]\n\t"

// Accumulators of the two pixels (a, b) of one column pair and two output
// channels (weight rows w0, w1). Complete groups of four run in assembly
// (GCC 12 spills in this loop): two LDRD for the pair, then per weight row
// one LDR, two SXTB16 and four SMLAD, 16 MACs in 18 instructions with the
// loop. Out of line: the loop needs all 14 registers.
struct Dot2x2 {
  int32_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;

  __attribute__((noinline)) void Run(const int16_t* pair, const int8_t* w0, const int8_t* w1,
                                     int32_t size) {
    int32_t groups = size >> 2;
    int32_t r_a0 = 0, r_a1 = 0, r_b0 = 0, r_b1 = 0;
    if (groups > 0) {
      uint32_t a_even, a_odd, b_even, b_odd, u, t;
      asm volatile(
          "1:\n\t"
          "ldrd %[a_even], %[a_odd], [%[pair]], #8\n\t"
          "ldrd %[b_even], %[b_odd], [%[pair]], #8\n\t" TINYONNX_CONV_ROW(
              "w0", "a0", "b0") TINYONNX_CONV_ROW("w1", "a1", "b1")
          "subs %[groups], %[groups], #1\n\t"
          "bne 1b"
          : [a0] "+r"(r_a0), [a1] "+r"(r_a1), [b0] "+r"(r_b0), [b1] "+r"(r_b1),
            [pair] "+r"(pair), [w0] "+r"(w0), [w1] "+r"(w1), [groups] "+r"(groups),
            [a_even] "=&r"(a_even), [a_odd] "=&r"(a_odd), [b_even] "=&r"(b_even),
            [b_odd] "=&r"(b_odd), [u] "=&r"(u), [t] "=&r"(t)
          :
          : "cc", "memory");
    }
    for (int32_t k = 0; k < (size & 3); ++k) {  // the partial group, in order
      r_a0 += pair[k] * w0[k];
      r_a1 += pair[k] * w1[k];
      r_b0 += pair[4 + k] * w0[k];
      r_b1 += pair[4 + k] * w1[k];
    }
    a0 = r_a0, a1 = r_a1, b0 = r_b0, b1 = r_b1;
  }
};

#undef TINYONNX_CONV_ROW

// The accumulators of one pixel pair (pixels i and j of the group, j = i
// for an odd last one) for the block's channels into a and b: the filter in
// chunks of kernel rows, each filled into `pair` and run against the
// matching part of every weight row.
void AccumulatePair(const ConvS8Params& p, const int8_t* x, const dsp::PixelGroup& group, int32_t i,
                    int32_t j, const dsp::ChannelBlock& block, int16_t* pair, int32_t* a,
                    int32_t* b) {
  const int32_t size = FilterSize(p);
  const int32_t row_size = p.window.kernel[2] * p.in_channels;
  const int32_t rows = RowChunk(p);
  const int8_t* weights = p.weights + block.first() * size;
  for (int32_t kh = 0; kh < p.window.kernel[1]; kh += rows) {
    const int32_t kh_end = kh + rows < p.window.kernel[1] ? kh + rows : p.window.kernel[1];
    FillColumn(p, x, group.row[i], group.col[i], kh, kh_end, pair, 0);
    FillColumn(p, x, group.row[j], group.col[j], kh, kh_end, pair, 1);
    const int8_t* chunk_weights = weights + kh * row_size;
    for (int32_t c = 0; c < block.count(); c += 2) {
      // An odd last channel runs as both rows of the pair.
      const int32_t c1 = c + 1 < block.count() ? c + 1 : c;
      Dot2x2 s;
      s.Run(pair, chunk_weights + c * size, chunk_weights + c1 * size, (kh_end - kh) * row_size);
      const bool first = kh == 0;
      a[c] = (first ? 0 : a[c]) + s.a0, b[c] = (first ? 0 : b[c]) + s.b0;
      if (c1 != c) a[c1] = (first ? 0 : a[c1]) + s.a1, b[c1] = (first ? 0 : b[c1]) + s.b1;
    }
  }
}

// One pixel group's outputs for one channel block: its pixels two at a time,
// each pixel its own output, or (pooled) their maximum as one.
void ComputeGroup(const ConvS8Params& p, const int8_t* x, const dsp::PixelGroup& group,
                  const dsp::ChannelBlock& block, const Workspace& w, int8_t* out) {
  const bool pooled = p.pool.Active();
  int32_t* a = w.a;
  int32_t* b = w.b;
  int32_t* best = w.best;
  const int32_t count = block.count();  // in a register: the stores to best might change block
  out += block.first();
  for (int32_t i = 0; i < group.count; i += 2) {
    const int32_t j = i + 1 < group.count ? i + 1 : i;
    AccumulatePair(p, x, group, i, j, block, w.pair, a, b);
    if (pooled) {
      for (int32_t c = 0; c < count; ++c) {
        const int32_t pair_best = dsp::Max(a[c], b[c]);
        best[c] = i == 0 ? pair_best : dsp::Max(best[c], pair_best);
      }
      continue;
    }
    block.Store(a, p.quant, out + i * p.out_channels);
    if (j != i) block.Store(b, p.quant, out + j * p.out_channels);
  }
  if (pooled) block.Store(best, p.quant, out);
}

}  // namespace

bool dsp::ConvS8DspFits(const ConvS8Params& p) {
  return p.group == 1 && PoolFits(p.pool) && RowChunk(p) >= 1;
}

size_t dsp::ConvS8DspScratchBytes(const ConvS8Params& p) { return Workspace(p, nullptr).bytes; }

void ConvS8DspFitted(const void* params, const void* const* inputs, void* const* outputs) {
  const ConvS8Params& p = *static_cast<const ConvS8Params*>(params);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  int8_t* y = static_cast<int8_t*>(outputs[0]);
  const Workspace w(p, p.scratch);
  // Blocks of output channels outermost: each block's requantizers are
  // prepared once (the columns are filled again per block).
  for (int32_t first = 0; first < p.out_channels; first += dsp::kChannelBlock) {
    const dsp::ChannelBlock& block =
        *new (w.block) dsp::ChannelBlock(p.quant, first, p.out_channels);
    for (int32_t n = 0; n < p.batch; ++n) {
      const int8_t* x_batch = x + n * p.window.InputSize() * p.in_channels;
      int8_t* y_batch = y + n * dsp::StoredOutputSize(p) * p.out_channels;
      dsp::ForEachPixelGroup(p, 2, [&](const dsp::PixelGroup& group) {
        ComputeGroup(p, x_batch, group, block, w, y_batch + group.out * p.out_channels);
      });
    }
  }
}

void ConvS8Dsp(const void* params, const void* const* inputs, void* const* outputs) {
  if (!dsp::ConvS8DspFits(*static_cast<const ConvS8Params*>(params))) {
    return ConvS8(params, inputs, outputs);
  }
  ConvS8DspFitted(params, inputs, outputs);
}

}  // namespace tinyonnx

#endif  // TINYONNX_HAS_DSP_KERNELS
