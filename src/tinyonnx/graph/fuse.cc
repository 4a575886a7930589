// Fusion passes: BatchNormalization and clamping activations become part of
// the epilogue of the Conv or Gemm that feeds them.
#include <cmath>

#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

constexpr float kFloatMax = 3.402823466e38f;

bool IsOp(const Node& node, const char* op_type) {
  return !node.removed && (node.view.domain.empty() || node.view.domain == "ai.onnx") &&
         node.view.op_type == op_type;
}

// The live producer of node `n`'s first input if it has an epilogue and
// that input feeds only node n; else -1.
int32_t FusableProducer(const Graph& graph, const Node& node) {
  if (node.input_count < 1 || node.output_count < 1 || node.inputs[0] < 0 ||
      node.outputs[0] < 0) {
    return -1;
  }
  const Value& x = graph.values[node.inputs[0]];
  if (x.producer < 0 || x.consumers != 1 || x.is_graph_output) return -1;
  const Node& producer = graph.nodes[x.producer];
  if (producer.removed || producer.epilogue == nullptr || producer.outputs[0] != node.inputs[0]) {
    return -1;
  }
  const Value& y = graph.values[node.outputs[0]];
  if (y.dtype != x.dtype || y.shape != x.shape) return -1;
  for (uint16_t o = 1; o < node.output_count; ++o) {
    if (node.outputs[o] >= 0) return -1;  // extra outputs (training BatchNorm)
  }
  return x.producer;
}

// Node n's output becomes its producer's output; node n disappears.
void AbsorbIntoProducer(Graph& graph, int32_t n, int32_t producer) {
  Node& node = graph.nodes[n];
  int32_t y = node.outputs[0];
  graph.nodes[producer].outputs[0] = y;
  graph.values[y].producer = producer;
  RemoveNode(graph, n);
}

bool ConstantFloats(const Graph& graph, int32_t v, int32_t count) {
  if (v < 0) return false;
  const Value& value = graph.values[v];
  return value.is_constant() && value.dtype == DType::kFloat &&
         value.shape.ElementCount() == count;
}

bool ReadEpsilon(const Node& node, float* epsilon) {
  *epsilon = 1e-5f;
  AttributeView attribute;
  const char* problem = nullptr;
  if (!node.view.FindAttribute("epsilon", &attribute, &problem)) return true;
  if (problem != nullptr || attribute.type != AttributeView::kFloat) return false;
  *epsilon = attribute.f;
  return true;
}

// Clip bounds from attributes (opset < 11) or constant inputs.
bool ReadClipBounds(const Graph& graph, const Node& node, float* lo, float* hi) {
  *lo = -kFloatMax;
  *hi = kFloatMax;
  if (node.opset < 11) {
    AttributeView attribute;
    const char* problem = nullptr;
    if (node.view.FindAttribute("min", &attribute, &problem)) *lo = attribute.f;
    if (node.view.FindAttribute("max", &attribute, &problem)) *hi = attribute.f;
    return problem == nullptr;
  }
  for (int k = 1; k <= 2; ++k) {
    if (k >= node.input_count || node.inputs[k] < 0) continue;
    const Value& bound = graph.values[node.inputs[k]];
    if (!ConstantFloats(graph, node.inputs[k], 1)) return false;
    (k == 1 ? *lo : *hi) = *static_cast<const float*>(bound.data);
  }
  return true;
}

}  // namespace

