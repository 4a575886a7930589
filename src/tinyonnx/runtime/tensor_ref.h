// A graph input or output of a prepared model (Interpreter, PlanInterpreter).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct TensorRef {
  Str name;
  DType dtype = DType::kUndefined;
  Shape shape;
  void* raw = nullptr;
  // int8/uint8 tensors: real = scale * (q - zero_point).
  float scale = 0.0f;
  int32_t zero_point = 0;

  template <typename T>
  T* data() const {
    return static_cast<T*>(raw);
  }
  int64_t ElementCount() const { return shape.ElementCount(); }
  size_t ByteSize() const { return static_cast<size_t>(ElementCount()) * DTypeSize(dtype); }
};

}  // namespace tinyonnx
