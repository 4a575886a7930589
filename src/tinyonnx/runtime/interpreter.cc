#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {

Interpreter::Interpreter(const void* model, size_t model_size, void* arena, size_t arena_size,
                         const OpResolver& resolver)
    : model_(static_cast<const uint8_t*>(model)),
      model_size_(model_size),
      arena_(arena, arena_size),
      resolver_(resolver) {}

Status Interpreter::Prepare(const BuildOptions& options) {
  if (prepared_) return errors_.Report(Status::kInvalidArgument, "Prepare() was already called");
  if (model_ == nullptr || arena_.base() == nullptr) {
    return errors_.Report(Status::kInvalidArgument, "no model bytes or no arena given");
  }
  errors_.Clear();
  BuildStats build;
  TINYONNX_RETURN_IF_ERROR(
      BuildGraph(model_, model_size_, resolver_, options, arena_, errors_, &graph_, &build));
  TINYONNX_RETURN_IF_ERROR(PrepareGraph(graph_, arena_, errors_, &prepare_stats_));
  TINYONNX_RETURN_IF_ERROR(BuildExecutionPlan(graph_, arena_, errors_, &plan_, &memory_));
  memory_.copied_constant_bytes = build.copied_constant_bytes + prepare_stats_.aligned_copy_bytes;
  memory_.folded_bytes = prepare_stats_.folded_bytes;
  memory_.fused_bytes = prepare_stats_.fused_bytes;
  prepared_ = true;
  return Status::kOk;
}

Status Interpreter::Invoke() {
  if (!prepared_) return errors_.Report(Status::kInvalidArgument, "Invoke() before Prepare()");
  for (uint32_t s = 0; s < plan_.step_count; ++s) InvokeStep(s);
  return Status::kOk;
}

TensorRef Interpreter::MakeRef(Str name, int32_t value) const {
  TensorRef ref;
  const Value& v = graph_.values[value];
  ref.name = name;
  ref.dtype = v.dtype;
  ref.shape = v.shape;
  ref.raw = ValueData(graph_, arena_, value);
  return ref;
}

TensorRef Interpreter::input(uint32_t index) const {
  if (!prepared_ || index >= graph_.input_count) return TensorRef();
  int32_t v = graph_.inputs[index];
  return MakeRef(graph_.values[v].name, v);
}

TensorRef Interpreter::output(uint32_t index) const {
  if (!prepared_ || index >= graph_.output_count) return TensorRef();
  return MakeRef(graph_.outputs[index].name, graph_.outputs[index].value);
}

int32_t Interpreter::FindInput(const char* name) const {
  for (uint32_t i = 0; i < graph_.input_count; ++i) {
    if (graph_.values[graph_.inputs[i]].name == name) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t Interpreter::FindOutput(const char* name) const {
  for (uint32_t i = 0; i < graph_.output_count; ++i) {
    if (graph_.outputs[i].name == name) return static_cast<int32_t>(i);
  }
  return -1;
}

}  // namespace tinyonnx
