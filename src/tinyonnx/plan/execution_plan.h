// The execution plan: the ordered kernel calls of a prepared graph with every
// pointer resolved, and the arena layout they run in.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct Step {
  KernelFn kernel;
  const void* params;
  const void* const* inputs;
  void* const* outputs;
  int32_t node;  // index into Graph::nodes, for reports (when the graph is kept)
};

struct MemoryReport {
  size_t activation_bytes = 0;   // planned peak of the activation region
  size_t lower_bound = 0;        // largest total of tensors alive at one step
  size_t persistent_bytes = 0;   // kernel parameters, plan, I/O table, copied constants
                                 // (and the graph IR when kept)
  size_t copied_constant_bytes = 0;  // constants decoded (varint fields) or realigned from the model
  size_t folded_bytes = 0;       // constants computed at prepare time
  size_t fused_bytes = 0;        // per-channel parameters from fusion
  size_t prepare_peak_bytes = 0;  // most in use during Prepare (graph IR + persistent + temp)
  size_t required_bytes = 0;     // the arena size needed: the larger of activation +
                                 // persistent and the Prepare peak
};

struct ExecutionPlan {
  Step* steps = nullptr;
  uint32_t step_count = 0;
};

// Lays out activations, resolves pointers and checks the arena is large
// enough (else kOutOfMemory with the size needed).
Status BuildExecutionPlan(Graph& graph, Arena& arena, ErrorReporter& errors,
                          ExecutionPlan* plan, MemoryReport* report);

// Address of a value's data after planning (constants: their data).
void* ValueData(const Graph& graph, const Arena& arena, int32_t value);

}  // namespace tinyonnx
