// LowerQdq: QDQ groups become int8 kernels (docs/int8.md).
//
// A float op whose inputs come from DequantizeLinear and whose output goes
// to one QuantizeLinear (through a Relu or Clip for Conv, Gemm and MatMul)
// is rewritten into the QOperator form of an int8 op: the node keeps its
// attributes and name, takes the 8-bit tensors and their scales and zero
// points as inputs and writes the QuantizeLinear's output:
//
//   Conv                        -> QLinearConv (+ float bounds of the Relu/Clip as inputs 9, 10)
//   Gemm (transA 0, alpha/beta 1) -> com.microsoft QGemm (same)
//   MatMul                      -> QLinearMatMul (same)
//   AveragePool, GlobalAveragePool, Add, Mul, Concat
//                               -> com.microsoft QLinearAveragePool, ... , QLinearConcat
//   Relu, Clip, Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyRelu, Elu
//                               -> ai.tinyonnx QLinearUnary (a table lookup)
//   Softmax                     -> com.microsoft QLinearSoftmax (float output without a Q)
//   MaxPool, Reshape, Flatten, Squeeze, Unsqueeze, Transpose with one
//   quantization on both sides  -> their ai.tinyonnx versions
//
// A weight stored OHWI (or [1, kH, kW, C] for depthwise filters) behind a
// Transpose to OIHW is read in place: the Transpose's output becomes a
// constant over the stored bytes, flagged channels_last. Plain MaxPool,
// Reshape, Flatten, Squeeze, Unsqueeze and Transpose between quantized ops
// of a QOperator model are switched to the int8 versions too. Absent zero
// points become explicit zeros of the right type (they matter once uint8
// data is stored as int8). The DequantizeLinear and QuantizeLinear nodes
// left without readers disappear; those that remain convert at the
// boundaries of the int8 part. An op missing from the model's op resolver
// is simply not used: the group then runs in float.
#include "tinyonnx/graph/builder.h"
#include "tinyonnx/graph/ops/quant_prepare.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

// The bytes of the zero constants LowerQdq adds (uint8 0, int8 0, float 0).
alignas(4) const uint8_t kZeroBytes[4] = {0, 0, 0, 0};

// A default-domain node LowerQdq has not replaced by a com.microsoft/int8 op.
bool IsUnloweredOp(const Node& node, const char* op_type) {
  return node.IsOp(op_type) && node.op != nullptr && Str::FromCString(node.op->domain).empty();
}

bool IsAnyOf(const Node& node, const char* const* ops, size_t count) {
  for (size_t k = 0; k < count; ++k) {
    if (IsUnloweredOp(node, ops[k])) return true;
  }
  return false;
}

const int32_t* ConstInput(const Graph& graph, const Node& node, int k) {
  return k < node.input_count && node.inputs[k] >= 0 && graph.values[node.inputs[k]].is_constant()
             ? &node.inputs[k]
             : nullptr;
}

// A DequantizeLinear feeding a value: its input and constant parameters.
struct Dq {
  int32_t node = -1;
  int32_t x = -1;
  int32_t scale = -1;
  int32_t zero_point = -1;
  int32_t count = 0;  // scale values (1: per tensor)
};

// A QuantizeLinear reading a value (maybe after a Relu or Clip).
struct Q {
  int32_t node = -1;
  int32_t activation = -1;  // Relu or Clip node between, or -1
  int32_t y = -1;
  int32_t scale = -1;
  int32_t zero_point = -1;
};

class Lowering {
 public:
  Lowering(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats)
      : graph_(graph), arena_(arena), errors_(errors), stats_(*stats) {}

  Status Run();

 private:
  // Zero points.
  DType NominalType(int32_t value, int depth) const;
  Status FillZeroPoint(int32_t n, int zero_point_input, int32_t data_value, DType fallback);
  Status FillZeroPoints();
  Status ZeroConstant(DType dtype, int32_t* value);

  // Matching.
  bool MatchDq(int32_t value, Dq* dq) const;
  bool MatchQ(int32_t value, Q* q) const;
  bool MatchActivationAndQ(int32_t value, Q* q) const;
  bool SameQuantization(const Dq& dq, const Q& q) const;
  bool ExposeWeight(Dq* dq, int rank, bool allow_transpose);  // removes a layout Transpose
  int32_t BiasInput(int32_t b, const Dq& x, const Dq& w) const;
  bool PerColumn(int32_t bias, const Dq& w, bool trans_b) const;
  bool ClipBoundsAreInputs(const Node& clip) const;

