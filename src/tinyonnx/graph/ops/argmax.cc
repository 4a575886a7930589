// ArgMax: the int64 index of the largest element along one axis; ties go to
// the first maximum, or the last with select_last_index (opset 12).
#include <iterator>

#include "tinyonnx/graph/ops/reduce_common.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {
namespace {

Status PrepareArgMax(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  KernelFn kernel;
  TINYONNX_RETURN_IF_ERROR(
      ChooseReduceKernel(ctx, kArgMaxKernels, std::size(kArgMaxKernels), &kernel));
  const Shape& in = ctx.input_shape(0);
  int64_t axis_attribute, keepdims, select_last = 0;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", 0, &axis_attribute));
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("keepdims", 1, &keepdims));
  if (ctx.opset() >= 12) TINYONNX_RETURN_IF_ERROR(ctx.GetInt("select_last_index", 0, &select_last));
  int axis;
  TINYONNX_RETURN_IF_ERROR(NormalizeAxis(ctx, "axis", axis_attribute, in.rank, &axis));
  Shape out;
  for (int k = 0; k < in.rank; ++k) {
    if (k != axis || keepdims != 0) out.dims[out.rank++] = k == axis ? 1 : in.dims[k];
  }
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kInt64, out));
  if (in.dims[axis] == 0 && out.ElementCount() > 0) {
    return ctx.Fail(Status::kInvalidModel, "axis %d is empty; there is no maximum to find", axis);
  }
  ArgMaxParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  params->outer = DimProduct(in, 0, axis);
  params->axis_dim = in.dims[axis];
  params->inner = DimProduct(in, axis + 1, in.rank);
  params->select_last_index = select_last != 0;
  ctx.SetKernel(kernel, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kArgMaxOp{"ArgMax", "", PrepareArgMax};

}  // namespace tinyonnx
