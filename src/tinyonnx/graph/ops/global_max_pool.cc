// GlobalMaxPool: the maximum over all spatial axes; float32, int8, uint8.
#include "tinyonnx/graph/ops/pool_prepare.h"

namespace tinyonnx {
namespace {

Status PrepareGlobalMaxPool(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kFloat, DType::kInt8, DType::kUint8}));
  return PrepareGlobalPool(ctx, GlobalMaxPoolKernel(ctx.input_dtype(0)));
}

}  // namespace

extern const OpDef kGlobalMaxPoolOp{"GlobalMaxPool", "", PrepareGlobalMaxPool};

}  // namespace tinyonnx
