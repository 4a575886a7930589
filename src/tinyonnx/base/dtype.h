// Element types, numbered as ONNX's TensorProto.DataType.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tinyonnx {

enum class DType : uint8_t {
  kUndefined = 0,
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUint32 = 12,
  kUint64 = 13,
  kComplex64 = 14,
  kComplex128 = 15,
  kBFloat16 = 16,
};

// Bytes per element; 0 for types tinyonnx cannot hold in a tensor (string,
// complex, unknown codes).
size_t DTypeSize(DType type);
const char* DTypeName(DType type);
// True for the types tinyonnx stores and computes with.
bool DTypeSupported(DType type);
// Converts an ONNX data_type number, mapping unknown numbers to kUndefined.
DType DTypeFromOnnx(int64_t code);

}  // namespace tinyonnx
