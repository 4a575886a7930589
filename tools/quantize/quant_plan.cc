#include "quant_plan.h"

#include <algorithm>

#include "quant_math.h"

namespace tinyonnx::quantize {
namespace {

// Output keeps the input's scale and zero point: the op moves or selects
// values without computing new ones.
const char* const kSharedRangeOps[] = {"MaxPool", "GlobalMaxPool", "Flatten", "Reshape",
                                       "Transpose", "Squeeze", "Unsqueeze"};
// Output gets its own calibrated range.
const char* const kOwnRangeOps[] = {"AveragePool", "GlobalAveragePool", "Add", "Mul", "Concat", "Relu",
                                    "Clip", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish"};

template <size_t N>
bool IsOneOf(const Node& node, const char* const (&ops)[N]) {
  for (const char* op : ops) {
    if (node.IsOp(op)) return true;
  }
  return false;
}

bool SingleOutput(const Node& node) {
  for (uint16_t o = 1; o < node.output_count; ++o) {
    if (node.outputs[o] >= 0) return false;
  }
  return node.output_count >= 1 && node.outputs[0] >= 0;
}

bool HasFusedTransform(const FloatEpilogue& e) {
  const FloatEpilogue identity;
  return e.scale != nullptr || e.min != identity.min || e.max != identity.max;
}

std::string NodeLabel(const Node& node) {
  return "node '" + ToString(node.View().name) + "' (" + ToString(node.View().op_type) + ")";
}

// Conv or Gemm whose weights are constants: the epilogue (bias, folded
// BatchNorm, fused Relu/Clip) becomes the int8 layer.
bool IsWeightedLayer(const Graph& graph, const Node& node) {
  const bool conv = node.IsOp("Conv");
  const bool gemm = node.IsOp("Gemm");
  const FloatEpilogue* epilogue = graph.prepared[&node - graph.nodes].epilogue;
  if ((!conv && !gemm) || epilogue == nullptr || !SingleOutput(node)) return false;
  if (node.input_count < 2 || node.inputs[0] < 0 || node.inputs[1] < 0) return false;
  const Value& x = graph.values[node.inputs[0]];
  const Value& w = graph.values[node.inputs[1]];
  if (!w.is_constant() || w.dtype != DType::kFloat) {
    if (HasFusedTransform(*epilogue)) {
      throw QuantizeError(NodeLabel(node) + ": BatchNormalization or an activation was fused into it, but its "
                          "weights are not constant, so it can be neither quantized nor written back as it was");
    }
    return false;
  }
  return IsFloatActivation(x) && (conv ? w.shape.rank >= 3 : w.shape.rank == 2);
}

bool AllDataInputsAreFloatActivations(const Graph& graph, const Node& node) {
  bool any = false;
  for (uint16_t k = 0; k < node.input_count; ++k) {
    if (node.inputs[k] < 0) continue;
    const Value& v = graph.values[node.inputs[k]];
    if (IsDataInput(node, k)) {
      if (!IsFloatActivation(v)) return false;
      any = true;
    } else if (!v.is_constant()) {
      return false;  // e.g. Clip bounds computed at run time
    }
  }
  return any;
}

// The value arrives quantized anyway: a float graph input or the output of
// a quantized node.
bool ArrivesQuantized(const Graph& graph, const QuantPlan& plan, int32_t v) {
  const Value& value = graph.values[v];
  if (!IsFloatActivation(value)) return false;
  if (value.kind == ValueKind::kGraphInput) return true;
  return value.producer >= 0 && plan.role[value.producer] != NodeRole::kFloat &&
         plan.role[value.producer] != NodeRole::kRemoved;
}

NodeRole ClassifyNode(const Graph& graph, const QuantPlan& plan, const Node& node) {
  if (node.removed) return NodeRole::kRemoved;
  if (IsWeightedLayer(graph, node)) return NodeRole::kWeighted;
  if (IsOneOf(node, kSharedRangeOps) && SingleOutput(node) && node.inputs[0] >= 0 &&
      ArrivesQuantized(graph, plan, node.inputs[0]) && AllDataInputsAreFloatActivations(graph, node)) {
    return NodeRole::kSharedRange;
  }
  if (IsOneOf(node, kOwnRangeOps) && SingleOutput(node) && AllDataInputsAreFloatActivations(graph, node)) {
    return NodeRole::kOwnRange;
  }
  return NodeRole::kFloat;
}

int64_t ReadIntAttribute(const Node& node, const char* name, int64_t fallback) {
  AttributeView attribute;
  const char* problem = nullptr;
  if (!node.View().FindAttribute(name, &attribute, &problem) || problem != nullptr) return fallback;
  return attribute.type == AttributeView::kInt ? attribute.i : fallback;
}

// Flatten/Reshape n turns a rank-4 [N, C, H, W] map with H * W > 1 into the
// [N, C * H * W] input A of one Gemm (transA = 0) and nothing else.
bool FlattensFeatureMapForGemm(const Graph& graph, const QuantPlan& plan, int32_t n) {
  const Node& node = graph.nodes[n];
  if (plan.role[n] != NodeRole::kSharedRange ||
      !(node.IsOp("Flatten") || node.IsOp("Reshape"))) {
    return false;
  }
  const Value& x = graph.values[node.inputs[0]];
  const Value& y = graph.values[node.outputs[0]];
  if (x.shape.rank != 4 || y.shape.rank != 2 || y.is_graph_output) return false;
  const int64_t spatial = static_cast<int64_t>(x.shape.dims[2]) * x.shape.dims[3];
  if (spatial <= 1 || y.shape.dims[0] != x.shape.dims[0] ||
      y.shape.dims[1] != static_cast<int64_t>(x.shape.dims[1]) * spatial) {
    return false;
  }
  std::vector<int32_t> readers = Consumers(graph, node.outputs[0]);
  if (readers.size() != 1) return false;
  const Node& gemm = graph.nodes[readers[0]];
  return gemm.IsOp("Gemm") && plan.role[readers[0]] == NodeRole::kWeighted &&
         gemm.inputs[0] == node.outputs[0] && gemm.inputs[1] != node.outputs[0] &&
         ReadIntAttribute(gemm, "transA", 0) == 0;
}

}  // namespace

std::string ToString(Str s) { return s.data == nullptr ? std::string() : std::string(s.data, s.size); }

bool IsFloatActivation(const Value& value) {
  return value.dtype == DType::kFloat && !value.is_constant();
}

bool IsDataInput(const Node& node, int k) {
  if (node.IsOp("Conv") || node.IsOp("Gemm") || node.IsOp("Clip") ||
      node.IsOp("Reshape") || node.IsOp("Squeeze") ||
      node.IsOp("Unsqueeze")) {
    return k == 0;
  }
  return true;
}

std::vector<int32_t> Consumers(const Graph& graph, int32_t v) {
  std::vector<int32_t> readers;
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    const int32_t n = graph.order[i];
    const Node& node = graph.nodes[n];
    if (node.removed) continue;
    for (uint16_t k = 0; k < node.input_count; ++k) {
      if (node.inputs[k] == v) {
        readers.push_back(n);
        break;
      }
    }
  }
  return readers;
}

std::vector<int32_t> QuantPlan::QuantizedValues() const {
  std::vector<int32_t> values;
  for (size_t v = 0; v < quantized.size(); ++v) {
    if (quantized[v]) values.push_back(static_cast<int32_t>(v));
  }
  return values;
}

std::vector<int32_t> QuantPlan::CalibratedValues() const {
  std::vector<int32_t> values;
  for (int32_t v : QuantizedValues()) {
    if (range_source[v] == v) values.push_back(v);
  }
  return values;
}

QuantPlan PlanQuantization(const Graph& graph) {
  QuantPlan plan;
  plan.role.assign(graph.node_count, NodeRole::kRemoved);
  plan.quantized.assign(graph.value_count, 0);
  plan.range_source.assign(graph.value_count, -1);
  plan.flatten_channels_last.assign(graph.node_count, 0);
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    const int32_t n = graph.order[i];
    plan.role[n] = ClassifyNode(graph, plan, graph.nodes[n]);
  }
  // A value is quantized when a quantized node produces it or reads it.
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    const Node& node = graph.nodes[n];
    if (plan.role[n] == NodeRole::kRemoved || plan.role[n] == NodeRole::kFloat) continue;
    plan.quantized[node.outputs[0]] = 1;
    for (uint16_t k = 0; k < node.input_count; ++k) {
      if (node.inputs[k] >= 0 && IsDataInput(node, k)) plan.quantized[node.inputs[k]] = 1;
    }
  }
  // Ranges: shared-range outputs take their input's (in execution order, so
  // a chain of them reaches the calibrated value at its start).
  for (uint32_t v = 0; v < graph.value_count; ++v) {
    if (plan.quantized[v]) plan.range_source[v] = static_cast<int32_t>(v);
  }
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    const int32_t n = graph.order[i];
    if (plan.role[n] != NodeRole::kSharedRange) continue;
    const Node& node = graph.nodes[n];
    plan.range_source[node.outputs[0]] = plan.range_source[node.inputs[0]];
    plan.flatten_channels_last[n] = FlattensFeatureMapForGemm(graph, plan, n);
  }
  return plan;
}

}  // namespace tinyonnx::quantize