Status FuseBatchNorm(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats) {
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    int32_t n = graph.order[i];
    Node& bn = graph.nodes[n];
    if (!IsOp(bn, "BatchNormalization") || bn.input_count != 5) continue;
    int32_t p = FusableProducer(graph, bn);
    if (p < 0) continue;
    FloatEpilogue& epilogue = *graph.nodes[p].epilogue;
    int32_t channels = epilogue.channels;
    bool clamped = epilogue.min != -kFloatMax || epilogue.max != kFloatMax;
    float epsilon;
    bool constants = true;
    for (int k = 1; k < 5; ++k) constants &= ConstantFloats(graph, bn.inputs[k], channels);
    if (clamped || !constants || !ReadEpsilon(bn, &epsilon)) continue;
    float* scale = arena.NewPersistentArray<float>(channels);
    float* bias = arena.NewPersistentArray<float>(channels);
    if (scale == nullptr || bias == nullptr) {
      return errors.Report(Status::kOutOfMemory,
                           "arena too small to fold BatchNormalization '%.*s'",
                           bn.view.name.length(), bn.view.name.data);
    }
    const float* gamma = static_cast<const float*>(graph.values[bn.inputs[1]].data);
    const float* beta = static_cast<const float*>(graph.values[bn.inputs[2]].data);
    const float* mean = static_cast<const float*>(graph.values[bn.inputs[3]].data);
    const float* var = static_cast<const float*>(graph.values[bn.inputs[4]].data);
    for (int32_t c = 0; c < channels; ++c) {
      float s = gamma[c] / std::sqrt(var[c] + epsilon);
      float old_scale = epilogue.scale ? epilogue.scale[c] : 1.0f;
      float old_bias = epilogue.bias ? epilogue.bias[c] : 0.0f;
      scale[c] = old_scale * s;
      bias[c] = (old_bias - mean[c]) * s + beta[c];
    }
    epilogue.scale = scale;
    epilogue.bias = bias;
    stats->fused_bytes += 2 * sizeof(float) * static_cast<size_t>(channels);
    stats->fused_nodes++;
    AbsorbIntoProducer(graph, n, p);
  }
  return Status::kOk;
}

Status FuseActivations(Graph& graph, ErrorReporter&, PrepareStats* stats) {
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    int32_t n = graph.order[i];
    Node& node = graph.nodes[n];
    float lo, hi;
    if (IsOp(node, "Relu")) {
      lo = 0.0f;
      hi = kFloatMax;
    } else if (!(IsOp(node, "Clip") && ReadClipBounds(graph, node, &lo, &hi))) {
      continue;
    }
    int32_t p = FusableProducer(graph, node);
    if (p < 0) continue;
    FloatEpilogue& epilogue = *graph.nodes[p].epilogue;
    if (lo > epilogue.min) epilogue.min = lo;
    if (hi < epilogue.max) epilogue.max = hi;
    stats->fused_nodes++;
    AbsorbIntoProducer(graph, n, p);
  }
  return Status::kOk;
}

void RemoveDeadNodes(Graph& graph) {
  // Reverse order lets one sweep remove whole dead chains.
  for (uint32_t i = graph.node_count; i-- > 0;) {
    int32_t n = graph.order[i];
    Node& node = graph.nodes[n];
    if (node.removed) continue;
    bool used = false;
    for (uint16_t o = 0; o < node.output_count; ++o) {
      int32_t v = node.outputs[o];
      used |= v >= 0 && (graph.values[v].consumers != 0 || graph.values[v].is_graph_output);
    }
    if (!used) RemoveNode(graph, n);
  }
}

Status PrepareGraph(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats) {
  *stats = PrepareStats();
  RemoveIdentities(graph);
  TINYONNX_RETURN_IF_ERROR(SinkTransposes(graph, arena, errors, stats));
  TINYONNX_RETURN_IF_ERROR(LowerQdq(graph, arena, errors, stats));
  TINYONNX_RETURN_IF_ERROR(PrepareNodes(graph, arena, errors, stats));
  stats->aligned_copy_bytes += graph.repacked_bytes;
  TINYONNX_RETURN_IF_ERROR(FuseBatchNorm(graph, arena, errors, stats));
  TINYONNX_RETURN_IF_ERROR(FuseActivations(graph, errors, stats));
  RemoveDeadNodes(graph);
  // The caller reads outputs through typed pointers.
  for (uint32_t o = 0; o < graph.output_count; ++o) {
    TINYONNX_RETURN_IF_ERROR(AlignConstant(graph.values[graph.outputs[o].value], arena, errors, stats));
  }
  return Status::kOk;
}

}  // namespace tinyonnx
