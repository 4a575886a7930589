#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx {
namespace {

using namespace onnx_field;

WireType UnpackedWireType(ScalarEncoding encoding) {
  switch (encoding) {
    case ScalarEncoding::kFixed32: return WireType::kFixed32;
    case ScalarEncoding::kFixed64: return WireType::kFixed64;
    default: return WireType::kVarint;
  }
}

bool IsString(const WireReader& r) { return r.wire_type() == WireType::kLengthDelimited; }

// Multiplies with overflow detection; the limit keeps every later byte-size
// computation (count * 8) inside 64 bits.
bool CheckedMultiply(uint64_t a, uint64_t b, uint64_t* out) {
  constexpr uint64_t kLimit = uint64_t{1} << 56;
  if (a != 0 && b > kLimit / a) return false;
  *out = a * b;
  return true;
}

}  // namespace

bool RepeatedScalar::Next(uint64_t* raw) {
  for (;;) {
    if (packed_ != nullptr) {
      if (packed_ < packed_end_) {
        switch (encoding_) {
          case ScalarEncoding::kVarint:
            if (!ReadVarint(&packed_, packed_end_, raw)) break;
            return true;
          case ScalarEncoding::kFixed32:
            if (packed_end_ - packed_ < 4) break;
            *raw = LoadLE32(packed_);
            packed_ += 4;
            return true;
          case ScalarEncoding::kFixed64:
            if (packed_end_ - packed_ < 8) break;
            *raw = LoadLE64(packed_);
            packed_ += 8;
            return true;
        }
        error_ = true;
        return false;
      }
      packed_ = nullptr;
    }
    if (!outer_.Next()) {
      error_ = outer_.error();
      return false;
    }
    if (outer_.field() != field_) continue;
    if (outer_.wire_type() == WireType::kLengthDelimited) {
      packed_ = outer_.bytes().data;
      packed_end_ = packed_ + outer_.bytes().size;
      continue;
    }
    if (outer_.wire_type() != UnpackedWireType(encoding_)) {
      error_ = true;
      return false;
    }
    *raw = outer_.varint();
    return true;
  }
}

bool CountRepeatedScalar(Bytes message, uint32_t field, ScalarEncoding encoding,
                         uint32_t* count) {
  RepeatedScalar values(message, field, encoding);
  uint64_t raw;
  uint32_t n = 0;
  while (values.Next(&raw)) ++n;
  *count = n;
  return !values.error();
}

const char* TensorView::Parse(Bytes message, TensorView* view) {
  *view = TensorView();
  view->message = message;
  WireReader r(message);
  uint32_t data_fields_seen = 0;
  while (r.Next()) {
    switch (r.field()) {
      case kTensorDims:
        break;  // counted below
      case kTensorDataType:
        if (r.wire_type() != WireType::kVarint) return "data_type has the wrong wire type";
        view->raw_dtype = static_cast<int64_t>(r.varint());
        view->dtype = DTypeFromOnnx(view->raw_dtype);
        break;
      case kTensorSegment:
        view->has_segment = true;
        break;
      case kTensorName:
        if (!IsString(r)) return "name has the wrong wire type";
        view->name = r.str();
        break;
      case kTensorRawData:
        if (!IsString(r)) return "raw_data has the wrong wire type";
        view->has_raw_data = true;
        view->raw_data = r.bytes();
        break;
      case kTensorFloatData:
      case kTensorInt32Data:
      case kTensorInt64Data:
      case kTensorDoubleData:
      case kTensorUint64Data:
        if (view->data_field != 0 && view->data_field != r.field()) ++data_fields_seen;
        view->data_field = r.field();
        break;
      case kTensorStringData:
        ++view->string_count;
        break;
      case kTensorExternalData:
        view->external = true;
        break;
      case kTensorDataLocation:
        if (r.wire_type() == WireType::kVarint && r.varint() == 1) view->external = true;
        break;
      default:
        break;
    }
  }
  if (r.error()) return "malformed TensorProto";
  if (data_fields_seen != 0) return "data stored in more than one typed field";

  RepeatedScalar dims(message, kTensorDims, ScalarEncoding::kVarint);
  uint64_t raw;
  uint64_t count = 1;
  while (dims.Next(&raw)) {
    int64_t dim = static_cast<int64_t>(raw);
    if (view->rank == kMaxRank) return "rank is above 8";
    if (dim < 0) return "negative dimension";
    view->dims[view->rank++] = dim;
    if (!CheckedMultiply(count, static_cast<uint64_t>(dim), &count)) {
      return "element count overflows";
    }
  }
  if (dims.error()) return "malformed dims";
  view->element_count = count;

  if (view->data_field != 0) {
    ScalarEncoding encoding = view->data_field == kTensorFloatData ? ScalarEncoding::kFixed32
                              : view->data_field == kTensorDoubleData ? ScalarEncoding::kFixed64
                                                                      : ScalarEncoding::kVarint;
    if (!CountRepeatedScalar(message, view->data_field, encoding, &view->typed_count)) {
      return "malformed typed data field";
    }
    // A single packed run of fixed-width values can be read in place.
    if (encoding != ScalarEncoding::kVarint) {
      uint32_t runs = 0;
      bool all_packed = true;
      ForEachField(message, view->data_field, [&](WireReader& field) {
        ++runs;
        if (field.wire_type() != WireType::kLengthDelimited) all_packed = false;
        view->packed = field.bytes();
        return true;
      });
      view->packed_contiguous = runs == 1 && all_packed;
    }
  }
  return nullptr;
}

