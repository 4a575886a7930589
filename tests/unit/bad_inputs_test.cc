// A catalogue of bad model inputs (docs/robustness.md): each must give its
// specific Status and a message naming what is wrong, and none may crash,
// hang or allocate beyond the arena. Also: every prefix of a small model,
// random bit flips, deep nesting, a too-small arena, and wrong inputs given
// to the host Session.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "onnx_writer.h"
#include "session.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {
namespace {

using testing::Attr;
using testing::GraphWriter;
using testing::ProtoWriter;

alignas(16) uint8_t g_arena[1 << 20];

struct Result {
  Status status;
  std::string message;
};

Result Prepare(const std::string& model, size_t arena_size = sizeof(g_arena)) {
  Interpreter interpreter(model.data(), model.size(), g_arena, arena_size);
  Status status = interpreter.Prepare();
  if (status == Status::kOk) status = interpreter.Invoke();
  return Result{status, interpreter.error()};
}

// ---- Building blocks -------------------------------------------------------

ProtoWriter TensorType(int dtype, std::vector<ProtoWriter> dims) {
  ProtoWriter shape;
  for (const ProtoWriter& d : dims) shape.Message(1, d);
  ProtoWriter tensor;
  tensor.Varint(1, static_cast<uint64_t>(dtype)).Message(2, shape);
  return ProtoWriter().Message(1, tensor);
}

ProtoWriter Dim(int64_t v) { return ProtoWriter().Varint(1, static_cast<uint64_t>(v)); }

ProtoWriter ValueInfo(const std::string& name, const ProtoWriter& type) {
  return ProtoWriter().Bytes(1, name).Message(2, type);
}

// A model around one graph, with the usual opset and IR version.
std::string ModelOf(const ProtoWriter& graph, int64_t opset = 13) {
  ProtoWriter m;
  m.Varint(1, 8).Message(7, graph);
  m.Message(8, ProtoWriter().Bytes(1, "").Varint(2, static_cast<uint64_t>(opset)));
  return m.str();
}

// x[1,4] -> Relu -> y, with `graph` fields appended.
GraphWriter ReluGraph() {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 4}).Node("Relu", {"x"}, {"y"}, {}, "relu").Output("y");
  return g;
}

// A float initializer w with dims and raw bytes as given.
ProtoWriter RawTensor(const std::string& name, int dtype, std::vector<int64_t> dims, const std::string& raw) {
  ProtoWriter t;
  for (int64_t d : dims) t.Varint(1, static_cast<uint64_t>(d));
  t.Varint(2, static_cast<uint64_t>(dtype)).Bytes(8, name).Bytes(9, raw);
  return t;
}

// x[1,4] + w -> y, where w is the given TensorProto.
std::string AddWithInitializer(const ProtoWriter& w) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 4}).Raw(5, w).Node("Add", {"x", "w"}, {"y"}, {}, "add").Output("y");
  return g.Model();
}

// One graph input described by `type`, through Relu.
std::string ReluOfInput(const ProtoWriter& type) {
  GraphWriter g;
  g.Raw(11, ValueInfo("x", type)).Node("Relu", {"x"}, {"y"}, {}, "relu").Output("y");
  return g.Model();
}

std::string Conv(std::vector<Attr> attrs, int64_t channels = 2, int64_t side = 5, int64_t kernel = 3,
                 int64_t out_channels = 2, int64_t weight_in = 2) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, channels, side, side})
      .Initializer("w", {out_channels, weight_in, kernel, kernel},
                   std::vector<float>(static_cast<size_t>(out_channels * weight_in * kernel * kernel), 0.5f))
      .Node("Conv", {"x", "w"}, {"y"}, attrs, "conv")
      .Output("y");
  return g.Model();
}

std::string Pool(const std::string& op, std::vector<Attr> attrs) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 1, 4, 4}).Node(op, {"x"}, {"y"}, attrs, "pool").Output("y");
  return g.Model();
}

std::string OneOp(const std::string& op, std::vector<Attr> attrs, std::vector<int64_t> dims = {2, 3, 4}) {
  GraphWriter g;
  g.Input("x", testing::kFloat, dims).Node(op, {"x"}, {"y"}, attrs, "n").Output("y");
  return g.Model();
}

