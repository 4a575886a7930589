#include "tinyonnx/base/dtype.h"

namespace tinyonnx {

size_t DTypeSize(DType type) {
  switch (type) {
    case DType::kBool:
    case DType::kInt8:
    case DType::kUint8: return 1;
    case DType::kInt16:
    case DType::kUint16:
    case DType::kFloat16:
    case DType::kBFloat16: return 2;
    case DType::kFloat:
    case DType::kInt32:
    case DType::kUint32: return 4;
    case DType::kDouble:
    case DType::kInt64:
    case DType::kUint64: return 8;
    default: return 0;
  }
}

bool DTypeSupported(DType type) {
  return DTypeSize(type) != 0 && type != DType::kFloat16 && type != DType::kBFloat16;
}

const char* DTypeName(DType type) {
  switch (type) {
    case DType::kUndefined: return "undefined";
    case DType::kFloat: return "float32";
    case DType::kUint8: return "uint8";
    case DType::kInt8: return "int8";
    case DType::kUint16: return "uint16";
    case DType::kInt16: return "int16";
    case DType::kInt32: return "int32";
    case DType::kInt64: return "int64";
    case DType::kString: return "string";
    case DType::kBool: return "bool";
    case DType::kFloat16: return "float16";
    case DType::kDouble: return "float64";
    case DType::kUint32: return "uint32";
    case DType::kUint64: return "uint64";
    case DType::kComplex64: return "complex64";
    case DType::kComplex128: return "complex128";
    case DType::kBFloat16: return "bfloat16";
  }
  return "unknown";
}

DType DTypeFromOnnx(int64_t code) {
  if (code < 0 || code > 16) return DType::kUndefined;
  return static_cast<DType>(code);
}

}  // namespace tinyonnx
