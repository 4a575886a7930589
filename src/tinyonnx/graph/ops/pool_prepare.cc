#include "tinyonnx/graph/ops/pool_prepare.h"

#include "tinyonnx/graph/ops/window.h"

namespace tinyonnx {

Status PrepareWindowPool(OpContext& ctx, PoolParams** params) {
  const Shape& x = ctx.input_shape(0);
  TINYONNX_RETURN_IF_ERROR(ctx.New(params));
  WindowOptions options;
  options.ceil_mode = true;
  TINYONNX_RETURN_IF_ERROR(ReadWindow(ctx, x, options, &(*params)->window));
  (*params)->planes = x.dims[0] * x.dims[1];
  return ctx.SetOutput(0, ctx.input_dtype(0), WindowOutputShape(x, x.dims[1], (*params)->window));
}

Status PrepareGlobalPool(OpContext& ctx, KernelFn kernel) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const Shape& x = ctx.input_shape(0);
  if (x.rank < 2) {
    return ctx.Fail(Status::kInvalidModel, "input has rank %d, expected [N, C, ...]", x.rank);
  }
  PoolParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  // All spatial axes flattened into one.
  Shape y = x;
  int32_t spatial = 1;
  for (int i = 2; i < x.rank; ++i) {
    spatial *= x.dims[i];
    y.dims[i] = 1;
  }
  if (spatial == 0) return ctx.Fail(Status::kUnsupported, "the input's spatial size is 0");
  params->planes = x.dims[0] * x.dims[1];
  params->window.input[2] = spatial;
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, ctx.input_dtype(0), y));
  ctx.SetKernel(kernel, params);
  return Status::kOk;
}

KernelFn WindowedMaxPoolKernel(DType dtype) {
  switch (dtype) {
    case DType::kInt8: return MaxPoolInt8;
    case DType::kUint8: return MaxPoolUint8;
    default: return MaxPoolFloat;
  }
}

KernelFn GlobalMaxPoolKernel(DType dtype) {
  switch (dtype) {
    case DType::kInt8: return GlobalMaxPoolInt8;
    case DType::kUint8: return GlobalMaxPoolUint8;
    default: return GlobalMaxPoolFloat;
  }
}

}  // namespace tinyonnx