  // Rewriting.
  const OpDef* Find(const char* op_type, const char* domain) const;
  Status Rewrite(int32_t n, const OpDef* op, const int32_t* inputs, int count);
  Status NewInputList(int count, int32_t** slots);
  void Adopt(int32_t n, const OpDef* op, int32_t* slots, int count);
  void TakeOutput(int32_t n, const Q& q);
  Status ActivationBounds(const Q& q, int32_t* lo, int32_t* hi);
  Status LowerNode(int32_t n, bool* lowered);
  Status LowerAccumulating(int32_t n, bool* lowered);
  Status LowerPassThrough(int32_t n, bool* lowered);
  Status LowerConcat(int32_t n, const Q& q, bool* lowered);
  bool ConvertPassThrough();

  Graph& graph_;
  Arena& arena_;
  ErrorReporter& errors_;
  PrepareStats& stats_;
  int32_t zero_values_[3] = {-1, -1, -1};  // uint8, int8, float
};

const char* const kPassThroughOps[] = {"MaxPool", "Reshape", "Flatten", "Squeeze", "Unsqueeze",
                                       "Transpose"};
constexpr size_t kPassThroughCount = sizeof(kPassThroughOps) / sizeof(kPassThroughOps[0]);

// ---- Zero points

// Nodes whose output 0 is 8-bit with the zero point at input `zero_point`
// (the QOperator ops a model may contain).
struct ZeroPointPosition {
  const char* op_type;
  int zero_point;
};
const ZeroPointPosition kOutputZeroPoints[] = {
    {"QuantizeLinear", 2},     {"QLinearConv", 7},   {"QLinearMatMul", 7},
    {"QLinearAdd", 7},         {"QLinearMul", 7},    {"QLinearConcat", 1},
    {"QLinearAveragePool", 4}, {"QLinearGlobalAveragePool", 4},
    {"QLinearSigmoid", 4},     {"QLinearLeakyRelu", 4}, {"QLinearSoftmax", 4},
    {"QGemm", 8},
};

// The ONNX 8-bit type of a value, found from its producer; kUndefined if
// unknown.
DType Lowering::NominalType(int32_t value, int depth) const {
  const Value& v = graph_.values[value];
  if (v.is_constant() || v.kind == ValueKind::kGraphInput) return v.dtype;
  if (v.producer < 0 || depth > 16) return DType::kUndefined;
  const Node& node = graph_.nodes[v.producer];
  if (node.removed || node.op == nullptr) return DType::kUndefined;
  for (const ZeroPointPosition& p : kOutputZeroPoints) {
    if (node.View().op_type != p.op_type) continue;
    if (p.zero_point < node.input_count && node.inputs[p.zero_point] >= 0) {
      return graph_.values[node.inputs[p.zero_point]].dtype;
    }
    return node.View().op_type == "QuantizeLinear" ? DType::kUint8 : DType::kUndefined;
  }
  for (const char* op : kPassThroughOps) {
    if (node.View().op_type == op && node.input_count > 0 && node.inputs[0] >= 0) {
      return NominalType(node.inputs[0], depth + 1);
    }
  }
  return DType::kUndefined;
}

Status Lowering::ZeroConstant(DType dtype, int32_t* value) {
  const int slot = dtype == DType::kUint8 ? 0 : dtype == DType::kInt8 ? 1 : 2;
  if (zero_values_[slot] < 0) {
    if (graph_.value_count == graph_.value_capacity) {
      *value = -1;
      return Status::kOk;
    }
    static const char* const kNames[] = {"tinyonnx.zero_uint8", "tinyonnx.zero_int8",
                                         "tinyonnx.zero_float"};
    const int32_t index = static_cast<int32_t>(graph_.value_count++);
    Value& v = graph_.values[index];
    v = Value();
    v.name = Str::FromCString(kNames[slot]);
    v.dtype = dtype;
    v.kind = ValueKind::kConstant;
    v.shape_known = true;
    v.data = kZeroBytes;
    zero_values_[slot] = index;
  }
  *value = zero_values_[slot];
  return Status::kOk;
}

// Sets input k of node n, growing its input list if needed.
Status SetInput(Graph& graph, Arena& arena, ErrorReporter& errors, int32_t n, int k, int32_t value) {
  Node& node = graph.nodes[n];
  if (k >= node.input_count) {
    int32_t* inputs = NewGraphArray<int32_t>(graph, arena, static_cast<size_t>(k + 1));
    if (inputs == nullptr) return errors.Report(Status::kOutOfMemory, "arena full while lowering QDQ groups");
    for (int i = 0; i <= k; ++i) inputs[i] = i < node.input_count ? node.inputs[i] : -1;
    node.inputs = inputs;
    node.input_count = static_cast<uint16_t>(k + 1);
  }
  if (node.inputs[k] >= 0) graph.values[node.inputs[k]].consumers--;
  node.inputs[k] = value;
  if (value >= 0) graph.values[value].consumers++;
  return Status::kOk;
}

