// Cross-checks tinyonnx's zero-copy ONNX reader (onnx/model_view.h) against
// the classes protoc generates from onnx.proto, on every model of the corpus.
//
// protobuf is the reference: whatever it decodes, the views must decode to
// the same values. Repeated fields are walked the way the loader walks them
// (ForEachField for messages and strings, RepeatedScalar for numbers), so the
// check covers the iteration code as well as the Parse() functions.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "corpus.h"
#include "onnx/onnx.pb.h"
#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx_test {
namespace {

using google::protobuf::RepeatedField;
using google::protobuf::RepeatedPtrField;
using tinyonnx::AttributeView;
using tinyonnx::Bytes;
using tinyonnx::DimView;
using tinyonnx::ForEachField;
using tinyonnx::GraphView;
using tinyonnx::ModelView;
using tinyonnx::NodeView;
using tinyonnx::OpsetView;
using tinyonnx::RepeatedScalar;
using tinyonnx::ScalarEncoding;
using tinyonnx::Str;
using tinyonnx::TensorView;
using tinyonnx::ValueInfoView;
using tinyonnx::WireReader;
using tinyonnx::WireType;
namespace field = tinyonnx::onnx_field;

// The backend node tests alone hold 932 models; fewer means the corpus was
// not found, and the cross-check would pass without checking anything.
constexpr size_t kMinimumCorpusSize = 900;

// Packed fixed-width runs are compared with protobuf's in-memory arrays.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the packed-run check assumes a little-endian host");

// The model and the item a comparison is about, printed with every mismatch,
// e.g. "node/test_if/model.onnx: model.graph.node[0] 'if' (If).attribute[0]".
class Where {
 public:
  explicit Where(std::string text) : text_(std::move(text)) {}

  Where Field(const char* name) const { return Where(text_ + "." + name); }
  Where Index(int index) const { return Where(text_ + "[" + std::to_string(index) + "]"); }
  Where Named(const std::string& name) const {
    return name.empty() ? *this : Where(text_ + " '" + name + "'");
  }
  Where Annotated(const std::string& note) const { return Where(text_ + " (" + note + ")"); }

  friend std::ostream& operator<<(std::ostream& out, const Where& where) {
    return out << where.text_;
  }

 private:
  std::string text_;
};

std::string ToString(Bytes bytes) {
  return bytes.size == 0 ? std::string()
                         : std::string(reinterpret_cast<const char*>(bytes.data), bytes.size);
}

std::string ToString(Str str) {
  return str.size == 0 ? std::string() : std::string(str.data, str.size);
}

Bytes BytesOf(const std::string& buffer) {
  Bytes bytes;
  bytes.data = reinterpret_cast<const uint8_t*>(buffer.data());
  bytes.size = static_cast<uint32_t>(buffer.size());
  return bytes;
}

// Integers of different widths and signedness (uint32_t counts against
// protobuf's int sizes) compare by value.
template <typename T>
auto Comparable(const T& value) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<int64_t>(value);
  } else {
    return value;
  }
}

template <typename Tinyonnx, typename Protobuf>
void ExpectEqual(const Where& where, const Tinyonnx& tinyonnx_value,
                 const Protobuf& protobuf_value) {
  // Named so the failure message reads "tinyonnx Which is: ...".
  const auto tinyonnx = Comparable(tinyonnx_value);
  const auto protobuf = Comparable(protobuf_value);
  EXPECT_EQ(tinyonnx, protobuf) << where;
}

// Byte strings (raw_data can be megabytes) report the first difference
// instead of printing both.
void ExpectSameBytes(const Where& where, Bytes tinyonnx, const std::string& protobuf) {
  ExpectEqual(where.Field("size"), tinyonnx.size, protobuf.size());
  if (tinyonnx.size != protobuf.size()) return;
  for (uint32_t i = 0; i < tinyonnx.size; ++i) {
    if (tinyonnx.data[i] != static_cast<uint8_t>(protobuf[i])) {
      ADD_FAILURE() << where << ": bytes differ from offset " << i;
      return;
    }
  }
}

uint32_t FloatBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

// A view that tinyonnx cannot parse while protobuf can is a reader bug.
bool ExpectParsed(const Where& where, const char* problem) {
  if (problem == nullptr) return true;
  ADD_FAILURE() << where << ": tinyonnx rejects what protobuf parses: " << problem;
  return false;
}

