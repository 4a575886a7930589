// The float function a prepared Conv or Gemm node computes, read back from
// tinyonnx's graph: y = clamp(W * x * scale[c] + bias[c]), with
// BatchNormalization folded into scale and bias and Relu/Clip into the clamp.
#pragma once

#include <cstdint>
#include <vector>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx::quantize {

struct EffectiveLayer {
  bool conv = false;
  std::vector<float> weights;        // Conv: [O, I, k...] (OIHW); Gemm: [N, K]
  std::vector<int64_t> weight_dims;
  std::vector<float> bias;           // per output channel; empty when there is none
  int64_t group = 1;                 // Conv
  bool depthwise = false;            // Conv with one input channel per group (group == input channels > 1)
  bool trans_a = false;              // Gemm
  float clamp_min = FloatEpilogue().min;  // fused Relu/Clip, or none
  float clamp_max = FloatEpilogue().max;

  int64_t output_channels() const { return weight_dims.empty() ? 0 : weight_dims[0]; }
};

// Effective weights W[c] * scale[c] and bias of a Conv/Gemm node that has an
// epilogue and constant float weights. Throws QuantizeError otherwise.
EffectiveLayer ReadEffectiveLayer(const Graph& graph, int32_t node);

// A constant's float data (copied: it may be unaligned in the model bytes).
std::vector<float> ConstantFloats(const Value& value);

}  // namespace tinyonnx::quantize
