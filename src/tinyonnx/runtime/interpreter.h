// The Interpreter binds model bytes, an arena and the op set; Prepare()
// builds, optimizes and plans the graph once, Invoke() runs the kernels.
//
//   static uint8_t arena[64 * 1024];
//   tinyonnx::Interpreter interpreter(model, model_size, arena, sizeof(arena));
//   if (interpreter.Prepare() != tinyonnx::Status::kOk) puts(interpreter.error());
//   float* image = interpreter.input(0).data<float>();
//   ... fill image ...
//   interpreter.Invoke();
//   const float* scores = interpreter.output(0).data<float>();
//
// The model bytes must outlive the interpreter: weights are read in place.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/builder.h"
#include "tinyonnx/graph/graph.h"
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/passes.h"
#include "tinyonnx/plan/execution_plan.h"
#include "tinyonnx/runtime/tensor_ref.h"

namespace tinyonnx {

class Interpreter {
 public:
  Interpreter(const void* model, size_t model_size, void* arena, size_t arena_size,
              const OpResolver& resolver = AllOps());

  // Builds the graph, runs the passes and plans memory. Options bind
  // symbolic dimensions (a symbolic batch dimension defaults to 1) and say
  // whether the graph IR is kept for graph() and value().
  Status Prepare(const BuildOptions& options = BuildOptions());
  // Runs the plan. Inputs must be filled before every call: their buffers may
  // be reused for activations.
  Status Invoke();

  uint32_t input_count() const { return input_count_; }
  uint32_t output_count() const { return output_count_; }
  TensorRef input(uint32_t index) const;
  TensorRef output(uint32_t index) const;
  // Index of the input/output with this name, or -1.
  int32_t FindInput(const char* name) const;
  int32_t FindOutput(const char* name) const;

  const char* error() const { return errors_.message(); }
  const MemoryReport& memory() const { return memory_; }
  const PrepareStats& prepare_stats() const { return prepare_stats_; }
  // The graph IR after Prepare when BuildOptions::keep_graph was set; else
  // an empty graph (its tables were temporary).
  const Graph& graph() const { return graph_; }
  const ExecutionPlan& plan() const { return plan_; }
  bool prepared() const { return prepared_; }

  // Any graph value after Prepare with keep_graph (for calibration and
  // debugging): its data is valid right after the step that produces it,
  // until its buffer is reused by a later step. Without the graph, or for an
  // index out of range: an empty TensorRef.
  TensorRef value(int32_t index) const {
    if (index < 0 || static_cast<uint32_t>(index) >= graph_.value_count) return TensorRef();
    return MakeRef(graph_.values[index].name, index);
  }

  // Runs one step; for per-layer profiling (Invoke runs them all).
  void InvokeStep(uint32_t step) const {
    const Step& s = plan_.steps[step];
    s.kernel(s.params, s.inputs, s.outputs);
  }

 private:
  TensorRef MakeRef(Str name, int32_t value) const;
  // The graph's inputs and outputs as io_ holds them after Prepare.
  Status BuildIoTable();
  void ResolveIoTable();

  const uint8_t* model_;
  size_t model_size_;
  Arena arena_;
  const OpResolver& resolver_;
  ErrorReporter errors_;
  Graph graph_;
  ExecutionPlan plan_;
  // Inputs, then outputs (persistent: what input() and output() return).
  TensorRef* io_ = nullptr;
  uint32_t input_count_ = 0;
  uint32_t output_count_ = 0;
  MemoryReport memory_;
  PrepareStats prepare_stats_;
  bool prepared_ = false;
};

}  // namespace tinyonnx