Status Lowering::FillZeroPoint(int32_t n, int zero_point_input, int32_t data_value, DType fallback) {
  const Node& node = graph_.nodes[n];
  if (zero_point_input < node.input_count && node.inputs[zero_point_input] >= 0) return Status::kOk;
  DType type = data_value >= 0 ? NominalType(data_value, 0) : fallback;
  if (type == DType::kUndefined) type = fallback;
  if (type != DType::kUint8 && type != DType::kInt8) return Status::kOk;
  int32_t zero;
  TINYONNX_RETURN_IF_ERROR(ZeroConstant(type, &zero));
  if (zero < 0) return Status::kOk;
  return SetInput(graph_, arena_, errors_, n, zero_point_input, zero);
}

Status Lowering::FillZeroPoints() {
  for (uint32_t i = 0; i < graph_.node_count; ++i) {
    const int32_t n = graph_.order[i];
    const Node& node = graph_.nodes[n];
    if (node.removed || node.op == nullptr || !IsQuantizedOp(node.op) || node.input_count < 1) continue;
    const Str op = node.View().op_type;
    const int32_t x = node.inputs[0];
    if (op == "QuantizeLinear") {
      TINYONNX_RETURN_IF_ERROR(FillZeroPoint(n, 2, -1, DType::kUint8));
    } else if (op == "DequantizeLinear") {
      TINYONNX_RETURN_IF_ERROR(FillZeroPoint(n, 2, x, DType::kUndefined));
    } else if ((op == "ConvInteger" || op == "MatMulInteger") && node.input_count >= 2) {
      const int32_t w = node.inputs[1];
      TINYONNX_RETURN_IF_ERROR(FillZeroPoint(n, 2, x, DType::kUndefined));
      TINYONNX_RETURN_IF_ERROR(FillZeroPoint(n, 3, w, DType::kUndefined));
    } else if ((op == "QLinearAdd" || op == "QLinearMul") && node.input_count >= 7) {
      const int32_t b = node.inputs[3];
      TINYONNX_RETURN_IF_ERROR(FillZeroPoint(n, 2, x, DType::kUndefined));
      TINYONNX_RETURN_IF_ERROR(FillZeroPoint(n, 5, b, DType::kUndefined));
      TINYONNX_RETURN_IF_ERROR(FillZeroPoint(n, 7, x, DType::kUndefined));
    }
  }
  return Status::kOk;
}

// ---- Matching

bool ScalarOrAbsent(const Graph& graph, int32_t value) {
  return value < 0 || (graph.values[value].is_constant() && graph.values[value].shape.ElementCount() == 1);
}

bool Lowering::MatchDq(int32_t value, Dq* dq) const {
  if (value < 0) return false;
  const int32_t p = graph_.values[value].producer;
  if (p < 0 || !IsUnloweredOp(graph_.nodes[p], "DequantizeLinear")) return false;
  const Node& node = graph_.nodes[p];
  if (node.input_count < 2 || node.inputs[0] < 0 || ConstInput(graph_, node, 1) == nullptr) return false;
  const int32_t zero_point = node.input_count > 2 ? node.inputs[2] : -1;
  if (zero_point >= 0 && !graph_.values[zero_point].is_constant()) return false;
  const Value& scale = graph_.values[node.inputs[1]];
  if (scale.dtype != DType::kFloat) return false;
  dq->node = p;
  dq->x = node.inputs[0];
  dq->scale = node.inputs[1];
  dq->zero_point = zero_point;
  dq->count = static_cast<int32_t>(scale.shape.ElementCount());
  return true;
}

bool Lowering::MatchQ(int32_t value, Q* q) const {
  const int32_t c = SoleConsumer(graph_, value);
  if (c < 0 || !IsUnloweredOp(graph_.nodes[c], "QuantizeLinear")) return false;
  const Node& node = graph_.nodes[c];
  if (node.inputs[0] != value || node.input_count < 2 || node.outputs[0] < 0) return false;
  const int32_t zero_point = node.input_count > 2 ? node.inputs[2] : -1;
  if (!ScalarOrAbsent(graph_, node.inputs[1]) || node.inputs[1] < 0 ||
      !ScalarOrAbsent(graph_, zero_point) || graph_.values[node.inputs[1]].dtype != DType::kFloat) {
    return false;
  }
  q->node = c;
  q->y = node.outputs[0];
  q->scale = node.inputs[1];
  q->zero_point = zero_point;
  return true;
}

