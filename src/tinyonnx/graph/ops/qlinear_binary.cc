// com.microsoft QLinearAdd and QLinearMul (the forms LowerQdq rewrites Add
// and Mul into): A, A_scale, A_zero_point, B, B_scale, B_zero_point,
// C_scale, C_zero_point, with numpy broadcasting. Operands of the output's
// shape and single values are read in place; other broadcasts are expanded
// into the scratch first.
#include "tinyonnx/graph/ops/elementwise_prepare.h"
#include "tinyonnx/graph/ops/quant_prepare.h"
#include "tinyonnx/kernels/fixed_point.h"

namespace tinyonnx {
namespace {

// Bits of headroom Add gives both operands before rescaling them (TFLite's
// choice for int8: 255 << 20 still fits in 31 bits).
constexpr int32_t kAddLeftShift = 20;

Status Multiplier(OpContext& ctx, double real, int32_t* multiplier, int32_t* shift) {
  if (QuantizeMultiplier(real, multiplier, shift)) return Status::kOk;
  return ctx.Fail(Status::kUnsupported, "the rescaling factor %g is out of range", real);
}

Status PrepareBinary(OpContext& ctx, bool add) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(7, 8));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TensorQuant a, b, y;
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 1, 2, ctx.input_dtype(0), &a));
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 4, 5, ctx.input_dtype(3), &b));
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 6, 7, a.type, &y));
  const Value& va = ctx.input(0);
  const Value& vb = ctx.input(3);
  Shape out;
  TINYONNX_RETURN_IF_ERROR(BroadcastShapes(ctx, va.shape, vb.shape, &out));
  // Work in the layout of a full-size operand stored channels-last, if any.
  const bool channels_last = (va.shape == out && va.channels_last) || (vb.shape == out && vb.channels_last);
  BinaryS8Params* p;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&p));
  QuantizedKernelBuilder builder(ctx);
  const int operand[2] = {0, 3};
  for (int k = 0; k < 2; ++k) {
    const Value& v = ctx.input(operand[k]);
    const bool scalar = v.shape.ElementCount() == 1 && out.ElementCount() != 1;
    (k == 0 ? p->a_scalar : p->b_scalar) = scalar;
    TINYONNX_RETURN_IF_ERROR(scalar ? builder.Input(operand[k], false)
                                    : builder.BroadcastInput(operand[k], out, channels_last));
  }
  p->count = static_cast<int32_t>(out.ElementCount());
  p->b_input = 3;
  p->a_offset = -a.zero_point;
  p->b_offset = -b.zero_point;
  p->output_offset = y.zero_point;
  if (add) {
    const double twice_max = 2.0 * (a.scale > b.scale ? a.scale : b.scale);
    p->left_shift = kAddLeftShift;
    TINYONNX_RETURN_IF_ERROR(Multiplier(ctx, a.scale / twice_max, &p->a_multiplier, &p->a_shift));
    TINYONNX_RETURN_IF_ERROR(Multiplier(ctx, b.scale / twice_max, &p->b_multiplier, &p->b_shift));
    TINYONNX_RETURN_IF_ERROR(Multiplier(ctx, twice_max / ((1 << kAddLeftShift) * static_cast<double>(y.scale)),
                                        &p->output_multiplier, &p->output_shift));
  } else {
    TINYONNX_RETURN_IF_ERROR(Multiplier(ctx, static_cast<double>(a.scale) * b.scale / y.scale,
                                        &p->output_multiplier, &p->output_shift));
  }
  TINYONNX_RETURN_IF_ERROR(builder.Output(0, out, y.type, channels_last, DType::kInt8, &y));
  return builder.Finish(add ? AddS8 : MulS8, p);
}

Status PrepareQLinearAdd(OpContext& ctx) { return PrepareBinary(ctx, true); }
Status PrepareQLinearMul(OpContext& ctx) { return PrepareBinary(ctx, false); }

}  // namespace

extern const OpDef kQLinearAddOp{"QLinearAdd", "com.microsoft", PrepareQLinearAdd};
extern const OpDef kQLinearMulOp{"QLinearMul", "com.microsoft", PrepareQLinearMul};

}  // namespace tinyonnx
