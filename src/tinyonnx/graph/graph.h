// The graph IR built from the zero-copy views: values with static shapes and
// dtypes, nodes in execution order with their prepared kernels.
//
// The IR's tables live in the arena's temporary region, released when Prepare
// ends (the kernels need only the plan), or in the persistent region when the
// graph is kept for tools (BuildOptions::keep_graph); nothing here owns
// memory. Indices (not pointers) link nodes and values.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/dtype.h"
#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx {

struct Shape {
  int rank = 0;
  int32_t dims[kMaxRank] = {};

  int64_t ElementCount() const;
  bool operator==(const Shape& other) const;
  bool operator!=(const Shape& other) const { return !(*this == other); }
  // Formats as "[1, 3, 28, 28]" into buffer; returns buffer.
  const char* ToString(char* buffer, int size) const;
  static Shape Of(std::initializer_list<int32_t> dims);
};

// Graphs have fewer nodes than this (Node::compact_index is 16-bit).
constexpr uint32_t kMaxNodes = 0xFFFF;

// Largest tensor tinyonnx accepts, in bytes (keeps all offsets in 32 bits).
constexpr int64_t kMaxTensorBytes = int64_t{1} << 31;

enum class ValueKind : uint8_t {
  kActivation,  // produced by a node at run time
  kConstant,    // initializer, Constant node or folded at prepare time
  kGraphInput,  // filled by the caller before Invoke
};

struct Value {
  // Every table of the graph IR is in the arena during Prepare, so Value is
  // packed: the kind and the flags share one byte (72 bytes on 32-bit targets).
  Value()
      : kind(ValueKind::kActivation),
        shape_known(false),
        is_graph_output(false),
        data_in_model(false),
        unaligned(false),
        channels_last(false) {}

  Str name;
  DType dtype = DType::kUndefined;
  ValueKind kind : 2;
  bool shape_known : 1;
  bool is_graph_output : 1;
  bool data_in_model : 1;  // data points into the model bytes
  // The data is not aligned for its element type (raw_data may start at any
  // byte). Only inputs an op declares byte-safe receive such data; for the
  // others PrepareNodes copies it to aligned persistent memory first.
  bool unaligned : 1;
  // A rank-4 int8 activation stored NHWC while its shape stays NCHW.
  bool channels_last : 1;
  uint16_t consumers = 0;  // node inputs reading this value
  Shape shape;
  // Constants: the data (in the model bytes or in the persistent region).
  const void* data = nullptr;
  int32_t producer = -1;  // node index
  int32_t alias_of = -1;  // shares storage with this value (Reshape & co.)
  // int8/uint8 activations: per-tensor quantization (real = scale * (q - zero_point)).
  float scale = 0.0f;
  int32_t zero_point = 0;
  // Filled by the memory planner.
  int32_t arena_offset = -1;

  int64_t ByteSize() const { return shape.ElementCount() * static_cast<int64_t>(DTypeSize(dtype)); }
  bool is_constant() const { return kind == ValueKind::kConstant; }
};
static_assert(sizeof(void*) != 4 || sizeof(Value) == 72, "Value is meant to stay packed");

class OpContext;
struct OpDef;
struct FusedMaxPool;
struct OpResolver;

// A kernel reads its inputs and writes its outputs; everything else it needs
// was computed at prepare time and sits in `params`.
using KernelFn = void (*)(const void* params, const void* const* inputs, void* const* outputs);

// Per-output-channel affine transform and clamp that Conv and Gemm apply to
// their accumulators; graph passes fold BatchNormalization and activations
// into it.
struct FloatEpilogue {
  const float* scale = nullptr;  // per channel, nullptr means 1
  const float* bias = nullptr;   // per channel, nullptr means 0
  int32_t channels = 0;
  float min = -3.402823466e38f;
  float max = 3.402823466e38f;
};

// What an op's prepare set up for one node. PrepareNodes allocates these
// after CompactGraph, so the node table of the uncompacted graph (the
// largest thing Prepare holds) does not carry them.
struct PreparedNode {
  KernelFn kernel = nullptr;
  void* params = nullptr;
  FloatEpilogue* epilogue = nullptr;  // fusion target, for ops that have one
  // Fusion target of FuseMaxPool: set by the prepare of a Conv whose kernel
  // can apply a MaxPool to its output (kernels/window.h).
  FusedMaxPool* pool = nullptr;
  uint32_t scratch_bytes = 0;
  void** scratch_slot = nullptr;  // receives the scratch address after planning
  // For kernels that read input 0 for the last time in the order they write
  // output 0: how far below the input's start the output may begin so that
  // no write lands on input bytes still to be read (-1: never overlap).
  // Called by the planner with the final parameters (after fusion).
  int64_t (*overlap_gap)(const void* params) = nullptr;
};

struct Node {
  // The NodeProto bytes; View() parses its name, op_type, domain and
  // attributes on demand (keeping the parsed view here would cost ~36 bytes
  // per node of the Prepare peak on a 32-bit target).
  Bytes message;
  const OpDef* op = nullptr;
  int32_t opset = 0;
  int32_t* inputs = nullptr;  // value index, or -1 for an omitted optional input
  int32_t* outputs = nullptr;
  uint16_t input_count = 0;
  uint16_t output_count = 0;
  bool removed = false;
  int8_t in_place_input = -1;         // output 0 may reuse this input's buffer (set by prepare)
  uint16_t compact_index = 0;         // CompactGraph's new numbering (nodes < kMaxNodes)

  // The message was parsed once by the builder, so this cannot fail here.
  NodeView View() const;
  // Not removed, in the default domain and of this op_type.
  bool IsOp(const char* op_type) const;
};

struct GraphOutput {
  Str name;
  int32_t value = -1;
};

struct Graph {
  ModelView model;
  GraphView view;
  int64_t opset = 0;  // default-domain opset
  Value* values = nullptr;
  uint32_t value_count = 0;
  uint32_t value_capacity = 0;
  Node* nodes = nullptr;
  uint32_t node_count = 0;
  PreparedNode* prepared = nullptr;  // per node, from PrepareNodes on
  int32_t* order = nullptr;  // node indices in execution order
  int32_t* inputs = nullptr;  // graph inputs (not initializers)
  uint32_t input_count = 0;
  GraphOutput* outputs = nullptr;
  uint32_t output_count = 0;
  // The op set the model was built with (LowerQdq picks int8 ops from it).
  const OpResolver* resolver = nullptr;
  // Persistent bytes of constants rearranged for int8 kernels at prepare.
  size_t repacked_bytes = 0;
  // The tables are in the persistent region and outlive Prepare.
  bool kept = false;

  // Follows alias_of links to the value that owns the storage.
  int32_t StorageRoot(int32_t value) const;
  // Replaces every use of value `from` (node inputs, graph outputs) by `to`.
  void ReplaceUses(int32_t from, int32_t to);
  // Number of nodes not removed.
  uint32_t LiveNodeCount() const;
};

// Allocates one of the graph's tables (nodes, values, input lists): in the
// region that matches Graph::kept. Returns nullptr when the arena is full.
template <typename T>
T* NewGraphArray(const Graph& graph, Arena& arena, size_t count) {
  return graph.kept ? arena.NewPersistentArray<T>(count) : arena.NewTempArray<T>(count);
}

}  // namespace tinyonnx
