// HardSigmoid: max(0, min(1, alpha * x + beta)), alpha 0.2 and beta 0.5 by
// default.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {
namespace {

Status PrepareHardSigmoid(OpContext& ctx) {
  UnaryParams* params;
  TINYONNX_RETURN_IF_ERROR(PrepareUnaryWithAlpha(ctx, kHardSigmoidKernels, 0.2f, &params));
  return ctx.GetFloat("beta", 0.5f, &params->beta);
}

}  // namespace

extern const OpDef kHardSigmoidOp{"HardSigmoid", "", PrepareHardSigmoid};

}  // namespace tinyonnx
