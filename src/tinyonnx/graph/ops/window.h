// The sliding-window attributes of Conv, MaxPool and AveragePool
// (kernel_shape, strides, dilations, pads, auto_pad, ceil_mode), read and
// checked once, into the WindowGeometry their kernels share.
#pragma once

#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/window.h"

namespace tinyonnx {

struct WindowOptions {
  // Conv's weights [C_out, C_in / group, kernel...] fix the kernel size;
  // without them (pooling) the kernel_shape attribute is required.
  const Shape* weights = nullptr;
  bool ceil_mode = false;  // the op has a ceil_mode attribute
};

// `input` is [N, C, spatial...] with 1 to 3 spatial axes. Fills every field
// of *window.
Status ReadWindow(OpContext& ctx, const Shape& input, const WindowOptions& options,
                  WindowGeometry* window);

// [N, channels, output spatial...] for an input of the same rank.
Shape WindowOutputShape(const Shape& input, int32_t channels, const WindowGeometry& window);

}  // namespace tinyonnx
