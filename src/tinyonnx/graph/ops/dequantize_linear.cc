// DequantizeLinear (opsets 10 and 13): int8/uint8/int32 -> float, per
// tensor or per axis; reads 8-bit data stored the internal way (int8 for a
// uint8 quantization, channels-last). The scale and zero point may be graph
// inputs.
#include "tinyonnx/graph/ops/quant_axis.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

Status PrepareDequantizeLinear(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 3));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kInt8, DType::kUint8, DType::kInt32}));
  const Value& x = ctx.input(0);
  QuantAxis q;
  TINYONNX_RETURN_IF_ERROR(ReadQuantAxis(ctx, x.dtype, &q));
  // int8 data with a uint8 zero point is a uint8 quantization stored as int8.
  const bool shifted = x.dtype == DType::kInt8 && q.nominal == DType::kUint8;
  if (q.nominal != x.dtype && !shifted) {
    return ctx.Fail(Status::kInvalidModel, "the zero point is %s but the input is %s",
                    DTypeName(q.nominal), DTypeName(x.dtype));
  }
  const bool channels_last = x.channels_last && HasSpatialAxes(x.shape);
  if (channels_last && q.per_axis && q.axis != 1) {
    return ctx.Fail(Status::kUnsupported,
                    "per-axis dequantization along axis %d of a channels-last tensor", q.axis);
  }
  QuantizeParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  FillQuantizeParams(x.shape, q, channels_last, x.dtype, params);
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kFloat, x.shape));
  KernelFn kernel = x.dtype == DType::kInt8    ? DequantizeLinearS8
                    : x.dtype == DType::kUint8 ? DequantizeLinearU8
                                               : DequantizeLinearS32;
  ctx.SetKernel(kernel, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kDequantizeLinearOp{"DequantizeLinear", "", PrepareDequantizeLinear, 0,
                                      &kLowerQdqPass};

}  // namespace tinyonnx
