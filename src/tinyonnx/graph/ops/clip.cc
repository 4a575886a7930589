// Clip: min(max(x, min), max). Before opset 11 the bounds are float
// attributes; since then they are optional scalar inputs, which may also be
// computed at run time (the kernel reads them on each call).
#include "tinyonnx/graph/ops/elementwise_prepare.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

Status CheckBoundInput(OpContext& ctx, int i, bool* present) {
  *present = ctx.has_input(i);
  if (!*present) return Status::kOk;
  if (ctx.input_dtype(i) != ctx.input_dtype(0)) {
    return ctx.Fail(Status::kInvalidModel, "bound input %d has dtype %s, x has %s", i,
                    DTypeName(ctx.input_dtype(i)), DTypeName(ctx.input_dtype(0)));
  }
  if (ctx.input_shape(i).ElementCount() != 1) {
    return ctx.Fail(Status::kInvalidModel, "bound input %d must be a scalar", i);
  }
  return Status::kOk;
}

Status PrepareClip(OpContext& ctx) {
  bool attribute_bounds = ctx.opset() < 11;
  UnaryParams* params;
  TINYONNX_RETURN_IF_ERROR(PrepareUnary(ctx, kClipKernels, attribute_bounds ? 1 : 3, &params));
  if (attribute_bounds) {
    TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kFloat}));
    TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("min", params->min, &params->min));
    return ctx.GetFloat("max", params->max, &params->max);
  }
  TINYONNX_RETURN_IF_ERROR(CheckBoundInput(ctx, 1, &params->min_input));
  return CheckBoundInput(ctx, 2, &params->max_input);
}

}  // namespace

extern const OpDef kClipOp{"Clip", "", PrepareClip, 0, &kFuseActivationsPass};

}  // namespace tinyonnx