bool Lowering::ClipBoundsAreInputs(const Node& clip) const {
  if (clip.opset < 11) return false;  // bounds in attributes
  for (int k = 1; k < clip.input_count; ++k) {
    if (clip.inputs[k] >= 0 && !ScalarOrAbsent(graph_, clip.inputs[k])) return false;
    if (clip.inputs[k] >= 0 && graph_.values[clip.inputs[k]].dtype != DType::kFloat) return false;
  }
  return true;
}

bool Lowering::MatchActivationAndQ(int32_t value, Q* q) const {
  if (MatchQ(value, q)) return true;
  const int32_t a = SoleConsumer(graph_, value);
  if (a < 0) return false;
  const Node& node = graph_.nodes[a];
  const bool activation = (IsUnloweredOp(node, "Relu") || (IsUnloweredOp(node, "Clip") && ClipBoundsAreInputs(node))) &&
                          node.inputs[0] == value && node.output_count == 1 && node.outputs[0] >= 0;
  if (!activation || !MatchQ(node.outputs[0], q)) return false;
  q->activation = a;
  return true;
}

// Same scale and zero point (value and type) on both sides.
bool Lowering::SameQuantization(const Dq& dq, const Q& q) const {
  if (dq.count != 1 || dq.zero_point < 0 || q.zero_point < 0) return false;
  const Value& a = graph_.values[dq.scale];
  const Value& b = graph_.values[q.scale];
  const Value& za = graph_.values[dq.zero_point];
  const Value& zb = graph_.values[q.zero_point];
  return ScaleAt(a.data, 1, 0) == ScaleAt(b.data, 1, 0) && za.dtype == zb.dtype &&
         DTypeSize(za.dtype) == 1 &&
         *static_cast<const uint8_t*>(za.data) == *static_cast<const uint8_t*>(zb.data);
}

// Makes the DequantizeLinear's input a constant 8-bit weight of rank
// `rank` (0: 3 to 5, a Conv's): it is one already, or (allow_transpose) the Transpose of one in
// the channels-last layouts, which becomes a constant over the stored bytes.
bool Lowering::ExposeWeight(Dq* dq, int rank, bool allow_transpose) {
  Value& w = graph_.values[dq->x];
  auto is_8bit = [](const Value& v) { return v.dtype == DType::kInt8 || v.dtype == DType::kUint8; };
  auto rank_ok = [rank](int r) { return rank == 0 ? r >= 3 && r <= 5 : r == rank; };
  if (w.is_constant()) return is_8bit(w) && rank_ok(w.shape.rank);
  if (w.producer < 0 || w.is_graph_output) return false;
  // Fake-quantized float weights (QuantizeLinear of constants, as PyTorch
  // exports them) become constant int8 when the QuantizeLinear folds.
  const Node& producer = graph_.nodes[w.producer];
  if (IsUnloweredOp(producer, "QuantizeLinear") && ConstInput(graph_, producer, 0) != nullptr &&
      ConstInput(graph_, producer, 1) != nullptr &&
      (producer.input_count < 3 || producer.inputs[2] < 0 || ConstInput(graph_, producer, 2) != nullptr)) {
    return rank_ok(graph_.values[producer.inputs[0]].shape.rank);
  }
  if (!allow_transpose || w.consumers != 1) return false;
  const int32_t t = w.producer;
  const Node& transpose = graph_.nodes[t];
  if (!IsUnloweredOp(transpose, "Transpose") || ConstInput(graph_, transpose, 0) == nullptr) return false;
  const Value& src = graph_.values[transpose.inputs[0]];
  int64_t perm[kMaxRank];
  rank = src.shape.rank;
  int perm_rank = 0;
  if (!is_8bit(src) || !rank_ok(rank) || !ReadPerm(transpose, perm, &perm_rank) ||
      perm_rank != rank) {
    return false;
  }
  bool channels_moved = perm[0] == 0 && perm[1] == rank - 1;
  bool depthwise = perm[0] == rank - 1 && perm[1] == 0 && src.shape.dims[0] == 1;
  for (int k = 2; k < rank; ++k) {
    channels_moved &= perm[k] == k - 1;
    depthwise &= perm[k] == k - 1;
  }
  if (!channels_moved && !depthwise) return false;
  Shape shape;
  shape.rank = rank;
  for (int k = 0; k < rank; ++k) shape.dims[k] = src.shape.dims[perm[k]];
  // The bytes are OHWI, or [kernel..., C_out] when one input channel per
  // filter (OHWI with one input channel is OIHW itself: no flag).
  w.channels_last = depthwise || shape.dims[1] > 1;
  w.kind = ValueKind::kConstant;
  w.dtype = src.dtype;
  w.shape = shape;
  w.shape_known = true;
  w.data = src.data;
  w.data_in_model = src.data_in_model;
  w.unaligned = false;
  w.producer = -1;
  RemoveNode(graph_, t);
  graph_.nodes[t].outputs[0] = -1;
  stats_.removed_transposes++;
  return true;
}

