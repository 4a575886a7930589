// Softmax of int8 input: com.microsoft QLinearSoftmax (X, X_scale,
// x_zero_point, y_scale, y_zero_point; attributes axis and opset), which
// LowerQdq also makes of DequantizeLinear -> Softmax. Without y_scale the
// output is float (a final layer).
#include <cmath>

#include "tinyonnx/graph/ops/quant_prepare.h"

namespace tinyonnx {
namespace {

Status PrepareQLinearSoftmax(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 5));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TensorQuant x;
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 1, 2, ctx.input_dtype(0), &x));
  const Shape& shape = ctx.input_shape(0);
  // The semantics of the opset the node follows: its own attribute
  // (com.microsoft) or the model's (a rewritten Softmax).
  int64_t opset = ctx.opset();
  if (Str::FromCString(ctx.node().op->domain) == ctx.node().View().domain) {
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("opset", 13, &opset));
  }
  const bool single_axis = opset >= 13;
  int64_t axis;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", single_axis ? -1 : 1, &axis));
  if (axis < -shape.rank || axis >= shape.rank) {
    return ctx.Fail(Status::kInvalidModel, "axis %lld is out of range for rank %d",
                    static_cast<long long>(axis), shape.rank);
  }
  if (axis < 0) axis += shape.rank;
  SoftmaxS8Params* p;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&p));
  p->outer = p->axis = p->inner = 1;
  for (int i = 0; i < shape.rank; ++i) {
    int32_t& part = i < axis ? p->outer : (i == axis || !single_axis) ? p->axis : p->inner;
    part *= shape.dims[i];
  }
  p->float_output = !ctx.has_input(3);
  for (int d = 0; d < 256; ++d) {
    const double e = std::exp(-static_cast<double>(x.scale) * d);
    if (p->float_output) {
      p->exp_table[d] = static_cast<float>(e);
    } else {
      p->exp_fixed[d] = static_cast<int32_t>(std::nearbyint(e * (1 << kSoftmaxExpBits)));
    }
  }
  QuantizedKernelBuilder builder(ctx);
  TINYONNX_RETURN_IF_ERROR(builder.Input(0, false));
  if (p->float_output) {
    TINYONNX_RETURN_IF_ERROR(builder.Output(0, shape, DType::kFloat, false, DType::kFloat));
    return builder.Finish(SoftmaxS8, p);
  }
  TensorQuant y;
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 3, 4, x.type, &y));
  const double inverse = std::nearbyint(65536.0 / y.scale);
  if (!(inverse >= 1.0 && inverse < 4294967296.0)) {
    return ctx.Fail(Status::kUnsupported, "output scale %g is out of range for int8 Softmax",
                    static_cast<double>(y.scale));
  }
  p->inverse_output_scale = static_cast<int64_t>(inverse);
  p->output_offset = y.zero_point;
  TINYONNX_RETURN_IF_ERROR(builder.Output(0, shape, y.type, false, DType::kInt8, &y));
  return builder.Finish(SoftmaxS8, p);
}

}  // namespace

extern const OpDef kQLinearSoftmaxOp{"QLinearSoftmax", "com.microsoft", PrepareQLinearSoftmax};

}  // namespace tinyonnx
