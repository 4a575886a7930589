// Graph preparation passes, run in this order by PrepareGraph():
//   1. RemoveIdentities     Identity and inference-mode Dropout disappear
//   2. SinkTransposes       layout Transposes (Keras NHWC exports) cancel out
//   3. LowerQdq             DequantizeLinear -> op -> QuantizeLinear groups
//                           become int8 ops (lower_qdq.cc, docs/int8.md)
//      CompactGraph         removed nodes and unread values dropped, tables
//                           packed (when the graph is not kept; compact.cc)
//   4. PrepareNodes         shape inference, kernel choice, constant folding,
//                           and right after each node's prepare, fusion into
//                           the node that feeds it (the fused node's own
//                           parameters are released again):
//   5. FuseBatchNorm        BatchNormalization folded into Conv/Gemm
//   6. FuseActivations      Relu/Clip folded into Conv/Gemm as a clamp
//   7. FuseMaxPool          a MaxPool whose windows tile its input folded
//                           into the Conv before it (float and int8); the
//                           Conv then takes no further epilogue fusion
//   8. RemoveDeadNodes      nodes whose results nobody reads
// Passes 2, 3, 5, 6 and 7 run only when an op of the model's resolver brings
// them (OpDef::pass): SinkTransposes with Transpose, LowerQdq with
// QuantizeLinear or DequantizeLinear, FuseBatchNorm with
// BatchNormalization, FuseActivations with Relu or Clip, FuseMaxPool with
// MaxPool (float or int8).
#pragma once

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct PrepareStats {
  size_t folded_bytes = 0;  // constants computed at prepare time (persistent)
  size_t fused_bytes = 0;   // per-channel parameters made by fusion (persistent)
  // Unaligned constants copied for kernels that need alignment, and
  // weights rearranged for the int8 kernels (Graph::repacked_bytes).
  size_t aligned_copy_bytes = 0;
  uint32_t folded_nodes = 0;
  uint32_t fused_nodes = 0;         // also QuantizeLinear/Relu/Clip absorbed by LowerQdq
  uint32_t removed_transposes = 0;  // also weight layout Transposes read in place
};

Status PrepareGraph(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);

// A pass an op brings along (OpDef::pass); `order` is its place above.
struct GraphPass {
  enum Order : uint8_t {
    kSinkTransposes,
    kLowerQdq,
    kFuseBatchNorm,
    kFuseActivations,
    kFuseMaxPool
  };
  Order order;
  // A whole-graph pass (2, 3)...
  Status (*run)(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);
  // ... or a fusion (5, 6, 7) of one just-prepared node into its producer.
  // When it fuses, it first releases the persistent memory allocated after
  // `params_mark` (the node's own parameters).
  Status (*fuse)(Graph& graph, int32_t node, size_t params_mark, Arena& arena,
                 ErrorReporter& errors, PrepareStats* stats);
};
extern const GraphPass kSinkTransposesPass, kLowerQdqPass, kFuseBatchNormPass,
    kFuseActivationsPass, kFuseMaxPoolPass;

// Runs the pass of that order if an op of graph.resolver brings it.
Status RunPassIfRegistered(GraphPass::Order order, Graph& graph, Arena& arena,
                           ErrorReporter& errors, PrepareStats* stats);

void RemoveIdentities(Graph& graph);
Status SinkTransposes(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);
Status LowerQdq(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);
// Needs the graph's tables to be the top of the arena's temporary region.
Status CompactGraph(Graph& graph, Arena& arena, ErrorReporter& errors);
Status PrepareNodes(Graph& graph, Arena& arena, ErrorReporter& errors, PrepareStats* stats);
void RemoveDeadNodes(Graph& graph);

// After a node's prepare: if all its inputs are constants, runs its kernel
// now into persistent memory and removes the node.
Status FoldIfConstant(Graph& graph, int32_t node, Arena& arena, ErrorReporter& errors,
                      PrepareStats* stats);

// Copies an unaligned constant to aligned persistent memory (no-op if aligned).
Status AlignConstant(Value& value, Arena& arena, ErrorReporter& errors, PrepareStats* stats);

// Marks a node removed and releases its hold on its inputs.
void RemoveNode(Graph& graph, int32_t node);

// The single live node reading value v, or -1 if there are several (or
// none), or if v leaves the graph.
int32_t SoleConsumer(const Graph& graph, int32_t v);

// A Transpose's perm attribute; false when absent or malformed.
bool ReadPerm(const Node& node, int64_t* perm, int* rank);

}  // namespace tinyonnx