// Wraps `inner` in `depth` rounds of length-delimited fields, innermost
// first: each round wraps once per entry of `fields`. Builds the headers
// from the inside out, so deep nesting costs linear time.
std::string Nest(const std::string& inner, std::vector<uint32_t> fields, int depth) {
  std::vector<std::string> headers;
  size_t length = inner.size();
  for (int i = 0; i < depth; ++i) {
    for (uint32_t field : fields) {
      std::string header;
      for (uint64_t v : {uint64_t{field} << 3 | 2, uint64_t{length}}) {
        while (v >= 0x80) {
          header += static_cast<char>(v | 0x80);
          v >>= 7;
        }
        header += static_cast<char>(v);
      }
      length += header.size();
      headers.push_back(header);
    }
  }
  std::string out;
  out.reserve(length);
  for (auto h = headers.rbegin(); h != headers.rend(); ++h) out += *h;
  return out + inner;
}
std::string Nest(const std::string& inner, uint32_t field, int depth) {
  return Nest(inner, std::vector<uint32_t>{field}, depth);
}

// ---- The catalogue -----------------------------------------------------------

struct Case {
  const char* name;
  std::string (*model)();
  Status status;
  const char* message;  // substring of the error message
  size_t arena = sizeof(g_arena);
};

// For gtest's and ctest's test names.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::string Valid() { return ReluGraph().Model(); }

