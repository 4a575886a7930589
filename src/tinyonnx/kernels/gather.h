// Gather: the data is viewed as [outer][axis][inner]; the output is
// [outer][indices][inner], each index choosing one block of inner elements.
// The kernels move bytes, so they serve every data type; there is one per
// index type.
//
// Constant indices are checked at prepare time. Indices computed at run time
// cannot be checked there, so the kernels make them safe instead of reading
// out of bounds: a negative index counts from the end once (as ONNX says),
// and what is still outside [0, axis) is clamped to the nearest end.
#pragma once

#include <cstdint>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct GatherParams {
  int64_t outer = 0;
  int32_t axis_dim = 0;  // >= 1 whenever the output has elements
  int64_t index_count = 0;
  uint32_t block_bytes = 0;  // inner elements * element size
};

// Kernels (kernels/reference/gather.cc).
void GatherInt32Indices(const void* params, const void* const* inputs, void* const* outputs);
void GatherInt64Indices(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