// The bias input for the int8 op: the int32 constant behind a
// DequantizeLinear with scale s_x * s_w (and zero point 0), else the float
// bias itself (quantized at prepare time).
int32_t Lowering::BiasInput(int32_t b, const Dq& x, const Dq& w) const {
  if (b < 0) return -1;
  Dq bias;
  if (!MatchDq(b, &bias) || !graph_.values[bias.x].is_constant() ||
      graph_.values[bias.x].dtype != DType::kInt32 ||
      (bias.count != 1 && w.count != 1 && bias.count != w.count)) {
    return b;
  }
  if (bias.zero_point >= 0) {
    const Value& zp = graph_.values[bias.zero_point];
    for (int64_t c = 0; c < zp.shape.ElementCount(); ++c) {
      QuantParam param;
      param.dtype = zp.dtype;
      param.count = static_cast<int32_t>(zp.shape.ElementCount());
      if (ZeroPointAt(param, zp.data, static_cast<int32_t>(c)) != 0) return b;
    }
  }
  const float x_scale = ScaleAt(graph_.values[x.scale].data, 1, 0);
  const int32_t channels = bias.count > w.count ? bias.count : w.count;
  for (int32_t c = 0; c < channels; ++c) {
    const double expected = static_cast<double>(x_scale) * ScaleAt(graph_.values[w.scale].data, w.count, c);
    const double actual = ScaleAt(graph_.values[bias.scale].data, bias.count, c);
    if (actual < expected * (1.0 - 1e-6) || actual > expected * (1.0 + 1e-6)) return b;
  }
  return bias.x;
}

// A Gemm bias the int8 kernel takes: a constant (maybe behind a
// DequantizeLinear) with one value per output column.
bool Lowering::PerColumn(int32_t bias, const Dq& w, bool trans_b) const {
  Dq dq;
  const Value& b = graph_.values[MatchDq(bias, &dq) ? dq.x : bias];
  const Value& weights = graph_.values[w.x];
  if (!b.is_constant() || !weights.is_constant() || weights.shape.rank != 2) return false;
  return b.shape.ElementCount() == weights.shape.dims[trans_b ? 0 : 1];
}

// ---- Rewriting

const OpDef* Lowering::Find(const char* op_type, const char* domain) const {
  if (graph_.resolver == nullptr) return nullptr;
  return graph_.resolver->Find(Str::FromCString(op_type), Str::FromCString(domain));
}

Status Lowering::Rewrite(int32_t n, const OpDef* op, const int32_t* inputs, int count) {
  int32_t* slots;
  TINYONNX_RETURN_IF_ERROR(NewInputList(count, &slots));
  for (int k = 0; k < count; ++k) slots[k] = inputs[k];
  Adopt(n, op, slots, count);
  return Status::kOk;
}

Status Lowering::NewInputList(int count, int32_t** slots) {
  *slots = NewGraphArray<int32_t>(graph_, arena_, static_cast<size_t>(count));
  if (*slots == nullptr) return errors_.Report(Status::kOutOfMemory, "arena full while lowering QDQ groups");
  return Status::kOk;
}

// Node n becomes `op` reading the `count` values in `slots`.
void Lowering::Adopt(int32_t n, const OpDef* op, int32_t* slots, int count) {
  Node& node = graph_.nodes[n];
  for (int k = 0; k < count; ++k) {
    if (slots[k] >= 0) graph_.values[slots[k]].consumers++;
  }
  for (uint16_t k = 0; k < node.input_count; ++k) {
    if (node.inputs[k] >= 0) graph_.values[node.inputs[k]].consumers--;
  }
  node.inputs = slots;
  node.input_count = static_cast<uint16_t>(count);
  node.op = op;
}

