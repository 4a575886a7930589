// The host half of the compiled plan (plan/plan_format.h): writes what the
// Interpreter prepared for a model as a plan, and the model file with the
// plan appended as a metadata_props entry, which a PlanInterpreter loads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinyonnx::tools {

struct CompiledModel {
  std::vector<uint8_t> bytes;  // the model's bytes, then the plan's entry
  size_t plan_bytes = 0;       // of the plan itself
  uint32_t steps = 0;
  size_t activation_bytes = 0;
};

// Prepares `model` with the Interpreter (all ops) and writes its plan. False
// with *error set when the model does not load, already has a plan, or
// runs a kernel the plan form cannot hold (which one, and why).
bool CompileModel(const std::vector<uint8_t>& model, CompiledModel* compiled, std::string* error);

// `model` followed by ModelProto.metadata_props {kPlanKey: the plan's
// `plan_size` bytes}: the file CompileModel writes (tests and fuzz/fuzz_plan
// build damaged plans with it).
std::vector<uint8_t> AppendPlanEntry(const std::vector<uint8_t>& model, const uint8_t* plan,
                                     size_t plan_size);

}  // namespace tinyonnx::tools

namespace tinyonnx::tools {

// Runs the model with the Interpreter and its compiled form with the
// PlanInterpreter on `runs` pseudo-random inputs (floats in [0, 1), random
// bytes for 8-bit inputs) and compares every output byte. False with *error
// naming the first difference.
bool VerifyCompiledModel(const std::vector<uint8_t>& model, const CompiledModel& compiled,
                         int runs, std::string* error);

}  // namespace tinyonnx::tools
