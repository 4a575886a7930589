// Pad: each output axis is [pad before][a window of the input][pad after].
// Negative ONNX pads crop: they move the window's start (folded into
// src_offset) and shorten it, and padding then repeats the window's own edge
// or reflection, as if the input were cropped first. The kernel moves bytes,
// so it serves every element type.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

enum class PadMode : uint8_t { kConstant, kReflect, kEdge };

struct PadParams {
  int32_t rank = 1;  // >= 1 (a scalar is padded as [1])
  int32_t out_dims[kMaxRank] = {};
  int32_t window[kMaxRank] = {};         // input elements kept per axis
  int32_t before[kMaxRank] = {};         // padding in front of the window (>= 0)
  ptrdiff_t src_strides[kMaxRank] = {};  // input strides in bytes
  ptrdiff_t src_offset = 0;              // bytes to the first window element
  uint32_t element_size = 0;
  PadMode mode = PadMode::kConstant;
  uint8_t value[8] = {};          // constant mode: one element of the data type
  bool value_from_input = false;  // the value is read from input 2 at run time
  int64_t out_count = 0;
};

// Kernel (kernels/reference/pad.cc).
void PadBytes(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
