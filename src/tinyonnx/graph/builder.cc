#include "tinyonnx/graph/builder.h"

#include "tinyonnx/graph/tensor_data.h"

namespace tinyonnx {
namespace {

using namespace onnx_field;

// Open-addressing map from value name to value index, in temp memory; 16-bit
// slots keep it small (graphs have fewer than kMaxValues values).
class NameTable {
 public:
  static constexpr uint32_t kMaxValues = 0xFFFF;

  Status Init(uint32_t capacity_hint, Arena& arena, ErrorReporter& errors) {
    capacity_ = 16;
    while (capacity_ < capacity_hint * 2) capacity_ *= 2;
    slots_ = arena.NewTempArray<uint16_t>(capacity_);
    if (slots_ == nullptr) {
      return errors.Report(Status::kOutOfMemory,
                           "arena too small to index %u value names; give a larger arena",
                           static_cast<unsigned>(capacity_hint));
    }
    for (uint32_t i = 0; i < capacity_; ++i) slots_[i] = kEmpty;
    return Status::kOk;
  }
  // Returns the index stored under `name`, or -1.
  int32_t Find(const Graph& graph, Str name) const {
    for (uint32_t slot = Hash(name);; slot = (slot + 1) & (capacity_ - 1)) {
      if (slots_[slot] == kEmpty) return -1;
      if (graph.values[slots_[slot]].name == name) return slots_[slot];
    }
  }
  void Insert(const Graph& graph, int32_t value) {
    uint32_t slot = Hash(graph.values[value].name);
    while (slots_[slot] != kEmpty) slot = (slot + 1) & (capacity_ - 1);
    slots_[slot] = static_cast<uint16_t>(value);
  }

 private:
  static constexpr uint16_t kEmpty = 0xFFFF;

  uint32_t Hash(Str name) const {
    uint32_t h = 2166136261u;  // FNV-1a
    for (uint32_t i = 0; i < name.size; ++i) h = (h ^ static_cast<uint8_t>(name.data[i])) * 16777619u;
    return h & (capacity_ - 1);
  }
  uint16_t* slots_ = nullptr;
  uint32_t capacity_ = 0;
};

class Builder {
 public:
  Builder(const OpResolver& resolver, const BuildOptions& options, Arena& arena,
          ErrorReporter& errors, Graph* graph, BuildStats* stats)
      : resolver_(resolver), options_(options), arena_(arena), errors_(errors), graph_(*graph),
        stats_(*stats) {}

  Status Build(const uint8_t* model, size_t size);

 private:
  Status CheckModel(const uint8_t* model, size_t size);
  Status CheckOps();
  Status AllocateTables();
  Status AddValue(Str name, int32_t* index);
  Status AddInitializers();
  Status AddGraphInputs();
  Status ResolveInputShape(const ValueInfoView& info, Value* value);
  Status AddNodes();
  Status ConnectNodeInputs();
  Status AddGraphOutputs();

  template <typename T>
  Status Allocate(T** out, size_t count, const char* what) {
    *out = NewGraphArray<T>(graph_, arena_, count);
    if (*out == nullptr && count != 0) {
      return errors_.Report(Status::kOutOfMemory,
                            "arena too small for the %s of this model (%zu entries); give a "
                            "larger arena (tinyonnx info prints the size needed)",
                            what, count);
    }
    for (size_t i = 0; i < count; ++i) new (&(*out)[i]) T();
    return Status::kOk;
  }

