// MaxPool: 1-D to 3-D windows with padding, auto_pad, ceil_mode and
// dilations; float32, int8 and uint8; the optional Indices output.
#include "tinyonnx/graph/ops/pool_prepare.h"

namespace tinyonnx {
namespace {

Status PrepareMaxPool(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 2));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kFloat, DType::kInt8, DType::kUint8}));
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
  ctx.SetKernel(MaxPoolKernelsFor(ctx.input_dtype(0)).windowed, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kMaxPoolOp{"MaxPool", "", PrepareMaxPool};

}  // namespace tinyonnx
