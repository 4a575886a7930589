// Conv with one input channel, int8, 2-D, DSP extension: the twin of
// reference/depthwise_conv_s8.cc for C_in = 1 (group 1, weights
// [kH, kW, C_out], every output channel reads the same input plane) — the
// first layer of an image model, kernels up to 3 rows of 4 taps.
//
// Per Conv pixel each kernel row is one word load of 4 input bytes, split by
// SXTB16 into the int16 pairs (x0, x2) and (x1, x3) with the input offset
// added by SADD16 (padding taps built as zeros); a fourth column beyond the
// kernel meets a zero weight. Each output channel's weights are laid out
// once per call in the same pairs (dsp::kChannelBlock channels at a time, in
// the scratch), so an output is six SMLAD, its requantization and a store. A
// fused max-pool keeps the maximum over the window's pixels and
// requantizes it once.
#include "tinyonnx/kernels/arm/dsp_support.h"

#if TINYONNX_HAS_DSP_KERNELS

namespace tinyonnx {
namespace {

constexpr int32_t kMaxRows = 3;
constexpr int32_t kMaxColumns = 4;  // one word per kernel row
constexpr int32_t kPairs = 2 * kMaxRows;

// A Conv pixel's taps or a channel's weights: per kernel row the pairs of
// columns (0, 2) and (1, 3); rows beyond the kernel are zero.
struct RowPairs {
  uint32_t pair[kPairs];
};

// The kernel's arrays in its scratch: the requantizers and weights of the
// channel block being computed, the taps of a pixel group's pixels (as many
// as a fused pool may put in one) and the block's accumulators.
struct Workspace {
  Workspace(const ConvS8Params& p, void* scratch) {
    const int32_t channels = dsp::FirstBlockCount(p.out_channels);
    dsp::ScratchCarver carve(scratch);
    block = carve.Take<dsp::ChannelBlock>(1);
    weights = carve.Take<RowPairs>(channels);
    pixels = carve.Take<RowPairs>(dsp::kMaxGroupPixels);
    acc = carve.Take<int32_t>(channels);
    bytes = carve.used();
  }

