// Operator definitions and the context an operator's Prepare works in.
//
// Each op lives in one file under graph/ops/: its Prepare reads attributes,
// checks inputs, sets output dtypes and shapes, computes the kernel's
// parameters once, and picks the kernel. Invoke then only calls kernels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct GraphPass;  // passes.h

struct OpDef {
  const char* op_type;
  const char* domain;  // "" for the default ONNX domain
  Status (*prepare)(OpContext& ctx);
  // Bit k set: the op's kernels read input k with byte-safe loads, so a
  // constant there is used in place even when unaligned in the model (the
  // weights of Conv, Gemm and MatMul).
  uint32_t unaligned_inputs = 0;
  // The graph pass this op needs (Transpose: SinkTransposes, ...), or null.
  // PrepareGraph runs only the passes the resolver's ops bring, so a build
  // without those ops does not link the pass.
  const GraphPass* pass = nullptr;
};

// The set of ops a model may use (like TFLM's op resolver): a firmware lists
// only the ops its model needs so the others cost no flash. Some ops come in
// variants that link fewer kernels: kMaxPoolFloatOp (float only) beside
// kMaxPoolOp, and kConvQdqOp and the other ...QdqOp (qdq_ops.cc) that only
// name the float ops of a QDQ model for LowerQdq, with no float kernel.
struct OpResolver {
  const OpDef* const* ops = nullptr;
  size_t count = 0;

  const OpDef* Find(Str op_type, Str domain) const;
};

// Every op tinyonnx implements.
const OpResolver& AllOps();

class OpContext {
 public:
  OpContext(Graph& graph, int32_t node_index, Arena& arena, ErrorReporter& errors)
      : graph_(graph), node_(graph.nodes[node_index]), node_index_(node_index), arena_(arena),
        errors_(errors) {}

  Graph& graph() { return graph_; }
  Node& node() { return node_; }
  int32_t node_index() const { return node_index_; }
  int64_t opset() const { return node_.opset; }

  // Inputs and outputs. An optional input left out is "absent".
  int input_count() const { return node_.input_count; }
  int output_count() const { return node_.output_count; }
  bool has_input(int i) const { return i < node_.input_count && node_.inputs[i] >= 0; }
  bool has_output(int i) const { return i < node_.output_count && node_.outputs[i] >= 0; }
  Value& input(int i) { return graph_.values[node_.inputs[i]]; }
  Value& output(int i) { return graph_.values[node_.outputs[i]]; }
  const Shape& input_shape(int i) { return input(i).shape; }
  DType input_dtype(int i) { return input(i).dtype; }

  // Checks the number of (present) inputs and outputs.
  Status ExpectInputs(int min, int max);
  Status ExpectOutputs(int min, int max);
  // Fails unless input i has one of the listed dtypes.
  Status ExpectDType(int i, std::initializer_list<DType> allowed);

  // Attributes. Absent attributes give the default; a wrong type or a
  // malformed value is an error naming the attribute.
  bool HasAttribute(const char* name);
  Status GetInt(const char* name, int64_t fallback, int64_t* value);
  Status GetFloat(const char* name, float fallback, float* value);
  Status GetString(const char* name, const char* fallback, Str* value);
  // Reads a list of ints (at most `capacity`); *count is 0 when absent.
  Status GetInts(const char* name, int64_t* values, int capacity, int* count);
  Status GetFloats(const char* name, float* values, int capacity, int* count);
  // Fails if any attribute is set that this op does not honour (so a model
  // relying on it gets an error instead of a wrong answer).
  Status RejectAttribute(const char* name, const char* why);

  // Constant inputs. ReadConstInts accepts int32 or int64 constants.
  bool IsConstant(int i) { return has_input(i) && input(i).is_constant(); }
  Status ReadConstInts(int i, int64_t* values, int capacity, int* count);
  Status ReadConstFloat(int i, float* value);
  template <typename T>
  const T* ConstData(int i) {
    return static_cast<const T*>(input(i).data);
  }

  // Results.
  Status SetOutput(int i, DType dtype, const Shape& shape);
  void SetKernel(KernelFn kernel, void* params) {
    prepared().kernel = kernel;
    prepared().params = params;
  }
  // Where FuseBatchNorm/FuseActivations fold into this node's output.
  void SetEpilogue(FloatEpilogue* epilogue) { prepared().epilogue = epilogue; }
  // Where FuseMaxPool puts a MaxPool that follows this node.
  void SetFusablePool(FusedMaxPool* pool) { prepared().pool = pool; }
  // Output 0 may overlap input 0 where gap(params) allows (PreparedNode).
  void AllowOverlap(int64_t (*gap)(const void* params)) { prepared().overlap_gap = gap; }
  // Output `out` shares the storage of input `in` (no kernel runs for it).
  void AliasOutput(int out, int in);
  // Output 0 may be written into input `in`'s buffer when that input dies here.
  void AllowInPlace(int in) { node_.in_place_input = static_cast<int8_t>(in); }
  // Makes output i a constant with the given data (already in persistent
  // memory or in the model).
  void SetConstantOutput(int i, const void* data);
  // Scratch memory live only during this node's kernel; the planner writes
  // its address into *slot.
  void RequestScratch(size_t bytes, void** slot) {
    prepared().scratch_bytes = static_cast<uint32_t>(bytes);
    prepared().scratch_slot = slot;
  }

  // Persistent memory for parameters; fails with a clear message if full.
  Status Allocate(size_t bytes, size_t alignment, void** out);
  template <typename T>
  Status New(T** out, size_t count = 1) {
    void* memory;
    TINYONNX_RETURN_IF_ERROR(Allocate(sizeof(T) * count, alignof(T), &memory));
    T* typed = static_cast<T*>(memory);
    for (size_t k = 0; k < count; ++k) new (&typed[k]) T();
    *out = typed;
    return Status::kOk;
  }

  // Reports an error; the caller adds "node 'name' (Op): " in front.
#if TINYONNX_ERROR_MESSAGES
  Status Fail(Status status, const char* format, ...) __attribute__((format(printf, 3, 4)));
#else
  template <typename... Args>
  Status Fail(Status status, const char* format, Args... args) {
    return errors_.Report(status, format, args...);
  }
#endif
  ErrorReporter& errors() { return errors_; }
  Arena& arena() { return arena_; }

 private:
  Status FindAttribute(const char* name, AttributeView* attribute, bool* found);
  PreparedNode& prepared() { return graph_.prepared[node_index_]; }

  Graph& graph_;
  Node& node_;
  int32_t node_index_;
  Arena& arena_;
  ErrorReporter& errors_;
};

}  // namespace tinyonnx
