#include "tinyonnx/runtime/interpreter.h"

#include <new>

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
  const size_t temp_start = arena_.TempMark();
  BuildStats build;
  TINYONNX_RETURN_IF_ERROR(
      BuildGraph(model_, model_size_, resolver_, options, arena_, errors_, &graph_, &build));
  TINYONNX_RETURN_IF_ERROR(PrepareGraph(graph_, arena_, errors_, &prepare_stats_));
  TINYONNX_RETURN_IF_ERROR(BuildIoTable());
  TINYONNX_RETURN_IF_ERROR(BuildExecutionPlan(graph_, arena_, errors_, &plan_, &memory_));
  ResolveIoTable();
  memory_.copied_constant_bytes = build.copied_constant_bytes + prepare_stats_.aligned_copy_bytes;
  memory_.folded_bytes = prepare_stats_.folded_bytes;
  memory_.fused_bytes = prepare_stats_.fused_bytes;
  if (!graph_.kept) {
    // The activations are laid out over the temporary graph tables.
    arena_.ReleaseTemp(temp_start);
    graph_ = Graph();
  }
  prepared_ = true;
  return Status::kOk;
}

Status Interpreter::BuildIoTable() {
  input_count_ = graph_.input_count;
  output_count_ = graph_.output_count;
  io_ = arena_.NewPersistentArray<TensorRef>(input_count_ + output_count_);
  if (io_ == nullptr) {
    return errors_.Report(Status::kOutOfMemory, "arena too small for the table of %u inputs and outputs",
                          static_cast<unsigned>(input_count_ + output_count_));
  }
  for (uint32_t i = 0; i < input_count_ + output_count_; ++i) new (&io_[i]) TensorRef();
  return Status::kOk;
}

void Interpreter::ResolveIoTable() {
  for (uint32_t i = 0; i < input_count_; ++i) {
    int32_t v = graph_.inputs[i];
    io_[i] = MakeRef(graph_.values[v].name, v);
  }
  for (uint32_t o = 0; o < output_count_; ++o) {
    io_[input_count_ + o] = MakeRef(graph_.outputs[o].name, graph_.outputs[o].value);
  }
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
  ref.scale = v.scale;
  ref.zero_point = v.zero_point;
  return ref;
}

TensorRef Interpreter::input(uint32_t index) const {
  if (!prepared_ || index >= input_count_) return TensorRef();
  return io_[index];
}

TensorRef Interpreter::output(uint32_t index) const {
  if (!prepared_ || index >= output_count_) return TensorRef();
  return io_[input_count_ + index];
}

int32_t Interpreter::FindInput(const char* name) const {
  for (uint32_t i = 0; prepared_ && i < input_count_; ++i) {
    if (io_[i].name == name) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t Interpreter::FindOutput(const char* name) const {
  for (uint32_t o = 0; prepared_ && o < output_count_; ++o) {
    if (io_[input_count_ + o].name == name) return static_cast<int32_t>(o);
  }
  return -1;
}

}  // namespace tinyonnx