const char* AttributeView::TypeName(Type type) {
  static const char* const kNames[] = {
      "UNDEFINED", "FLOAT", "INT", "STRING", "TENSOR", "GRAPH", "FLOATS", "INTS",
      "STRINGS", "TENSORS", "GRAPHS", "SPARSE_TENSOR", "SPARSE_TENSORS", "TYPE_PROTO",
      "TYPE_PROTOS"};
  return type <= kTypeProtos ? kNames[type] : "UNKNOWN";
}

const char* AttributeView::Parse(Bytes message, AttributeView* view) {
  *view = AttributeView();
  view->message = message;
  WireReader r(message);
  bool has_type = false;
  Type inferred = kUndefined;
  uint32_t list_items = 0;
  while (r.Next()) {
    switch (r.field()) {
      case kAttrName:
        if (!IsString(r)) return "attribute name has the wrong wire type";
        view->name = r.str();
        break;
      case kAttrType:
        if (r.wire_type() != WireType::kVarint) return "attribute type has the wrong wire type";
        has_type = true;
        view->type = r.varint() <= kTypeProtos ? static_cast<Type>(r.varint()) : kUndefined;
        break;
      case kAttrF:
        if (r.wire_type() != WireType::kFixed32) return "attribute f has the wrong wire type";
        view->f = r.float32();
        inferred = kFloat;
        break;
      case kAttrI:
        if (r.wire_type() != WireType::kVarint) return "attribute i has the wrong wire type";
        view->i = static_cast<int64_t>(r.varint());
        inferred = kInt;
        break;
      case kAttrS:
        if (!IsString(r)) return "attribute s has the wrong wire type";
        view->s = r.str();
        inferred = kString;
        break;
      case kAttrT:
        if (!IsString(r)) return "attribute t has the wrong wire type";
        view->t = r.bytes();
        inferred = kTensor;
        break;
      case kAttrG: inferred = kGraph; break;
      case kAttrFloats: inferred = kFloats; break;
      case kAttrInts: inferred = kInts; break;
      case kAttrStrings: ++list_items; inferred = kStrings; break;
      case kAttrTensors: ++list_items; inferred = kTensors; break;
      case kAttrGraphs: ++list_items; inferred = kGraphs; break;
      case kAttrSparseTensor: inferred = kSparseTensor; break;
      case kAttrSparseTensors: ++list_items; inferred = kSparseTensors; break;
      case kAttrTp: inferred = kTypeProto; break;
      case kAttrTypeProtos: ++list_items; inferred = kTypeProtos; break;
      case kAttrRefAttrName:
        if (!IsString(r)) return "ref_attr_name has the wrong wire type";
        view->ref_attr_name = r.str();
        break;
      default:
        break;
    }
  }
  if (r.error()) return "malformed AttributeProto";
  // IR version 1 models may omit `type`; infer it from the field present.
  if (!has_type) view->type = inferred;
  if (view->type == kInts || view->type == kFloats) {
    bool ok = view->type == kInts
                  ? CountRepeatedScalar(message, kAttrInts, ScalarEncoding::kVarint, &view->count)
                  : CountRepeatedScalar(message, kAttrFloats, ScalarEncoding::kFixed32,
                                        &view->count);
    if (!ok) return "malformed list attribute";
  } else {
    view->count = list_items;
  }
  return nullptr;
}

