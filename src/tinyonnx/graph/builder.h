// Builds the graph IR from model bytes: values, nodes, inputs and outputs,
// then orders the nodes topologically.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/graph.h"
#include "tinyonnx/graph/op.h"

namespace tinyonnx {

// The value a symbolic dimension (dim_param) takes.
struct DimBinding {
  const char* name;
  int32_t value;
};

struct BuildOptions {
  const DimBinding* dims = nullptr;
  size_t dim_count = 0;
  // A symbolic or unknown first dimension of a graph input that no binding
  // names becomes this (the batch size).
  int32_t batch = 1;
  // Keep the graph IR after Prepare (Interpreter::graph() and value(), for
  // calibration, per-step reports and tests). Off, it lives in the arena's
  // temporary region during Prepare only, and Prepare needs less RAM.
  bool keep_graph = false;
};

// The newest default-domain opset tinyonnx knows.
constexpr int64_t kMaxOpset = 18;

struct BuildStats {
  size_t copied_constant_bytes = 0;  // initializers decoded or realigned into the arena
};

Status BuildGraph(const uint8_t* model, size_t size, const OpResolver& resolver,
                  const BuildOptions& options, Arena& arena, ErrorReporter& errors, Graph* graph,
                  BuildStats* stats);

// Calls fn(const NodeView&) once for each distinct (domain, op_type) of the
// model that `resolver` lacks. Returns false if the model is malformed.
template <typename Fn>
bool ForEachUnsupportedOp(const ModelView& model, const OpResolver& resolver, Fn&& fn);

// Orders graph->order topologically; a cycle is an error naming a node on it.
Status SortTopologically(Graph* graph, Arena& arena, ErrorReporter& errors);

}  // namespace tinyonnx

#include "tinyonnx/graph/builder_inl.h"
