#include "tinyonnx/graph/passes.h"

#include <cmath>
#include <cstring>

#include "tinyonnx/graph/builder.h"
#include "tinyonnx/graph/op.h"

namespace tinyonnx {

// SoleConsumer and ReadPerm are shared with LowerQdq (passes.h).
int32_t SoleConsumer(const Graph& graph, int32_t v) {
  if (v < 0 || graph.values[v].is_graph_output || graph.values[v].consumers != 1) return -1;
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    const Node& node = graph.nodes[n];
    if (node.removed) continue;
    for (uint16_t k = 0; k < node.input_count; ++k) {
      if (node.inputs[k] == v) return static_cast<int32_t>(n);
    }
  }
  return -1;
}

bool ReadPerm(const Node& node, int64_t* perm, int* rank) {
  AttributeView attribute;
  const char* problem = nullptr;
  if (!node.View().FindAttribute("perm", &attribute, &problem) || problem != nullptr ||
      attribute.type != AttributeView::kInts || attribute.count > kMaxRank) {
    return false;
  }
  RepeatedScalar ints = attribute.ints();
  uint64_t raw;
  *rank = 0;
  while (ints.Next(&raw)) {
    if (*rank == kMaxRank) return false;
    perm[(*rank)++] = static_cast<int64_t>(raw);
  }
  if (ints.error()) return false;
  // Passes only move valid permutations; a bad perm is left for Transpose's
  // own checks to report (the passes index arrays with its entries).
  bool seen[kMaxRank] = {};
  for (int i = 0; i < *rank; ++i) {
    if (perm[i] < 0 || perm[i] >= *rank || seen[perm[i]]) return false;
    seen[perm[i]] = true;
  }
  return true;
}

namespace {

bool IsIdentityComposition(const int64_t* first, const int64_t* second, int rank) {
  // Applying `first` then `second` moves output axis i to first[second[i]].
  for (int i = 0; i < rank; ++i) {
    if (second[i] < 0 || second[i] >= rank || first[second[i]] != i) return false;
  }
  return true;
}

bool IsUnaryElementwise(const Node& node) {
  static const char* const kOps[] = {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "Elu",
                                     "HardSigmoid", "HardSwish", "Abs", "Neg", "Exp",
                                     "Log", "Sqrt", "Reciprocal", "Floor", "Ceil", "Clip"};
  for (const char* op : kOps) {
    if (node.IsOp(op)) return true;
  }
  return false;
}

bool IsBinaryElementwise(const Node& node) {
  return node.IsOp("Add") || node.IsOp("Sub") || node.IsOp("Mul") || node.IsOp("Div");
}

// Moves Transpose t below its consumer u (x -T-> a -U-> b becomes
// x -U-> a -T-> b), reusing both values.
void SwapTransposeBelow(Graph& graph, int32_t t, int32_t u) {
  Node& transpose = graph.nodes[t];
  Node& consumer = graph.nodes[u];
  int32_t x = transpose.inputs[0];
  int32_t a = transpose.outputs[0];
  int32_t b = consumer.outputs[0];
  for (uint16_t k = 0; k < consumer.input_count; ++k) {
    if (consumer.inputs[k] == a) {
      consumer.inputs[k] = x;
      graph.values[x].consumers++;
      graph.values[a].consumers--;
    }
  }
  consumer.outputs[0] = a;
  graph.values[a].producer = u;
  transpose.inputs[0] = a;
  graph.values[a].consumers++;
  graph.values[x].consumers--;
  transpose.outputs[0] = b;
  graph.values[b].producer = t;
}

// For a binary op whose other operand is a constant broadcast against the
// transposed tensor: the constant, reshaped for the untransposed layout,
// when its bytes stay valid (its non-1 axes keep their relative order).
int32_t RelayoutConstant(Graph& graph, int32_t c, const int64_t* perm, int rank) {
  const Value& constant = graph.values[c];
  if (!constant.is_constant() || constant.shape.rank > rank ||
      graph.value_count == graph.value_capacity) {
    return -1;
  }
  int32_t aligned[kMaxRank];
  int pad = rank - constant.shape.rank;
  for (int j = 0; j < rank; ++j) aligned[j] = j < pad ? 1 : constant.shape.dims[j - pad];
  Shape moved;
  moved.rank = rank;
  int64_t last_target = -1;
  for (int j = 0; j < rank; ++j) {
    moved.dims[perm[j]] = aligned[j];
    if (aligned[j] != 1) {
      if (perm[j] < last_target) return -1;
      last_target = perm[j];
    }
  }
  int32_t index = static_cast<int32_t>(graph.value_count++);
  Value& value = graph.values[index];
  value = constant;
  value.shape = moved;
  value.consumers = 0;
  value.is_graph_output = false;
  value.producer = -1;
  return index;
}

bool TrySinkThroughBinary(Graph& graph, int32_t t, int32_t u, const int64_t* perm, int rank) {
  Node& consumer = graph.nodes[u];
  if (consumer.input_count != 2) return false;
  int32_t a = graph.nodes[t].outputs[0];
  int transposed = consumer.inputs[0] == a ? 0 : 1;
  if (consumer.inputs[transposed] != a || consumer.inputs[1 - transposed] == a) return false;
  int32_t other = consumer.inputs[1 - transposed];
  if (other < 0) return false;
  int32_t relaid = RelayoutConstant(graph, other, perm, rank);
  if (relaid < 0) return false;
  consumer.inputs[1 - transposed] = relaid;
  graph.values[other].consumers--;
  graph.values[relaid].consumers++;
  SwapTransposeBelow(graph, t, u);
  return true;
}

}  // namespace

