// AveragePool: 1-D to 3-D windows with padding, auto_pad, ceil_mode,
// count_include_pad (and opset 19's dilations); float32.
#include "tinyonnx/graph/ops/pool_prepare.h"

namespace tinyonnx {
namespace {

Status PrepareAveragePool(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kFloat}));
  PoolParams* params;
  TINYONNX_RETURN_IF_ERROR(PrepareWindowPool(ctx, &params));
  int64_t count_include_pad;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("count_include_pad", 0, &count_include_pad));
  if (count_include_pad != 0 && count_include_pad != 1) {
    return ctx.Fail(Status::kInvalidModel, "count_include_pad must be 0 or 1, is %lld",
                    static_cast<long long>(count_include_pad));
  }
  params->count_include_pad = count_include_pad == 1;
  ctx.SetKernel(AveragePoolFloat, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kAveragePoolOp{"AveragePool", "", PrepareAveragePool};

}  // namespace tinyonnx
