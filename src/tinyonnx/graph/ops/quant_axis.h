// The scale, zero point and axis of QuantizeLinear and DequantizeLinear.
#pragma once

#include "tinyonnx/graph/ops/quant_prepare.h"

namespace tinyonnx {

struct QuantAxis {
  QuantParam scale;
  QuantParam zero_point;  // in the ONNX (nominal) domain: adjust 0
  DType nominal = DType::kUint8;
  bool per_axis = false;
  int axis = 1;
};

// Inputs 1 (scale) and 2 (optional zero point, else 0 of
// `default_zero_point_type`) and attribute `axis` (opset 13). Both may be
// graph inputs.
Status ReadQuantAxis(OpContext& ctx, DType default_zero_point_type, QuantAxis* q);

// The kernel view of input 0 of `shape`, its 8-bit side stored as
// `stored` (int8 for a uint8 quantization means zero point - 128).
void FillQuantizeParams(const Shape& shape, const QuantAxis& q, bool channels_last, DType stored,
                        QuantizeParams* params);

// Value::scale and zero_point of the 8-bit side when known (per-tensor
// constants).
void SetValueQuantization(const QuantAxis& q, DType stored, Value* value);

}  // namespace tinyonnx