void RemoveNode(Graph& graph, int32_t n) {
  Node& node = graph.nodes[n];
  if (node.removed) return;
  node.removed = true;
  for (uint16_t k = 0; k < node.input_count; ++k) {
    if (node.inputs[k] >= 0) graph.values[node.inputs[k]].consumers--;
  }
}

void RemoveIdentities(Graph& graph) {
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    Node& node = graph.nodes[n];
    bool identity = node.IsOp("Identity") && node.input_count == 1;
    if (node.IsOp("Dropout") && node.input_count >= 1) {
      bool mask_used = node.output_count > 1 && node.outputs[1] >= 0 &&
                       (graph.values[node.outputs[1]].consumers != 0 ||
                        graph.values[node.outputs[1]].is_graph_output);
      // training_mode (opset 12+) must be a constant false to drop the node.
      bool training = false;
      if (node.input_count > 2 && node.inputs[2] >= 0) {
        const Value& mode = graph.values[node.inputs[2]];
        training = !mode.is_constant() || mode.dtype != DType::kBool ||
                   *static_cast<const uint8_t*>(mode.data) != 0;
      }
      identity = !mask_used && !training;
    }
    if (!identity || node.inputs[0] < 0 || node.outputs[0] < 0) continue;
    graph.ReplaceUses(node.outputs[0], node.inputs[0]);
    RemoveNode(graph, static_cast<int32_t>(n));
  }
}

Status SinkTransposes(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats) {
  bool changed = true;
  for (uint32_t round = 0; changed && round <= graph.node_count; ++round) {
    changed = false;
    for (uint32_t t = 0; t < graph.node_count; ++t) {
      Node& transpose = graph.nodes[t];
      if (!transpose.IsOp("Transpose") || transpose.inputs[0] < 0) continue;
      int64_t perm[kMaxRank];
      int rank;
      if (!ReadPerm(transpose, perm, &rank)) continue;
      int32_t u = SoleConsumer(graph, transpose.outputs[0]);
      if (u < 0) continue;
      Node& consumer = graph.nodes[u];
      int64_t next[kMaxRank];
      int next_rank;
      if (consumer.IsOp("Transpose") && ReadPerm(consumer, next, &next_rank) &&
          next_rank == rank && IsIdentityComposition(perm, next, rank)) {
        // x -T-> a -T'-> b with T'T = identity: readers of b read x.
        graph.ReplaceUses(consumer.outputs[0], transpose.inputs[0]);
        RemoveNode(graph, u);
        RemoveNode(graph, static_cast<int32_t>(t));
        stats->removed_transposes += 2;
        changed = true;
      } else if (IsUnaryElementwise(consumer) && consumer.inputs[0] == transpose.outputs[0] &&
                 consumer.output_count == 1) {
        // Constant side inputs (Clip bounds) are scalars and need no change.
        SwapTransposeBelow(graph, static_cast<int32_t>(t), u);
        changed = true;
      } else if (IsBinaryElementwise(consumer) &&
                 TrySinkThroughBinary(graph, static_cast<int32_t>(t), u, perm, rank)) {
        changed = true;
      }
    }
  }
  return SortTopologically(&graph, arena, errors);
}

