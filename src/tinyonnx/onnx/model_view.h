// Zero-copy views of ONNX protobuf messages (ModelProto, GraphProto,
// NodeProto, AttributeProto, TensorProto, ValueInfoProto).
//
// A view holds pointers into the model bytes and the few scalars it decoded;
// repeated fields are iterated by re-scanning the message, so nothing is
// copied and nothing is allocated. Each Parse() validates what it decodes and
// returns a short problem description on malformed input.
#pragma once

#include <cstdint>

#include "tinyonnx/base/dtype.h"
#include "tinyonnx/onnx/wire.h"

namespace tinyonnx {

constexpr int kMaxRank = 8;

// Field numbers of onnx.proto used by the views.
namespace onnx_field {
// ModelProto
constexpr uint32_t kModelIrVersion = 1, kModelProducerName = 2, kModelProducerVersion = 3,
                   kModelDomain = 4, kModelVersion = 5, kModelDocString = 6, kModelGraph = 7,
                   kModelOpsetImport = 8, kModelTrainingInfo = 20, kModelFunctions = 25;
// OperatorSetIdProto
constexpr uint32_t kOpsetDomain = 1, kOpsetVersion = 2;
// GraphProto
constexpr uint32_t kGraphNode = 1, kGraphName = 2, kGraphInitializer = 5, kGraphInput = 11,
                   kGraphOutput = 12, kGraphValueInfo = 13, kGraphSparseInitializer = 15;
// NodeProto
constexpr uint32_t kNodeInput = 1, kNodeOutput = 2, kNodeName = 3, kNodeOpType = 4,
                   kNodeAttribute = 5, kNodeDomain = 7;
// AttributeProto
constexpr uint32_t kAttrName = 1, kAttrF = 2, kAttrI = 3, kAttrS = 4, kAttrT = 5, kAttrG = 6,
                   kAttrFloats = 7, kAttrInts = 8, kAttrStrings = 9, kAttrTensors = 10,
                   kAttrGraphs = 11, kAttrType = 20, kAttrRefAttrName = 21,
                   kAttrSparseTensor = 22, kAttrSparseTensors = 23, kAttrTp = 14,
                   kAttrTypeProtos = 15;
// TensorProto
constexpr uint32_t kTensorDims = 1, kTensorDataType = 2, kTensorSegment = 3,
                   kTensorFloatData = 4, kTensorInt32Data = 5, kTensorStringData = 6,
                   kTensorInt64Data = 7, kTensorName = 8, kTensorRawData = 9,
                   kTensorDoubleData = 10, kTensorUint64Data = 11,
                   kTensorExternalData = 13, kTensorDataLocation = 14;
// ValueInfoProto / TypeProto / TensorShapeProto
constexpr uint32_t kValueInfoName = 1, kValueInfoType = 2;
constexpr uint32_t kTypeTensor = 1, kTypeSequence = 4, kTypeMap = 5, kTypeSparseTensor = 8,
                   kTypeOptional = 9;
constexpr uint32_t kTypeTensorElemType = 1, kTypeTensorShape = 2;
constexpr uint32_t kShapeDim = 1, kDimValue = 1, kDimParam = 2;
}  // namespace onnx_field

// How a repeated scalar is encoded on the wire when not packed.
enum class ScalarEncoding : uint8_t { kVarint, kFixed32, kFixed64 };

// Iterates one repeated scalar field of a message, accepting both the packed
// and the unpacked encoding (parsers must accept either).
class RepeatedScalar {
 public:
  RepeatedScalar() = default;
  RepeatedScalar(Bytes message, uint32_t field, ScalarEncoding encoding)
      : outer_(message), field_(field), encoding_(encoding) {}

  // Yields the next raw value (varint value, or the bits of a fixed32/64).
  bool Next(uint64_t* raw);
  bool error() const { return error_; }

