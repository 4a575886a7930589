// Conv: 1-D to 3-D convolution with groups (depthwise included), float32.
// The bias and anything fused later (BatchNormalization, Relu, Clip) are
// applied by the kernel's epilogue.
#include "tinyonnx/graph/ops/window.h"
#include "tinyonnx/kernels/conv.h"

namespace tinyonnx {
namespace {

Status CheckChannels(OpContext& ctx, int64_t group) {
  const Shape& x = ctx.input_shape(0);
  const Shape& w = ctx.input_shape(1);
  if (group < 1 || group > x.dims[1]) {
    return ctx.Fail(Status::kInvalidModel,
                    "group must be between 1 and the input's %d channels, is %lld",
                    static_cast<int>(x.dims[1]), static_cast<long long>(group));
  }
  if (x.dims[1] % group != 0) {
    return ctx.Fail(Status::kInvalidModel, "group %lld does not divide the input's %d channels",
                    static_cast<long long>(group), static_cast<int>(x.dims[1]));
  }
  if (w.dims[1] * group != x.dims[1]) {
    return ctx.Fail(Status::kInvalidModel,
                    "the input has %d channels and group is %lld, so the weights need %lld "
                    "input channels, they have %d",
                    static_cast<int>(x.dims[1]), static_cast<long long>(group),
                    static_cast<long long>(x.dims[1] / group), static_cast<int>(w.dims[1]));
  }
  if (w.dims[0] % group != 0) {
    return ctx.Fail(Status::kInvalidModel, "%d output channels do not divide into %lld groups",
                    static_cast<int>(w.dims[0]), static_cast<long long>(group));
  }
  if (ctx.has_input(2)) {
    const Shape& b = ctx.input_shape(2);
    if (b.rank != 1 || b.dims[0] != w.dims[0]) {
      char text[96];
      return ctx.Fail(Status::kInvalidModel, "bias has shape %s, expected [%d]",
                      b.ToString(text, sizeof(text)), static_cast<int>(w.dims[0]));
    }
  }
  return Status::kOk;
}

bool IsPointwise(const WindowGeometry& g) {
  for (int axis = 0; axis < kWindowAxes; ++axis) {
    if (g.kernel[axis] != 1 || g.stride[axis] != 1 || g.pad_begin[axis] != 0 ||
        g.pad_end[axis] != 0) {
      return false;
    }
  }
  return true;
}

Status PrepareConv(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 3));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  for (int i = 0; i < 3; ++i) {
    if (ctx.has_input(i)) TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(i, {DType::kFloat}));
  }
  const Shape& x = ctx.input_shape(0);
  const Shape& w = ctx.input_shape(1);
  ConvParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  WindowOptions options;
  options.weights = &w;
  TINYONNX_RETURN_IF_ERROR(ReadWindow(ctx, x, options, &params->window));
  int64_t group;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("group", 1, &group));
  TINYONNX_RETURN_IF_ERROR(CheckChannels(ctx, group));

  params->batch = x.dims[0];
  params->in_channels = x.dims[1];
  params->out_channels = w.dims[0];
  params->group = static_cast<int32_t>(group);
  params->pointwise = IsPointwise(params->window);
  params->epilogue.channels = w.dims[0];
  if (ctx.IsConstant(2)) {
    params->epilogue.bias = ctx.ConstData<float>(2);
  } else {
    params->bias_is_input = ctx.has_input(2);
  }
  // A bias computed at run time cannot be folded into at prepare time.
  if (!params->bias_is_input) ctx.SetEpilogue(&params->epilogue);
  // The pooled path sums in the direct path's order; the pointwise matrix
  // product has its own.
  if (!params->pointwise) {
    ctx.SetFusablePool(&params->pool);
    ctx.AllowOverlap(ConvFloatOverlapGap);
  }
  TINYONNX_RETURN_IF_ERROR(
      ctx.SetOutput(0, DType::kFloat, WindowOutputShape(x, w.dims[0], params->window)));
  ctx.SetKernel(ConvFloat, params);
  return Status::kOk;
}

}  // namespace

// The kernel reads W (input 1) byte-safely, so weights stay in place even
// when unaligned in the model. B becomes the epilogue's bias, which the
// fusion passes read as floats: it must be aligned.
extern const OpDef kConvOp{"Conv", "", PrepareConv, 1u << 1};

}  // namespace tinyonnx