extern const GraphPass kSinkTransposesPass{GraphPass::kSinkTransposes, SinkTransposes, nullptr};

Status RunPassIfRegistered(GraphPass::Order order, Graph& graph, Arena& arena,
                           ErrorReporter& errors, PrepareStats* stats) {
  const OpResolver* resolver = graph.resolver;
  for (size_t k = 0; resolver != nullptr && k < resolver->count; ++k) {
    const GraphPass* pass = resolver->ops[k]->pass;
    if (pass != nullptr && pass->order == order) return pass->run(graph, arena, errors, stats);
  }
  return Status::kOk;
}

// Copies an unaligned constant into aligned persistent memory; later readers
// share the copy.
Status AlignConstant(Value& value, Arena& arena, ErrorReporter& errors, PrepareStats* stats) {
  if (!value.unaligned) return Status::kOk;
  size_t bytes = static_cast<size_t>(value.ByteSize());
  void* copy = arena.AllocatePersistent(bytes == 0 ? 1 : bytes, 16);
  if (copy == nullptr) {
    return errors.Report(Status::kOutOfMemory, "arena full while aligning constant '%.*s' (%zu bytes)",
                         value.name.length(), value.name.data, bytes);
  }
  std::memcpy(copy, value.data, bytes);
  value.data = copy;
  value.data_in_model = false;
  value.unaligned = false;
  stats->aligned_copy_bytes += bytes;
  return Status::kOk;
}

// Aligns the node's constant inputs that its kernels cannot read byte-wise.
Status AlignConstantInputs(Graph& graph, Node& node, Arena& arena, ErrorReporter& errors,
                           PrepareStats* stats) {
  for (uint16_t k = 0; k < node.input_count; ++k) {
    if (node.inputs[k] < 0 || (k < 32 && (node.op->unaligned_inputs >> k) & 1u)) continue;
    TINYONNX_RETURN_IF_ERROR(AlignConstant(graph.values[node.inputs[k]], arena, errors, stats));
  }
  return Status::kOk;
}

Status PrepareNodes(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats) {
  graph.prepared = NewGraphArray<PreparedNode>(graph, arena, graph.node_count);
  if (graph.prepared == nullptr && graph.node_count != 0) {
    return errors.Report(Status::kOutOfMemory, "arena too small for the kernels of %u nodes",
                         static_cast<unsigned>(graph.node_count));
  }
  for (uint32_t n = 0; n < graph.node_count; ++n) new (&graph.prepared[n]) PreparedNode();
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    int32_t n = graph.order[i];
    Node& node = graph.nodes[n];
    if (node.removed) continue;
    OpContext ctx(graph, n, arena, errors);
    Status status = AlignConstantInputs(graph, node, arena, errors, stats);
    const size_t params_mark = arena.PersistentMark();
    if (status == Status::kOk) status = node.op->prepare(ctx);
    if (status == Status::kOk) {
      for (uint16_t o = 0; o < node.output_count; ++o) {
        if (node.outputs[o] >= 0 && !graph.values[node.outputs[o]].shape_known) {
          status = errors.Report(Status::kInternal, "output %u has no shape after prepare", o);
        }
      }
    }
    if (status == Status::kOk) status = FoldIfConstant(graph, n, arena, errors, stats);
    const GraphPass* pass = node.op->pass;
    if (status == Status::kOk && !node.removed && pass != nullptr && pass->fuse != nullptr) {
      status = pass->fuse(graph, n, params_mark, arena, errors, stats);
    }
    if (status != Status::kOk) {
      const NodeView view = node.View();
      errors.Prefix("node '%.*s' (%.*s): ", view.name.length(), view.name.data,
                    view.op_type.length(), view.op_type.data);
      return status;
    }
  }
  return Status::kOk;
}

}  // namespace tinyonnx