const Case kCases[] = {
    // Wire format.
    {"Empty", [] { return std::string(); }, Status::kInvalidModel, "the model has no graph"},
    {"NotProtobuf", [] { return std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11); },
     Status::kInvalidModel, "malformed ModelProto (not an ONNX file, or truncated)"},
    {"FieldNumberZero", [] { return std::string("\x02\x00", 2); }, Status::kInvalidModel, "malformed ModelProto (not an ONNX file, or truncated)"},
    {"GroupWireType", [] { return std::string("\x0b\x0c", 2); }, Status::kInvalidModel, "malformed ModelProto (not an ONNX file, or truncated)"},
    {"InvalidWireType7", [] { return std::string("\x0f\x01", 2); }, Status::kInvalidModel, "malformed ModelProto (not an ONNX file, or truncated)"},
    {"VarintOverTenBytes",
     [] { return std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12); },
     Status::kInvalidModel, "malformed ModelProto (not an ONNX file, or truncated)"},
    {"LengthPastEnd", [] { return std::string("\x3a\x7f\x0a\x01x", 5); }, Status::kInvalidModel, "malformed ModelProto (not an ONNX file, or truncated)"},
    {"HugeLength", [] { return std::string("\x3a\xff\xff\xff\xff\x0f", 6); }, Status::kInvalidModel, "malformed ModelProto (not an ONNX file, or truncated)"},
    {"GraphWrongWireType", [] { return std::string("\x38\x05", 2); }, Status::kInvalidModel, "graph has the wrong wire type"},
    {"IrVersionWrongWireType", [] { return ProtoWriter().Bytes(1, "8").str() + Valid(); },
     Status::kInvalidModel, "ir_version has the wrong wire type"},
    {"NodeWrongWireType",
     [] { return ModelOf(ProtoWriter().Varint(1, 5)); }, Status::kInvalidModel,
     "GraphProto.node has the wrong wire type"},
    {"DimsWrongWireType",
     [] { return AddWithInitializer(ProtoWriter().Fixed32(1, 1.0f).Varint(2, 1).Bytes(8, "w").Bytes(9, std::string(4, '\0'))); },
     Status::kInvalidModel, "initializer: malformed dims"},
    // Nesting: the reader must not recurse per level.
    {"DeepNestingUnknownField", [] { return Nest("", 99, 100000) + Valid(); }, Status::kOk, ""},
    {"DeepNestingInGraph",
     [] { return ModelOf(ProtoWriter().Bytes(99, Nest("", 1, 100000))) ; }, Status::kInvalidModel, "the graph has no outputs"},
    {"DeepNestingSequenceType",
     [] {
       // TypeProto.sequence_type (4) -> Sequence.elem_type (1) -> TypeProto ...
       const std::string type = Nest(TensorType(testing::kFloat, {Dim(4)}).str(), {1, 4}, 50000);
       GraphWriter g;
       g.Raw(11, ProtoWriter().Bytes(1, "x").Bytes(2, type)).Node("Relu", {"x"}, {"y"}).Output("y");
       return g.Model();
     },
     Status::kUnsupported, "input 'x' is not a tensor"},
    {"DeepNestingSubgraphAttribute",
     [] {
       std::string graph;
       for (int i = 0; i < 5000; ++i) {
         ProtoWriter attr;
         attr.Bytes(1, "then_branch").Varint(20, 5).Bytes(6, graph);
         ProtoWriter node;
         node.Bytes(1, "c").Bytes(2, "y").Bytes(4, "If").Message(5, attr);
         graph = ProtoWriter().Message(1, node).str();
       }
       ProtoWriter attr;
       attr.Bytes(1, "then_branch").Varint(20, 5).Bytes(6, graph);
       ProtoWriter node;
       node.Bytes(1, "c").Bytes(2, "y").Bytes(4, "If").Message(5, attr);
       GraphWriter top;
       top.Input("c", testing::kBool, {1}).Raw(1, node).Output("y");
       return top.Model();
     },
     Status::kUnsupported, "unsupported op: If"},
    // Model level.
    {"NoGraph", [] { return ProtoWriter().Varint(1, 8).str(); }, Status::kInvalidModel, "the model has no graph"},
    {"OpsetTooNew", [] { return ReluGraph().Model(99); }, Status::kUnsupported, "default-domain opset 99 is not supported (tinyonnx knows opsets 1 to 18)"},
    {"NodeWithoutOpType",
     [] {
       return ProtoWriter().Varint(1, 8).Message(7, ProtoWriter().Bytes(1, "")).str();
     },
     Status::kUnsupported, "unsupported op: (a node without op_type)"},
    {"IrVersionTooNew", [] { return ReluGraph().Model(13, 99); }, Status::kUnsupported, "IR version 99 is not supported (tinyonnx reads IR versions 3 to 9)"},
    // Graph structure.
    {"NoOutputs",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 4}).Node("Relu", {"x"}, {"y"});
       return g.Model();
     },
     Status::kInvalidModel, "the graph has no outputs"},
    {"OutputNeverProduced",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 4}).Node("Relu", {"x"}, {"y"}).Output("z");
       return g.Model();
     },
     Status::kInvalidModel, "graph output 'z' is never produced"},
    {"Cycle",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 4})
           .Node("Add", {"x", "b"}, {"a"}, {}, "first")
           .Node("Relu", {"a"}, {"b"}, {}, "second")
           .Output("b");
       return g.Model();
     },
     Status::kInvalidModel, "the graph has a cycle through node 'first' (Add)"},
    {"SelfLoop",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 4}).Node("Add", {"x", "a"}, {"a"}, {}, "self").Output("a");
       return g.Model();
     },
     Status::kInvalidModel, "the graph has a cycle through node 'self' (Add)"},
    {"DanglingInput",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 4}).Node("Relu", {"missing"}, {"y"}, {}, "r").Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "node 'r' (Relu) reads 'missing', which nothing defines"},
    {"DuplicateOutputName",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 4}).Node("Relu", {"x"}, {"y"}).Node("Relu", {"x"}, {"y"}).Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "the name 'y' is defined twice"},
    {"DuplicateInitializer",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 4})
           .Initializer("w", {4}, {1, 2, 3, 4})
           .Initializer("w", {4}, {1, 2, 3, 4})
           .Node("Add", {"x", "w"}, {"y"})
           .Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "the name 'w' is defined twice"},
    {"UnnamedInitializer",
     [] { return AddWithInitializer(RawTensor("", testing::kFloat, {4}, std::string(16, '\0'))); },
     Status::kInvalidModel, "an initializer has no name"},
    {"UnsupportedOp", [] { return OneOp("FancyNewOp", {}); }, Status::kUnsupported, "unsupported op: FancyNewOp"},
    {"UnknownDomain",
     [] {
       ProtoWriter node;
       node.Bytes(1, "x").Bytes(2, "y").Bytes(3, "n").Bytes(4, "Relu").Bytes(7, "com.example");
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 4}).Raw(1, node).Output("y");
       return g.Model();
     },
     Status::kUnsupported, "unsupported op: com.example.Relu"},
    // Tensors (initializers).
    {"InitializerNegativeDim",
     [] { return AddWithInitializer(RawTensor("w", testing::kFloat, {-4}, std::string(16, '\0'))); },
     Status::kInvalidModel, "initializer: negative dimension"},
    {"InitializerDimsOverflow64",
     [] {
       return AddWithInitializer(
           RawTensor("w", testing::kFloat, {int64_t{1} << 40, int64_t{1} << 40}, std::string(16, '\0')));
     },
     Status::kInvalidModel, "initializer: element count overflows"},
    {"InitializerDimsOverflow32",
     [] { return AddWithInitializer(RawTensor("w", testing::kFloat, {65536, 65536}, std::string(16, '\0'))); },
     Status::kUnsupported, "tensor 'w' is larger than 2 GiB"},
    {"InitializerDimAbove2To31",
     [] { return AddWithInitializer(RawTensor("w", testing::kFloat, {int64_t{1} << 33, 0}, "")); },
     Status::kUnsupported, "tensor 'w' has a dimension above 2^31"},
    {"InitializerRankAbove8",
     [] { return AddWithInitializer(RawTensor("w", testing::kFloat, {1, 1, 1, 1, 1, 1, 1, 1, 4}, std::string(16, '\0'))); },
     Status::kInvalidModel, "initializer: rank is above 8"},
    {"InitializerRawSizeMismatch",
     [] { return AddWithInitializer(RawTensor("w", testing::kFloat, {4}, std::string(12, '\0'))); },
     Status::kInvalidModel, "tensor 'w' has 12 bytes of raw_data, but shape [4] of float32 needs 16"},
    {"InitializerTypedCountMismatch",
     [] {
       ProtoWriter t;
       t.Varint(1, 4).Varint(2, testing::kFloat).Bytes(8, "w").Fixed32(4, 1.0f).Fixed32(4, 2.0f);
       return AddWithInitializer(t);
     },
     Status::kInvalidModel, "tensor 'w' has 2 data values but its shape holds 4"},
    {"InitializerNoData",
     [] {
       ProtoWriter t;
       t.Varint(1, 4).Varint(2, testing::kFloat).Bytes(8, "w");
       return AddWithInitializer(t);
     },
     Status::kInvalidModel, "tensor 'w' has a shape but no data"},
    {"InitializerTwoTypedFields",
     [] {
       ProtoWriter t;
       t.Varint(1, 1).Varint(2, testing::kFloat).Bytes(8, "w").Fixed32(4, 1.0f).Varint(5, 1);
       return AddWithInitializer(t);
     },
     Status::kInvalidModel, "initializer: data stored in more than one typed field"},
    {"InitializerComplexDType",
     [] { return AddWithInitializer(RawTensor("w", 14, {4}, std::string(32, '\0'))); },
     Status::kUnsupported, "tensor 'w' has data type complex64 (14)"},
    {"InitializerExternalData",
     [] {
       ProtoWriter t;
       t.Varint(1, 4).Varint(2, testing::kFloat).Bytes(8, "w");
       t.Message(13, ProtoWriter().Bytes(1, "location").Bytes(2, "weights.bin")).Varint(14, 1);
       return AddWithInitializer(t);
     },
     Status::kUnsupported, "tensor 'w' keeps its data in an external file; save the model in one piece (onnx.save_model(model, path, save_"},
    {"InitializerSegmented",
     [] {
       ProtoWriter t = RawTensor("w", testing::kFloat, {4}, std::string(16, '\0'));
       t.Message(3, ProtoWriter().Varint(1, 0).Varint(2, 4));
       return AddWithInitializer(t);
     },
     Status::kUnsupported, "tensor 'w' is segmented"},
    {"SparseInitializer",
     [] {
       GraphWriter g = ReluGraph();
       g.Raw(15, ProtoWriter().Message(1, RawTensor("s", testing::kFloat, {1}, std::string(4, '\0'))));
       return g.Model();
     },
     Status::kUnsupported, "sparse initializers are not supported"},
    {"ZeroSizeInitializer",
     [] { return AddWithInitializer(RawTensor("w", testing::kFloat, {0}, "")); },
     Status::kInvalidModel, "node 'add' (Add): shapes [1, 4] and [0] cannot be broadcast together"},
    // Graph inputs.
    {"InputNegativeDim", [] { return ReluOfInput(TensorType(testing::kFloat, {Dim(1), Dim(-5)})); },
     Status::kInvalidModel, "dimension 1 of input 'x' is negative (-5)"},
    {"InputDimAbove2To31", [] { return ReluOfInput(TensorType(testing::kFloat, {Dim(int64_t{1} << 40)})); },
     Status::kUnsupported, "dimension 0 of input 'x' is too large"},
    {"InputDimsOverflow", [] {
       return ReluOfInput(TensorType(testing::kFloat, {Dim(1 << 30), Dim(1 << 30), Dim(1 << 30)}));
     },
     Status::kUnsupported, "input 'x' is larger than 2 GiB"},
    {"InputZeroSize", [] { return ReluOfInput(TensorType(testing::kFloat, {Dim(1), Dim(0)})); }, Status::kOk, ""},
    {"InputStringDType", [] { return ReluOfInput(TensorType(8, {Dim(4)})); }, Status::kUnsupported,
     "input 'x' has dtype string"},
    {"InputNotTensor",
     [] { return ReluOfInput(ProtoWriter().Message(4, ProtoWriter().Message(1, TensorType(1, {Dim(1)})))); },
     Status::kUnsupported, "input 'x' is not a tensor"},
    {"InputRankAbove8",
     [] {
       return ReluOfInput(TensorType(testing::kFloat, {Dim(1), Dim(1), Dim(1), Dim(1), Dim(1), Dim(1), Dim(1),
                                                       Dim(1), Dim(1)}));
     },
     Status::kInvalidModel, "graph input: rank is above 8"},
    // Arena.
    {"ArenaTooSmall", [] { return OneOp("Relu", {}, {64, 64}); }, Status::kOutOfMemory, "arena too small: this model needs 16696 bytes (activations 16384 + persistent 296; 836 while preparing), the arena has 2048", 2048},
    // Attributes.
    {"ConvStrideZero", [] { return Conv({Attr::Ints("strides", {0, 1})}); }, Status::kInvalidModel, "node 'conv' (Conv): attribute 'strides' value 0 is out of range [1, 1048576]"},
    {"ConvStrideNegative", [] { return Conv({Attr::Ints("strides", {-1, 1})}); }, Status::kInvalidModel, "node 'conv' (Conv): attribute 'strides' value -1 is out of range [1, 1048576]"},
    {"ConvKernelLargerThanInput", [] { return Conv({}, 2, 5, 7); }, Status::kInvalidModel,
     "node 'conv' (Conv): the window (7 with dilation) is larger than the padded input (5) along spatial axis 0"},
    {"ConvNegativePads", [] { return Conv({Attr::Ints("pads", {-1, 0, 0, 0})}); }, Status::kInvalidModel, "node 'conv' (Conv): attribute 'pads' value -1 is out of range [0, 1048576]"},
    {"ConvGroupNotDividingChannels", [] { return Conv({Attr::Int("group", 3)}, 4, 5, 3, 3, 1); },
     Status::kInvalidModel, "node 'conv' (Conv): group 3 does not divide the input's 4 channels"},
    {"ConvGroupZero", [] { return Conv({Attr::Int("group", 0)}); }, Status::kInvalidModel, "node 'conv' (Conv): group must be between 1 and the input's 2 channels, is 0"},
    {"ConvDilationZero", [] { return Conv({Attr::Ints("dilations", {0, 0})}); }, Status::kInvalidModel, "node 'conv' (Conv): attribute 'dilations' value 0 is out of range [1, 1048576]"},
    {"ConvWeightChannelsMismatch", [] { return Conv({}, 2, 5, 3, 2, 3); }, Status::kInvalidModel, "node 'conv' (Conv): the input has 2 channels and group is 1, so the weights need 2 input channels, they have 3"},
    {"ConvBadAutoPad", [] { return Conv({Attr::String("auto_pad", "SOMETIMES")}); }, Status::kInvalidModel,
     "node 'conv' (Conv): auto_pad 'SOMETIMES' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID"},
    {"MaxPoolNoKernel", [] { return Pool("MaxPool", {}); }, Status::kInvalidModel, "node 'pool' (MaxPool): attribute 'kernel_shape' is required"},
    {"MaxPoolKernelZero", [] { return Pool("MaxPool", {Attr::Ints("kernel_shape", {0, 2})}); },
     Status::kInvalidModel, "node 'pool' (MaxPool): attribute 'kernel_shape' value 0 is out of range [1, 1048576]"},
    {"MaxPoolKernelTooLarge", [] { return Pool("MaxPool", {Attr::Ints("kernel_shape", {9, 9})}); },
     Status::kInvalidModel, "node 'pool' (MaxPool): the window (9 with dilation) is larger than the padded input (4) along spatial axis 0"},
    {"AveragePoolPadsNotBelowKernel",
     [] { return Pool("AveragePool", {Attr::Ints("kernel_shape", {2, 2}), Attr::Ints("pads", {3, 3, 3, 3})}); },
     Status::kInvalidModel, "node 'pool' (AveragePool): pads (3, 3) along spatial axis 0 must be smaller than the kernel (2)"},
    {"SoftmaxAxisOutOfRange", [] { return OneOp("Softmax", {Attr::Int("axis", 3)}); }, Status::kInvalidModel,
     "node 'n' (Softmax): axis 3 is out of range for rank 3"},
    {"SoftmaxAxisTooNegative", [] { return OneOp("Softmax", {Attr::Int("axis", -4)}); }, Status::kInvalidModel,
     "node 'n' (Softmax): axis -4 is out of range for rank 3"},
    {"FlattenAxisOutOfRange", [] { return OneOp("Flatten", {Attr::Int("axis", 5)}); }, Status::kInvalidModel,
     "node 'n' (Flatten): axis 5 is out of range for rank 3 (allowed: -3 to 3)"},
    {"ConcatAxisOutOfRange", [] { return OneOp("Concat", {Attr::Int("axis", 7)}); }, Status::kInvalidModel,
     "node 'n' (Concat): axis 7 is out of range for rank 3 (allowed: -3 to 2)"},
    {"TransposePermDuplicate", [] { return OneOp("Transpose", {Attr::Ints("perm", {0, 0, 1})}); },
     Status::kInvalidModel, "node 'n' (Transpose): perm is not a permutation of 0..2 (entry 1 is 0)"},
    {"TransposePermWrongLength", [] { return OneOp("Transpose", {Attr::Ints("perm", {1, 0})}); },
     Status::kInvalidModel, "node 'n' (Transpose): perm has 2 entries but the input has rank 3"},
    {"TransposePermOutOfRange", [] { return OneOp("Transpose", {Attr::Ints("perm", {0, 1, 5})}); },
     Status::kInvalidModel, "node 'n' (Transpose): perm is not a permutation of 0..2 (entry 2 is 5)"},
    {"TransposeBadPermBeforeAdd",  // the transpose-sinking pass used to index with perm
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {2, 3}).Initializer("w", {3}, {1, 2, 3})
           .Node("Transpose", {"x"}, {"t"}, {Attr::Ints("perm", {0, 16})}, "t")
           .Node("Add", {"t", "w"}, {"y"}, {}, "add").Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "node 't' (Transpose): perm is not a permutation of 0..1 (entry 1 is 16)"},
    {"QdqConvNanBias",  // found by fuzz_interpreter: NaN converted to int32
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {1, 1, 3, 3});
       g.Initializer("s", {}, {0.02f}).RawInitializer("z", testing::kInt8, {}, std::string(1, '\0'));
       g.RawInitializer("w", testing::kInt8, {2, 1, 1, 1}, std::string("\x10\x20", 2));
       g.Initializer("ws", {2}, {0.01f, 0.01f}).RawInitializer("wz", testing::kInt8, {2}, std::string(2, '\0'));
       g.Initializer("b", {2}, {0.5f, std::nanf("")});
       g.Node("QuantizeLinear", {"x", "s", "z"}, {"xq"}).Node("DequantizeLinear", {"xq", "s", "z"}, {"xd"});
       g.Node("DequantizeLinear", {"w", "ws", "wz"}, {"wd"}, {Attr::Int("axis", 0)});
       g.Node("Conv", {"xd", "wd", "b"}, {"c"}, {}, "conv");
       g.Node("QuantizeLinear", {"c", "s", "z"}, {"cq"}).Node("DequantizeLinear", {"cq", "s", "z"}, {"y"});
       g.Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "bias value 1 (nan) is not a number"},
    {"AttributeWrongType", [] { return OneOp("Softmax", {Attr::Float("axis", 1.0f)}); }, Status::kInvalidModel,
     "node 'n' (Softmax): attribute 'axis' should be INT but is FLOAT"},
    {"LeakyReluAlphaAsInts", [] { return OneOp("LeakyRelu", {Attr::Ints("alpha", {1})}); },
     Status::kInvalidModel, "node 'n' (LeakyRelu): attribute 'alpha' should be FLOAT but is INTS"},
    {"GemmTransAIsTwo",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {2, 3}).Initializer("w", {3, 2}, std::vector<float>(6, 1.0f))
           .Node("Gemm", {"x", "w"}, {"y"}, {Attr::Int("transA", 2)}, "gemm").Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "node 'gemm' (Gemm): transA must be 0 or 1, is 2"},
    {"ReshapeProductMismatch",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {2, 3}).Int64Initializer("s", {2}, {4, 4})
           .Node("Reshape", {"x", "s"}, {"y"}, {}, "reshape").Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "node 'reshape' (Reshape): cannot reshape [2, 3] (6 elements) into [4, 4] (16 elements)"},
    {"ReshapeTwoMinusOne",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {2, 3}).Int64Initializer("s", {2}, {-1, -1})
           .Node("Reshape", {"x", "s"}, {"y"}, {}, "reshape").Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "node 'reshape' (Reshape): shape has more than one -1"},
    {"AddShapesNotBroadcastable",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {2, 3}).Initializer("w", {4}, {1, 2, 3, 4})
           .Node("Add", {"x", "w"}, {"y"}, {}, "add").Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "node 'add' (Add): shapes [2, 3] and [4] cannot be broadcast together"},
    {"GatherIndexOutOfRange",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {2, 3}).Int64Initializer("i", {1}, {7})
           .Node("Gather", {"x", "i"}, {"y"}, {}, "gather").Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "node 'gather' (Gather): index 7 (element 0 of the indices) is out of range for an axis of 2 (allowed: -2 to 1)"},
    {"GatherAxisOutOfRange",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {2, 3}).Int64Initializer("i", {1}, {0})
           .Node("Gather", {"x", "i"}, {"y"}, {Attr::Int("axis", 2)}, "gather").Output("y");
       return g.Model();
     },
     Status::kInvalidModel, "node 'gather' (Gather): axis 2 is out of range for rank 2 (allowed: -2 to 1)"},
    {"SplitSizesDoNotSum",
     [] {
       GraphWriter g;
       g.Input("x", testing::kFloat, {2, 6}).Int64Initializer("s", {2}, {2, 2})
           .Node("Split", {"x", "s"}, {"a", "b"}, {Attr::Int("axis", 1)}, "split").Output("a").Output("b");
       return g.Model();
     },
     Status::kInvalidModel, "node 'split' (Split): split sums to 4 but the axis has 6"},
    {"TooFewNodeInputs", [] { return OneOp("Add", {}); }, Status::kInvalidModel, "node 'n' (Add): expects 2 inputs, has 1"},
};

