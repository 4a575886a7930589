// Pooling on int8 channels-last data: com.microsoft QLinearAveragePool and
// QLinearGlobalAveragePool (the forms LowerQdq rewrites AveragePool and
// GlobalAveragePool into) and MaxPool of the ai.tinyonnx domain (LowerQdq's
// MaxPool between a DequantizeLinear and a QuantizeLinear of the same
// quantization, which needs no requantization).
#include "tinyonnx/graph/ops/quant_prepare.h"
#include "tinyonnx/graph/ops/window.h"
#include "tinyonnx/graph/passes.h"
#include "tinyonnx/kernels/fixed_point.h"

namespace tinyonnx {
namespace {

Status CheckInput(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kInt8, DType::kUint8}));
  if (!HasSpatialAxes(ctx.input_shape(0))) {
    return ctx.Fail(Status::kUnsupported, "input has rank %d; 1-D to 3-D pooling is supported",
                    ctx.input_shape(0).rank);
  }
  int64_t channels_last;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("channels_last", 0, &channels_last));
  if (channels_last != 0) {
    return ctx.Fail(Status::kUnsupported, "channels_last = 1 (an NHWC graph tensor) is not supported");
  }
  return Status::kOk;
}

// The requantization of every divisor an average window can have.
Status PrepareDivisors(OpContext& ctx, const TensorQuant& in, const TensorQuant& out,
                       PoolS8Params* p) {
  const WindowGeometry& g = p->window;
  int32_t least = 1;
  for (int axis = 0; axis < kWindowAxes; ++axis) {
    int32_t axis_least = g.kernel[axis];
    for (int32_t o = 0; o < g.output[axis]; ++o) {
      const int32_t count = AveragePoolAxisCount(*p, axis, WindowAt(g, axis, o));
      axis_least = count < axis_least ? count : axis_least;
    }
    least *= axis_least;
  }
  p->first_count = least < 1 ? 1 : least;
  p->last_count = g.KernelSize();
  const int32_t entries = p->last_count - p->first_count + 1;
  int32_t *multiplier, *shift;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&multiplier, static_cast<size_t>(entries)));
  TINYONNX_RETURN_IF_ERROR(ctx.New(&shift, static_cast<size_t>(entries)));
  for (int32_t e = 0; e < entries; ++e) {
    const double real = static_cast<double>(in.scale) /
                        (static_cast<double>(out.scale) * static_cast<double>(p->first_count + e));
    if (!QuantizeMultiplier(real, &multiplier[e], &shift[e])) {
      return ctx.Fail(Status::kUnsupported, "the rescaling factor %g is out of range", real);
    }
  }
  p->multiplier = multiplier;
  p->shift = shift;
  p->input_offset = -in.zero_point;
  p->output_offset = out.zero_point;
  return Status::kOk;
}

// Sets up the kernel on input 0 with geometry p->window and output quantization `out`.
Status FinishPool(OpContext& ctx, PoolS8Params* p, const TensorQuant& out, KernelFn kernel) {
  const Shape& x = ctx.input_shape(0);
  p->batch = x.dims[0];
  p->channels = x.dims[1];
  QuantizedKernelBuilder builder(ctx);
  TINYONNX_RETURN_IF_ERROR(builder.Input(0, true));
  TINYONNX_RETURN_IF_ERROR(
      builder.Output(0, WindowOutputShape(x, x.dims[1], p->window), out.type, true, DType::kInt8, &out));
  return builder.Finish(kernel, p);
}

// X, x_scale, x_zero_point, y_scale, y_zero_point.
Status ReadPoolQuant(OpContext& ctx, TensorQuant* in, TensorQuant* out) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(4, 5));
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 1, 2, ctx.input_dtype(0), in));
  return ReadTensorQuant(ctx, 3, 4, in->type, out);
}

// One window over the whole input (GlobalAveragePool).
Status WholeInputWindow(OpContext& ctx, WindowGeometry* g) {
  const Shape& x = ctx.input_shape(0);
  const int spatial = x.rank - 2;
  for (int i = 0; i < spatial; ++i) {
    const int axis = kWindowAxes - spatial + i;
    g->input[axis] = x.dims[2 + i];
    g->kernel[axis] = x.dims[2 + i];
  }
  if (g->InputSize() == 0) return ctx.Fail(Status::kUnsupported, "the input's spatial size is 0");
  return Status::kOk;
}

Status PrepareAveragePool(OpContext& ctx, bool global) {
  TINYONNX_RETURN_IF_ERROR(CheckInput(ctx));
  TensorQuant in, out;
  TINYONNX_RETURN_IF_ERROR(ReadPoolQuant(ctx, &in, &out));
  PoolS8Params* p;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&p));
  if (global) {
    TINYONNX_RETURN_IF_ERROR(WholeInputWindow(ctx, &p->window));
  } else {
    WindowOptions options;
    options.ceil_mode = true;
    TINYONNX_RETURN_IF_ERROR(ReadWindow(ctx, ctx.input_shape(0), options, &p->window));
    int64_t count_include_pad;
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("count_include_pad", 0, &count_include_pad));
    p->count_include_pad = count_include_pad != 0;
  }
  TINYONNX_RETURN_IF_ERROR(PrepareDivisors(ctx, in, out, p));
  return FinishPool(ctx, p, out, AveragePoolS8);
}

Status PrepareQLinearAveragePool(OpContext& ctx) { return PrepareAveragePool(ctx, false); }
Status PrepareQLinearGlobalAveragePool(OpContext& ctx) { return PrepareAveragePool(ctx, true); }

// MaxPool whose input and output share one quantization: X alone (it keeps
// the quantization its producer recorded), or X, x_scale, x_zero_point,
// y_scale, y_zero_point with equal pairs.
Status PrepareMaxPoolS8(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(CheckInput(ctx));
  TensorQuant quant = ValueQuant(ctx.input(0));
  if (ctx.input_count() > 1) {
    TensorQuant out;
    TINYONNX_RETURN_IF_ERROR(ReadPoolQuant(ctx, &quant, &out));
    if (out.scale != quant.scale || out.zero_point != quant.zero_point) {
      return ctx.Fail(Status::kUnsupported, "int8 MaxPool needs one quantization for input and output");
    }
    quant = out;
  }
  PoolS8Params* p;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&p));
  WindowOptions options;
  options.ceil_mode = true;
  TINYONNX_RETURN_IF_ERROR(ReadWindow(ctx, ctx.input_shape(0), options, &p->window));
  return FinishPool(ctx, p, quant, MaxPoolS8);
}

}  // namespace

extern const OpDef kQLinearAveragePoolOp{"QLinearAveragePool", "com.microsoft",
                                         PrepareQLinearAveragePool};
extern const OpDef kQLinearGlobalAveragePoolOp{"QLinearGlobalAveragePool", "com.microsoft",
                                               PrepareQLinearGlobalAveragePool};
extern const OpDef kMaxPoolS8Op{"MaxPool", "ai.tinyonnx", PrepareMaxPoolS8, 0, &kFuseMaxPoolPass};

}  // namespace tinyonnx