template <typename T>
constexpr ScalarEncoding EncodingOf() {
  if constexpr (std::is_same_v<T, float>) {
    return ScalarEncoding::kFixed32;
  } else if constexpr (std::is_same_v<T, double>) {
    return ScalarEncoding::kFixed64;
  } else {
    return ScalarEncoding::kVarint;
  }
}

// Turns one raw RepeatedScalar value into the element type the loader reads.
template <typename T>
T FromRaw(uint64_t raw) {
  if constexpr (std::is_same_v<T, float>) {
    uint32_t bits = static_cast<uint32_t>(raw);
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  } else if constexpr (std::is_same_v<T, double>) {
    double value;
    std::memcpy(&value, &raw, sizeof(value));
    return value;
  } else {
    return static_cast<T>(raw);
  }
}

// Bitwise, so that NaN payloads and -0.0 count as values too.
template <typename T>
bool SameBits(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <typename T>
RepeatedScalar ScalarField(Bytes message, uint32_t field_number) {
  return RepeatedScalar(message, field_number, EncodingOf<T>());
}

// Compares a repeated number field read with RepeatedScalar against
// protobuf's copy, element by element.
template <typename T>
void ExpectSameScalars(const Where& where, RepeatedScalar values,
                       const RepeatedField<T>& protobuf) {
  std::vector<T> decoded;
  uint64_t raw;
  while (values.Next(&raw)) decoded.push_back(FromRaw<T>(raw));
  EXPECT_FALSE(values.error()) << where << ": malformed";
  ExpectEqual(where.Field("size"), decoded.size(), protobuf.size());
  for (size_t i = 0; i < decoded.size() && i < static_cast<size_t>(protobuf.size()); ++i) {
    if (!SameBits(decoded[i], protobuf.Get(static_cast<int>(i)))) {
      ADD_FAILURE() << where.Index(static_cast<int>(i)) << ": tinyonnx " << decoded[i]
                    << ", protobuf " << protobuf.Get(static_cast<int>(i));
      return;
    }
  }
}

// Compares a repeated string field, collected with ForEachField.
void ExpectSameStrings(const Where& where, Bytes message, uint32_t field_number,
                       const RepeatedPtrField<std::string>& protobuf) {
  std::vector<std::string> strings;
  bool well_formed = ForEachField(message, field_number, [&](WireReader& reader) {
    if (reader.wire_type() != WireType::kLengthDelimited) return false;
    strings.push_back(ToString(reader.bytes()));
    return true;
  });
  EXPECT_TRUE(well_formed) << where << ": malformed";
  ExpectEqual(where, strings, std::vector<std::string>(protobuf.begin(), protobuf.end()));
}

// Walks a repeated message field with ForEachField and calls
// compare(where, bytes, protobuf_element) for each element protobuf also has
// at that index; the element counts must agree.
template <typename ProtoMessage, typename Compare>
void ForEachPair(const Where& list, Bytes message, uint32_t field_number,
                 const RepeatedPtrField<ProtoMessage>& protobuf, Compare&& compare) {
  int index = 0;
  bool well_formed = ForEachField(message, field_number, [&](WireReader& reader) {
    if (reader.wire_type() != WireType::kLengthDelimited) return false;
    if (index < protobuf.size()) compare(list.Index(index), reader.bytes(), protobuf.Get(index));
    ++index;
    return true;
  });
  EXPECT_TRUE(well_formed) << list << ": malformed";
  ExpectEqual(list.Field("size"), index, protobuf.size());
}

// The last occurrence of a singular message field, the one the views keep.
Bytes LastFieldBytes(Bytes message, uint32_t field_number) {
  Bytes last;
  ForEachField(message, field_number, [&](WireReader& reader) {
    last = reader.bytes();
    return true;
  });
  return last;
}

uint64_t ElementCount(const onnx::TensorProto& tensor) {
  uint64_t count = 1;
  for (int64_t dim : tensor.dims()) count *= static_cast<uint64_t>(dim);
  return count;
}

bool IsExternal(const onnx::TensorProto& tensor) {
  return tensor.data_location() == onnx::TensorProto::EXTERNAL || tensor.external_data_size() > 0;
}

constexpr uint32_t kTypedDataFields[] = {field::kTensorFloatData, field::kTensorInt32Data,
                                         field::kTensorInt64Data, field::kTensorDoubleData,
                                         field::kTensorUint64Data};

int TypedFieldSize(const onnx::TensorProto& tensor, uint32_t field_number) {
  switch (field_number) {
    case field::kTensorFloatData: return tensor.float_data_size();
    case field::kTensorInt32Data: return tensor.int32_data_size();
    case field::kTensorInt64Data: return tensor.int64_data_size();
    case field::kTensorDoubleData: return tensor.double_data_size();
    case field::kTensorUint64Data: return tensor.uint64_data_size();
    default: return 0;
  }
}

template <typename T>
std::string InMemoryBytes(const RepeatedField<T>& values) {
  return values.empty() ? std::string()
                        : std::string(reinterpret_cast<const char*>(values.data()),
                                      values.size() * sizeof(T));
}

// What a packed run of a fixed-width typed field holds, as protobuf decoded it.
std::string FixedWidthFieldBytes(const onnx::TensorProto& tensor, uint32_t field_number) {
  switch (field_number) {
    case field::kTensorFloatData: return InMemoryBytes(tensor.float_data());
    case field::kTensorDoubleData: return InMemoryBytes(tensor.double_data());
    default: return std::string();
  }
}

// Elements of the list the attribute's type names; 0 for single values.
int ListSize(const onnx::AttributeProto& attribute) {
  switch (attribute.type()) {
    case onnx::AttributeProto::FLOATS: return attribute.floats_size();
    case onnx::AttributeProto::INTS: return attribute.ints_size();
    case onnx::AttributeProto::STRINGS: return attribute.strings_size();
    case onnx::AttributeProto::TENSORS: return attribute.tensors_size();
    case onnx::AttributeProto::GRAPHS: return attribute.graphs_size();
    case onnx::AttributeProto::SPARSE_TENSORS: return attribute.sparse_tensors_size();
    case onnx::AttributeProto::TYPE_PROTOS: return attribute.type_protos_size();
    default: return 0;
  }
}

struct CrossCheckCounts {
  int models = 0;
  int graphs = 0;  // main graphs and subgraphs (If, Loop, Scan bodies)
  int nodes = 0;
  int attributes = 0;
  int initializers = 0;
  int tensors = 0;  // initializers and tensor-valued attributes
  int value_infos = 0;
};

// Compares the views of one model with protobuf's parse, recursing into
// subgraphs; counts what it compared.
class ModelComparer {
 public:
  explicit ModelComparer(CrossCheckCounts* counts) : counts_(counts) {}

  void CompareModel(const Where& where, Bytes message, const onnx::ModelProto& expected) {
    ++counts_->models;
    ModelView view;
    if (!ExpectParsed(where, ModelView::Parse(message, &view))) return;
    ExpectEqual(where.Field("ir_version"), view.ir_version, expected.ir_version());
    ExpectEqual(where.Field("producer_name"), ToString(view.producer_name),
                expected.producer_name());
    ExpectEqual(where.Field("producer_version"), ToString(view.producer_version),
                expected.producer_version());
    ExpectEqual(where.Field("domain"), ToString(view.domain), expected.domain());
    ExpectEqual(where.Field("model_version"), view.model_version, expected.model_version());
    CompareOpsets(where.Field("opset_import"), view, expected);
    ExpectEqual(where.Field("functions.size"), view.function_count, expected.functions_size());
    ExpectEqual(where.Field("has graph"), view.has_graph, expected.has_graph());
    if (view.has_graph && expected.has_graph()) {
      CompareGraph(where.Field("graph"), view.graph, expected.graph());
    }
  }

 private:
  void CompareOpsets(const Where& where, const ModelView& view,
                     const onnx::ModelProto& expected) {
    ExpectEqual(where.Field("size"), view.opset_count, expected.opset_import_size());
    for (int i = 0; i < expected.opset_import_size(); ++i) {
      const onnx::OperatorSetIdProto& opset = expected.opset_import(i);
      OpsetView found;
      if (!view.GetOpset(static_cast<uint32_t>(i), &found)) {
        ADD_FAILURE() << where.Index(i) << ": GetOpset fails";
        continue;
      }
      ExpectEqual(where.Index(i).Field("domain"), ToString(found.domain), opset.domain());
      ExpectEqual(where.Index(i).Field("version"), found.version, opset.version());
    }
  }

  void CompareGraph(const Where& where, Bytes message, const onnx::GraphProto& expected) {
    ++counts_->graphs;
    GraphView view;
    if (!ExpectParsed(where, GraphView::Parse(message, &view))) return;
    ExpectEqual(where.Field("name"), ToString(view.name), expected.name());
    ExpectEqual(where.Field("node.size"), view.node_count, expected.node_size());
    ExpectEqual(where.Field("initializer.size"), view.initializer_count,
                expected.initializer_size());
    ExpectEqual(where.Field("sparse_initializer.size"), view.sparse_initializer_count,
                expected.sparse_initializer_size());
    ExpectEqual(where.Field("input.size"), view.input_count, expected.input_size());
    ExpectEqual(where.Field("output.size"), view.output_count, expected.output_size());
    ExpectEqual(where.Field("value_info.size"), view.value_info_count,
                expected.value_info_size());

    ForEachPair(where.Field("node"), message, field::kGraphNode, expected.node(),
                [this](const Where& item, Bytes bytes, const onnx::NodeProto& node) {
                  CompareNode(item.Named(node.name()).Annotated(node.op_type()), bytes, node);
                });
    ForEachPair(where.Field("initializer"), message, field::kGraphInitializer,
                expected.initializer(),
                [this](const Where& item, Bytes bytes, const onnx::TensorProto& tensor) {
                  ++counts_->initializers;
                  CompareTensor(item.Named(tensor.name()), bytes, tensor);
                });
    CompareValueInfos(where.Field("input"), message, field::kGraphInput, expected.input());
    CompareValueInfos(where.Field("output"), message, field::kGraphOutput, expected.output());
    CompareValueInfos(where.Field("value_info"), message, field::kGraphValueInfo,
                      expected.value_info());
  }

  void CompareNode(const Where& where, Bytes message, const onnx::NodeProto& expected) {
    ++counts_->nodes;
    NodeView view;
    if (!ExpectParsed(where, NodeView::Parse(message, &view))) return;
    ExpectEqual(where.Field("name"), ToString(view.name), expected.name());
    ExpectEqual(where.Field("op_type"), ToString(view.op_type), expected.op_type());
    ExpectEqual(where.Field("domain"), ToString(view.domain), expected.domain());
    ExpectEqual(where.Field("input.size"), view.input_count, expected.input_size());
    ExpectEqual(where.Field("output.size"), view.output_count, expected.output_size());
    ExpectEqual(where.Field("attribute.size"), view.attribute_count, expected.attribute_size());
    ExpectSameStrings(where.Field("input"), message, field::kNodeInput, expected.input());
    ExpectSameStrings(where.Field("output"), message, field::kNodeOutput, expected.output());
    ForEachPair(where.Field("attribute"), message, field::kNodeAttribute, expected.attribute(),
                [this](const Where& item, Bytes bytes, const onnx::AttributeProto& attribute) {
                  CompareAttribute(item.Named(attribute.name()), bytes, attribute);
                });
    ExpectFindAttributeFindsEach(where, view, expected);
  }

  // The loader reads attributes through NodeView::FindAttribute.
  static void ExpectFindAttributeFindsEach(const Where& where, const NodeView& view,
                                           const onnx::NodeProto& expected) {
    for (const onnx::AttributeProto& attribute : expected.attribute()) {
      Where lookup = where.Field("FindAttribute").Named(attribute.name());
      AttributeView found;
      const char* problem = nullptr;
      if (!view.FindAttribute(attribute.name().c_str(), &found, &problem)) {
        ADD_FAILURE() << lookup << ": not found";
        continue;
      }
      if (!ExpectParsed(lookup, problem)) continue;
      ExpectEqual(lookup.Field("name"), ToString(found.name), attribute.name());
    }
  }

  void CompareAttribute(const Where& where, Bytes message, const onnx::AttributeProto& expected) {
    ++counts_->attributes;
    AttributeView view;
    if (!ExpectParsed(where, AttributeView::Parse(message, &view))) return;
    ExpectEqual(where.Field("name"), ToString(view.name), expected.name());
    ExpectEqual(where.Field("ref_attr_name"), ToString(view.ref_attr_name),
                expected.ref_attr_name());
    // IR version 1 models may leave `type` out; the view then infers it, and
    // protobuf has nothing to compare with.
    if (expected.has_type()) {
      ExpectEqual(where.Field("type"), static_cast<int>(view.type),
                  static_cast<int>(expected.type()));
      ExpectEqual(where.Field("count"), view.count, ListSize(expected));
    }
    ExpectEqual(where.Field("f bits"), FloatBits(view.f), FloatBits(expected.f()));
    ExpectEqual(where.Field("i"), view.i, expected.i());
    ExpectEqual(where.Field("s"), ToString(view.s), expected.s());
    ExpectSameScalars(where.Field("ints"), view.ints(), expected.ints());
    ExpectSameScalars(where.Field("floats"), view.floats(), expected.floats());
    ExpectSameStrings(where.Field("strings"), message, field::kAttrStrings, expected.strings());

    ExpectEqual(where.Field("has t"), view.t.data != nullptr, expected.has_t());
    if (view.t.data != nullptr && expected.has_t()) {
      CompareTensor(where.Field("t"), view.t, expected.t());
    }
    if (expected.has_g()) {
      CompareGraph(where.Field("g"), LastFieldBytes(message, field::kAttrG), expected.g());
    }
    ForEachPair(where.Field("tensors"), message, field::kAttrTensors, expected.tensors(),
                [this](const Where& item, Bytes bytes, const onnx::TensorProto& tensor) {
                  CompareTensor(item.Named(tensor.name()), bytes, tensor);
                });
    ForEachPair(where.Field("graphs"), message, field::kAttrGraphs, expected.graphs(),
                [this](const Where& item, Bytes bytes, const onnx::GraphProto& graph) {
                  CompareGraph(item.Named(graph.name()), bytes, graph);
                });
  }

  void CompareTensor(const Where& where, Bytes message, const onnx::TensorProto& expected) {
    ++counts_->tensors;
    TensorView view;
    if (!ExpectParsed(where, TensorView::Parse(message, &view))) return;
    ExpectEqual(where.Field("name"), ToString(view.name), expected.name());
    ExpectEqual(where.Field("data_type"), view.raw_dtype, expected.data_type());
    ExpectEqual(where.Field("dims"), std::vector<int64_t>(view.dims, view.dims + view.rank),
                std::vector<int64_t>(expected.dims().begin(), expected.dims().end()));
    ExpectSameScalars(where.Field("dims (RepeatedScalar)"),
                      ScalarField<int64_t>(message, field::kTensorDims), expected.dims());
    ExpectEqual(where.Field("element_count"), view.element_count, ElementCount(expected));
    ExpectEqual(where.Field("has raw_data"), view.has_raw_data, expected.has_raw_data());
    ExpectSameBytes(where.Field("raw_data"), view.raw_data, expected.raw_data());

    ExpectSameScalars(where.Field("float_data"),
                      ScalarField<float>(message, field::kTensorFloatData),
                      expected.float_data());
    ExpectSameScalars(where.Field("int32_data"),
                      ScalarField<int32_t>(message, field::kTensorInt32Data),
                      expected.int32_data());
    ExpectSameScalars(where.Field("int64_data"),
                      ScalarField<int64_t>(message, field::kTensorInt64Data),
                      expected.int64_data());
    ExpectSameScalars(where.Field("double_data"),
                      ScalarField<double>(message, field::kTensorDoubleData),
                      expected.double_data());
    ExpectSameScalars(where.Field("uint64_data"),
                      ScalarField<uint64_t>(message, field::kTensorUint64Data),
                      expected.uint64_data());
    ExpectTypedDataSummary(where, view, expected);

    ExpectEqual(where.Field("string_data.size"), view.string_count, expected.string_data_size());
    ExpectEqual(where.Field("external"), view.external, IsExternal(expected));
    ExpectEqual(where.Field("has segment"), view.has_segment, expected.has_segment());
  }

  // The loader sizes typed data from data_field and typed_count, and reads a
  // single packed fixed-width run in place through `packed`.
  static void ExpectTypedDataSummary(const Where& where, const TensorView& view,
                                     const onnx::TensorProto& expected) {
    if (view.data_field == 0) {
      for (uint32_t typed_field : kTypedDataFields) {
        ExpectEqual(where.Field("typed data without data_field"), 0,
                    TypedFieldSize(expected, typed_field));
      }
      return;
    }
    ExpectEqual(where.Field("typed_count"), view.typed_count,
                TypedFieldSize(expected, view.data_field));
    if (view.packed_contiguous) {
      ExpectSameBytes(where.Field("packed"), view.packed,
                      FixedWidthFieldBytes(expected, view.data_field));
    }
  }

  void CompareValueInfos(const Where& list, Bytes graph, uint32_t field_number,
                         const RepeatedPtrField<onnx::ValueInfoProto>& expected) {
    ForEachPair(list, graph, field_number, expected,
                [this](const Where& item, Bytes bytes, const onnx::ValueInfoProto& value) {
                  CompareValueInfo(item.Named(value.name()), bytes, value);
                });
  }

  void CompareValueInfo(const Where& where, Bytes message, const onnx::ValueInfoProto& expected) {
    ++counts_->value_infos;
    ValueInfoView view;
    if (!ExpectParsed(where, ValueInfoView::Parse(message, &view))) return;
    ExpectEqual(where.Field("name"), ToString(view.name), expected.name());
    const bool is_tensor = expected.type().has_tensor_type();
    ExpectEqual(where.Field("is tensor"), view.is_tensor, is_tensor);
    if (!view.is_tensor || !is_tensor) return;
    const onnx::TypeProto::Tensor& tensor_type = expected.type().tensor_type();
    // The view maps codes tinyonnx does not know (float8, int4, ...) to
    // kUndefined, as DTypeFromOnnx does.
    ExpectEqual(where.Field("elem_type"), static_cast<int>(view.dtype),
                static_cast<int>(tinyonnx::DTypeFromOnnx(tensor_type.elem_type())));
    ExpectEqual(where.Field("has shape"), view.has_shape, tensor_type.has_shape());
    const onnx::TensorShapeProto& shape = tensor_type.shape();
    ExpectEqual(where.Field("rank"), view.rank, shape.dim_size());
    for (int i = 0; i < view.rank && i < shape.dim_size(); ++i) {
      CompareDim(where.Field("dim").Index(i), view.dims[i], shape.dim(i));
    }
  }

  static void CompareDim(const Where& where, const DimView& view,
                         const onnx::TensorShapeProto::Dimension& expected) {
    ExpectEqual(where.Field("has dim_value"), view.has_value, expected.has_dim_value());
    ExpectEqual(where.Field("dim_value"), view.value, expected.dim_value());
    ExpectEqual(where.Field("dim_param"), ToString(view.param), expected.dim_param());
  }

  CrossCheckCounts* counts_;
};

void CrossCheckModel(const std::string& path, CrossCheckCounts* counts) {
  std::string bytes;
  if (!ReadFileBytes(path, &bytes)) {
    ADD_FAILURE() << path << ": cannot read the file";
    return;
  }
  onnx::ModelProto expected;
  if (!expected.ParseFromString(bytes)) {
    ADD_FAILURE() << path << ": protobuf cannot parse this corpus model";
    return;
  }
  ModelComparer(counts).CompareModel(Where(path + ": model"), BytesOf(bytes), expected);
}

TEST(ReaderCrossCheck, ViewsMatchProtobufOnEveryCorpusModel) {
  const std::vector<std::string> corpus = FindCorpusModels();
  ASSERT_GE(corpus.size(), kMinimumCorpusSize)
      << "the corpus is incomplete; are the ONNX node tests installed in "
      << TINYONNX_NODE_TEST_DATA_DIR << "?";
  CrossCheckCounts counts;
  for (const std::string& path : corpus) CrossCheckModel(path, &counts);
  std::printf(
      "[ reader   ] cross-checked %d models: %d graphs, %d nodes, %d attributes, "
      "%d initializers, %d tensors, %d value infos\n",
      counts.models, counts.graphs, counts.nodes, counts.attributes, counts.initializers,
      counts.tensors, counts.value_infos);
  EXPECT_EQ(static_cast<size_t>(counts.models), corpus.size());
}

}  // namespace
}  // namespace tinyonnx_test