class BadInputTest : public ::testing::TestWithParam<Case> {};

TEST_P(BadInputTest, GivesItsStatusAndMessage) {
  const Case& c = GetParam();
  const Result r = Prepare(c.model(), c.arena);
  EXPECT_EQ(StatusName(r.status), std::string(StatusName(c.status))) << r.message;
  EXPECT_NE(r.message.find(c.message), std::string::npos) << "message: " << r.message;
  if (c.status != Status::kOk) EXPECT_FALSE(r.message.empty());
  // BAD_INPUTS_TABLE=1 prints the rows of docs/robustness.md's table.
  if (std::getenv("BAD_INPUTS_TABLE") != nullptr) {
    std::printf("| %s | %s | %s |\n", c.name, StatusName(r.status), r.message.c_str());
  }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInputTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// ---- Truncation, bit flips ---------------------------------------------------

std::string SmallModel() {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 2, 4, 4})
      .Initializer("w", {2, 2, 3, 3}, std::vector<float>(36, 0.25f))
      .Initializer("b", {2}, {0.5f, -0.5f})
      .Node("Conv", {"x", "w", "b"}, {"c"}, {Attr::Ints("pads", {1, 1, 1, 1})}, "conv")
      .Node("Relu", {"c"}, {"r"}, {}, "relu")
      .Node("MaxPool", {"r"}, {"p"}, {Attr::Ints("kernel_shape", {2, 2}), Attr::Ints("strides", {2, 2})}, "pool")
      .Node("Flatten", {"p"}, {"f"}, {}, "flatten")
      .Node("Softmax", {"f"}, {"y"}, {Attr::Int("axis", 1)}, "softmax")
      .Output("y");
  return g.Model();
}

