// Fusion passes: BatchNormalization and clamping activations become part of
// the epilogue of the Conv or Gemm that feeds them, and a MaxPool part of
// the Conv before it.
#include <cmath>

#include "tinyonnx/graph/ops/window.h"
#include "tinyonnx/graph/passes.h"
#include "tinyonnx/kernels/window.h"

namespace tinyonnx {
namespace {

constexpr float kFloatMax = 3.402823466e38f;

// The live producer of the node's first input when that input is the
// producer's output 0, feeds only this node and is no graph output, and the
// node writes only its output 0; else -1.
int32_t SoleProducer(const Graph& graph, const Node& node) {
  if (node.input_count < 1 || node.output_count < 1 || node.inputs[0] < 0 ||
      node.outputs[0] < 0) {
    return -1;
  }
  for (uint16_t o = 1; o < node.output_count; ++o) {
    if (node.outputs[o] >= 0) return -1;  // extra outputs (training BatchNorm, Indices)
  }
  const Value& x = graph.values[node.inputs[0]];
  if (x.producer < 0 || x.consumers != 1 || x.is_graph_output) return -1;
  const Node& producer = graph.nodes[x.producer];
  if (producer.removed || producer.outputs[0] != node.inputs[0]) return -1;
  return x.producer;
}

// The sole producer (above) of the node's first input if it has an
// epilogue and the node keeps the dtype and shape; else -1.
int32_t FusableProducer(const Graph& graph, const Node& node) {
  const int32_t p = SoleProducer(graph, node);
  if (p < 0 || graph.prepared[p].epilogue == nullptr) return -1;
  const Value& x = graph.values[node.inputs[0]];
  const Value& y = graph.values[node.outputs[0]];
  return y.dtype == x.dtype && y.shape == x.shape ? p : -1;
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
  if (!node.View().FindAttribute("epsilon", &attribute, &problem)) return true;
  if (problem != nullptr || attribute.type != AttributeView::kFloat) return false;
  *epsilon = attribute.f;
  return true;
}

// Clip bounds from attributes (opset < 11) or constant inputs.
bool ReadClipBounds(const Graph& graph, const Node& node, float* lo, float* hi) {
  *lo = -kFloatMax;
  *hi = kFloatMax;
  if (node.opset < 11) {
    const NodeView view = node.View();
    AttributeView attribute;
    const char* problem = nullptr;
    if (view.FindAttribute("min", &attribute, &problem)) *lo = attribute.f;
    if (view.FindAttribute("max", &attribute, &problem)) *hi = attribute.f;
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

// Node n (BatchNormalization) folded into its producer's epilogue.
Status FuseBatchNorm(Graph& graph, int32_t n, size_t params_mark, Arena& arena,
                     ErrorReporter& errors, PrepareStats* stats) {
  const Node& bn = graph.nodes[n];
  if (!bn.IsOp("BatchNormalization") || bn.input_count != 5) return Status::kOk;
  const int32_t p = FusableProducer(graph, bn);
  if (p < 0) return Status::kOk;
  FloatEpilogue& epilogue = *graph.prepared[p].epilogue;
  const int32_t channels = epilogue.channels;
  const bool clamped = epilogue.min != -kFloatMax || epilogue.max != kFloatMax;
  float epsilon;
  bool constants = true;
  for (int k = 1; k < 5; ++k) constants &= ConstantFloats(graph, bn.inputs[k], channels);
  if (clamped || !constants || !ReadEpsilon(bn, &epsilon)) return Status::kOk;
  arena.ReleasePersistent(params_mark);
  float* scale = arena.NewPersistentArray<float>(channels);
  float* bias = arena.NewPersistentArray<float>(channels);
  if (scale == nullptr || bias == nullptr) {
    return errors.Report(Status::kOutOfMemory, "arena too small to fold BatchNormalization '%.*s'",
                         bn.View().name.length(), bn.View().name.data);
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
  return Status::kOk;
}

// Node n (Relu, or Clip with constant bounds) folded into its producer's
// epilogue as a clamp.
Status FuseActivation(Graph& graph, int32_t n, size_t params_mark, Arena& arena, ErrorReporter&,
                      PrepareStats* stats) {
  const Node& node = graph.nodes[n];
  float lo, hi;
  if (node.IsOp("Relu")) {
    lo = 0.0f;
    hi = kFloatMax;
  } else if (!(node.IsOp("Clip") && ReadClipBounds(graph, node, &lo, &hi))) {
    return Status::kOk;
  }
  const int32_t p = FusableProducer(graph, node);
  if (p < 0) return Status::kOk;
  arena.ReleasePersistent(params_mark);
  FloatEpilogue& epilogue = *graph.prepared[p].epilogue;
  if (lo > epilogue.min) epilogue.min = lo;
  if (hi < epilogue.max) epilogue.max = hi;
  stats->fused_nodes++;
  AbsorbIntoProducer(graph, n, p);
  return Status::kOk;
}

extern const GraphPass kFuseBatchNormPass{GraphPass::kFuseBatchNorm, nullptr, FuseBatchNorm};
extern const GraphPass kFuseActivationsPass{GraphPass::kFuseActivations, nullptr, FuseActivation};

namespace {

// The Conv a MaxPool node can be fused into: the sole producer (above) of
// its input (the int8 MaxPool's other inputs are its quantization), which
// offers a pool target (PreparedNode::pool) and stores its output as the MaxPool's
// output is stored (dtype, layout); else -1.
int32_t PoolableProducer(const Graph& graph, const Node& node) {
  const int32_t p = SoleProducer(graph, node);
  if (p < 0 || graph.prepared[p].pool == nullptr) return -1;
  const Value& x = graph.values[node.inputs[0]];
  const Value& y = graph.values[node.outputs[0]];
  return y.dtype == x.dtype && y.channels_last == x.channels_last ? p : -1;
}

// Reads MaxPool node n's window; *fusable when it is a FusedMaxPool:
// windows that tile the input (stride = kernel, no padding, no dilation)
// with floor rounding (the output drops the input's last positions that
// fill no window). With ceil_mode or auto_pad the window is the same when
// the input divides evenly, and is fused then.
Status ReadFusedPool(Graph& graph, int32_t n, Arena& arena, ErrorReporter& errors,
                     FusedMaxPool* pool, bool* fusable) {
  OpContext ctx(graph, n, arena, errors);
  WindowOptions options;
  options.ceil_mode = true;
  WindowGeometry g;
  TINYONNX_RETURN_IF_ERROR(ReadWindow(ctx, ctx.input_shape(0), options, &g));
  *fusable = true;
  for (int axis = 0; axis < kWindowAxes; ++axis) {
    *fusable = *fusable && g.stride[axis] == g.kernel[axis] && g.dilation[axis] == 1 &&
               g.pad_begin[axis] == 0 && g.pad_end[axis] == 0 &&
               g.output[axis] == g.input[axis] / g.kernel[axis] && g.output[axis] >= 1;
    pool->kernel[axis] = g.kernel[axis];
    pool->output[axis] = g.output[axis];
  }
  return Status::kOk;
}

bool IsMaxPool(const Node& node) {
  if (node.removed || node.op == nullptr) return false;
  const Str domain = Str::FromCString(node.op->domain);
  return Str::FromCString(node.op->op_type) == "MaxPool" &&
         (domain.empty() || domain == "ai.tinyonnx");
}

}  // namespace

// Node n (MaxPool) folded into the Conv before it.
Status FuseMaxPool(Graph& graph, int32_t n, size_t params_mark, Arena& arena,
                   ErrorReporter& errors, PrepareStats* stats) {
  if (!IsMaxPool(graph.nodes[n])) return Status::kOk;
  const int32_t p = PoolableProducer(graph, graph.nodes[n]);
  if (p < 0) return Status::kOk;
  FusedMaxPool pool;
  bool fusable = false;
  TINYONNX_RETURN_IF_ERROR(ReadFusedPool(graph, n, arena, errors, &pool, &fusable));
  if (!fusable) return Status::kOk;
  arena.ReleasePersistent(params_mark);
  PreparedNode& producer = graph.prepared[p];
  *producer.pool = pool;
  producer.pool = nullptr;  // one MaxPool per Conv
  // The kernel pools after its epilogue; an activation or BatchNorm after
  // the MaxPool must not join the epilogue (max and a negative scale do
  // not commute).
  producer.epilogue = nullptr;
  stats->fused_nodes++;
  AbsorbIntoProducer(graph, n, p);
  return Status::kOk;
}

extern const GraphPass kFuseMaxPoolPass{GraphPass::kFuseMaxPool, nullptr, FuseMaxPool};

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
  TINYONNX_RETURN_IF_ERROR(
      RunPassIfRegistered(GraphPass::kSinkTransposes, graph, arena, errors, stats));
  TINYONNX_RETURN_IF_ERROR(RunPassIfRegistered(GraphPass::kLowerQdq, graph, arena, errors, stats));
  TINYONNX_RETURN_IF_ERROR(CompactGraph(graph, arena, errors));
  TINYONNX_RETURN_IF_ERROR(PrepareNodes(graph, arena, errors, stats));
  stats->aligned_copy_bytes += graph.repacked_bytes;
  RemoveDeadNodes(graph);
  // The caller reads outputs through typed pointers.
  for (uint32_t o = 0; o < graph.output_count; ++o) {
    TINYONNX_RETURN_IF_ERROR(AlignConstant(graph.values[graph.outputs[o].value], arena, errors, stats));
  }
  return Status::kOk;
}

}  // namespace tinyonnx
