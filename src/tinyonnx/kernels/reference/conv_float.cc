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
//
// With a fused MaxPool (ConvParams::pool) the Conv's output map is never
// written: each Conv output of a pool window is summed in registers, goes
// through the epilogue and into the window's maximum. The sums add the
// same products in the same order as the direct path (input channel, then
// kernel taps row-major, from 0), so the result is bit-identical to the
// unfused Conv and MaxPool.
#include <limits>
#include <type_traits>

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

// Calls compute(channels, input, weights, oc, planes) for every block of
// output channels: `channels` is std::integral_constant<int, kChannelBlock>
// or <int, 1>, `input` the group's first input channel, `weights` W[oc] and
// `planes` the block's first output plane (planes of out_plane elements).
template <typename Compute>
void ForEachChannelBlock(const ConvParams& p, const float* x, UnalignedFloats w, float* y,
                         int32_t out_plane, Compute&& compute) {
  const int32_t in_plane = p.window.InputSize();
  const int32_t group_in_channels = p.in_channels / p.group;
  const int32_t group_out_channels = p.out_channels / p.group;
  const int32_t filter_size = group_in_channels * p.window.KernelSize();
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oc = 0; oc < p.out_channels;) {
      // A block never crosses a group: its channels read the same inputs.
      const int32_t group = oc / group_out_channels;
      const int32_t left_in_group = (group + 1) * group_out_channels - oc;
      const int32_t block = left_in_group >= kChannelBlock ? kChannelBlock : 1;
      const float* input = x + (n * p.in_channels + group * group_in_channels) * in_plane;
      float* planes = y + (n * p.out_channels + oc) * out_plane;
      if (block == kChannelBlock) {
        compute(std::integral_constant<int, kChannelBlock>(), input, w + oc * filter_size, oc,
                planes);
      } else {
        compute(std::integral_constant<int, 1>(), input, w + oc * filter_size, oc, planes);
      }
      oc += block;
    }
  }
}

// The raw sums of all output planes, computed directly.
void ConvolveDirect(const ConvParams& p, const float* x, UnalignedFloats w, float* y) {
  ForEachChannelBlock(p, x, w, y, p.window.OutputSize(),
                      [&](auto channels, const float* input, UnalignedFloats weights, int32_t,
                          float* planes) {
                        ComputePlanes<decltype(channels)::value>(p, input, weights, planes);
                      });
}

// The raw sums of kChannels channels at Conv output (od, oh, ow), added in
// the direct path's order. `weights` is W[oc] of the first channel.
template <int kChannels>
void SumsAt(const ConvParams& p, const float* input, UnalignedFloats weights, int32_t od,
            int32_t oh, int32_t ow, float* sums) {
  const WindowGeometry& g = p.window;
  const AxisWindow depth = WindowAt(g, 0, od);
  const AxisWindow rows = WindowAt(g, 1, oh);
  const AxisWindow columns = WindowAt(g, 2, ow);
  const int32_t kernel_size = g.KernelSize();
  const int32_t channels = p.in_channels / p.group;
  const int32_t filter_size = channels * kernel_size;
  // Local sums stay in registers (the stores to `sums` could alias).
  float acc[kChannels] = {};
  for (int32_t ic = 0; ic < channels; ++ic) {
    const float* plane = input + ic * g.InputSize();
    for (int32_t kd = depth.first; kd < depth.last; ++kd) {
      const int32_t id = depth.start + kd * g.dilation[0];
      for (int32_t kh = rows.first; kh < rows.last; ++kh) {
        const int32_t ih = rows.start + kh * g.dilation[1];
        const float* in = plane + (id * g.input[1] + ih) * g.input[2] + columns.start;
        const UnalignedFloats taps =
            weights + ic * kernel_size + (kd * g.kernel[1] + kh) * g.kernel[2];
        for (int32_t kw = columns.first; kw < columns.last; ++kw) {
          const float v = in[kw * g.dilation[2]];
#pragma GCC unroll 4
          for (int c = 0; c < kChannels; ++c) acc[c] += taps[c * filter_size + kw] * v;
        }
      }
    }
  }
  for (int c = 0; c < kChannels; ++c) sums[c] = acc[c];
}

// Conv outputs [first, last) along each axis read every kernel tap inside
// the input (no padding).
struct InteriorOutputs {
  int32_t first[kWindowAxes];
  int32_t last[kWindowAxes];

  bool Contains(int32_t od, int32_t oh, int32_t ow) const {
    return od >= first[0] && od < last[0] && oh >= first[1] && oh < last[1] && ow >= first[2] &&
           ow < last[2];
  }
};

