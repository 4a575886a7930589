// Convolution parameters (float reference kernel in reference/conv_float.cc).
#pragma once

#include <cstdint>

#include "tinyonnx/graph/graph.h"
#include "tinyonnx/kernels/window.h"

namespace tinyonnx {

// Y[n, oc] = epilogue(sum over the group's input channels and the kernel
// window of X * W). X is NCHW (or NCW / NCDHW), W is OIHW read in place.
struct ConvParams {
  int32_t batch = 0;
  int32_t in_channels = 0;
  int32_t out_channels = 0;
  int32_t group = 1;
  WindowGeometry window;
  // Bias and fused BatchNorm/activation. When the bias is not a constant it
  // is read from input 2 at run time and nothing is fused (epilogue.bias is
  // then nullptr and bias_is_input is set).
  FloatEpilogue epilogue;
  bool bias_is_input = false;
  // 1x1 kernel, stride 1, no padding: each group is one matrix product
  // W[oc, ic] * X[ic, spatial] (the faster path for pointwise layers).
  bool pointwise = false;
  FusedMaxPool pool;  // a MaxPool fused behind the Conv (window.h)
};

// inputs: X, W[, B]; outputs: Y.
void ConvFloat(const void* params, const void* const* inputs, void* const* outputs);
// ConvFloat with a fused MaxPool writes the pooled planes while it reads
// the input for the last time: how far below the input's start the output
// may begin (PreparedNode::overlap_gap), or -1 for the other paths.
int64_t ConvFloatOverlapGap(const void* params);

}  // namespace tinyonnx
