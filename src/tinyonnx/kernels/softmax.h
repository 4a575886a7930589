// Softmax and LogSoftmax (reference/softmax_float.cc).
#pragma once

#include <cstdint>

namespace tinyonnx {

// The input viewed as [outer, axis, inner]; each of the outer * inner
// vectors of `axis` elements (stride `inner`) is normalized on its own.
struct SoftmaxParams {
  int32_t outer = 0;
  int32_t axis = 0;
  int32_t inner = 0;
};

// inputs: X; outputs: Y.
void SoftmaxFloat(const void* params, const void* const* inputs, void* const* outputs);
void LogSoftmaxFloat(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
