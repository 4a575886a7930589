#include "tinyonnx/plan/plan_format.h"

#include "tinyonnx/onnx/wire.h"

namespace tinyonnx {

const char* PlanKernelName(PlanKernel kernel) {
  switch (kernel) {
    case PlanKernel::kQuantizeLinearToS8: return "QuantizeLinear s8";
    case PlanKernel::kDequantizeLinearS8: return "DequantizeLinear s8";
    case PlanKernel::kConvS8: return "Conv s8";
    case PlanKernel::kDepthwiseConvS8: return "depthwise Conv s8";
    case PlanKernel::kMaxPoolS8: return "MaxPool s8";
    case PlanKernel::kAveragePoolS8: return "AveragePool s8";
    case PlanKernel::kFullyConnectedS8: return "fully connected s8";
    case PlanKernel::kSoftmaxS8: return "Softmax s8";
  }
  return "unknown kernel";
}

PlanEntry FindPlanEntry(const uint8_t* model, size_t size) {
  constexpr uint32_t kMetadataProps = 14;  // ModelProto.metadata_props
  PlanEntry found;
  WireReader reader(model, size);
  const uint8_t* field_start = model;
  while (reader.Next()) {
    if (reader.field() == kMetadataProps && reader.wire_type() == WireType::kLengthDelimited) {
      WireReader entry(reader.bytes());
      Str key;
      Bytes value;
      while (entry.Next()) {
        if (entry.wire_type() != WireType::kLengthDelimited) continue;
        if (entry.field() == 1) key = entry.str();
        if (entry.field() == 2) value = entry.bytes();
      }
      if (!entry.error() && key == kPlanKey) {
        found.found = true;
        found.plan = value;
        found.start = static_cast<size_t>(field_start - model);
        return found;
      }
    }
    field_start = reader.cursor();
  }
  found.malformed = reader.error();
  found.malformed_at = static_cast<size_t>(reader.cursor() - model);
  return found;
}

uint32_t Crc32(const uint8_t* data, size_t size) {
  // Four bits at a time: a 16-entry table (64 bytes of flash) instead of 1 KB.
  static const uint32_t kNibble[16] = {
      0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4,
      0x4DB26158, 0x5005713C, 0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
      0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C};
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    crc = (crc >> 4) ^ kNibble[crc & 15];
    crc = (crc >> 4) ^ kNibble[crc & 15];
  }
  return ~crc;
}

}  // namespace tinyonnx
