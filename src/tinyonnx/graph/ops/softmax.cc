// Softmax, float32, any rank; numerically stable.
#include "tinyonnx/graph/ops/softmax.h"

#include "tinyonnx/kernels/softmax.h"

namespace tinyonnx {

Status PrepareSoftmaxLike(OpContext& ctx, KernelFn kernel) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kFloat}));
  const Shape& x = ctx.input_shape(0);
  const bool single_axis = ctx.opset() >= 13;
  int64_t axis;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", single_axis ? -1 : 1, &axis));
  if (axis < -x.rank || axis >= x.rank) {
    return ctx.Fail(Status::kInvalidModel, "axis %lld is out of range for rank %d",
                    static_cast<long long>(axis), x.rank);
  }
  if (axis < 0) axis += x.rank;
  SoftmaxParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  params->outer = params->axis = params->inner = 1;
  for (int i = 0; i < x.rank; ++i) {
    if (i < axis) {
      params->outer *= x.dims[i];
    } else if (i == axis || !single_axis) {
      params->axis *= x.dims[i];
    } else {
      params->inner *= x.dims[i];
    }
  }
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kFloat, x));
  ctx.AllowInPlace(0);
  ctx.SetKernel(kernel, params);
  return Status::kOk;
}

namespace {

Status PrepareSoftmax(OpContext& ctx) { return PrepareSoftmaxLike(ctx, SoftmaxFloat); }

}  // namespace

extern const OpDef kSoftmaxOp{"Softmax", "", PrepareSoftmax};

}  // namespace tinyonnx
