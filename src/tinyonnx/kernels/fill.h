// Kernels that write one repeated value: ConstantOfShape, and inference-mode
// Dropout, whose mask keeps every element. They move bytes, so they serve
// every element type.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct FillParams {
  int64_t count = 0;
  uint32_t element_size = 0;
  uint8_t value[8] = {};  // one element of the output type
};

struct DropoutParams {
  size_t data_bytes = 0;  // output 0 is the input (aliased, copied only when folding)
  FillParams mask;        // output 1: all "kept"
};

// Kernels (kernels/reference/fill.cc).
void FillBytes(const void* params, const void* const* inputs, void* const* outputs);
void DropoutInference(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
