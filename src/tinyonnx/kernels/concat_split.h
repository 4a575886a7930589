// Concat and Split: the tensor is viewed as [outer][axis * inner], and each
// part (a Concat input, a Split output) owns one block of part_bytes[p] per
// outer index. Concat interleaves the parts' blocks into the output; Split
// deals the input's blocks out to the parts. The kernels move bytes, so they
// serve every element type.
#pragma once

#include <cstdint>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct AxisPartsParams {
  int64_t outer = 0;  // product of the dims before the axis
  int32_t part_count = 0;
  const uint32_t* part_bytes = nullptr;  // per part: its axis dim * inner * element size
};

// Kernels (kernels/reference/concat_split.cc). Split skips outputs the node
// leaves out (a null output pointer).
void ConcatParts(const void* params, const void* const* inputs, void* const* outputs);
void SplitParts(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
