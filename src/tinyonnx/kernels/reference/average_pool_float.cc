#include "tinyonnx/kernels/pooling.h"
#include "tinyonnx/kernels/reference/pool_loops.h"

namespace tinyonnx {
namespace {

// Taps of the window along `axis` inside the input or its explicit padding
// (a ceil_mode window may reach past the end padding; those taps never
// count).
int32_t PaddedTaps(const WindowGeometry& g, int axis, const AxisWindow& w) {
  const int32_t limit = CeilDiv(g.input[axis] + g.pad_end[axis] - w.start, g.dilation[axis]);
  return limit < g.kernel[axis] ? limit : g.kernel[axis];
}

// The divisor of an average along one axis: the taps inside the input, or
// with count_include_pad also those inside the explicit padding.
int32_t TapCount(const PoolParams& p, int axis, int32_t out_position) {
  const AxisWindow w = WindowAt(p.window, axis, out_position);
  return p.count_include_pad ? PaddedTaps(p.window, axis, w) : w.last - w.first;
}

// Divides every sum by its window's tap count.
void DivideByCounts(const PoolParams& p, float* y) {
  const WindowGeometry& g = p.window;
  for (int32_t plane = 0; plane < p.planes; ++plane) {
    for (int32_t od = 0; od < g.output[0]; ++od) {
      const int32_t depth_count = TapCount(p, 0, od);
      for (int32_t oh = 0; oh < g.output[1]; ++oh) {
        const int32_t row_count = depth_count * TapCount(p, 1, oh);
        for (int32_t ow = 0; ow < g.output[2]; ++ow) {
          const int32_t count = row_count * TapCount(p, 2, ow);
          *y = count > 0 ? *y / static_cast<float>(count) : 0.0f;
          ++y;
        }
      }
    }
  }
}

}  // namespace

void AveragePoolFloat(const void* params, const void* const* inputs, void* const* outputs) {
  const PoolParams& p = *static_cast<const PoolParams*>(params);
  const WindowGeometry& g = p.window;
  const float* x = static_cast<const float*>(inputs[0]);
  float* y = static_cast<float*>(outputs[0]);
  const int32_t in_plane = g.InputSize();
  const int32_t stride = g.stride[2];
  const int32_t count = p.planes * g.OutputSize();
  for (int32_t i = 0; i < count; ++i) y[i] = 0.0f;
  ForEachTapRow(g, p.planes, [&](const PoolTap& tap, const TapRow& row) {
    const float* in = x + row.plane * in_plane + row.in_offset;
    float* out = y + row.out_offset;
    for (int32_t ow = tap.columns.first; ow < tap.columns.last; ++ow) out[ow] += in[ow * stride];
  });
  DivideByCounts(p, y);
}

void GlobalAveragePoolFloat(const void* params, const void* const* inputs, void* const* outputs) {
  const PoolParams& p = *static_cast<const PoolParams*>(params);
  const float* x = static_cast<const float*>(inputs[0]);
  float* y = static_cast<float*>(outputs[0]);
  const int32_t size = p.window.InputSize();
  for (int32_t plane = 0; plane < p.planes; ++plane) {
    float sum = 0.0f;
    for (int32_t i = 0; i < size; ++i) sum += x[i];
    y[plane] = sum / static_cast<float>(size);
    x += size;
  }
}

}  // namespace tinyonnx
