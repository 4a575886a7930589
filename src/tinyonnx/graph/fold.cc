// Constant folding: a node whose inputs are all known at prepare time runs
// once, here, and its outputs become constants.
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

bool AllInputsConstant(const Graph& graph, const Node& node) {
  for (uint16_t k = 0; k < node.input_count; ++k) {
    if (node.inputs[k] >= 0 && !graph.values[node.inputs[k]].is_constant()) return false;
  }
  return true;
}

bool AllOutputsConstant(const Graph& graph, const Node& node) {
  for (uint16_t o = 0; o < node.output_count; ++o) {
    if (node.outputs[o] >= 0 && !graph.values[node.outputs[o]].is_constant()) return false;
  }
  return true;
}

}  // namespace

Status FoldIfConstant(Graph& graph, int32_t n, Arena& arena, ErrorReporter& errors,
                      PrepareStats* stats) {
  const Node& node = graph.nodes[n];
  const PreparedNode& prepared = graph.prepared[n];
  if (prepared.kernel != nullptr && AllInputsConstant(graph, node)) {
    size_t mark = arena.TempMark();
    const void** inputs = arena.NewTempArray<const void*>(node.input_count + 1);
    void** outputs = arena.NewTempArray<void*>(node.output_count + 1);
    void* scratch = prepared.scratch_bytes ? arena.AllocateTemp(prepared.scratch_bytes, 16) : nullptr;
    if (inputs == nullptr || outputs == nullptr || (prepared.scratch_bytes && scratch == nullptr)) {
      return errors.Report(Status::kOutOfMemory, "arena too small to fold constants");
    }
    for (uint16_t k = 0; k < node.input_count; ++k) {
      inputs[k] = node.inputs[k] >= 0 ? graph.values[node.inputs[k]].data : nullptr;
    }
    for (uint16_t o = 0; o < node.output_count; ++o) {
      outputs[o] = nullptr;
      if (node.outputs[o] < 0) continue;
      Value& out = graph.values[node.outputs[o]];
      size_t bytes = static_cast<size_t>(out.ByteSize());
      outputs[o] = arena.AllocatePersistent(bytes == 0 ? 1 : bytes, 16);
      if (outputs[o] == nullptr) {
        return errors.Report(Status::kOutOfMemory,
                             "arena too small for a folded constant of %zu bytes", bytes);
      }
      stats->folded_bytes += bytes;
    }
    if (prepared.scratch_slot != nullptr) *prepared.scratch_slot = scratch;
    prepared.kernel(prepared.params, inputs, outputs);
    arena.ReleaseTemp(mark);
    for (uint16_t o = 0; o < node.output_count; ++o) {
      if (node.outputs[o] < 0) continue;
      Value& out = graph.values[node.outputs[o]];
      out.kind = ValueKind::kConstant;
      out.data = outputs[o];
      out.alias_of = -1;
    }
  }
  if (AllOutputsConstant(graph, node)) {
    RemoveNode(graph, n);
    stats->folded_nodes++;
  }
  return Status::kOk;
}

}  // namespace tinyonnx
