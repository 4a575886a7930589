// PlanInterpreter runs a model compiled on the PC (`tinyonnx compile`, plan/
// plan_format.h): Prepare() reads the plan stored in the ONNX file, checks
// it against the model bytes (CRC-32) and every size against the parameters
// the kernels will see, picks each step's kernel from a PlanKernelSet and
// lays the steps' parameters in the arena. No graph is built, no pass runs,
// nothing is planned on the device: the flash holds the reader and the
// kernels only, and the arena needs only the activations, one scratch area
// and the parameters (no Prepare peak).
//
//   static uint8_t arena[8 * 1024];
//   tinyonnx::PlanInterpreter interpreter(model, model_size, arena, sizeof(arena));
//   if (interpreter.Prepare() != tinyonnx::Status::kOk) puts(interpreter.error());
//   ... fill interpreter.input(0), interpreter.Invoke(), read interpreter.output(0) ...
//
// Same outputs, bit for bit, as the Interpreter on the model the plan was
// compiled from (the same kernels on the same parameters).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/plan/execution_plan.h"
#include "tinyonnx/runtime/plan_kernels.h"
#include "tinyonnx/runtime/tensor_ref.h"

namespace tinyonnx {

class PlanInterpreter {
 public:
  PlanInterpreter(const void* model, size_t model_size, void* arena, size_t arena_size,
                  const PlanKernelSet& kernels = AllPlanKernels());

  Status Prepare();
  // Inputs must be filled before every call: their buffers may be reused.
  Status Invoke();
  void InvokeStep(uint32_t step) const {
    const Step& s = plan_.steps[step];
    s.kernel(s.params, s.inputs, s.outputs);
  }

  uint32_t input_count() const { return input_count_; }
  uint32_t output_count() const { return output_count_; }
  TensorRef input(uint32_t index) const;
  TensorRef output(uint32_t index) const;
  const char* error() const { return errors_.message(); }
  // activation_bytes includes the scratch area; persistent_bytes the steps,
  // their parameters and the tables copied from the plan.
  const MemoryReport& memory() const { return memory_; }
  const ExecutionPlan& plan() const { return plan_; }
  // The kernel definition each step runs (for reports), or nullptr.
  const PlanKernelDef* step_kernel(uint32_t step) const {
    return step < plan_.step_count ? step_defs_[step] : nullptr;
  }
  bool prepared() const { return prepared_; }

 private:
  Status FindPlan(const uint8_t** plan, size_t* plan_size, size_t* plan_start);
  Status Load(const uint8_t* plan, size_t plan_size, size_t covered, bool keep);

  const uint8_t* model_;
  size_t model_size_;
  Arena arena_;
  const PlanKernelSet& kernels_;
  ErrorReporter errors_;
  ExecutionPlan plan_;
  const PlanKernelDef** step_defs_ = nullptr;
  TensorRef* io_ = nullptr;
  uint32_t input_count_ = 0;
  uint32_t output_count_ = 0;
  MemoryReport memory_;
  bool prepared_ = false;
};

}  // namespace tinyonnx