// Node n now writes the QuantizeLinear's output; the Q (and the Relu/Clip
// before it) disappear.
void Lowering::TakeOutput(int32_t n, const Q& q) {
  Node& node = graph_.nodes[n];
  graph_.values[node.outputs[0]].producer = -1;
  node.outputs[0] = q.y;
  graph_.values[q.y].producer = n;
  RemoveNode(graph_, q.node);
  graph_.nodes[q.node].outputs[0] = -1;  // the removed node no longer writes it
  stats_.fused_nodes++;
  if (q.activation >= 0) {
    Node& activation = graph_.nodes[q.activation];
    graph_.values[activation.outputs[0]].producer = -1;
    RemoveNode(graph_, q.activation);
    activation.outputs[0] = -1;
    stats_.fused_nodes++;
  }
}

// The float bounds of the Relu/Clip folded into the clamp (-1: none).
Status Lowering::ActivationBounds(const Q& q, int32_t* lo, int32_t* hi) {
  *lo = *hi = -1;
  if (q.activation < 0) return Status::kOk;
  const Node& a = graph_.nodes[q.activation];
  if (a.View().op_type == "Relu") return ZeroConstant(DType::kFloat, lo);
  *lo = a.input_count > 1 ? a.inputs[1] : -1;
  *hi = a.input_count > 2 ? a.inputs[2] : -1;
  return Status::kOk;
}

// Conv, Gemm and MatMul.
Status Lowering::LowerAccumulating(int32_t n, bool* lowered) {
  const Node& node = graph_.nodes[n];
  const bool conv = IsUnloweredOp(node, "Conv");
  const bool gemm = IsUnloweredOp(node, "Gemm");
  if (node.input_count < 2 || node.output_count != 1 || node.outputs[0] < 0) return Status::kOk;
  Dq x, w;
  Q q;
  if (!MatchDq(node.inputs[0], &x) || x.count != 1 || !MatchDq(node.inputs[1], &w) ||
      !MatchActivationAndQ(node.outputs[0], &q)) {
    return Status::kOk;
  }
  const int32_t bias = node.input_count > 2 ? node.inputs[2] : -1;
  const OpDef* op;
  if (conv) {
    op = Find("QLinearConv", "");
  } else if (gemm) {
    // transA 0, alpha 1, beta 1 and a per-column bias (else float).
    AttributeView attribute;
    const char* problem = nullptr;
    for (const char* name : {"transA", "alpha", "beta"}) {
      if (!node.View().FindAttribute(name, &attribute, &problem)) continue;
      const bool neutral = name[0] == 't' ? attribute.i == 0 : attribute.f == 1.0f;
      if (problem != nullptr || !neutral) return Status::kOk;
    }
    op = Find("QGemm", "com.microsoft");
  } else {
    if (bias >= 0) return Status::kOk;
    op = Find("QLinearMatMul", "");
  }
  if (op == nullptr) return Status::kOk;
  // Weights: constant (Conv: maybe behind a layout Transpose), per channel
  // along the output channels.
  if (!ExposeWeight(&w, conv ? 0 : 2, conv)) {
    if (!(IsUnloweredOp(node, "MatMul") && w.count == 1)) return Status::kOk;  // MatMul of two activations
  }
  AttributeView attribute;
  const char* problem = nullptr;
  const bool trans_b = gemm && node.View().FindAttribute("transB", &attribute, &problem) && attribute.i != 0;
  if (w.count > 1) {
    int64_t axis = 1;
    if (graph_.nodes[w.node].View().FindAttribute("axis", &attribute, &problem)) axis = attribute.i;
    const int64_t expected = conv || trans_b ? 0 : 1;
    if (axis < 0) axis += graph_.values[w.x].shape.rank;
    if (axis != expected) return Status::kOk;
  }
  if (gemm && bias >= 0 && !PerColumn(bias, w, trans_b)) return Status::kOk;
  int32_t lo, hi;
  TINYONNX_RETURN_IF_ERROR(ActivationBounds(q, &lo, &hi));
  const int32_t b = BiasInput(bias, x, w);
  int32_t inputs[11];
  int count;
  if (gemm) {
    const int32_t list[] = {x.x, x.scale, x.zero_point, w.x, w.scale, w.zero_point, b, q.scale, q.zero_point, lo, hi};
    count = 11;
    for (int k = 0; k < count; ++k) inputs[k] = list[k];
  } else {
    const int32_t list[] = {x.x, x.scale, x.zero_point, w.x, w.scale, w.zero_point, q.scale, q.zero_point, b, lo, hi};
    count = 11;
    for (int k = 0; k < count; ++k) inputs[k] = list[k];
  }
  TINYONNX_RETURN_IF_ERROR(Rewrite(n, op, inputs, count));
  TakeOutput(n, q);
  *lowered = true;
  return Status::kOk;
}

