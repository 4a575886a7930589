// Float convolution, NCHW activations and OIHW weights read in place (at any
// byte alignment).
//
// Direct path: output planes are computed a few channels at a time. They
// start at zero and every (input channel, kernel tap) adds weight * input to
// the part of the planes whose window reads that tap inside the input. That
// part is computed once per tap from the padding (no per-element bounds
// checks), and each of its rows is one contiguous multiply-add loop that the
// compiler vectorizes. Four output channels per pass, and the three taps of
// a 3-wide kernel row when no column reads the padding, share the input
// loads, the output loads and stores, and the loop overhead, which dominates
// on the short rows of small models.
//
// Pointwise layers (1x1, no stride or padding) are matrix products instead,
// which keep partial sums in registers.
//
// The bias and fused BatchNorm/activation are applied to the finished
// output. No scratch memory: on a microcontroller the arena is the scarce
// resource.
#include "tinyonnx/kernels/conv.h"
#include "tinyonnx/kernels/gemm.h"
#include "tinyonnx/kernels/reference/epilogue.h"
#include "tinyonnx/kernels/reference/unaligned.h"

namespace tinyonnx {
namespace {

// Output channels computed together; more than four makes the compiler give
// up vectorizing (too many output streams to check for overlap).
constexpr int kChannelBlock = 4;

// A range of output positions along one axis.
struct Span {
  int32_t first;
  int32_t last;
};

// Consecutive taps [kw, kw + kTaps) of one kernel row (kd, kh) of one input
// channel, with their weights for each output channel of the block.
template <int kChannels, int kTaps>
struct Taps {
  int32_t kd, kh, kw;
  float weight[kTaps][kChannels];
};

// out[c * out_stride + i] += sum over taps t of weight[t][c] *
// in[i * stride + t * dilation], for every channel c of the block and
// i < count. Several taps per pass load and store each output once for all
// of them. The input never overlaps the output (Conv gets its own buffer);
// saying so spares the loop a run-time overlap check.
template <int kChannels, int kTaps, bool kUnitStride>
inline void MultiplyAdd(float* out, int32_t out_stride, const Taps<kChannels, kTaps>& taps,
                        const float* __restrict in, int32_t count, int32_t stride,
                        int32_t dilation) {
  // A local copy: the stores to `out` cannot change it, so the weights stay
  // in registers.
  float weight[kTaps][kChannels];
  for (int t = 0; t < kTaps; ++t) {
    for (int c = 0; c < kChannels; ++c) weight[t][c] = taps.weight[t][c];
  }
  for (int32_t i = 0; i < count; ++i) {
    const float* column = kUnitStride ? in + i : in + i * stride;
    float v[kTaps];
    for (int t = 0; t < kTaps; ++t) v[t] = column[t * dilation];
    for (int c = 0; c < kChannels; ++c) {
      float sum = out[c * out_stride + i];
      for (int t = 0; t < kTaps; ++t) sum += weight[t][c] * v[t];
      out[c * out_stride + i] = sum;
    }
  }
}

// planes += weights * (input shifted by the taps), over the output columns
// in `columns` (all of which read every one of the taps inside the input)
// and the rows whose windows read the kernel row inside the input.
template <int kChannels, int kTaps, bool kUnitStride>
void AccumulateTaps(const WindowGeometry& g, const float* input,
                    const Taps<kChannels, kTaps>& taps, Span columns, float* planes,
                    int32_t plane_size) {
  const int32_t count = columns.last - columns.first;
  if (count <= 0) return;
  const TapOutputs depth = OutputsOfTap(g, 0, taps.kd);
  const TapOutputs rows = OutputsOfTap(g, 1, taps.kh);
  const int32_t column_origin = taps.kw * g.dilation[2] - g.pad_begin[2];
  const int32_t row_stride = g.stride[1] * g.input[2];
  // Whole rows with equal input and output row lengths (1x1 kernels without
  // padding): the rows form one contiguous run.
  const bool contiguous = kUnitStride && count == g.output[2] && row_stride == g.output[2];
  for (int32_t od = depth.first; od < depth.last; ++od) {
    const int32_t id = depth.origin + od * g.stride[0];
    const int32_t ih = rows.origin + rows.first * g.stride[1];
    const int32_t iw = column_origin + columns.first * g.stride[2];
    const float* in = input + (id * g.input[1] + ih) * g.input[2] + iw;
    float* out = planes + (od * g.output[1] + rows.first) * g.output[2] + columns.first;
    if (contiguous) {
      const int32_t run = (rows.last - rows.first) * count;
      MultiplyAdd<kChannels, kTaps, true>(out, plane_size, taps, in, run, 1, g.dilation[2]);
      continue;
    }
    for (int32_t oh = rows.first; oh < rows.last; ++oh) {
      MultiplyAdd<kChannels, kTaps, kUnitStride>(out, plane_size, taps, in, count, g.stride[2],
                                                 g.dilation[2]);
      in += row_stride;
      out += g.output[2];
    }
  }
}

template <int kChannels, int kTaps>
void AccumulateTapsAnyStride(const WindowGeometry& g, const float* input,
                             const Taps<kChannels, kTaps>& taps, Span columns, float* planes,
                             int32_t plane_size) {
  if (g.stride[2] == 1) {
    AccumulateTaps<kChannels, kTaps, true>(g, input, taps, columns, planes, plane_size);
  } else {
    AccumulateTaps<kChannels, kTaps, false>(g, input, taps, columns, planes, plane_size);
  }
}

Span ColumnsOfTap(const WindowGeometry& g, int32_t kw) {
  const TapOutputs t = OutputsOfTap(g, 2, kw);
  return {t.first, t.last};
}

// Adds kernel row (kd, kh) of one input channel. `weights` is W[oc, ic, kd,
// kh, 0] of the block's first output channel; the next channels follow
// weight_stride apart. A 3-wide row (the common kernel) whose taps all read
// inside the input for every output column (no horizontal padding) takes
// one pass; otherwise each tap takes its own pass over its columns (fusing
// there would leave scalar work at the borders that costs more than it
// saves on short rows).
template <int kChannels>
void AccumulateKernelRow(const WindowGeometry& g, const float* input, int32_t kd, int32_t kh,
                         UnalignedFloats weights, int32_t weight_stride, float* planes,
                         int32_t plane_size) {
  if (g.kernel[2] == 3) {
    // Later taps' outputs start and end no later than earlier taps'.
    const Span inner = {ColumnsOfTap(g, 0).first, ColumnsOfTap(g, 2).last};
    if (inner.first == 0 && inner.last == g.output[2]) {
      Taps<kChannels, 3> row{kd, kh, 0, {}};
      for (int t = 0; t < 3; ++t) {
        for (int c = 0; c < kChannels; ++c) row.weight[t][c] = weights[c * weight_stride + t];
      }
      AccumulateTapsAnyStride(g, input, row, inner, planes, plane_size);
      return;
    }
  }
  for (int32_t kw = 0; kw < g.kernel[2]; ++kw) {
    Taps<kChannels, 1> tap{kd, kh, kw, {}};
    for (int c = 0; c < kChannels; ++c) tap.weight[0][c] = weights[c * weight_stride + kw];
    AccumulateTapsAnyStride(g, input, tap, ColumnsOfTap(g, kw), planes, plane_size);
  }
}

// The raw sums of kChannels consecutive output planes of one group.
// `input` is the group's first input channel, `weights` W[oc].
template <int kChannels>
void ComputePlanes(const ConvParams& p, const float* input, UnalignedFloats weights,
                   float* planes) {
  const WindowGeometry& g = p.window;
  const int32_t in_plane = g.InputSize();
  const int32_t out_plane = g.OutputSize();
  const int32_t kernel_size = g.KernelSize();
  const int32_t channels = p.in_channels / p.group;
  const int32_t filter_size = channels * kernel_size;
  for (int32_t i = 0; i < kChannels * out_plane; ++i) planes[i] = 0.0f;
  for (int32_t ic = 0; ic < channels; ++ic) {
    for (int32_t kd = 0; kd < g.kernel[0]; ++kd) {
      for (int32_t kh = 0; kh < g.kernel[1]; ++kh) {
        const int32_t row = ic * kernel_size + (kd * g.kernel[1] + kh) * g.kernel[2];
        AccumulateKernelRow<kChannels>(g, input + ic * in_plane, kd, kh, weights + row,
                                       filter_size, planes, out_plane);
      }
    }
  }
}

// The raw sums of all output planes, computed directly.
void ConvolveDirect(const ConvParams& p, const float* x, UnalignedFloats w, float* y) {
  const WindowGeometry& g = p.window;
  const int32_t in_plane = g.InputSize();
  const int32_t out_plane = g.OutputSize();
  const int32_t group_in_channels = p.in_channels / p.group;
  const int32_t group_out_channels = p.out_channels / p.group;
  const int32_t filter_size = group_in_channels * g.KernelSize();
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oc = 0; oc < p.out_channels;) {
      // A block never crosses a group: its channels read the same inputs.
      const int32_t group = oc / group_out_channels;
      const int32_t left_in_group = (group + 1) * group_out_channels - oc;
      const int32_t block = left_in_group >= kChannelBlock ? kChannelBlock : 1;
      const float* input = x + (n * p.in_channels + group * group_in_channels) * in_plane;
      float* planes = y + (n * p.out_channels + oc) * out_plane;
      if (block == kChannelBlock) {
        ComputePlanes<kChannelBlock>(p, input, w + oc * filter_size, planes);
      } else {
        ComputePlanes<1>(p, input, w + oc * filter_size, planes);
      }
      oc += block;
    }
  }
}