const char* NodeView::Parse(Bytes message, NodeView* view) {
  *view = NodeView();
  view->message = message;
  WireReader r(message);
  while (r.Next()) {
    switch (r.field()) {
      case kNodeInput:
        if (!IsString(r)) return "node input has the wrong wire type";
        ++view->input_count;
        break;
      case kNodeOutput:
        if (!IsString(r)) return "node output has the wrong wire type";
        ++view->output_count;
        break;
      case kNodeName:
        if (!IsString(r)) return "node name has the wrong wire type";
        view->name = r.str();
        break;
      case kNodeOpType:
        if (!IsString(r)) return "op_type has the wrong wire type";
        view->op_type = r.str();
        break;
      case kNodeDomain:
        if (!IsString(r)) return "node domain has the wrong wire type";
        view->domain = r.str();
        break;
      case kNodeAttribute:
        if (!IsString(r)) return "attribute has the wrong wire type";
        ++view->attribute_count;
        break;
      default:
        break;
    }
  }
  if (r.error()) return "malformed NodeProto";
  return nullptr;
}

bool NodeView::FindAttribute(const char* name, AttributeView* attribute,
                             const char** problem) const {
  *problem = nullptr;
  Str wanted = Str::FromCString(name);
  bool found = false;
  ForEachField(message, kNodeAttribute, [&](WireReader& r) {
    // Compare the name before parsing the whole attribute.
    WireReader fields(r.bytes());
    while (fields.Next()) {
      if (fields.field() == kAttrName && fields.wire_type() == WireType::kLengthDelimited) {
        if (fields.str() != wanted) return true;
        *problem = AttributeView::Parse(r.bytes(), attribute);
        found = true;
        return false;
      }
    }
    return true;
  });
  return found;
}

const char* ValueInfoView::Parse(Bytes message, ValueInfoView* view) {
  *view = ValueInfoView();
  view->message = message;
  Bytes type;
  bool has_type = false;
  WireReader r(message);
  while (r.Next()) {
    if (r.field() == kValueInfoName) {
      if (!IsString(r)) return "value name has the wrong wire type";
      view->name = r.str();
    } else if (r.field() == kValueInfoType) {
      if (!IsString(r)) return "value type has the wrong wire type";
      type = r.bytes();
      has_type = true;
    }
  }
  if (r.error()) return "malformed ValueInfoProto";
  if (!has_type) return nullptr;
  Bytes tensor_type;
  WireReader t(type);
  while (t.Next()) {
    if (t.field() == kTypeTensor && IsString(t)) {
      view->is_tensor = true;
      tensor_type = t.bytes();
    }
  }
  if (t.error()) return "malformed TypeProto";
  if (!view->is_tensor) return nullptr;
  Bytes shape;
  WireReader tt(tensor_type);
  while (tt.Next()) {
    if (tt.field() == kTypeTensorElemType && tt.wire_type() == WireType::kVarint) {
      view->dtype = DTypeFromOnnx(static_cast<int64_t>(tt.varint()));
    } else if (tt.field() == kTypeTensorShape && IsString(tt)) {
      view->has_shape = true;
      shape = tt.bytes();
    }
  }
  if (tt.error()) return "malformed TypeProto.Tensor";
  if (!view->has_shape) return nullptr;
  const char* problem = nullptr;
  bool ok = ForEachField(shape, kShapeDim, [&](WireReader& d) {
    if (!IsString(d)) {
      problem = "shape dimension has the wrong wire type";
      return false;
    }
    if (view->rank == kMaxRank) {
      problem = "rank is above 8";
      return false;
    }
    DimView& dim = view->dims[view->rank++];
    WireReader fields(d.bytes());
    while (fields.Next()) {
      if (fields.field() == kDimValue && fields.wire_type() == WireType::kVarint) {
        dim.has_value = true;
        dim.value = static_cast<int64_t>(fields.varint());
      } else if (fields.field() == kDimParam && IsString(fields)) {
        dim.param = fields.str();
      }
    }
    if (fields.error()) {
      problem = "malformed shape dimension";
      return false;
    }
    return true;
  });
  if (problem != nullptr) return problem;
  if (!ok) return "malformed TensorShapeProto";
  return nullptr;
}