// Ops with one quantization on both sides (MaxPool, Reshape, ...).
Status Lowering::LowerPassThrough(int32_t n, bool* lowered) {
  const Node& node = graph_.nodes[n];
  Dq x;
  Q q;
  if (node.input_count < 1 || node.output_count < 1 || node.outputs[0] < 0 ||
      !MatchDq(node.inputs[0], &x) || !MatchQ(node.outputs[0], &q) || !SameQuantization(x, q)) {
    return Status::kOk;
  }
  for (uint16_t o = 1; o < node.output_count; ++o) {
    if (node.outputs[o] >= 0) return Status::kOk;  // MaxPool's Indices
  }
  const Str type = node.View().op_type;
  const OpDef* op = Find(node.op->op_type, "ai.tinyonnx");
  if (op == nullptr) return Status::kOk;
  int32_t inputs[kMaxRank];
  int count = 0;
  if (type == "MaxPool") {
    const int32_t list[] = {x.x, x.scale, x.zero_point, q.scale, q.zero_point};
    for (int32_t v : list) inputs[count++] = v;
  } else {
    // The value keeps its storage; a graph output must get its ONNX type.
    if (graph_.values[q.y].is_graph_output || node.input_count > kMaxRank) return Status::kOk;
    inputs[count++] = x.x;
    for (uint16_t k = 1; k < node.input_count; ++k) inputs[count++] = node.inputs[k];
  }
  TINYONNX_RETURN_IF_ERROR(Rewrite(n, op, inputs, count));
  TakeOutput(n, q);
  *lowered = true;
  return Status::kOk;
}

Status Lowering::LowerNode(int32_t n, bool* lowered) {
  *lowered = false;
  const Node& node = graph_.nodes[n];
  static const char* const kAccumulating[] = {"Conv", "Gemm", "MatMul"};
  static const char* const kUnary[] = {"Relu",      "Clip",      "Sigmoid", "Tanh",
                                       "HardSigmoid", "HardSwish", "LeakyRelu", "Elu"};
  if (IsAnyOf(node, kAccumulating, 3)) return LowerAccumulating(n, lowered);
  if (IsAnyOf(node, kPassThroughOps, kPassThroughCount)) return LowerPassThrough(n, lowered);
  if (node.output_count != 1 || node.outputs[0] < 0 || node.input_count < 1) return Status::kOk;
  Dq x;
  Q q;
  if (!MatchDq(node.inputs[0], &x) || x.count != 1) return Status::kOk;
  const bool quantized_output = MatchQ(node.outputs[0], &q);
  const OpDef* op = nullptr;
  int32_t inputs[8];
  int count = 0;
  if (IsUnloweredOp(node, "Softmax") && node.input_count == 1) {
    op = Find("QLinearSoftmax", "com.microsoft");
    const int32_t list[] = {x.x, x.scale, x.zero_point, q.scale, q.zero_point};
    for (int k = 0; k < (quantized_output ? 5 : 3); ++k) inputs[count++] = list[k];
    if (op == nullptr) return Status::kOk;
    TINYONNX_RETURN_IF_ERROR(Rewrite(n, op, inputs, count));
    if (quantized_output) TakeOutput(n, q);
    *lowered = true;
    return Status::kOk;
  }
  if (!quantized_output) return Status::kOk;
  if (IsUnloweredOp(node, "AveragePool") || IsUnloweredOp(node, "GlobalAveragePool")) {
    op = Find(node.View().op_type == "AveragePool" ? "QLinearAveragePool" : "QLinearGlobalAveragePool",
              "com.microsoft");
    const int32_t list[] = {x.x, x.scale, x.zero_point, q.scale, q.zero_point};
    for (int32_t v : list) inputs[count++] = v;
  } else if (IsUnloweredOp(node, "Add") || IsUnloweredOp(node, "Mul")) {
    Dq b;
    if (node.input_count != 2 || !MatchDq(node.inputs[1], &b) || b.count != 1) return Status::kOk;
    op = Find(node.View().op_type == "Add" ? "QLinearAdd" : "QLinearMul", "com.microsoft");
    const int32_t list[] = {x.x, x.scale, x.zero_point, b.x, b.scale, b.zero_point, q.scale, q.zero_point};
    for (int32_t v : list) inputs[count++] = v;
  } else if (IsUnloweredOp(node, "Concat")) {
    return LowerConcat(n, q, lowered);
  } else if (IsAnyOf(node, kUnary, sizeof(kUnary) / sizeof(kUnary[0]))) {
    if (IsUnloweredOp(node, "Clip") && !ClipBoundsAreInputs(node) && node.opset >= 11) return Status::kOk;
    op = Find("QLinearUnary", "ai.tinyonnx");
    const int32_t list[] = {x.x, x.scale, x.zero_point, q.scale, q.zero_point};
    for (int32_t v : list) inputs[count++] = v;
    for (uint16_t k = 1; k < node.input_count && k < 3; ++k) inputs[count++] = node.inputs[k];
  }
  if (op == nullptr) return Status::kOk;
  TINYONNX_RETURN_IF_ERROR(Rewrite(n, op, inputs, count));
  TakeOutput(n, q);
  *lowered = true;
  return Status::kOk;
}