  dsp::ChannelBlock* block;
  RowPairs* weights;
  RowPairs* pixels;
  int32_t* acc;
  size_t bytes;
};

// Two int16 values as a pair (first in the low half).
inline uint32_t Pack(int32_t low, int32_t high) {
  return (static_cast<uint32_t>(low) & 0xFFFFu) | (static_cast<uint32_t>(high) << 16);
}

// The taps of Conv pixel (row, col) of one batch image x, plus input offset,
// for the kernel's rows (the pairs of rows beyond stay zero).
void GatherTaps(const ConvS8Params& p, const int8_t* x, int32_t row, int32_t col, RowPairs* out) {
  const WindowGeometry& g = p.window;
  const int32_t offset = p.quant.input_offset;
  const uint32_t offset_pair = dsp::BothHalves(offset);
  const int32_t ih0 = row * g.stride[1] - g.pad_begin[1];
  const int32_t iw0 = col * g.stride[2] - g.pad_begin[2];
  const int32_t row_step = g.dilation[1] * g.input[2];
  const bool columns_inside = iw0 >= 0 && iw0 + kMaxColumns <= g.input[2];
  if (columns_inside && ih0 >= 0 && ih0 + (g.kernel[1] - 1) * g.dilation[1] < g.input[1]) {
    const int8_t* in = x + ih0 * g.input[2] + iw0;
    for (int32_t r = 0; r < g.kernel[1]; ++r, in += row_step) {
      const uint32_t word = dsp::LoadWord(in);
      out->pair[2 * r] = __sadd16(dsp::EvenBytes(word), offset_pair);
      out->pair[2 * r + 1] = __sadd16(dsp::OddBytes(word), offset_pair);
    }
    return;
  }
  for (int32_t r = 0; r < g.kernel[1]; ++r) {
    const int32_t ih = ih0 + r * g.dilation[1];
    const bool row_inside = ih >= 0 && ih < g.input[1];
    int32_t v[kMaxColumns];
    for (int32_t c = 0; c < kMaxColumns; ++c) {
      const int32_t iw = iw0 + c;
      const bool inside = row_inside && c < g.kernel[2] && iw >= 0 && iw < g.input[2];
      v[c] = inside ? x[ih * g.input[2] + iw] + offset : 0;
    }
    out->pair[2 * r] = Pack(v[0], v[2]);
    out->pair[2 * r + 1] = Pack(v[1], v[3]);
  }
}

// Output channel c's weights (layout [kH, kW, C_out]) in the taps' pairs.
void GatherWeights(const ConvS8Params& p, int32_t c, RowPairs* out) {
  const WindowGeometry& g = p.window;
  for (int32_t r = 0; r < kMaxRows; ++r) {
    int32_t w[kMaxColumns];
    for (int32_t k = 0; k < kMaxColumns; ++k) {
      const bool tap = r < g.kernel[1] && k < g.kernel[2];
      w[k] = tap ? p.weights[(r * g.kernel[2] + k) * p.out_channels + c] : 0;
    }
    out->pair[2 * r] = Pack(w[0], w[2]);
    out->pair[2 * r + 1] = Pack(w[1], w[3]);
  }
}

// acc[c] = the dot of one pixel with channel c's weights (kMax: the
// maximum of acc[c] and that).
template <bool kMax>
void Accumulate(const RowPairs& pixel, const RowPairs* weights, int32_t count, int32_t* acc) {
  const RowPairs x = pixel;
  for (int32_t c = 0; c < count; ++c) {
    int32_t dot = 0;
#pragma GCC unroll 6
    for (int32_t j = 0; j < kPairs; ++j) dot = __smlad(x.pair[j], weights[c].pair[j], dot);
    acc[c] = kMax ? dsp::Max(acc[c], dot) : dot;
  }
}

// Outputs of one channel block for one pixel group.
void ComputeGroup(const ConvS8Params& p, const dsp::PixelGroup& group,
                  const dsp::ChannelBlock& block, const Workspace& w, int8_t* out) {
  const RowPairs* pixels = w.pixels;
  const RowPairs* weights = w.weights;
  int32_t* acc = w.acc;
  // Held in registers: the stores to acc might, as far as the compiler
  // knows, change group and block.
  const int32_t pixel_count = group.count;
  const int32_t channel_count = block.count();
  out += block.first();
  if (!p.pool.Active()) {
    for (int32_t i = 0; i < pixel_count; ++i, out += p.out_channels) {
      Accumulate<false>(pixels[i], weights, channel_count, acc);
      block.Store(acc, p.quant, out);
    }
    return;
  }
  Accumulate<false>(pixels[0], weights, channel_count, acc);
  for (int32_t i = 1; i < pixel_count; ++i) {
    Accumulate<true>(pixels[i], weights, channel_count, acc);
  }
  block.Store(acc, p.quant, out);
}

}  // namespace

size_t dsp::SingleChannelConvS8DspScratchBytes(const ConvS8Params& p) {
  return Workspace(p, nullptr).bytes;
}

bool dsp::SingleChannelConvS8DspFits(const ConvS8Params& p) {
  const WindowGeometry& g = p.window;
  return PoolFits(p.pool) && p.in_channels == 1 && p.group == 1 && g.kernel[1] <= kMaxRows &&
         g.kernel[2] <= kMaxColumns && g.dilation[2] == 1;
}

void SingleChannelConvS8DspFitted(const void* params, const void* const* inputs,
                                   void* const* outputs) {
  const ConvS8Params& p = *static_cast<const ConvS8Params*>(params);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  int8_t* y = static_cast<int8_t*>(outputs[0]);
  const Workspace w(p, p.scratch);
  // GatherTaps leaves the pairs of rows beyond the kernel as they are: zero.
  std::memset(w.pixels, 0, sizeof(RowPairs) * dsp::kMaxGroupPixels);
  for (int32_t first = 0; first < p.out_channels; first += dsp::kChannelBlock) {
    const dsp::ChannelBlock& block =
        *new (w.block) dsp::ChannelBlock(p.quant, first, p.out_channels);
    for (int32_t c = 0; c < block.count(); ++c) GatherWeights(p, first + c, &w.weights[c]);
    for (int32_t n = 0; n < p.batch; ++n) {
      const int8_t* x_batch = x + n * p.window.InputSize();
      int8_t* y_batch = y + n * dsp::StoredOutputSize(p) * p.out_channels;
      dsp::ForEachPixelGroup(p, 1, [&](const dsp::PixelGroup& group) {
        for (int32_t i = 0; i < group.count; ++i) {
          GatherTaps(p, x_batch, group.row[i], group.col[i], &w.pixels[i]);
        }
        ComputeGroup(p, group, block, w, y_batch + group.out * p.out_channels);
      });
    }
  }
}

void SingleChannelConvS8Dsp(const void* params, const void* const* inputs, void* const* outputs) {
  if (!dsp::SingleChannelConvS8DspFits(*static_cast<const ConvS8Params*>(params))) {
    return DepthwiseConvS8(params, inputs, outputs);
  }
  SingleChannelConvS8DspFitted(params, inputs, outputs);
}

}  // namespace tinyonnx

#endif  // TINYONNX_HAS_DSP_KERNELS
