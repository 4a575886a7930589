// GlobalAveragePool: the mean over all spatial axes, float32.
#include "tinyonnx/graph/ops/pool_prepare.h"

namespace tinyonnx {
namespace {

Status PrepareGlobalAveragePool(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kFloat}));
  return PrepareGlobalPool(ctx, GlobalAveragePoolFloat);
}

}  // namespace

extern const OpDef kGlobalAveragePoolOp{"GlobalAveragePool", "", PrepareGlobalAveragePool};

}  // namespace tinyonnx
