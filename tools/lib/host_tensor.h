// Host-side tensors and the files they come from: .npy (NumPy) and .pb
// (a serialized ONNX TensorProto, as in the ONNX backend tests).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinyonnx/base/dtype.h"

namespace tinyonnx::tools {

struct HostTensor {
  std::string name;
  DType dtype = DType::kUndefined;
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;

  int64_t ElementCount() const;
  template <typename T>
  const T* as() const {
    return reinterpret_cast<const T*>(data.data());
  }
  template <typename T>
  T* as() {
    return reinterpret_cast<T*>(data.data());
  }
  std::string ShapeString() const;
};

// Reads a whole file; false with *error set on failure.
bool ReadFile(const std::string& path, std::vector<uint8_t>* bytes, std::string* error);
bool WriteFile(const std::string& path, const void* data, size_t size, std::string* error);

bool ReadTensorProtoFile(const std::string& path, HostTensor* tensor, std::string* error);
// Parses TensorProto bytes (uses the core's zero-copy TensorView).
bool ParseTensorProto(const uint8_t* bytes, size_t size, HostTensor* tensor, std::string* error);

bool ReadNpy(const std::string& path, HostTensor* tensor, std::string* error);
bool WriteNpy(const std::string& path, const HostTensor& tensor, std::string* error);

// Reads .npy or .pb, by extension.
bool ReadTensorFile(const std::string& path, HostTensor* tensor, std::string* error);

}  // namespace tinyonnx::tools
