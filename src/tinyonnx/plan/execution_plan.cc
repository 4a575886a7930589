#include "tinyonnx/plan/execution_plan.h"

#include "tinyonnx/plan/memory_plan.h"

namespace tinyonnx {
namespace {

class Planner {
 public:
  Planner(Graph& graph, Arena& arena, ErrorReporter& errors, ExecutionPlan* plan,
          MemoryReport* report)
      : graph_(graph), arena_(arena), errors_(errors), plan_(*plan), report_(*report) {}

  Status Run();

 private:
  Status AllocateSteps();
  Status CollectBuffers();
  void MergeInPlace();
  void TieOverlaps();
  void ResolvePointers();
  bool HasStorage(int32_t value) const {
    const Value& v = graph_.values[value];
    return v.alias_of < 0 && !v.is_constant();
  }
  int32_t BufferOf(int32_t value) const { return buffer_of_[graph_.StorageRoot(value)]; }

  Graph& graph_;
  Arena& arena_;
  ErrorReporter& errors_;
  ExecutionPlan& plan_;
  MemoryReport& report_;
  int32_t* buffer_of_ = nullptr;  // root value -> buffer, or -1 (temp)
  BufferRequest* buffers_ = nullptr;
  size_t* offsets_ = nullptr;
  uint32_t buffer_count_ = 0;
};

Status Planner::AllocateSteps() {
  uint32_t steps = 0;
  uint32_t slots = 0;
  for (uint32_t i = 0; i < graph_.node_count; ++i) {
    const int32_t n = graph_.order[i];
    const Node& node = graph_.nodes[n];
    if (node.removed || graph_.prepared[n].kernel == nullptr) continue;
    ++steps;
    slots += node.input_count + node.output_count;
  }
  plan_.steps = arena_.NewPersistentArray<Step>(steps + 1);
  void** pointers = arena_.NewPersistentArray<void*>(slots + 1);
  if (plan_.steps == nullptr || pointers == nullptr) {
    return errors_.Report(Status::kOutOfMemory, "arena too small for the plan of %u steps",
                          static_cast<unsigned>(steps));
  }
  plan_.step_count = 0;
  for (uint32_t i = 0; i < graph_.node_count; ++i) {
    int32_t n = graph_.order[i];
    const Node& node = graph_.nodes[n];
    const PreparedNode& prepared = graph_.prepared[n];
    if (node.removed || prepared.kernel == nullptr) continue;
    Step& step = plan_.steps[plan_.step_count++];
    step.kernel = prepared.kernel;
    step.params = prepared.params;
    step.node = n;
    step.inputs = const_cast<const void* const*>(pointers);
    pointers += node.input_count;
    step.outputs = pointers;
    pointers += node.output_count;
  }
  return Status::kOk;
}

Status Planner::CollectBuffers() {
  uint32_t values = graph_.value_count;
  buffer_of_ = arena_.NewTempArray<int32_t>(values + 1);
  // At most one buffer per value that owns storage (graph inputs and
  // activations, not aliases nor constants), plus one scratch buffer per step.
  uint32_t most = plan_.step_count + 1;
  for (uint32_t v = 0; v < values; ++v) most += HasStorage(static_cast<int32_t>(v)) ? 1 : 0;
  buffers_ = arena_.NewTempArray<BufferRequest>(most);
  offsets_ = arena_.NewTempArray<size_t>(most);
  if (buffer_of_ == nullptr || buffers_ == nullptr || offsets_ == nullptr) {
    return errors_.Report(Status::kOutOfMemory, "arena too small to plan memory");
  }
  for (uint32_t v = 0; v < values; ++v) buffer_of_[v] = -1;
  const int32_t last = plan_.step_count == 0 ? 0 : static_cast<int32_t>(plan_.step_count) - 1;
  auto buffer_for = [&](int32_t value, int32_t step) -> int32_t {
    int32_t root = graph_.StorageRoot(value);
    if (!HasStorage(root)) return -1;
    if (buffer_of_[root] < 0) {
      buffer_of_[root] = static_cast<int32_t>(buffer_count_);
      BufferRequest& b = buffers_[buffer_count_++];
      b = BufferRequest();
      b.size = static_cast<size_t>(graph_.values[root].ByteSize());
      b.first_step = graph_.values[root].kind == ValueKind::kGraphInput ? 0 : step;
      b.last_step = b.first_step;
    }
    return buffer_of_[root];
  };
  for (uint32_t v = 0; v < graph_.input_count; ++v) buffer_for(graph_.inputs[v], 0);
  for (uint32_t s = 0; s < plan_.step_count; ++s) {
    const Node& node = graph_.nodes[plan_.steps[s].node];
    int32_t step = static_cast<int32_t>(s);
    for (uint16_t o = 0; o < node.output_count; ++o) {
      if (node.outputs[o] >= 0) buffer_for(node.outputs[o], step);
    }
    for (uint16_t k = 0; k < node.input_count; ++k) {
      if (node.inputs[k] < 0) continue;
      int32_t b = buffer_for(node.inputs[k], step);
      if (b >= 0 && buffers_[b].last_step < step) buffers_[b].last_step = step;
    }
  }
  for (uint32_t o = 0; o < graph_.output_count; ++o) {
    int32_t b = buffer_for(graph_.outputs[o].value, last);
    if (b >= 0) buffers_[b].last_step = last;
  }
  return Status::kOk;
}

// An elementwise op may write its output over an input that dies at that
// step; the two values then share one buffer.
void Planner::MergeInPlace() {
  for (uint32_t s = 0; s < plan_.step_count; ++s) {
    const Node& node = graph_.nodes[plan_.steps[s].node];
    if (node.in_place_input < 0 || node.inputs[node.in_place_input] < 0) continue;
    int32_t in = node.inputs[node.in_place_input];
    int32_t out = node.outputs[0];
    int32_t out_root = graph_.StorageRoot(out);
    if (!HasStorage(graph_.StorageRoot(in)) || !HasStorage(out_root)) continue;
    int32_t bin = BufferOf(in);
    int32_t bout = buffer_of_[out_root];
    if (bin == bout || buffers_[bin].last_step != static_cast<int32_t>(s) ||
        buffers_[bout].size > buffers_[bin].size) {
      continue;
    }
    // The input's buffer now also holds the output until its last read.
    buffers_[bin].last_step = buffers_[bout].last_step;
    buffers_[bout].size = 0;
    buffers_[bout].first_step = buffers_[bout].last_step = -1;  // retired
    for (uint32_t v = 0; v < graph_.value_count; ++v) {
      if (buffer_of_[v] == bout) buffer_of_[v] = bin;
    }
  }
}

// A kernel that writes its output over the input rows it has read for the
// last time (PreparedNode::overlap_gap): when that input dies at the step,
// its buffer is tied to sit `gap` bytes above the output's, so the two
// overlap. Buffers already in a tie (or merged in place) stay as they are.
void Planner::TieOverlaps() {
  for (uint32_t s = 0; s < plan_.step_count; ++s) {
    const Step& step = plan_.steps[s];
    const PreparedNode& prepared = graph_.prepared[step.node];
    const Node& node = graph_.nodes[step.node];
    if (prepared.overlap_gap == nullptr || node.input_count < 1 || node.inputs[0] < 0 ||
        node.output_count < 1 || node.outputs[0] < 0) {
      continue;
    }
    const int32_t in_root = graph_.StorageRoot(node.inputs[0]);
    const int32_t out_root = graph_.StorageRoot(node.outputs[0]);
    if (!HasStorage(in_root) || !HasStorage(out_root)) continue;
    const int32_t bin = buffer_of_[in_root];
    const int32_t bout = buffer_of_[out_root];
    if (bin == bout || buffers_[bin].last_step != static_cast<int32_t>(s) ||
        buffers_[bout].first_step != static_cast<int32_t>(s)) {
      continue;
    }
    bool tied = buffers_[bin].tied_to >= 0 || buffers_[bout].tied_to >= 0;
    for (uint32_t b = 0; b < buffer_count_ && !tied; ++b) {
      tied = buffers_[b].tied_to == bin || buffers_[b].tied_to == bout;
    }
    const int64_t gap = prepared.overlap_gap(step.params);
    if (tied || gap < 0) continue;
    const size_t aligned = (static_cast<size_t>(gap) + kBufferAlignment - 1) & ~(kBufferAlignment - 1);
    if (aligned >= buffers_[bout].size) continue;  // no bytes shared
    buffers_[bin].tied_to = bout;
    buffers_[bin].tie_offset = aligned;
  }
}

void Planner::ResolvePointers() {
  for (uint32_t v = 0; v < graph_.value_count; ++v) {
    int32_t root = graph_.StorageRoot(static_cast<int32_t>(v));
    graph_.values[v].arena_offset =
        buffer_of_[root] >= 0 ? static_cast<int32_t>(offsets_[buffer_of_[root]]) : -1;
  }
  for (uint32_t s = 0; s < plan_.step_count; ++s) {
    Step& step = plan_.steps[s];
    const Node& node = graph_.nodes[step.node];
    const void** inputs = const_cast<const void**>(step.inputs);
    void** outputs = const_cast<void**>(step.outputs);
    for (uint16_t k = 0; k < node.input_count; ++k) {
      inputs[k] = node.inputs[k] >= 0 ? ValueData(graph_, arena_, node.inputs[k]) : nullptr;
    }
    for (uint16_t o = 0; o < node.output_count; ++o) {
      outputs[o] = node.outputs[o] >= 0 ? ValueData(graph_, arena_, node.outputs[o]) : nullptr;
    }
  }
}

Status Planner::Run() {
  TINYONNX_RETURN_IF_ERROR(AllocateSteps());
  size_t mark = arena_.TempMark();
  TINYONNX_RETURN_IF_ERROR(CollectBuffers());
  MergeInPlace();
  TieOverlaps();
  uint32_t value_buffers = buffer_count_;
  for (uint32_t s = 0; s < plan_.step_count; ++s) {
    const PreparedNode& prepared = graph_.prepared[plan_.steps[s].node];
    if (prepared.scratch_bytes == 0) continue;
    BufferRequest& b = buffers_[buffer_count_++];
    b = BufferRequest();
    b.size = prepared.scratch_bytes;
    b.first_step = b.last_step = static_cast<int32_t>(s);
  }
  MemoryPlan memory;
  TINYONNX_RETURN_IF_ERROR(PlanMemory(buffers_, buffer_count_, arena_, errors_, offsets_, &memory));
  report_.activation_bytes = memory.peak_bytes;
  report_.lower_bound = memory.lower_bound;
  report_.persistent_bytes = arena_.persistent_used();
  report_.prepare_peak_bytes = arena_.peak_used();
  size_t running = memory.peak_bytes + arena_.persistent_used();
  report_.required_bytes =
      (running > arena_.peak_used() ? running : arena_.peak_used()) + kBufferAlignment;
  if (memory.peak_bytes > arena_.persistent_start()) {
    arena_.ReleaseTemp(mark);
    return errors_.Report(Status::kOutOfMemory,
                          "arena too small: this model needs %zu bytes (activations %zu + "
                          "persistent %zu; %zu while preparing), the arena has %zu",
                          report_.required_bytes, memory.peak_bytes, arena_.persistent_used(),
                          arena_.peak_used(), arena_.size());
  }
  // Scratch addresses go to the slots the kernels' parameters provided.
  uint32_t scratch = value_buffers;
  for (uint32_t s = 0; s < plan_.step_count; ++s) {
    const PreparedNode& prepared = graph_.prepared[plan_.steps[s].node];
    if (prepared.scratch_bytes == 0) continue;
    *prepared.scratch_slot = arena_.base() + offsets_[scratch++];
  }
  ResolvePointers();
  arena_.ReleaseTemp(mark);
  return Status::kOk;
}

}  // namespace

void* ValueData(const Graph& graph, const Arena& arena, int32_t value) {
  const Value& v = graph.values[value];
  if (v.is_constant()) return const_cast<void*>(v.data);
  int32_t root = graph.StorageRoot(value);
  const Value& r = graph.values[root];
  if (r.is_constant()) return const_cast<void*>(r.data);
  return r.arena_offset >= 0 ? arena.base() + r.arena_offset : nullptr;
}

Status BuildExecutionPlan(Graph& graph, Arena& arena, ErrorReporter& errors,
                          ExecutionPlan* plan, MemoryReport* report) {
  Planner planner(graph, arena, errors, plan, report);
  return planner.Run();
}

}  // namespace tinyonnx
