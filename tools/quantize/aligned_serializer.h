// Serializes an ONNX model so that the raw_data of every initializer starts
// at a file offset that suits its size: 16 bytes for anything of 16 bytes or
// more, else the largest power of two not above its size (a float scalar at
// 4). The int8 kernels read weights in place, and Cortex-M faults on
// unaligned VLDR/LDRD/LDM (DESIGN.md, "Alignment is part of reading in place").
//
// Layout: libprotobuf serializes the model without its graph and the graph
// without its initializers; each initializer follows as
//     TensorProto fields but raw_data | doc_string (padding) | raw_data
// Protobuf readers accept fields in any order, so this is an ordinary model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "onnx/onnx.pb.h"

namespace tinyonnx::quantize {

size_t RawDataAlignment(size_t bytes);

struct InitializerPlacement {
  std::string name;
  size_t offset = 0;  // of the first raw_data byte in the file
  size_t bytes = 0;
  size_t alignment = 1;
};

// Every initializer must hold its data in raw_data (or have none). Throws
// QuantizeError if not, or if the result fails the checks of
// VerifySerializedModel.
std::string SerializeWithAlignedInitializers(const onnx::ModelProto& model);

// Parses `bytes` with libprotobuf (must equal `model` apart from the padding
// doc strings) and with tinyonnx's zero-copy reader (every raw_data at its
// alignment). Returns the placements; throws QuantizeError on a mismatch.
std::vector<InitializerPlacement> VerifySerializedModel(const std::string& bytes, const onnx::ModelProto& model);

}  // namespace tinyonnx::quantize
