// MaxPool: 1-D to 3-D windows with padding, auto_pad, ceil_mode and
// dilations; float32, int8 and uint8; the optional Indices output.
// kMaxPoolFloatOp takes float32 only and links no 8-bit kernel (a float
// firmware's resolver).
#include "tinyonnx/graph/ops/pool_prepare.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

// `kernel_for` maps an accepted input dtype to the kernel.
Status PrepareMaxPoolWith(OpContext& ctx, std::initializer_list<DType> dtypes,
                          KernelFn (*kernel_for)(DType)) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 2));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, dtypes));
  PoolParams* params;
  TINYONNX_RETURN_IF_ERROR(PrepareWindowPool(ctx, &params));
  int64_t storage_order;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("storage_order", 0, &storage_order));
  if (storage_order != 0 && storage_order != 1) {
    return ctx.Fail(Status::kInvalidModel, "storage_order must be 0 or 1, is %lld",
                    static_cast<long long>(storage_order));
  }
  params->column_major_indices = storage_order == 1;
  params->write_indices = ctx.has_output(1);
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(1, DType::kInt64, ctx.output(0).shape));
  ctx.SetKernel(kernel_for(ctx.input_dtype(0)), params);
  return Status::kOk;
}

KernelFn AnyMaxPoolKernel(DType dtype) { return WindowedMaxPoolKernel(dtype); }
KernelFn FloatMaxPoolKernel(DType) { return MaxPoolFloat; }

Status PrepareMaxPool(OpContext& ctx) {
  return PrepareMaxPoolWith(ctx, {DType::kFloat, DType::kInt8, DType::kUint8}, AnyMaxPoolKernel);
}

Status PrepareMaxPoolFloat(OpContext& ctx) {
  return PrepareMaxPoolWith(ctx, {DType::kFloat}, FloatMaxPoolKernel);
}

}  // namespace

extern const OpDef kMaxPoolOp{"MaxPool", "", PrepareMaxPool, 0, &kFuseMaxPoolPass};
extern const OpDef kMaxPoolFloatOp{"MaxPool", "", PrepareMaxPoolFloat, 0, &kFuseMaxPoolPass};

}  // namespace tinyonnx