 private:
  WireReader outer_;
  const uint8_t* packed_ = nullptr;
  const uint8_t* packed_end_ = nullptr;
  uint32_t field_ = 0;
  ScalarEncoding encoding_ = ScalarEncoding::kVarint;
  bool error_ = false;
};

// Counts the elements of a repeated scalar field; false if malformed.
bool CountRepeatedScalar(Bytes message, uint32_t field, ScalarEncoding encoding,
                         uint32_t* count);

// Calls fn(WireReader&) for each occurrence of `field` in `message`.
// Returns false if the message is malformed or fn returns false.
template <typename Fn>
bool ForEachField(Bytes message, uint32_t field, Fn&& fn) {
  WireReader reader(message);
  while (reader.Next()) {
    if (reader.field() == field && !fn(reader)) return false;
  }
  return !reader.error();
}

struct TensorView {
  Bytes message;
  Str name;
  DType dtype = DType::kUndefined;
  int64_t raw_dtype = 0;  // the number as stored, for messages
  int rank = 0;
  int64_t dims[kMaxRank] = {};
  uint64_t element_count = 0;  // product of dims (checked for overflow)
  bool has_raw_data = false;
  Bytes raw_data;
  uint32_t data_field = 0;    // typed data field present (float_data, ...), or 0
  uint32_t typed_count = 0;   // elements in that field
  bool packed_contiguous = false;  // typed data is one packed fixed-width run
  Bytes packed;               // that run, when packed_contiguous
  uint32_t string_count = 0;
  bool external = false;      // data_location == EXTERNAL or external_data set
  bool has_segment = false;

  // Returns nullptr on success, else what is wrong.
  static const char* Parse(Bytes message, TensorView* view);
};

struct AttributeView {
  enum Type : uint8_t {
    kUndefined = 0, kFloat = 1, kInt = 2, kString = 3, kTensor = 4, kGraph = 5,
    kFloats = 6, kInts = 7, kStrings = 8, kTensors = 9, kGraphs = 10,
    kSparseTensor = 11, kSparseTensors = 12, kTypeProto = 13, kTypeProtos = 14,
  };
  Bytes message;
  Str name;
  Type type = kUndefined;
  float f = 0;
  int64_t i = 0;
  Str s;
  Bytes t;
  Str ref_attr_name;
  uint32_t count = 0;  // elements of a list attribute

  RepeatedScalar ints() const {
    return RepeatedScalar(message, onnx_field::kAttrInts, ScalarEncoding::kVarint);
  }
  RepeatedScalar floats() const {
    return RepeatedScalar(message, onnx_field::kAttrFloats, ScalarEncoding::kFixed32);
  }
  static const char* TypeName(Type type);
  static const char* Parse(Bytes message, AttributeView* view);
};

struct NodeView {
  Bytes message;
  Str name;
  Str op_type;
  Str domain;
  uint32_t input_count = 0;
  uint32_t output_count = 0;
  uint32_t attribute_count = 0;

  static const char* Parse(Bytes message, NodeView* view);
  // Finds an attribute by name; false if absent. `problem` is set when the
  // attribute exists but is malformed.
  bool FindAttribute(const char* name, AttributeView* attribute, const char** problem) const;
};

struct DimView {
  bool has_value = false;
  int64_t value = 0;
  Str param;  // symbolic name, if any
};

struct ValueInfoView {
  Bytes message;
  Str name;
  bool is_tensor = false;  // false for sequence/map/optional types
  DType dtype = DType::kUndefined;
  bool has_shape = false;
  int rank = 0;
  DimView dims[kMaxRank];

  static const char* Parse(Bytes message, ValueInfoView* view);
};

struct GraphView {
  Bytes message;
  Str name;
  uint32_t node_count = 0;
  uint32_t initializer_count = 0;
  uint32_t sparse_initializer_count = 0;
  uint32_t input_count = 0;
  uint32_t output_count = 0;
  uint32_t value_info_count = 0;

  static const char* Parse(Bytes message, GraphView* view);
};

struct OpsetView {
  Str domain;
  int64_t version = 0;
};

struct ModelView {
  Bytes message;
  int64_t ir_version = 0;
  Str producer_name;
  Str producer_version;
  Str domain;
  int64_t model_version = 0;
  uint32_t opset_count = 0;
  uint32_t function_count = 0;
  bool has_graph = false;
  Bytes graph;

  static const char* Parse(Bytes message, ModelView* view);
  // The opset version imported for `domain` ("" and "ai.onnx" are the same);
  // 0 if not imported.
  int64_t OpsetVersion(Str domain) const;
  bool GetOpset(uint32_t index, OpsetView* opset) const;
};

// Parses a ModelProto and its GraphProto; nullptr on success, else what is
// wrong (a model without a graph is wrong).
const char* ParseModelAndGraph(Bytes model, ModelView* model_view, GraphView* graph_view);

}  // namespace tinyonnx
