// QuantizeLinear (opsets 10 and 13): float -> int8/uint8, round half to
// even, saturate; per tensor or per axis. The scale and zero point may be
// graph inputs. When every reader is a quantized op the output is stored the
// internal way (int8, channels-last for Conv-like readers).
#include "tinyonnx/graph/ops/quant_axis.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

Status PrepareQuantizeLinear(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 3));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kFloat}));
  QuantAxis q;
  TINYONNX_RETURN_IF_ERROR(ReadQuantAxis(ctx, DType::kUint8, &q));
  if (q.nominal == DType::kInt32) {
    return ctx.Fail(Status::kUnsupported, "quantizing to int32 is not supported (int8 or uint8)");
  }
  const Shape& x = ctx.input_shape(0);
  const int32_t out = ctx.node().outputs[0];
  const bool internal = IsInternalValue(ctx.graph(), out);
  const DType stored = internal ? DType::kInt8 : q.nominal;
  const bool channels_last = internal && HasSpatialAxes(x) && (!q.per_axis || q.axis == 1) &&
                             WantsChannelsLast(ctx.graph(), out);
  QuantizeParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  FillQuantizeParams(x, q, channels_last, stored, params);
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, stored, x));
  Value& y = ctx.output(0);
  y.channels_last = channels_last;
  SetValueQuantization(q, stored, &y);
  ctx.SetKernel(stored == DType::kInt8 ? QuantizeLinearToS8 : QuantizeLinearToU8, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kQuantizeLinearOp{"QuantizeLinear", "", PrepareQuantizeLinear, 0,
                                    &kLowerQdqPass};

}  // namespace tinyonnx
