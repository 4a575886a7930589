// PRelu: x for x >= 0, slope * x below, with the slope broadcast to x
// (unidirectionally: the output has x's shape).
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {
namespace {

// Before opset 7 a slope of x's channel count applies along axis 1 (the
// Caffe2 convention); it is given trailing 1s so numpy broadcasting does so.
void AlignLegacyChannelSlope(OpContext& ctx, const Shape& x, Shape* slope) {
  if (ctx.opset() < 7 && x.rank > 2 && slope->rank == 1 && slope->dims[0] == x.dims[1]) {
    while (slope->rank < x.rank - 1) slope->dims[slope->rank++] = 1;
  }
}

Status PreparePRelu(OpContext& ctx) {
  KernelFn kernel;
  TINYONNX_RETURN_IF_ERROR(CheckSameTypeBinary(ctx, kPReluKernels, &kernel));
  const Shape& x = ctx.input_shape(0);
  Shape slope = ctx.input_shape(1);
  AlignLegacyChannelSlope(ctx, x, &slope);
  Shape out;
  TINYONNX_RETURN_IF_ERROR(BroadcastShapes(ctx, x, slope, &out));
  if (out != x) {
    char x_text[64], slope_text[64];
    return ctx.Fail(Status::kInvalidModel, "slope %s does not broadcast to x %s",
                    slope.ToString(slope_text, sizeof(slope_text)),
                    x.ToString(x_text, sizeof(x_text)));
  }
  return SetBroadcastKernel(ctx, kernel, ctx.input_dtype(0), x, slope, out);
}

}  // namespace

extern const OpDef kPReluOp{"PRelu", "", PreparePRelu};

}  // namespace tinyonnx
