// Pieces the int8 reference kernels share: how an accumulator is stored
// (requantized to int8, or raw int32) and the window loops of the
// channels-last kernels.
#pragma once

#include <cstdint>

#include "tinyonnx/kernels/fixed_point.h"
#include "tinyonnx/kernels/quantized.h"

namespace tinyonnx {

// acc + bias[c] (saturated: a bias quantized from an extreme float may sit
// at the int32 limits).
inline int32_t AddBias(int32_t acc, const ChannelQuantization& q, int32_t c) {
  if (q.bias == nullptr) return acc;
  const int64_t sum = static_cast<int64_t>(acc) + q.bias[c];
  return sum > kInt32Max ? kInt32Max : sum < kInt32Min ? kInt32Min : static_cast<int32_t>(sum);
}

// acc (+ bias) requantized to int8 for output channel c.
struct StoreRequantized {
  using Type = int8_t;
  static void Store(int8_t* y, int32_t acc, const ChannelQuantization& q, int32_t c) {
    *y = static_cast<int8_t>(Requantize(AddBias(acc, q, c), q.multiplier[c], q.shift[c],
                                        q.output_offset, q.act_min, q.act_max));
  }
};

// acc (+ bias) as int32 (ConvInteger, MatMulInteger).
struct StoreAccumulator {
  using Type = int32_t;
  static void Store(int32_t* y, int32_t acc, const ChannelQuantization& q, int32_t c) {
    *y = AddBias(acc, q, c);
  }
};

// The in-input taps of the window of one output position on all three axes.
struct Window3 {
  AxisWindow axis[kWindowAxes];
};

// Calls visit(n, out_pixel, window) for every output position of every
// batch, out_pixel counting positions row-major within the batch.
template <typename Visit>
inline void ForEachOutputPixel(const WindowGeometry& g, int32_t batch, Visit&& visit) {
  Window3 w;
  for (int32_t n = 0; n < batch; ++n) {
    int32_t pixel = 0;
    for (int32_t od = 0; od < g.output[0]; ++od) {
      w.axis[0] = WindowAt(g, 0, od);
      for (int32_t oh = 0; oh < g.output[1]; ++oh) {
        w.axis[1] = WindowAt(g, 1, oh);
        for (int32_t ow = 0; ow < g.output[2]; ++ow) {
          w.axis[2] = WindowAt(g, 2, ow);
          visit(n, pixel++, w);
        }
      }
    }
  }
}

// Calls visit(x_batch, out, window) for every output position of a
// channels-last window kernel: x_batch is the position's batch of the input
// (in_channels per pixel), out its output pixel (out_channels values).
template <typename Out, typename Visit>
inline void ForEachWindow(const WindowGeometry& g, int32_t batch, int32_t in_channels,
                          int32_t out_channels, const int8_t* x, Out* y, Visit&& visit) {
  ForEachOutputPixel(g, batch, [&](int32_t n, int32_t pixel, const Window3& w) {
    visit(x + n * g.InputSize() * in_channels, y + (n * g.OutputSize() + pixel) * out_channels, w);
  });
}

// The int8 Conv kernels' outputs: accumulate(x_batch, oc, window) gives the
// accumulator of output channel oc at one output position, which Store
// turns into the output. With a fused MaxPool (ConvS8Params::pool) the
// stored value is the maximum accumulator over each pool window instead:
// requantizing keeps the order of the accumulators (the bias add saturates,
// the multiplier is never negative, the clamp is monotone), so this is the
// maximum of the requantized outputs, as the unfused MaxPool computes it.
template <typename Store, typename Accumulate>
inline void StoreConvOutputs(const ConvS8Params& p, const int8_t* x, typename Store::Type* y,
                             Accumulate&& accumulate) {
  const WindowGeometry& g = p.window;
  if (!p.pool.Active()) {
    ForEachWindow(g, p.batch, p.in_channels, p.out_channels, x, y,
                  [&](const int8_t* x_batch, typename Store::Type* out, const Window3& w) {
      for (int32_t oc = 0; oc < p.out_channels; ++oc) {
        Store::Store(out + oc, accumulate(x_batch, oc, w), p.quant, oc);
      }
    });
    return;
  }
  // Output channels are pooled a chunk at a time so that the window of each
  // Conv output is found once per chunk.
  constexpr int32_t kChunk = 32;
  for (int32_t n = 0; n < p.batch; ++n) {
    const int8_t* x_batch = x + n * g.InputSize() * p.in_channels;
    typename Store::Type* y_batch = y + n * p.pool.OutputSize() * p.out_channels;
    ForEachPooledPosition(p.pool, [&](int32_t pixel, int32_t pd, int32_t ph, int32_t pw) {
      typename Store::Type* out = y_batch + pixel * p.out_channels;
      for (int32_t first = 0; first < p.out_channels; first += kChunk) {
        const int32_t count = p.out_channels - first < kChunk ? p.out_channels - first : kChunk;
        int32_t best[kChunk];
        bool first_cell = true;
        ForEachPoolCell(p.pool, pd, ph, pw, [&](int32_t od, int32_t oh, int32_t ow) {
          const Window3 w = {{WindowAt(g, 0, od), WindowAt(g, 1, oh), WindowAt(g, 2, ow)}};
          for (int32_t c = 0; c < count; ++c) {
            const int32_t acc = accumulate(x_batch, first + c, w);
            best[c] = first_cell || acc > best[c] ? acc : best[c];
          }
          first_cell = false;
        });
        for (int32_t c = 0; c < count; ++c) {
          Store::Store(out + first + c, best[c], p.quant, first + c);
        }
      }
    });
  }
}

// A pool kernel: visit(params, x_batch, out, window) per output position.
template <typename Visit>
inline void RunPool(const void* params, const void* const* inputs, void* const* outputs,
                    Visit&& visit) {
  const PoolS8Params& p = *static_cast<const PoolS8Params*>(params);
  ForEachWindow(p.window, p.batch, p.channels, p.channels, static_cast<const int8_t*>(inputs[0]),
                static_cast<int8_t*>(outputs[0]),
                [&](const int8_t* x_batch, int8_t* out, const Window3& w) { visit(p, x_batch, out, w); });
}

// Calls visit(input_pixel, tap) for every tap of window w inside the input:
// input_pixel is the position within the batch's input plane (row-major),
// tap the tap's index within the kernel (row-major).
template <typename Visit>
inline void ForEachTap(const WindowGeometry& g, const Window3& w, Visit&& visit) {
  for (int32_t kd = w.axis[0].first; kd < w.axis[0].last; ++kd) {
    const int32_t id = w.axis[0].start + kd * g.dilation[0];
    for (int32_t kh = w.axis[1].first; kh < w.axis[1].last; ++kh) {
      const int32_t ih = w.axis[1].start + kh * g.dilation[1];
      const int32_t row = (id * g.input[1] + ih) * g.input[2];
      const int32_t tap_row = (kd * g.kernel[1] + kh) * g.kernel[2];
      for (int32_t kw = w.axis[2].first; kw < w.axis[2].last; ++kw) {
        visit(row + w.axis[2].start + kw * g.dilation[2], tap_row + kw);
      }
    }
  }
}

// Like ForEachTap for windows without dilation along the last axis: one
// call visit(input_pixel, tap, count) per kernel row, for `count` taps
// that are consecutive both in the input and in the kernel.
template <typename Visit>
inline void ForEachTapRun(const WindowGeometry& g, const Window3& w, Visit&& visit) {
  const int32_t count = w.axis[2].last - w.axis[2].first;
  if (count <= 0) return;
  for (int32_t kd = w.axis[0].first; kd < w.axis[0].last; ++kd) {
    const int32_t id = w.axis[0].start + kd * g.dilation[0];
    for (int32_t kh = w.axis[1].first; kh < w.axis[1].last; ++kh) {
      const int32_t ih = w.axis[1].start + kh * g.dilation[1];
      visit((id * g.input[1] + ih) * g.input[2] + w.axis[2].start + w.axis[2].first,
            (kd * g.kernel[1] + kh) * g.kernel[2] + w.axis[2].first, count);
    }
  }
}

// y[i] = Op::Apply(p, a[i], b[i]) for the binary kernels (a scalar operand
// repeats its one element); Apply returns the clamped int8 value.
template <typename Op>
void BinaryS8Kernel(const void* params, const void* const* inputs, void* const* outputs) {
  const BinaryS8Params& p = *static_cast<const BinaryS8Params*>(params);
  const int8_t* a = static_cast<const int8_t*>(inputs[0]);
  const int8_t* b = static_cast<const int8_t*>(inputs[p.b_input]);
  int8_t* y = static_cast<int8_t*>(outputs[0]);
  const int32_t a_step = p.a_scalar ? 0 : 1;
  const int32_t b_step = p.b_scalar ? 0 : 1;
  for (int32_t i = 0; i < p.count; ++i) {
    y[i] = static_cast<int8_t>(Op::Apply(p, a[i * a_step], b[i * b_step]));
  }
}

// Calls fn(plain, stored, scale, zero_point) for every element of a
// QuantizeLinear / DequantizeLinear: its index in the float tensor, its
// index in the 8-bit one (channels-last when so prepared) and its scale
// and zero point (from inputs 1 and 2).
template <typename Fn>
void ForEachQuantizedElement(const QuantizeParams& p, const void* const* inputs, Fn&& fn) {
  const float* scale = static_cast<const float*>(inputs[1]);
  QuantParam zp;
  zp.dtype = p.zero_point_type;
  zp.adjust = p.zero_point_adjust;
  zp.count = p.per_axis ? p.axis_size : 1;
  const void* zp_data = p.zero_point_type == DType::kUndefined ? nullptr : inputs[2];
  for (int32_t a = 0; a < p.axis_size; ++a) {
    const int32_t q = p.per_axis ? a : 0;
    const float s = scale[q];
    const int32_t z = ZeroPointAt(zp, zp_data, q);
    for (int32_t o = 0; o < p.outer; ++o) {
      for (int32_t i = 0; i < p.inner; ++i) {
        const int32_t plain = (o * p.axis_size + a) * p.inner + i;
        fn(plain, p.channels_last ? (o * p.inner + i) * p.axis_size + a : plain, s, z);
      }
    }
  }
}

// The kernel entry of an accumulating loop nest: Loops<Store,
// kFilterOffset>::Run(params, x, y), with the filter-offset variant picked
// by the parameters (symmetric weights skip the extra add).
template <template <typename, bool> class Loops, typename Store, typename Params>
void RunAccumulatingKernel(const void* params, const void* const* inputs, void* const* outputs) {
  const Params& p = *static_cast<const Params*>(params);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  auto* y = static_cast<typename Store::Type*>(outputs[0]);
  if (p.quant.filter_offset != nullptr) {
    Loops<Store, true>::Run(p, x, y);
  } else {
    Loops<Store, false>::Run(p, x, y);
  }
}

}  // namespace tinyonnx
