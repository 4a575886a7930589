// Cast: converts every element to another type.
#pragma once

#include <cstdint>

#include "tinyonnx/base/dtype.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct CastParams {
  int32_t count = 0;  // elements
};

// The kernel converting `from` to `to`, or nullptr when either is not one of
// float32, float64, bool and the 8- to 64-bit integers.
KernelFn FindCastKernel(DType from, DType to);

}  // namespace tinyonnx