TEST(BadInputs, EveryPrefixOfAModelFailsCleanlyOrLoads) {
  const std::string model = SmallModel();
  ASSERT_EQ(Prepare(model).status, Status::kOk);
  int loaded = 0;
  for (size_t n = 0; n < model.size(); ++n) {
    // An exact-size heap copy, so ASan sees any read past the end.
    std::unique_ptr<char[]> bytes(new char[n + 1]);
    std::memcpy(bytes.get(), model.data(), n);
    Interpreter interpreter(bytes.get(), n, g_arena, sizeof(g_arena));
    const Status status = interpreter.Prepare();
    if (status == Status::kOk) {
      ++loaded;
      EXPECT_EQ(interpreter.Invoke(), Status::kOk);
    } else {
      EXPECT_NE(interpreter.error()[0], '\0') << "prefix " << n;
      EXPECT_NE(status, Status::kInternal) << "prefix " << n << ": " << interpreter.error();
    }
  }
  // A prefix ending between top-level fields can be a valid model with
  // fewer opsets; almost all others must fail.
  EXPECT_LT(loaded, 8);
}

TEST(BadInputs, RandomBitFlipsNeverCrash) {
  const std::string model = SmallModel();
  std::mt19937 rng(20261121);
  int failed = 0;
  const int kIterations = 3000;
  for (int i = 0; i < kIterations; ++i) {
    std::string m = model;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) m[rng() % m.size()] ^= static_cast<char>(1u << (rng() % 8));
    Interpreter interpreter(m.data(), m.size(), g_arena, sizeof(g_arena));
    Status status = interpreter.Prepare();
    if (status == Status::kOk) status = interpreter.Invoke();
    if (status != Status::kOk) {
      ++failed;
      EXPECT_NE(interpreter.error()[0], '\0');
      EXPECT_NE(status, Status::kInternal) << interpreter.error();
    }
  }
  EXPECT_GT(failed, 0);
}