// Concat reads any number of DequantizeLinear outputs: its input list is
// written straight into the graph (a local copy would need a bound).
Status Lowering::LowerConcat(int32_t n, const Q& q, bool* lowered) {
  const Node& node = graph_.nodes[n];
  const OpDef* op = Find("QLinearConcat", "com.microsoft");
  if (op == nullptr) return Status::kOk;
  Dq part;
  for (uint16_t k = 0; k < node.input_count; ++k) {
    if (!MatchDq(node.inputs[k], &part) || part.count != 1) return Status::kOk;
  }
  const int count = 2 + 3 * node.input_count;
  int32_t* slots;
  TINYONNX_RETURN_IF_ERROR(NewInputList(count, &slots));
  slots[0] = q.scale;
  slots[1] = q.zero_point;
  for (uint16_t k = 0; k < node.input_count; ++k) {
    MatchDq(node.inputs[k], &part);
    slots[2 + 3 * k] = part.x;
    slots[3 + 3 * k] = part.scale;
    slots[4 + 3 * k] = part.zero_point;
  }
  Adopt(n, op, slots, count);
  TakeOutput(n, q);
  *lowered = true;
  return Status::kOk;
}

// 8-bit output 0 (not float or int32).
bool ProducesEightBit(const Node& node) {
  if (node.removed || !IsQuantizedOp(node.op)) return false;
  const Str op = node.View().op_type;
  if (op == "DequantizeLinear" || op == "ConvInteger" || op == "MatMulInteger") return false;
  if (Str::FromCString(node.op->op_type) == "QLinearSoftmax") {
    return node.input_count > 3 && node.inputs[3] >= 0;
  }
  return true;
}

// Plain MaxPool, Reshape, ... between quantized ops (QOperator models)
// become their int8 versions. True if anything changed.
bool Lowering::ConvertPassThrough() {
  bool changed = false;
  for (uint32_t i = 0; i < graph_.node_count; ++i) {
    const int32_t n = graph_.order[i];
    Node& node = graph_.nodes[n];
    if (!IsAnyOf(node, kPassThroughOps, kPassThroughCount) || node.input_count < 1 ||
        node.inputs[0] < 0 || node.outputs[0] < 0) {
      continue;
    }
    bool single_output = true;
    for (uint16_t o = 1; o < node.output_count; ++o) single_output &= node.outputs[o] < 0;
    const int32_t producer = graph_.values[node.inputs[0]].producer;
    if (!single_output || producer < 0 || !ProducesEightBit(graph_.nodes[producer]) ||
        !IsInternalValue(graph_, node.outputs[0])) {
      continue;
    }
    const OpDef* op = Find(node.op->op_type, "ai.tinyonnx");
    if (op == nullptr) continue;
    node.op = op;
    changed = true;
  }
  return changed;
}

Status Lowering::Run() {
  TINYONNX_RETURN_IF_ERROR(FillZeroPoints());
  for (uint32_t i = 0; i < graph_.node_count; ++i) {
    const int32_t n = graph_.order[i];
    if (graph_.nodes[n].removed || graph_.nodes[n].op == nullptr) continue;
    bool lowered;
    TINYONNX_RETURN_IF_ERROR(LowerNode(n, &lowered));
  }
  for (uint32_t round = 0; round < graph_.node_count && ConvertPassThrough(); ++round) {
  }
  RemoveDeadNodes(graph_);
  return SortTopologically(&graph_, arena_, errors_);
}

}  // namespace

Status LowerQdq(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats) {
  Lowering lowering(graph, arena, errors, stats);
  return lowering.Run();
}

extern const GraphPass kLowerQdqPass{GraphPass::kLowerQdq, LowerQdq, nullptr};

}  // namespace tinyonnx