  const OpResolver& resolver_;
  const BuildOptions& options_;
  Arena& arena_;
  ErrorReporter& errors_;
  Graph& graph_;
  BuildStats& stats_;
  NameTable names_;
};

Status Builder::CheckModel(const uint8_t* model, size_t size) {
  if (size >= static_cast<size_t>(kMaxTensorBytes)) {
    return errors_.Report(Status::kInvalidModel, "model of %zu bytes is above protobuf's 2 GiB limit",
                          size);
  }
  const char* problem = ModelView::Parse(Bytes{model, static_cast<uint32_t>(size)}, &graph_.model);
  if (problem != nullptr) return errors_.Report(Status::kInvalidModel, "%s", problem);
  const ModelView& m = graph_.model;
  if (!m.has_graph) return errors_.Report(Status::kInvalidModel, "the model has no graph");
  if (m.ir_version < 3 || m.ir_version > 9) {
    return errors_.Report(Status::kUnsupported,
                          "IR version %lld is not supported (tinyonnx reads IR versions 3 to 9)",
                          static_cast<long long>(m.ir_version));
  }
  for (uint32_t i = 0; i < m.opset_count; ++i) {
    OpsetView opset;
    if (!m.GetOpset(i, &opset)) return errors_.Report(Status::kInvalidModel, "malformed opset_import");
  }
  graph_.opset = m.OpsetVersion(Str());
  if (graph_.opset == 0 && m.opset_count == 0) graph_.opset = 1;  // IR 3 default
  if (graph_.opset < 1 || graph_.opset > kMaxOpset) {
    return errors_.Report(Status::kUnsupported,
                          "default-domain opset %lld is not supported (tinyonnx knows opsets 1 "
                          "to %lld)",
                          static_cast<long long>(graph_.opset), static_cast<long long>(kMaxOpset));
  }
  problem = GraphView::Parse(m.graph, &graph_.view);
  if (problem != nullptr) return errors_.Report(Status::kInvalidModel, "%s", problem);
  if (graph_.view.sparse_initializer_count != 0) {
    return errors_.Report(Status::kUnsupported, "sparse initializers are not supported");
  }
  return Status::kOk;
}

// Lists every op the resolver lacks in one message.
Status Builder::CheckOps() {
  char list[160];
  size_t used = 0;
  int missing = 0;
  bool ok = ForEachUnsupportedOp(graph_.model, resolver_, [&](const NodeView& node) {
    ++missing;
    if (used + node.op_type.size + node.domain.size + 32 < sizeof(list)) {
      const char* separator = missing > 1 ? ", " : "";
      for (const char* s = separator; *s; ++s) list[used++] = *s;
      for (uint32_t k = 0; k < node.domain.size; ++k) list[used++] = node.domain.data[k];
      if (!node.domain.empty()) list[used++] = '.';
      for (uint32_t k = 0; k < node.op_type.size; ++k) list[used++] = node.op_type.data[k];
      if (node.op_type.empty()) {
        for (const char* s = "(a node without op_type)"; *s; ++s) list[used++] = *s;
      }
    }
  });
  list[used] = '\0';
  if (!ok) return errors_.Report(Status::kInvalidModel, "malformed node in the graph");
  if (missing == 0) return Status::kOk;
  return errors_.Report(Status::kUnsupported, "unsupported op%s: %s", missing > 1 ? "s" : "",
                        list);
}

Status Builder::AllocateTables() {
  const GraphView& g = graph_.view;
  uint32_t outputs = 0;
  uint32_t io_slots = 0;
  uint32_t transposes = 0;
  uint32_t binaries = 0;
  const char* problem = nullptr;
  ForEachField(g.message, kGraphNode, [&](WireReader& r) {
    NodeView node;
    problem = NodeView::Parse(r.bytes(), &node);
    if (problem != nullptr) return false;
    outputs += node.output_count;
    io_slots += node.input_count + node.output_count;
    transposes += node.op_type == "Transpose";
    binaries += node.op_type == "Add" || node.op_type == "Sub" || node.op_type == "Mul" ||
                node.op_type == "Div";
    return true;
  });
  if (problem != nullptr) return errors_.Report(Status::kInvalidModel, "%s", problem);
  // Room for the values graph passes add: LowerQdq's zero constants (3) and
  // SinkTransposes' relaid constants (one when a Transpose passes a binary op
  // with a constant operand; when the room is used up a Transpose just stays
  // where it is).
  const uint32_t relaid = transposes < binaries ? transposes : binaries;
  graph_.value_capacity = g.initializer_count + g.input_count + outputs + relaid + 4;
  if (graph_.value_capacity >= NameTable::kMaxValues) {
    return errors_.Report(Status::kUnsupported,
                          "the graph needs %u values (initializers, inputs, node outputs); "
                          "tinyonnx builds graphs of fewer than %u",
                          static_cast<unsigned>(graph_.value_capacity),
                          static_cast<unsigned>(NameTable::kMaxValues));
  }
  if (g.node_count >= kMaxNodes) {
    return errors_.Report(Status::kUnsupported,
                          "the graph has %u nodes; tinyonnx builds graphs of fewer than %u",
                          static_cast<unsigned>(g.node_count), static_cast<unsigned>(kMaxNodes));
  }
  TINYONNX_RETURN_IF_ERROR(Allocate(&graph_.values, graph_.value_capacity, "values"));
  TINYONNX_RETURN_IF_ERROR(Allocate(&graph_.nodes, g.node_count, "nodes"));
  TINYONNX_RETURN_IF_ERROR(Allocate(&graph_.order, g.node_count, "node order"));
  TINYONNX_RETURN_IF_ERROR(Allocate(&graph_.inputs, g.input_count, "graph inputs"));
  TINYONNX_RETURN_IF_ERROR(Allocate(&graph_.outputs, g.output_count, "graph outputs"));
  int32_t* slots;
  TINYONNX_RETURN_IF_ERROR(Allocate(&slots, io_slots, "node inputs and outputs"));
  graph_.node_count = g.node_count;
  // Hand out each node's slice of `slots` in node order.
  uint32_t n = 0;
  ForEachField(g.message, kGraphNode, [&](WireReader& r) {
    Node& node = graph_.nodes[n++];
    node.message = r.bytes();
    const NodeView view = node.View();
    if (view.input_count > 65535 || view.output_count > 65535) return false;
    node.input_count = static_cast<uint16_t>(view.input_count);
    node.output_count = static_cast<uint16_t>(view.output_count);
    node.inputs = slots;
    slots += node.input_count;
    node.outputs = slots;
    slots += node.output_count;
    return true;
  });
  return Status::kOk;
}

Status Builder::AddValue(Str name, int32_t* index) {
  if (names_.Find(graph_, name) >= 0) {
    return errors_.Report(Status::kInvalidModel, "the name '%.*s' is defined twice",
                          name.length(), name.data);
  }
  if (graph_.value_count == graph_.value_capacity) {
    return errors_.Report(Status::kInternal, "value table overflow");
  }
  *index = static_cast<int32_t>(graph_.value_count++);
  graph_.values[*index].name = name;
  names_.Insert(graph_, *index);
  return Status::kOk;
}

Status Builder::AddInitializers() {
  Status status = Status::kOk;
  ForEachField(graph_.view.message, kGraphInitializer, [&](WireReader& r) {
    TensorView tensor;
    const char* problem = TensorView::Parse(r.bytes(), &tensor);
    if (problem != nullptr) {
      status = errors_.Report(Status::kInvalidModel, "initializer: %s", problem);
      return false;
    }
    if (tensor.name.empty()) {
      status = errors_.Report(Status::kInvalidModel, "an initializer has no name");
      return false;
    }
    int32_t index;
    status = AddValue(tensor.name, &index);
    if (status != Status::kOk) return false;
    Value& value = graph_.values[index];
    status = MaterializeTensor(tensor, arena_, errors_, &value, &stats_.copied_constant_bytes);
    return status == Status::kOk;
  });
  return status;
}

Status Builder::ResolveInputShape(const ValueInfoView& info, Value* value) {
  const int name_length = info.name.length();
  if (!info.is_tensor) {
    return errors_.Report(Status::kUnsupported, "input '%.*s' is not a tensor", name_length,
                          info.name.data);
  }
  if (!DTypeSupported(info.dtype)) {
    return errors_.Report(Status::kUnsupported, "input '%.*s' has dtype %s", name_length,
                          info.name.data, DTypeName(info.dtype));
  }
  if (!info.has_shape) {
    return errors_.Report(Status::kUnsupported,
                          "input '%.*s' has no shape; tinyonnx needs static input shapes",
                          name_length, info.name.data);
  }
  value->dtype = info.dtype;
  value->shape.rank = info.rank;
  for (int d = 0; d < info.rank; ++d) {
    const DimView& dim = info.dims[d];
    if (dim.has_value && dim.value < 0) {
      return errors_.Report(Status::kInvalidModel, "dimension %d of input '%.*s' is negative (%lld)", d,
                            name_length, info.name.data, static_cast<long long>(dim.value));
    }
    int64_t resolved = -1;
    for (size_t b = 0; b < options_.dim_count; ++b) {
      if (!dim.param.empty() && dim.param == options_.dims[b].name) resolved = options_.dims[b].value;
    }
    if (resolved < 0 && dim.has_value) resolved = dim.value;
    if (resolved < 0 && d == 0) resolved = options_.batch;
    if (resolved < 0) {
      return errors_.Report(Status::kUnsupported,
                            "dimension %d of input '%.*s' is symbolic ('%.*s'); give its value "
                            "(tinyonnx run --dim %.*s=N)",
                            d, name_length, info.name.data, dim.param.length(), dim.param.data,
                            dim.param.length(), dim.param.data);
    }
    if (resolved > 0x7FFFFFFF) {
      return errors_.Report(Status::kUnsupported, "dimension %d of input '%.*s' is too large", d,
                            name_length, info.name.data);
    }
    value->shape.dims[d] = static_cast<int32_t>(resolved);
  }
  if (value->ByteSize() < 0 || value->ByteSize() >= kMaxTensorBytes) {
    return errors_.Report(Status::kUnsupported, "input '%.*s' is larger than 2 GiB", name_length,
                          info.name.data);
  }
  value->shape_known = true;
  return Status::kOk;
}

Status Builder::AddGraphInputs() {
  Status status = Status::kOk;
  ForEachField(graph_.view.message, kGraphInput, [&](WireReader& r) {
    ValueInfoView info;
    const char* problem = ValueInfoView::Parse(r.bytes(), &info);
    if (problem != nullptr) {
      status = errors_.Report(Status::kInvalidModel, "graph input: %s", problem);
      return false;
    }
    // Before IR 4, initializers were also listed as inputs; they stay constants.
    int32_t existing = names_.Find(graph_, info.name);
    if (existing >= 0 && graph_.values[existing].is_constant()) return true;
    int32_t index;
    status = AddValue(info.name, &index);
    if (status == Status::kOk) status = ResolveInputShape(info, &graph_.values[index]);
    if (status != Status::kOk) return false;
    graph_.values[index].kind = ValueKind::kGraphInput;
    graph_.inputs[graph_.input_count++] = index;
    return true;
  });
  return status;
}

Status Builder::AddNodes() {
  for (uint32_t n = 0; n < graph_.node_count; ++n) {
    Node& node = graph_.nodes[n];
    const NodeView view = node.View();
    node.op = resolver_.Find(view.op_type, view.domain);
    const int64_t opset = (view.domain.empty() || view.domain == "ai.onnx")
                              ? graph_.opset
                              : graph_.model.OpsetVersion(view.domain);
    if (opset == 0) {
      return errors_.Report(Status::kInvalidModel,
                            "node '%.*s' uses domain '%.*s', which the model does not import",
                            view.name.length(), view.name.data,
                            view.domain.length(), view.domain.data);
    }
    if (opset < 1 || opset > 0x7FFFFFFF) {
      return errors_.Report(Status::kInvalidModel, "domain '%.*s' has opset version %lld",
                            view.domain.length(), view.domain.data,
                            static_cast<long long>(opset));
    }
    node.opset = static_cast<int32_t>(opset);
    uint32_t k = 0;
    Status status = Status::kOk;
    ForEachField(node.message, kNodeOutput, [&](WireReader& r) {
      int32_t index = -1;
      if (!r.str().empty()) {
        status = AddValue(r.str(), &index);
        if (status != Status::kOk) return false;
        graph_.values[index].producer = static_cast<int32_t>(n);
      }
      node.outputs[k++] = index;
      return true;
    });
    if (status != Status::kOk) return status;
  }
  return Status::kOk;
}

Status Builder::ConnectNodeInputs() {
  for (uint32_t n = 0; n < graph_.node_count; ++n) {
    Node& node = graph_.nodes[n];
    uint32_t k = 0;
    Status status = Status::kOk;
    const NodeView view = node.View();
    ForEachField(node.message, kNodeInput, [&](WireReader& r) {
      int32_t index = -1;
      if (!r.str().empty()) {
        index = names_.Find(graph_, r.str());
        if (index < 0) {
          status = errors_.Report(Status::kInvalidModel,
                                  "node '%.*s' (%.*s) reads '%.*s', which nothing defines",
                                  view.name.length(), view.name.data,
                                  view.op_type.length(), view.op_type.data,
                                  r.str().length(), r.str().data);
          return false;
        }
        graph_.values[index].consumers++;
      }
      node.inputs[k++] = index;
      return true;
    });
    if (status != Status::kOk) return status;
  }
  return Status::kOk;
}

Status Builder::AddGraphOutputs() {
  Status status = Status::kOk;
  ForEachField(graph_.view.message, kGraphOutput, [&](WireReader& r) {
    ValueInfoView info;
    const char* problem = ValueInfoView::Parse(r.bytes(), &info);
    if (problem != nullptr) {
      status = errors_.Report(Status::kInvalidModel, "graph output: %s", problem);
      return false;
    }
    int32_t index = names_.Find(graph_, info.name);
    if (index < 0) {
      status = errors_.Report(Status::kInvalidModel, "graph output '%.*s' is never produced",
                              info.name.length(), info.name.data);
      return false;
    }
    graph_.values[index].is_graph_output = true;
    graph_.outputs[graph_.output_count++] = GraphOutput{info.name, index};
    return true;
  });
  return status;
}

Status Builder::Build(const uint8_t* model, size_t size) {
  TINYONNX_RETURN_IF_ERROR(CheckModel(model, size));
  TINYONNX_RETURN_IF_ERROR(CheckOps());
  TINYONNX_RETURN_IF_ERROR(AllocateTables());
  // The name index is needed while building only; the tables stay.
  size_t temp_mark = arena_.TempMark();
  TINYONNX_RETURN_IF_ERROR(names_.Init(graph_.value_capacity, arena_, errors_));
  TINYONNX_RETURN_IF_ERROR(AddInitializers());
  TINYONNX_RETURN_IF_ERROR(AddGraphInputs());
  TINYONNX_RETURN_IF_ERROR(AddNodes());
  TINYONNX_RETURN_IF_ERROR(ConnectNodeInputs());
  TINYONNX_RETURN_IF_ERROR(AddGraphOutputs());
  arena_.ReleaseTemp(temp_mark);
  if (graph_.output_count == 0) return errors_.Report(Status::kInvalidModel, "the graph has no outputs");
  return SortTopologically(&graph_, arena_, errors_);
}

}  // namespace

Status BuildGraph(const uint8_t* model, size_t size, const OpResolver& resolver,
                  const BuildOptions& options, Arena& arena, ErrorReporter& errors, Graph* graph,
                  BuildStats* stats) {
  *graph = Graph();
  graph->resolver = &resolver;
  graph->kept = options.keep_graph;
  *stats = BuildStats();
  Builder builder(resolver, options, arena, errors, graph, stats);
  return builder.Build(model, size);
}

Status SortTopologically(Graph* graph, Arena& arena, ErrorReporter& errors) {
  // Kahn's algorithm: a node is ready once every input's producer is placed.
  size_t mark = arena.TempMark();
  uint32_t n = graph->node_count;
  int32_t* pending = arena.NewTempArray<int32_t>(n + 1);
  if (pending == nullptr) return errors.Report(Status::kOutOfMemory, "arena too small to sort the graph");
  for (uint32_t i = 0; i < n; ++i) {
    pending[i] = 0;
    const Node& node = graph->nodes[i];
    for (uint16_t k = 0; k < node.input_count; ++k) {
      int32_t v = node.inputs[k];
      if (v >= 0 && graph->values[v].producer >= 0) pending[i]++;
    }
  }
  uint32_t placed = 0;
  // Ready nodes are appended to order[]; order[head..placed) is the queue.
  for (uint32_t i = 0; i < n; ++i) {
    if (pending[i] == 0) graph->order[placed++] = static_cast<int32_t>(i);
  }
  for (uint32_t head = 0; head < placed; ++head) {
    const Node& node = graph->nodes[graph->order[head]];
    for (uint16_t o = 0; o < node.output_count; ++o) {
      int32_t v = node.outputs[o];
      if (v < 0) continue;
      for (uint32_t j = 0; j < n; ++j) {
        const Node& consumer = graph->nodes[j];
        for (uint16_t k = 0; k < consumer.input_count; ++k) {
          if (consumer.inputs[k] == v && --pending[j] == 0) graph->order[placed++] = static_cast<int32_t>(j);
        }
      }
    }
  }
  if (placed == n) {
    arena.ReleaseTemp(mark);
    return Status::kOk;
  }
  // pending[i] > 0 marks the nodes never placed. Walking from one of them to
  // an unplaced producer n times is sure to end on the cycle itself.
  uint32_t at = 0;
  while (pending[at] == 0) ++at;
  for (uint32_t step = 0; step < n; ++step) {
    const Node& node = graph->nodes[at];
    for (uint16_t k = 0; k < node.input_count; ++k) {
      int32_t v = node.inputs[k];
      int32_t producer = v >= 0 ? graph->values[v].producer : -1;
      if (producer >= 0 && pending[producer] > 0) {
        at = static_cast<uint32_t>(producer);
        break;
      }
    }
  }
  arena.ReleaseTemp(mark);
  const NodeView view = graph->nodes[at].View();
  return errors.Report(Status::kInvalidModel,
                       "the graph has a cycle through node '%.*s' (%.*s)", view.name.length(),
                       view.name.data, view.op_type.length(), view.op_type.data);
}

}  // namespace tinyonnx
