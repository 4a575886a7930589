// Graph preparation passes, run in this order by PrepareGraph():
//   1. RemoveIdentities     Identity and inference-mode Dropout disappear
//   2. SinkTransposes       layout Transposes (Keras NHWC exports) cancel out
//   3. PrepareNodes         shape inference, kernel choice, constant folding
//   4. FuseBatchNorm        BatchNormalization folded into Conv/Gemm
//   5. FuseActivations      Relu/Clip folded into Conv/Gemm as a clamp
//   6. RemoveDeadNodes      nodes whose results nobody reads
#pragma once

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct PrepareStats {
  size_t folded_bytes = 0;  // constants computed at prepare time (persistent)
  size_t fused_bytes = 0;   // per-channel parameters made by fusion (persistent)
  size_t aligned_copy_bytes = 0;  // unaligned constants copied for kernels that need alignment
  uint32_t folded_nodes = 0;
  uint32_t fused_nodes = 0;
  uint32_t removed_transposes = 0;
};

Status PrepareGraph(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);

void RemoveIdentities(Graph& graph);
Status SinkTransposes(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);
Status PrepareNodes(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);
Status FuseBatchNorm(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);
Status FuseActivations(Graph& graph, ErrorReporter& errors, PrepareStats* stats);
void RemoveDeadNodes(Graph& graph);

// After a node's prepare: if all its inputs are constants, runs its kernel
// now into persistent memory and removes the node.
Status FoldIfConstant(Graph& graph, int32_t node, Arena& arena, ErrorReporter& errors,
                      PrepareStats* stats);

// Copies an unaligned constant to aligned persistent memory (no-op if aligned).
Status AlignConstant(Value& value, Arena& arena, ErrorReporter& errors, PrepareStats* stats);

// Marks a node removed and releases its hold on its inputs.
void RemoveNode(Graph& graph, int32_t node);

}  // namespace tinyonnx
