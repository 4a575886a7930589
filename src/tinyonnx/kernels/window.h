// Sliding-window geometry shared by Conv and the pooling kernels.
//
// Up to three spatial axes, stored outermost first as depth, height, width.
// 1-D and 2-D windows fill the leading axes with size 1 (input, output and
// kernel 1, stride and dilation 1, no padding), so one loop nest serves all
// ranks and costs nothing extra for the missing axes.
#pragma once

#include <cstdint>

namespace tinyonnx {

constexpr int kWindowAxes = 3;

struct WindowGeometry {
  int32_t input[kWindowAxes] = {1, 1, 1};
  int32_t output[kWindowAxes] = {1, 1, 1};
  int32_t kernel[kWindowAxes] = {1, 1, 1};
  int32_t stride[kWindowAxes] = {1, 1, 1};
  int32_t dilation[kWindowAxes] = {1, 1, 1};
  int32_t pad_begin[kWindowAxes] = {0, 0, 0};
  int32_t pad_end[kWindowAxes] = {0, 0, 0};

  int32_t InputSize() const { return input[0] * input[1] * input[2]; }
  int32_t OutputSize() const { return output[0] * output[1] * output[2]; }
  int32_t KernelSize() const { return kernel[0] * kernel[1] * kernel[2]; }
};

// A MaxPool fused behind a Conv (graph pass FuseConvMaxPool): the pool's
// stride equals its kernel, it has no padding, no dilation and floor
// rounding. The Conv's output map is never written: pooled output (d, h, w)
// is the maximum over the Conv outputs (d * kernel[0] + i, h * kernel[1] + j,
// w * kernel[2] + k) for i, j, k below the kernel, and equals what the
// unfused Conv followed by MaxPool writes, bit for bit. Conv outputs that no
// pool window covers are not computed. WindowGeometry::output stays the
// Conv's (un-pooled) output size; `output` here is the pooled size.
struct FusedMaxPool {
  int32_t kernel[kWindowAxes] = {1, 1, 1};  // 1 along every axis: no pool
  int32_t output[kWindowAxes] = {1, 1, 1};

  bool Active() const { return kernel[0] * kernel[1] * kernel[2] > 1; }
  int32_t OutputSize() const { return output[0] * output[1] * output[2]; }
};

// Calls visit(pixel, pd, ph, pw) for every pooled output position, pixel
// counting them row-major.
template <typename Visit>
inline void ForEachPooledPosition(const FusedMaxPool& pool, Visit&& visit) {
  int32_t pixel = 0;
  for (int32_t pd = 0; pd < pool.output[0]; ++pd) {
    for (int32_t ph = 0; ph < pool.output[1]; ++ph) {
      for (int32_t pw = 0; pw < pool.output[2]; ++pw) visit(pixel++, pd, ph, pw);
    }
  }
}

// Calls visit(od, oh, ow) for the Conv outputs of the pool window at pooled
// position (pd, ph, pw), row-major: the order in which MaxPool visits its
// taps, so that ties between equal values (+0 and -0) resolve the same way.
template <typename Visit>
inline void ForEachPoolCell(const FusedMaxPool& pool, int32_t pd, int32_t ph, int32_t pw,
                            Visit&& visit) {
  for (int32_t i = 0; i < pool.kernel[0]; ++i) {
    for (int32_t j = 0; j < pool.kernel[1]; ++j) {
      for (int32_t k = 0; k < pool.kernel[2]; ++k) {
        visit(pd * pool.kernel[0] + i, ph * pool.kernel[1] + j, pw * pool.kernel[2] + k);
      }
    }
  }
}

// The kernel taps of one window along one axis that fall inside the input:
// taps k in [first, last) read input position start + k * dilation.
struct AxisWindow {
  int32_t start;  // input position of tap 0 (negative inside the leading pad)
  int32_t first;
  int32_t last;
};

// Smallest q with q * divisor >= numerator, for divisor > 0 and any sign.
inline int32_t CeilDiv(int32_t numerator, int32_t divisor) {
  int32_t q = numerator / divisor;
  return (numerator % divisor != 0 && numerator > 0) ? q + 1 : q;
}

inline AxisWindow WindowAt(const WindowGeometry& g, int axis, int32_t out_position) {
  AxisWindow w;
  w.start = out_position * g.stride[axis] - g.pad_begin[axis];
  const int32_t d = g.dilation[axis];
  const int32_t k = g.kernel[axis];
  w.first = 0;
  w.last = k;
  // Most windows lie inside the input; only those touching the padding
  // need the divisions.
  if (w.start >= 0 && w.start + (k - 1) * d < g.input[axis]) return w;
  if (w.start < 0) w.first = CeilDiv(-w.start, d);
  const int32_t last = CeilDiv(g.input[axis] - w.start, d);
  if (last < k) w.last = last;
  if (w.last < w.first) w.last = w.first;
  return w;
}

// The opposite view, for loops that run over one kernel tap at a time: the
// output positions [first, last) along `axis` whose tap `k` reads inside the
// input. Output o reads input position origin + o * stride.
struct TapOutputs {
  int32_t origin;
  int32_t first;
  int32_t last;
};

inline TapOutputs OutputsOfTap(const WindowGeometry& g, int axis, int32_t k) {
  TapOutputs t;
  t.origin = k * g.dilation[axis] - g.pad_begin[axis];
  const int32_t stride = g.stride[axis];
  t.first = t.origin < 0 ? CeilDiv(-t.origin, stride) : 0;
  const int32_t last = CeilDiv(g.input[axis] - t.origin, stride);
  t.last = last < g.output[axis] ? last : g.output[axis];
  if (t.last < t.first) t.last = t.first;
  return t;
}

}  // namespace tinyonnx