// ---- Host Session: inputs from the caller -------------------------------------

class SessionInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    const std::string model = OneOp("Relu", {}, {1, 4});
    ASSERT_TRUE(session_.LoadBytes(std::vector<uint8_t>(model.begin(), model.end()), &error)) << error;
    ASSERT_TRUE(session_.Prepare({}, {}, &error, 1 << 20)) << error;
  }
  tools::HostTensor Tensor(DType dtype, std::vector<int64_t> dims) {
    tools::HostTensor t;
    t.name = "x";
    t.dtype = dtype;
    t.dims = dims;
    t.data.assign(static_cast<size_t>(t.ElementCount()) * DTypeSize(dtype), 0);
    return t;
  }
  tools::Session session_;
};

TEST_F(SessionInputs, WrongShapeIsRejectedWithBothShapes) {
  std::string error;
  EXPECT_FALSE(session_.SetInputs({Tensor(DType::kFloat, {1, 5})}, &error));
  EXPECT_NE(error.find("[1, 4]"), std::string::npos) << error;
  EXPECT_NE(error.find("[1, 5]"), std::string::npos) << error;
}

TEST_F(SessionInputs, WrongRankIsRejected) {
  std::string error;
  EXPECT_FALSE(session_.SetInputs({Tensor(DType::kFloat, {4})}, &error));
  EXPECT_NE(error.find("input 'x'"), std::string::npos) << error;
}

TEST_F(SessionInputs, WrongDTypeIsRejected) {
  std::string error;
  EXPECT_FALSE(session_.SetInputs({Tensor(DType::kInt64, {1, 4})}, &error));
  EXPECT_NE(error.find("input 'x' is float32, the file holds int64"), std::string::npos) << error;
}

TEST_F(SessionInputs, WrongInputCountIsRejected) {
  std::string error;
  EXPECT_FALSE(session_.SetInputs({Tensor(DType::kFloat, {1, 4}), Tensor(DType::kFloat, {1, 4})}, &error));
  EXPECT_NE(error.find("the model has 1 inputs, 2 were given"), std::string::npos) << error;
}

TEST(BadInputs, SessionRejectsGarbageBytes) {
  tools::Session session;
  std::string error;
  const std::string bytes("\xff\xff\xff", 3);
  const bool loaded = session.LoadBytes(std::vector<uint8_t>(bytes.begin(), bytes.end()), &error);
  EXPECT_FALSE(loaded);
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace tinyonnx
