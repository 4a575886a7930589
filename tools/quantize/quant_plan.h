// Which parts of a prepared tinyonnx graph become int8 in the QDQ model, and
// which quantization each activation takes.
//
// The graph is the one Interpreter::Prepare leaves: Identity/Dropout gone,
// shape chains folded, BatchNormalization and Relu/Clip folded into the
// epilogue of the Conv or Gemm before them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx::quantize {

enum class NodeRole : uint8_t {
  kRemoved,      // not part of the prepared graph
  kFloat,        // written unchanged, reads float or dequantized tensors
  kWeighted,     // Conv/Gemm with constant weights: int8 weights, int32 bias
  kSharedRange,  // MaxPool, Flatten, Reshape, Transpose, ...: output keeps the input's scale and zero point
  kOwnRange,     // AveragePool, Add, Concat, Relu, ...: output quantized with its own calibrated range
};

struct QuantPlan {
  std::vector<NodeRole> role;         // per node
  std::vector<uint8_t> quantized;     // per value: QuantizeLinear -> DequantizeLinear follow it
  std::vector<int32_t> range_source;  // per quantized value: the value whose range it takes (itself if calibrated)
  // Per node (Flatten/Reshape of a rank-4 feature map feeding a Gemm):
  // write Transpose(perm 0,2,3,1) before it and permute the Gemm's weight
  // columns to match.
  std::vector<uint8_t> flatten_channels_last;

  // Quantized values in value order; those with their own calibrated range.
  std::vector<int32_t> QuantizedValues() const;
  std::vector<int32_t> CalibratedValues() const;
};

// Classifies nodes and values. Throws QuantizeError for a Conv/Gemm whose
// fused epilogue cannot be written as standard ONNX (weights not constant).
QuantPlan PlanQuantization(const Graph& graph);

// Small helpers shared by the planner and the writer.
std::string ToString(Str s);
bool IsFloatActivation(const Value& value);
// Input k of `node` carries data that is quantized when the node is (not a
// shape, not Clip's bounds, not a weight).
bool IsDataInput(const Node& node, int k);
// Node indices reading value v (each reader once), in execution order.
std::vector<int32_t> Consumers(const Graph& graph, int32_t v);

}  // namespace tinyonnx::quantize