InteriorOutputs FindInteriorOutputs(const WindowGeometry& g) {
  InteriorOutputs interior;
  for (int axis = 0; axis < kWindowAxes; ++axis) {
    // Output o reads input o * stride - pad_begin + k * dilation for k < kernel.
    const int32_t stride = g.stride[axis];
    const int32_t room = g.input[axis] - 1 - (g.kernel[axis] - 1) * g.dilation[axis] +
                         g.pad_begin[axis];
    const int32_t last = room < 0 ? 0 : room / stride + 1;
    interior.first[axis] = CeilDiv(g.pad_begin[axis], stride);
    interior.last[axis] = last < g.output[axis] ? last : g.output[axis];
  }
  return interior;
}

// Pool cells summed together when their windows lie inside the input: the
// weights of a tap are loaded once for all of them.
constexpr int kCellTile = 4;

// The raw sums of kChannels channels at kCellTile Conv outputs whose
// windows lie inside the input, added in the direct path's order.
// `origin[i]` is the input offset (within a plane) of output i's window.
template <int kChannels>
void InteriorSums(const ConvParams& p, const float* input, UnalignedFloats weights,
                  const int32_t* origin, float (*sums)[kChannels]) {
  const WindowGeometry& g = p.window;
  const int32_t kernel_size = g.KernelSize();
  const int32_t channels = p.in_channels / p.group;
  const int32_t filter_size = channels * kernel_size;
  float acc[kCellTile][kChannels] = {};
  for (int32_t ic = 0; ic < channels; ++ic) {
    const float* plane = input + ic * g.InputSize();
    for (int32_t kd = 0; kd < g.kernel[0]; ++kd) {
      for (int32_t kh = 0; kh < g.kernel[1]; ++kh) {
        const float* row =
            plane + (kd * g.dilation[0] * g.input[1] + kh * g.dilation[1]) * g.input[2];
        const UnalignedFloats taps =
            weights + ic * kernel_size + (kd * g.kernel[1] + kh) * g.kernel[2];
        for (int32_t kw = 0; kw < g.kernel[2]; ++kw) {
          float w[kChannels];
#pragma GCC unroll 4
          for (int c = 0; c < kChannels; ++c) w[c] = taps[c * filter_size + kw];
          const float* tap = row + kw * g.dilation[2];
#pragma GCC unroll 4
          for (int i = 0; i < kCellTile; ++i) {
            const float v = tap[origin[i]];
#pragma GCC unroll 4
            for (int c = 0; c < kChannels; ++c) acc[i][c] += w[c] * v;
          }
        }
      }
    }
  }
  for (int i = 0; i < kCellTile; ++i) {
    for (int c = 0; c < kChannels; ++c) sums[i][c] = acc[i][c];
  }
}

// The pooled planes of kChannels channels starting at output channel oc:
// per pool window, the maximum of the Conv outputs after the epilogue,
// compared as MaxPool compares (from the lowest float, ties keep the
// first, cells in row-major order).
template <int kChannels>
void PoolPlanes(const ConvParams& p, const float* input, UnalignedFloats weights,
                const float* bias, int32_t oc, float* planes) {
  const WindowGeometry& g = p.window;
  const FusedMaxPool& pool = p.pool;
  const FloatEpilogue epilogue = p.epilogue;  // a local copy stays in registers
  float scale[kChannels], shift[kChannels];
  for (int c = 0; c < kChannels; ++c) {
    scale[c] = EpilogueScale(epilogue, oc + c);
    shift[c] = bias != nullptr ? bias[oc + c] : 0.0f;
  }
  const InteriorOutputs interior = FindInteriorOutputs(g);
  const int32_t cells = pool.kernel[0] * pool.kernel[1] * pool.kernel[2];
  const int32_t pooled_plane = pool.OutputSize();
  ForEachPooledPosition(pool, [&](int32_t pixel, int32_t pd, int32_t ph, int32_t pw) {
    // The window's first and last Conv outputs bound all of its outputs.
    const int32_t od = pd * pool.kernel[0], oh = ph * pool.kernel[1], ow = pw * pool.kernel[2];
    const bool inside = interior.Contains(od, oh, ow) &&
                        interior.Contains(od + pool.kernel[0] - 1, oh + pool.kernel[1] - 1,
                                          ow + pool.kernel[2] - 1);
    float best[kChannels];
    for (int c = 0; c < kChannels; ++c) best[c] = std::numeric_limits<float>::lowest();
    for (int32_t first = 0; first < cells; first += kCellTile) {
      const int32_t count = cells - first < kCellTile ? cells - first : kCellTile;
      int32_t position[kCellTile][kWindowAxes];
      int32_t origin[kCellTile];
      for (int32_t i = 0; i < count; ++i) {
        const int32_t cell = first + i;
        position[i][0] = od + cell / (pool.kernel[1] * pool.kernel[2]);
        position[i][1] = oh + (cell / pool.kernel[2]) % pool.kernel[1];
        position[i][2] = ow + cell % pool.kernel[2];
        origin[i] = ((position[i][0] * g.stride[0] - g.pad_begin[0]) * g.input[1] +
                     position[i][1] * g.stride[1] - g.pad_begin[1]) * g.input[2] +
                    position[i][2] * g.stride[2] - g.pad_begin[2];
      }
      float sums[kCellTile][kChannels];
      if (inside && count == kCellTile) {
        InteriorSums<kChannels>(p, input, weights, origin, sums);
      } else {
        for (int32_t i = 0; i < count; ++i) {
          SumsAt<kChannels>(p, input, weights, position[i][0], position[i][1], position[i][2],
                            sums[i]);
        }
      }
      for (int32_t i = 0; i < count; ++i) {
        for (int c = 0; c < kChannels; ++c) {
          const float v = ApplyEpilogue(sums[i][c], scale[c], shift[c], epilogue);
          best[c] = v > best[c] ? v : best[c];
        }
      }
    }
    for (int c = 0; c < kChannels; ++c) planes[c * pooled_plane + pixel] = best[c];
  });
}

