// The loop nest the windowed pooling kernels share. They run one kernel tap
// at a time over the whole output: for each tap, the outputs that read it
// inside the input form one block, found once per tap (a few divisions), so
// the inner loop runs along an output row without bounds checks. Small
// kernels like 2x2 would otherwise spend their time in per-window overhead.
#pragma once

#include <cstdint>

#include "tinyonnx/kernels/window.h"

namespace tinyonnx {

// One kernel tap and the outputs that read it inside the input.
struct PoolTap {
  TapOutputs depth;
  TapOutputs rows;
  TapOutputs columns;
};

// One output row of a tap's block: outputs [columns.first, columns.last)
// starting at out_offset of the dense output read input (id, ih,
// columns.origin + ow * stride), in_offset + ow * stride within the plane.
struct TapRow {
  int32_t plane;
  int32_t id;
  int32_t ih;
  int32_t in_offset;
  int32_t out_offset;
};

// Calls visit(tap, row) for every kernel tap and every output row of its
// block, in every plane.
template <typename Visit>
inline void ForEachTapRow(const WindowGeometry& g, int32_t planes, Visit&& visit) {
  const int32_t out_plane = g.OutputSize();
  PoolTap tap;
  TapRow row;
  for (int32_t kd = 0; kd < g.kernel[0]; ++kd) {
    tap.depth = OutputsOfTap(g, 0, kd);
    for (int32_t kh = 0; kh < g.kernel[1]; ++kh) {
      tap.rows = OutputsOfTap(g, 1, kh);
      for (int32_t kw = 0; kw < g.kernel[2]; ++kw) {
        tap.columns = OutputsOfTap(g, 2, kw);
        if (tap.columns.first == tap.columns.last) continue;
        for (row.plane = 0; row.plane < planes; ++row.plane) {
          for (int32_t od = tap.depth.first; od < tap.depth.last; ++od) {
            row.id = tap.depth.origin + od * g.stride[0];
            for (int32_t oh = tap.rows.first; oh < tap.rows.last; ++oh) {
              row.ih = tap.rows.origin + oh * g.stride[1];
              row.in_offset = (row.id * g.input[1] + row.ih) * g.input[2] + tap.columns.origin;
              row.out_offset = row.plane * out_plane + (od * g.output[1] + oh) * g.output[2];
              visit(tap, row);
            }
          }
        }
      }
    }
  }
}

}  // namespace tinyonnx
