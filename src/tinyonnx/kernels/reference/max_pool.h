// MaxPool and GlobalMaxPool, shared by the float and 8-bit kernels (the
// comparison is the same for every element type).
#pragma once

#include <cstdint>
#include <limits>

#include "tinyonnx/kernels/pooling.h"
#include "tinyonnx/kernels/reference/pool_loops.h"

namespace tinyonnx {

// kIndices: also write the flat input index of each maximum (the first one
// on ties).
template <typename T, bool kIndices>
void MaxPoolLoops(const PoolParams& p, const T* x, T* y, int64_t* indices) {
  const WindowGeometry& g = p.window;
  const int32_t in_plane = g.InputSize();
  const int32_t stride = g.stride[2];
  const int32_t outputs = p.planes * g.OutputSize();
  for (int32_t i = 0; i < outputs; ++i) {
    y[i] = std::numeric_limits<T>::lowest();
    if (kIndices) indices[i] = -1;
  }
  ForEachTapRow(g, p.planes, [&](const PoolTap& tap, const TapRow& row) {
    const T* in = x + row.plane * in_plane + row.in_offset;
    T* out = y + row.out_offset;
    int64_t* index = kIndices ? indices + row.out_offset : nullptr;
    for (int32_t ow = tap.columns.first; ow < tap.columns.last; ++ow) {
      const T v = in[ow * stride];
      if (!kIndices) {
        out[ow] = v > out[ow] ? v : out[ow];
      } else if (v > out[ow] || index[ow] < 0) {
        out[ow] = v;
        const int32_t iw = tap.columns.origin + ow * stride;
        const int32_t flat = p.column_major_indices
                                 ? row.id + g.input[0] * (row.ih + g.input[1] * iw)
                                 : (row.id * g.input[1] + row.ih) * g.input[2] + iw;
        index[ow] = static_cast<int64_t>(row.plane) * in_plane + flat;
      }
    }
  });
}

template <typename T>
void MaxPool(const PoolParams& p, const void* const* inputs, void* const* outputs) {
  const T* x = static_cast<const T*>(inputs[0]);
  T* y = static_cast<T*>(outputs[0]);
  if (p.write_indices) {
    MaxPoolLoops<T, true>(p, x, y, static_cast<int64_t*>(outputs[1]));
  } else {
    MaxPoolLoops<T, false>(p, x, y, nullptr);
  }
}

template <typename T>
void GlobalMaxPool(const PoolParams& p, const void* const* inputs, void* const* outputs) {
  const T* x = static_cast<const T*>(inputs[0]);
  T* y = static_cast<T*>(outputs[0]);
  const int32_t size = p.window.InputSize();
  for (int32_t plane = 0; plane < p.planes; ++plane) {
    T best = std::numeric_limits<T>::lowest();
    for (int32_t i = 0; i < size; ++i) best = x[i] > best ? x[i] : best;
    y[plane] = best;
    x += size;
  }
}

}  // namespace tinyonnx
