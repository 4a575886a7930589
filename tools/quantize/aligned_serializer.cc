#include "aligned_serializer.h"

#include "quant_math.h"
#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx::quantize {
namespace {

constexpr size_t kMaxAlignment = 16;
constexpr uint32_t kModelGraphField = 7;
constexpr uint32_t kGraphInitializerField = 5;
constexpr uint32_t kTensorRawDataField = 9;
constexpr uint32_t kTensorDocStringField = 12;
constexpr size_t kMaxPadText = 127;  // keeps the doc_string length one varint byte

size_t VarintSize(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// Tag of a length-delimited field (all fields used here take one byte).
void AppendLengthDelimitedTag(uint32_t field, std::string* out) { AppendVarint(field << 3 | 2, out); }

void AppendLengthDelimited(uint32_t field, const std::string& payload, std::string* out) {
  AppendLengthDelimitedTag(field, out);
  AppendVarint(payload.size(), out);
  out->append(payload);
}

// Bytes of a doc_string field that move `position` to a multiple of
// `alignment`: 0, or a tag byte, a length byte and up to 127 spaces.
size_t PaddingBytes(size_t position, size_t alignment) {
  const size_t missing = (alignment - position % alignment) % alignment;
  if (missing == 0) return 0;
  return missing >= 2 ? missing : missing + alignment;
}

void AppendPadding(size_t bytes, std::string* out) {
  if (bytes == 0) return;
  if (bytes < 2 || bytes - 2 > kMaxPadText) throw QuantizeError("internal: bad padding size");
  AppendLengthDelimitedTag(kTensorDocStringField, out);
  AppendVarint(bytes - 2, out);
  out->append(bytes - 2, ' ');
}

// One initializer entry of the graph (tag, length, TensorProto) placed so
// that it starts at file offset `offset` and its raw_data is aligned.
std::string EncodeInitializer(const onnx::TensorProto& tensor, size_t offset) {
  onnx::TensorProto head = tensor;
  head.clear_raw_data();
  head.clear_doc_string();
  const std::string head_bytes = head.SerializeAsString();
  const std::string& raw = tensor.raw_data();
  const bool writes_raw_data = tensor.has_raw_data();
  const size_t raw_prefix = writes_raw_data ? 1 + VarintSize(raw.size()) : 0;
  const size_t alignment = RawDataAlignment(raw.size());
  // The tensor's length prefix depends on the padding and the padding on
  // the prefix: try each prefix size until they agree.
  for (size_t length_size = 1; length_size <= 5; ++length_size) {
    const size_t before_padding = offset + 1 + length_size + head_bytes.size();
    const size_t padding = raw.empty() ? 0 : PaddingBytes(before_padding + raw_prefix, alignment);
    const size_t tensor_size = head_bytes.size() + padding + raw_prefix + raw.size();
    if (VarintSize(tensor_size) != length_size) continue;
    std::string entry;
    AppendLengthDelimitedTag(kGraphInitializerField, &entry);
    AppendVarint(tensor_size, &entry);
    entry += head_bytes;
    AppendPadding(padding, &entry);
    if (writes_raw_data) AppendLengthDelimited(kTensorRawDataField, raw, &entry);
    return entry;
  }
  throw QuantizeError("internal: cannot place initializer '" + tensor.name() + "'");
}

void CheckRawDataOnly(const onnx::TensorProto& t) {
  if (t.float_data_size() || t.int32_data_size() || t.string_data_size() || t.int64_data_size() ||
      t.double_data_size() || t.uint64_data_size() || t.external_data_size()) {
    throw QuantizeError("internal: initializer '" + t.name() + "' does not keep its data in raw_data");
  }
}

}  // namespace

size_t RawDataAlignment(size_t bytes) {
  size_t alignment = 1;
  while (alignment * 2 <= bytes && alignment < kMaxAlignment) alignment *= 2;
  return alignment;
}

std::string SerializeWithAlignedInitializers(const onnx::ModelProto& model) {
  for (const onnx::TensorProto& t : model.graph().initializer()) CheckRawDataOnly(t);
  onnx::ModelProto model_head = model;
  model_head.clear_graph();
  onnx::GraphProto graph_head = model.graph();
  graph_head.clear_initializer();
  const std::string model_head_bytes = model_head.SerializeAsString();
  const std::string graph_head_bytes = graph_head.SerializeAsString();
  // As with each tensor: the graph's length prefix moves everything after it.
  for (size_t length_size = 1; length_size <= 10; ++length_size) {
    std::string graph = graph_head_bytes;
    const size_t graph_start = model_head_bytes.size() + 1 + length_size;
    for (const onnx::TensorProto& t : model.graph().initializer()) {
      graph += EncodeInitializer(t, graph_start + graph.size());
    }
    if (VarintSize(graph.size()) != length_size) continue;
    std::string file = model_head_bytes;
    AppendLengthDelimited(kModelGraphField, graph, &file);
    VerifySerializedModel(file, model);
    return file;
  }
  throw QuantizeError("internal: cannot lay out the model");
}

std::vector<InitializerPlacement> VerifySerializedModel(const std::string& bytes, const onnx::ModelProto& model) {
  // libprotobuf reads back the same model (padding aside).
  onnx::ModelProto parsed;
  if (!parsed.ParseFromString(bytes)) throw QuantizeError("the written model does not parse as a ModelProto");
  for (onnx::TensorProto& t : *parsed.mutable_graph()->mutable_initializer()) t.clear_doc_string();
  onnx::ModelProto expected = model;
  for (onnx::TensorProto& t : *expected.mutable_graph()->mutable_initializer()) t.clear_doc_string();
  if (parsed.SerializeAsString() != expected.SerializeAsString()) {
    throw QuantizeError("internal: the written model differs from the model built");
  }
  // tinyonnx's reader finds every raw_data aligned.
  const Bytes file{reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<uint32_t>(bytes.size())};
  ModelView model_view;
  GraphView graph_view;
  const char* problem = ModelView::Parse(file, &model_view);
  if (problem == nullptr) problem = GraphView::Parse(model_view.graph, &graph_view);
  if (problem != nullptr) throw QuantizeError(std::string("the written model is malformed: ") + problem);
  std::vector<InitializerPlacement> placements;
  bool ok = ForEachField(graph_view.message, onnx_field::kGraphInitializer, [&](WireReader& reader) {
    TensorView tensor;
    if (TensorView::Parse(reader.bytes(), &tensor) != nullptr) return false;
    InitializerPlacement p;
    p.name.assign(tensor.name.data, tensor.name.size);
    p.bytes = tensor.raw_data.size;
    p.offset = tensor.has_raw_data ? static_cast<size_t>(tensor.raw_data.data - file.data) : 0;
    p.alignment = RawDataAlignment(p.bytes);
    if (tensor.has_raw_data && p.offset % p.alignment != 0) {
      throw QuantizeError("internal: raw_data of '" + p.name + "' is at offset " + std::to_string(p.offset) +
                          ", not a multiple of " + std::to_string(p.alignment));
    }
    placements.push_back(p);
    return true;
  });
  if (!ok || placements.size() != static_cast<size_t>(model.graph().initializer_size())) {
    throw QuantizeError("internal: the written model's initializers do not read back");
  }
  return placements;
}

}  // namespace tinyonnx::quantize
