#include <cstring>

#include "tinyonnx/graph/op.h"

namespace tinyonnx {

const OpDef* OpResolver::Find(Str op_type, Str domain) const {
  bool default_domain = domain.empty() || domain == "ai.onnx";
  for (size_t i = 0; i < count; ++i) {
    const OpDef* op = ops[i];
    Str op_domain = Str::FromCString(op->domain);
    bool matches_domain = default_domain ? op_domain.empty() : op_domain == domain;
    if (matches_domain && op_type == op->op_type) return op;
  }
  return nullptr;
}

#if TINYONNX_ERROR_MESSAGES
Status OpContext::Fail(Status status, const char* format, ...) {
  va_list args;
  va_start(args, format);
  status = errors_.ReportV(status, format, args);
  va_end(args);
  return status;
}
#endif

Status OpContext::ExpectInputs(int min, int max) {
  int present = node_.input_count;
  while (present > 0 && node_.inputs[present - 1] < 0) --present;
  if (present < min || present > max) {
    if (min == max) return Fail(Status::kInvalidModel, "expects %d inputs, has %d", min, present);
    return Fail(Status::kInvalidModel, "expects %d to %d inputs, has %d", min, max, present);
  }
  for (int i = 0; i < min; ++i) {
    if (node_.inputs[i] < 0) return Fail(Status::kInvalidModel, "input %d is required", i);
  }
  return Status::kOk;
}

Status OpContext::ExpectOutputs(int min, int max) {
  int n = node_.output_count;
  if (n < min || n > max) {
    return Fail(Status::kInvalidModel, "expects %d to %d outputs, has %d", min, max, n);
  }
  if (n > 0 && node_.outputs[0] < 0) return Fail(Status::kInvalidModel, "output 0 is required");
  return Status::kOk;
}

Status OpContext::ExpectDType(int i, std::initializer_list<DType> allowed) {
  DType actual = input(i).dtype;
  for (DType type : allowed) {
    if (type == actual) return Status::kOk;
  }
  return Fail(Status::kUnsupported, "input %d ('%.*s') has dtype %s, which this op does not support",
              i, input(i).name.length(), input(i).name.data, DTypeName(actual));
}

Status OpContext::FindAttribute(const char* name, AttributeView* attribute, bool* found) {
  const char* problem = nullptr;
  *found = node_.View().FindAttribute(name, attribute, &problem);
  if (problem != nullptr) return Fail(Status::kInvalidModel, "attribute '%s': %s", name, problem);
  if (*found && !attribute->ref_attr_name.empty()) {
    return Fail(Status::kUnsupported, "attribute '%s' refers to a function attribute", name);
  }
  return Status::kOk;
}

bool OpContext::HasAttribute(const char* name) {
  AttributeView attribute;
  const char* problem = nullptr;
  return node_.View().FindAttribute(name, &attribute, &problem);
}

namespace {
const char* kWrongType = "attribute '%s' should be %s but is %s";
}

Status OpContext::GetInt(const char* name, int64_t fallback, int64_t* value) {
  AttributeView attribute;
  bool found;
  TINYONNX_RETURN_IF_ERROR(FindAttribute(name, &attribute, &found));
  *value = fallback;
  if (!found) return Status::kOk;
  if (attribute.type != AttributeView::kInt) {
    return Fail(Status::kInvalidModel, kWrongType, name, "INT",
                AttributeView::TypeName(attribute.type));
  }
  *value = attribute.i;
  return Status::kOk;
}

Status OpContext::GetFloat(const char* name, float fallback, float* value) {
  AttributeView attribute;
  bool found;
  TINYONNX_RETURN_IF_ERROR(FindAttribute(name, &attribute, &found));
  *value = fallback;
  if (!found) return Status::kOk;
  if (attribute.type != AttributeView::kFloat) {
    return Fail(Status::kInvalidModel, kWrongType, name, "FLOAT",
                AttributeView::TypeName(attribute.type));
  }
  *value = attribute.f;
  return Status::kOk;
}

Status OpContext::GetString(const char* name, const char* fallback, Str* value) {
  AttributeView attribute;
  bool found;
  TINYONNX_RETURN_IF_ERROR(FindAttribute(name, &attribute, &found));
  *value = Str::FromCString(fallback);
  if (!found) return Status::kOk;
  if (attribute.type != AttributeView::kString) {
    return Fail(Status::kInvalidModel, kWrongType, name, "STRING",
                AttributeView::TypeName(attribute.type));
  }
  *value = attribute.s;
  return Status::kOk;
}

Status OpContext::GetInts(const char* name, int64_t* values, int capacity, int* count) {
  AttributeView attribute;
  bool found;
  TINYONNX_RETURN_IF_ERROR(FindAttribute(name, &attribute, &found));
  *count = 0;
  if (!found) return Status::kOk;
  if (attribute.type != AttributeView::kInts) {
    return Fail(Status::kInvalidModel, kWrongType, name, "INTS",
                AttributeView::TypeName(attribute.type));
  }
  if (attribute.count > static_cast<uint32_t>(capacity)) {
    return Fail(Status::kUnsupported, "attribute '%s' has %u values, at most %d are supported",
                name, static_cast<unsigned>(attribute.count), capacity);
  }
  RepeatedScalar ints = attribute.ints();
  uint64_t raw;
  while (ints.Next(&raw) && *count < capacity) values[(*count)++] = static_cast<int64_t>(raw);
  return Status::kOk;
}

Status OpContext::GetFloats(const char* name, float* values, int capacity, int* count) {
  AttributeView attribute;
  bool found;
  TINYONNX_RETURN_IF_ERROR(FindAttribute(name, &attribute, &found));
  *count = 0;
  if (!found) return Status::kOk;
  if (attribute.type != AttributeView::kFloats) {
    return Fail(Status::kInvalidModel, kWrongType, name, "FLOATS",
                AttributeView::TypeName(attribute.type));
  }
  if (attribute.count > static_cast<uint32_t>(capacity)) {
    return Fail(Status::kUnsupported, "attribute '%s' has %u values, at most %d are supported",
                name, static_cast<unsigned>(attribute.count), capacity);
  }
  RepeatedScalar floats = attribute.floats();
  uint64_t raw;
  while (floats.Next(&raw) && *count < capacity) {
    uint32_t bits = static_cast<uint32_t>(raw);
    std::memcpy(&values[(*count)++], &bits, sizeof(float));
  }
  return Status::kOk;
}

Status OpContext::RejectAttribute(const char* name, const char* why) {
  if (!HasAttribute(name)) return Status::kOk;
  return Fail(Status::kUnsupported, "attribute '%s' is not supported: %s", name, why);
}

Status OpContext::ReadConstInts(int i, int64_t* values, int capacity, int* count) {
  if (!IsConstant(i)) {
    return Fail(Status::kUnsupported,
                "input %d ('%.*s') must be a constant (computed shapes are not supported)", i,
                input(i).name.length(), input(i).name.data);
  }
  const Value& v = input(i);
  int64_t n = v.shape.ElementCount();
  if (n > capacity) {
    return Fail(Status::kUnsupported, "input %d has %lld values, at most %d are supported", i,
                static_cast<long long>(n), capacity);
  }
  for (int64_t k = 0; k < n; ++k) {
    switch (v.dtype) {
      case DType::kInt64: values[k] = static_cast<const int64_t*>(v.data)[k]; break;
      case DType::kInt32: values[k] = static_cast<const int32_t*>(v.data)[k]; break;
      default:
        return Fail(Status::kInvalidModel, "input %d should be int64 or int32, is %s", i,
                    DTypeName(v.dtype));
    }
  }
  *count = static_cast<int>(n);
  return Status::kOk;
}

Status OpContext::ReadConstFloat(int i, float* value) {
  if (!IsConstant(i)) {
    return Fail(Status::kUnsupported, "input %d ('%.*s') must be a constant", i,
                input(i).name.length(), input(i).name.data);
  }
  const Value& v = input(i);
  if (v.shape.ElementCount() != 1) {
    return Fail(Status::kInvalidModel, "input %d should hold one value", i);
  }
  switch (v.dtype) {
    case DType::kFloat: *value = *static_cast<const float*>(v.data); break;
    case DType::kDouble: *value = static_cast<float>(*static_cast<const double*>(v.data)); break;
    default:
      return Fail(Status::kUnsupported, "input %d has dtype %s, expected float32", i,
                  DTypeName(v.dtype));
  }
  return Status::kOk;
}

Status OpContext::SetOutput(int i, DType dtype, const Shape& shape) {
  if (!has_output(i)) return Status::kOk;  // optional output left out
  int64_t bytes = shape.ElementCount() * static_cast<int64_t>(DTypeSize(dtype));
  if (shape.ElementCount() < 0 || bytes >= kMaxTensorBytes) {
    char text[96];
    return Fail(Status::kUnsupported, "output %d would have shape %s, larger than 2 GiB", i,
                shape.ToString(text, sizeof(text)));
  }
  Value& out = output(i);
  out.dtype = dtype;
  out.shape = shape;
  out.shape_known = true;
  return Status::kOk;
}

void OpContext::AliasOutput(int out, int in) {
  if (!has_output(out)) return;
  Value& source = input(in);
  Value& target = output(out);
  if (source.is_constant()) {
    target.kind = ValueKind::kConstant;
    target.data = source.data;
    target.data_in_model = source.data_in_model;
    target.unaligned = source.unaligned;
  } else {
    target.alias_of = graph_.StorageRoot(node_.inputs[in]);
  }
}

void OpContext::SetConstantOutput(int i, const void* data) {
  if (!has_output(i)) return;
  Value& out = output(i);
  out.kind = ValueKind::kConstant;
  out.data = data;
}

Status OpContext::Allocate(size_t bytes, size_t alignment, void** out) {
  *out = arena_.AllocatePersistent(bytes, alignment);
  if (*out == nullptr) {
    return Fail(Status::kOutOfMemory,
                "the arena is full (%zu bytes in use, %zu more needed); give a larger arena",
                arena_.persistent_used() + arena_.temp_used(), bytes);
  }
  return Status::kOk;
}

}  // namespace tinyonnx