const char* GraphView::Parse(Bytes message, GraphView* view) {
  *view = GraphView();
  view->message = message;
  WireReader r(message);
  while (r.Next()) {
    bool is_message = IsString(r);
    const char* problem = nullptr;
    switch (r.field()) {
      case kGraphNode: view->node_count++; problem = "GraphProto.node has the wrong wire type"; break;
      case kGraphName: view->name = r.str(); problem = "GraphProto.name has the wrong wire type"; break;
      case kGraphInitializer:
        view->initializer_count++;
        problem = "GraphProto.initializer has the wrong wire type";
        break;
      case kGraphSparseInitializer:
        view->sparse_initializer_count++;
        problem = "GraphProto.sparse_initializer has the wrong wire type";
        break;
      case kGraphInput: view->input_count++; problem = "GraphProto.input has the wrong wire type"; break;
      case kGraphOutput: view->output_count++; problem = "GraphProto.output has the wrong wire type"; break;
      case kGraphValueInfo:
        view->value_info_count++;
        problem = "GraphProto.value_info has the wrong wire type";
        break;
      default: is_message = true; break;
    }
    if (!is_message) return problem;
  }
  if (r.error()) return "malformed GraphProto";
  return nullptr;
}

const char* ModelView::Parse(Bytes message, ModelView* view) {
  *view = ModelView();
  view->message = message;
  WireReader r(message);
  while (r.Next()) {
    switch (r.field()) {
      case kModelIrVersion:
        if (r.wire_type() != WireType::kVarint) return "ir_version has the wrong wire type";
        view->ir_version = static_cast<int64_t>(r.varint());
        break;
      case kModelProducerName:
        if (!IsString(r)) return "producer_name has the wrong wire type";
        view->producer_name = r.str();
        break;
      case kModelProducerVersion:
        if (!IsString(r)) return "producer_version has the wrong wire type";
        view->producer_version = r.str();
        break;
      case kModelDomain:
        if (!IsString(r)) return "domain has the wrong wire type";
        view->domain = r.str();
        break;
      case kModelVersion:
        if (r.wire_type() != WireType::kVarint) return "model_version has the wrong wire type";
        view->model_version = static_cast<int64_t>(r.varint());
        break;
      case kModelGraph:
        if (!IsString(r)) return "graph has the wrong wire type";
        view->has_graph = true;
        view->graph = r.bytes();
        break;
      case kModelOpsetImport:
        if (!IsString(r)) return "opset_import has the wrong wire type";
        view->opset_count++;
        break;
      case kModelFunctions:
        view->function_count++;
        break;
      default:
        break;
    }
  }
  if (r.error()) return "malformed ModelProto (not an ONNX file, or truncated)";
  return nullptr;
}

bool ModelView::GetOpset(uint32_t index, OpsetView* opset) const {
  uint32_t i = 0;
  bool found = false;
  ForEachField(message, kModelOpsetImport, [&](WireReader& r) {
    if (i++ != index) return true;
    *opset = OpsetView();
    WireReader fields(r.bytes());
    while (fields.Next()) {
      if (fields.field() == kOpsetDomain && IsString(fields)) opset->domain = fields.str();
      if (fields.field() == kOpsetVersion && fields.wire_type() == WireType::kVarint) {
        opset->version = static_cast<int64_t>(fields.varint());
      }
    }
    found = !fields.error();
    return false;
  });
  return found;
}

int64_t ModelView::OpsetVersion(Str domain) const {
  bool wanted_default = domain.empty() || domain == "ai.onnx";
  for (uint32_t i = 0; i < opset_count; ++i) {
    OpsetView opset;
    if (!GetOpset(i, &opset)) return 0;
    bool is_default = opset.domain.empty() || opset.domain == "ai.onnx";
    if ((wanted_default && is_default) || (!wanted_default && opset.domain == domain)) {
      return opset.version;
    }
  }
  return 0;
}

const char* ParseModelAndGraph(Bytes model, ModelView* model_view, GraphView* graph_view) {
  const char* problem = ModelView::Parse(model, model_view);
  if (problem != nullptr) return problem;
  if (!model_view->has_graph) return "the model has no graph";
  return GraphView::Parse(model_view->graph, graph_view);
}

}  // namespace tinyonnx