// The pooled output, epilogue included.
void ConvolvePooled(const ConvParams& p, const float* x, UnalignedFloats w, const float* bias,
                    float* y) {
  ForEachChannelBlock(p, x, w, y, p.pool.OutputSize(),
                      [&](auto channels, const float* input, UnalignedFloats weights, int32_t oc,
                          float* planes) {
                        PoolPlanes<decltype(channels)::value>(p, input, weights, bias, oc, planes);
                      });
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

// Follows ConvolvePooled's order (channel blocks, then pooled positions in
// row-major order, each written after its window is read) for one image
// and one group of 2-D planes: after each write, the bytes written so far
// must end below the input bytes still to be read. Those start at row 0 of
// the first input plane while a later channel block remains, else at the
// first input row of the next pooled position's window.
int64_t ConvFloatOverlapGap(const void* params) {
  const ConvParams& p = *static_cast<const ConvParams*>(params);
  const WindowGeometry& g = p.window;
  const FusedMaxPool& pool = p.pool;
  if (!pool.Active() || p.batch != 1 || p.group != 1 || g.input[0] != 1 || g.kernel[0] != 1 ||
      pool.kernel[0] != 1) {
    return -1;
  }
  const int64_t element = sizeof(float);
  const int64_t row_bytes = int64_t{g.input[2]} * element;
  const int32_t pooled_plane = pool.OutputSize();
  auto first_input_row = [&](int32_t pixel) {
    const int32_t row = (pixel / pool.output[2]) * pool.kernel[1] * g.stride[1] - g.pad_begin[1];
    return row > 0 ? row : 0;
  };
  int64_t gap = 0;
  for (int32_t oc = 0; oc < p.out_channels;) {
    const int32_t block = p.out_channels - oc >= kChannelBlock ? kChannelBlock : 1;
    const bool last_block = oc + block == p.out_channels;
    for (int32_t pixel = 0; pixel < pooled_plane; ++pixel) {
      if (last_block && pixel + 1 == pooled_plane) break;  // nothing left to read
      const int64_t written = (int64_t{oc + block - 1} * pooled_plane + pixel + 1) * element;
      const int64_t needed = last_block ? first_input_row(pixel + 1) * row_bytes : 0;
      if (written - needed > gap) gap = written - needed;
    }
    oc += block;
  }
  return gap;
}

void ConvFloat(const void* params, const void* const* inputs, void* const* outputs) {
  const ConvParams& p = *static_cast<const ConvParams*>(params);
  const float* x = static_cast<const float*>(inputs[0]);
  const float* bias = p.bias_is_input ? static_cast<const float*>(inputs[2]) : p.epilogue.bias;
  float* y = static_cast<float*>(outputs[0]);
  if (p.pool.Active()) {
    ConvolvePooled(p, x, UnalignedFloats(inputs[1]), bias, y);
    return;
  }
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