// The raw sums of a pointwise convolution: per batch and group,
// Y[oc, :] = W[oc, ic] * X[ic, :] over the flattened spatial axes.
void ConvolvePointwise(const ConvParams& p, const float* x, const void* w, float* y) {
  const int32_t plane = p.window.InputSize();
  MatrixProduct product;
  product.m = p.out_channels / p.group;
  product.k = p.in_channels / p.group;
  product.n = plane;
  product.a_row_stride = product.k;
  const char* weights = static_cast<const char*>(w);
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t group = 0; group < p.group; ++group) {
      const float* input = x + (n * p.in_channels + group * product.k) * plane;
      float* output = y + (n * p.out_channels + group * product.m) * plane;
      const size_t filters = static_cast<size_t>(group) * product.m * product.k;
      MatrixProductFloat(product, weights + filters * sizeof(float), input, output);
    }
  }
}

}  // namespace

void ConvFloat(const void* params, const void* const* inputs, void* const* outputs) {
  const ConvParams& p = *static_cast<const ConvParams*>(params);
  const float* x = static_cast<const float*>(inputs[0]);
  const float* bias = p.bias_is_input ? static_cast<const float*>(inputs[2]) : p.epilogue.bias;
  float* y = static_cast<float*>(outputs[0]);
  if (p.pointwise) {
    ConvolvePointwise(p, x, inputs[1], y);
  } else {
    ConvolveDirect(p, x, UnalignedFloats(inputs[1]), y);
  }
  const int32_t out_plane = p.window.OutputSize();
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oc = 0; oc < p.out_channels; ++oc) {
      const float scale = EpilogueScale(p.epilogue, oc);
      const float shift = bias != nullptr ? bias[oc] : 0.0f;
      for (int32_t i = 0; i < out_plane; ++i) y[i] = ApplyEpilogue(y[i], scale, shift, p.epilogue);
      y += out_plane;
    }
  }
}

}  // namespace tinyonnx
