#include "tinyonnx/graph/tensor_data.h"

#include <cstring>

namespace tinyonnx {
namespace {

bool IsAligned(const void* p, size_t alignment) {
  return (reinterpret_cast<uintptr_t>(p) & (alignment - 1)) == 0;
}

// Stores one decoded varint as an element of `dtype` (ONNX keeps all small
// integer types, bool and float16 bits in int32_data).
void StoreInteger(uint64_t raw, DType dtype, uint8_t* out) {
  switch (DTypeSize(dtype)) {
    case 1: *out = static_cast<uint8_t>(raw); break;
    case 2: {
      uint16_t v = static_cast<uint16_t>(raw);
      std::memcpy(out, &v, 2);
      break;
    }
    case 4: {
      uint32_t v = static_cast<uint32_t>(raw);
      std::memcpy(out, &v, 4);
      break;
    }
    default: std::memcpy(out, &raw, 8); break;
  }
}

// The typed field that may hold data of `dtype`, per onnx.proto.
uint32_t ExpectedTypedField(DType dtype) {
  switch (dtype) {
    case DType::kFloat: return onnx_field::kTensorFloatData;
    case DType::kDouble: return onnx_field::kTensorDoubleData;
    case DType::kInt64: return onnx_field::kTensorInt64Data;
    case DType::kUint32:
    case DType::kUint64: return onnx_field::kTensorUint64Data;
    default: return onnx_field::kTensorInt32Data;
  }
}

}  // namespace

Status MaterializeTensor(const TensorView& view, Arena& arena, ErrorReporter& errors,
                         Value* value, size_t* copied_bytes) {
  const int name_length = view.name.length();
  const char* name = view.name.data;
  if (view.external) {
    return errors.Report(Status::kUnsupported,
                         "tensor '%.*s' keeps its data in an external file; save the model in "
                         "one piece (onnx.save_model(model, path, save_as_external_data=False))",
                         name_length, name);
  }
  if (view.has_segment) {
    return errors.Report(Status::kUnsupported, "tensor '%.*s' is segmented", name_length, name);
  }
  if (!DTypeSupported(view.dtype)) {
    return errors.Report(Status::kUnsupported, "tensor '%.*s' has data type %s (%lld)",
                         name_length, name, DTypeName(view.dtype),
                         static_cast<long long>(view.raw_dtype));
  }
  value->dtype = view.dtype;
  value->shape.rank = view.rank;
  for (int i = 0; i < view.rank; ++i) {
    if (view.dims[i] > 0x7FFFFFFF) {
      return errors.Report(Status::kUnsupported, "tensor '%.*s' has a dimension above 2^31",
                           name_length, name);
    }
    value->shape.dims[i] = static_cast<int32_t>(view.dims[i]);
  }
  const size_t element_size = DTypeSize(view.dtype);
  const uint64_t count = view.element_count;
  if (count * element_size >= static_cast<uint64_t>(kMaxTensorBytes)) {
    return errors.Report(Status::kUnsupported, "tensor '%.*s' is larger than 2 GiB", name_length,
                         name);
  }
  const size_t bytes = static_cast<size_t>(count * element_size);
  value->kind = ValueKind::kConstant;
  value->shape_known = true;

  if (view.has_raw_data) {
    if (view.raw_data.size != bytes) {
      char text[96];
      return errors.Report(Status::kInvalidModel,
                           "tensor '%.*s' has %u bytes of raw_data, but shape %s of %s needs %zu",
                           name_length, name, static_cast<unsigned>(view.raw_data.size),
                           value->shape.ToString(text, sizeof(text)), DTypeName(view.dtype),
                           bytes);
    }
    value->data = view.raw_data.data;
    value->data_in_model = true;
    value->unaligned = !IsAligned(view.raw_data.data, element_size);
    return Status::kOk;
  }

  if (view.data_field == 0) {
    if (count == 0) return Status::kOk;
    return errors.Report(Status::kInvalidModel, "tensor '%.*s' has a shape but no data",
                         name_length, name);
  }
  if (view.data_field != ExpectedTypedField(view.dtype)) {
    return errors.Report(Status::kInvalidModel,
                         "tensor '%.*s' of type %s stores its data in the wrong field (%u)",
                         name_length, name, DTypeName(view.dtype),
                         static_cast<unsigned>(view.data_field));
  }
  if (view.typed_count != count) {
    return errors.Report(Status::kInvalidModel,
                         "tensor '%.*s' has %u data values but its shape holds %llu",
                         name_length, name, static_cast<unsigned>(view.typed_count),
                         static_cast<unsigned long long>(count));
  }
  if (view.packed_contiguous && IsAligned(view.packed.data, element_size)) {
    value->data = view.packed.data;
    value->data_in_model = true;
    return Status::kOk;
  }
  uint8_t* out = static_cast<uint8_t*>(arena.AllocatePersistent(bytes, 16));
  if (out == nullptr) {
    return errors.Report(Status::kOutOfMemory, "arena full while decoding tensor '%.*s' (%zu bytes)",
                         name_length, name, bytes);
  }
  ScalarEncoding encoding = view.data_field == onnx_field::kTensorFloatData
                                ? ScalarEncoding::kFixed32
                            : view.data_field == onnx_field::kTensorDoubleData
                                ? ScalarEncoding::kFixed64
                                : ScalarEncoding::kVarint;
  RepeatedScalar values(view.message, view.data_field, encoding);
  uint64_t raw;
  for (uint64_t k = 0; k < count && values.Next(&raw); ++k) {
    StoreInteger(raw, view.dtype, out + k * element_size);  // fixed32/64 bits store the same way
  }
  value->data = out;
  *copied_bytes += bytes;
  return Status::kOk;
}

}  // namespace tinyonnx
