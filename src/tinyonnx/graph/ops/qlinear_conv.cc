// QLinearConv and ConvInteger (and the Conv LowerQdq rewrites into
// QLinearConv's form, with the float bounds of a folded Relu/Clip as inputs
// 9 and 10): int8 convolution on channels-last data.
//
// Weights are read in place when stored as the kernel reads them: OHWI
// (a rank-4 weight value with channels_last set; see docs/int8.md), or
// [kernel..., C_out] for depthwise filters. Other layouts and uint8
// weights are rearranged once into persistent memory (Graph::
// repacked_bytes). Weights or quantization parameters that are graph inputs
// take the dynamic kernel.
#include "tinyonnx/graph/ops/quant_prepare.h"
#include "tinyonnx/graph/ops/window.h"
#include "tinyonnx/kernels/arm/dsp_kernels.h"

namespace tinyonnx {
namespace {

Status CheckGroups(OpContext& ctx, const Shape& x, const Shape& w, int64_t group) {
  if (group < 1 || x.dims[1] % group != 0 || w.dims[1] * group != x.dims[1] ||
      w.dims[0] % group != 0) {
    char x_text[64], w_text[64];
    return ctx.Fail(Status::kInvalidModel,
                    "input %s, weights %s and group %lld do not fit together (weights need "
                    "[C_out, C_in / group, kernel...] with C_out a multiple of group)",
                    x.ToString(x_text, sizeof(x_text)), w.ToString(w_text, sizeof(w_text)),
                    static_cast<long long>(group));
  }
  return Status::kOk;
}

// From the weights as stored to the kernel's layout: OHWI, or [taps, C_out]
// for depthwise filters (one input channel each).
WeightPacking ConvPacking(const Value& w, bool depthwise, int32_t taps) {
  WeightPacking p;
  p.outer = w.shape.dims[0];
  p.inner = w.shape.dims[1];
  p.taps = taps;
  p.flip = w.dtype == DType::kUint8;
  if (!w.channels_last) {  // OIHW
    p.src_o = p.inner * taps;
    p.src_i = taps;
    p.src_k = 1;
  } else if (p.inner == 1) {  // [taps, C_out]
    p.src_o = 1;
    p.src_k = p.outer;
  } else {  // OHWI
    p.src_o = taps * p.inner;
    p.src_i = 1;
    p.src_k = p.inner;
  }
  if (depthwise) {
    p.dst_o = 1;
    p.dst_k = p.outer;
  } else {
    p.dst_o = taps * p.inner;
    p.dst_i = 1;
    p.dst_k = p.inner;
  }
  return p;
}

// The kernels an op may pick: QLinearConv's write int8, ConvInteger's
// int32, so a build with one of the ops links only its own (passed by value:
// a constant table would keep both pairs in one .rodata section).
struct ConvKernels {
  KernelFn conv;
  KernelFn depthwise;
};

Status PrepareConvLike(OpContext& ctx, const AccumulatorInputs& io, ConvKernels kernels) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(io.x, {DType::kInt8, DType::kUint8}));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(io.w, {DType::kInt8, DType::kUint8}));
  const Value& x = ctx.input(io.x);
  const Value& w = ctx.input(io.w);
  if (!HasSpatialAxes(x.shape)) {
    return ctx.Fail(Status::kUnsupported, "input has rank %d; 1-D to 3-D convolutions are supported",
                    x.shape.rank);
  }
  const int32_t channels = w.shape.dims[0];
  AccumulatorQuant quant;
  TINYONNX_RETURN_IF_ERROR(ReadAccumulatorQuant(ctx, io, channels, &quant));
  const bool has_bias = io.bias >= 0 && ctx.has_input(io.bias);
  const bool runtime_bias = has_bias && !ctx.input(io.bias).is_constant();
  if (runtime_bias) TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(io.bias, {DType::kInt32}));
  const bool dynamic = !quant.constant || !w.is_constant() || runtime_bias;

  // The kernel's parameters are filled in place: a ConvS8Params here would
  // lie under every call below, on the deepest stack of Prepare.
  ConvS8Params* conv;
  DynamicConvS8Params* dynamic_params = nullptr;
  if (dynamic) {
    TINYONNX_RETURN_IF_ERROR(ctx.New(&dynamic_params));
    conv = &dynamic_params->conv;
  } else {
    TINYONNX_RETURN_IF_ERROR(ctx.New(&conv));
  }
  WindowOptions options;
  options.weights = &w.shape;
  TINYONNX_RETURN_IF_ERROR(ReadWindow(ctx, x.shape, options, &conv->window));
  int64_t group;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("group", 1, &group));
  TINYONNX_RETURN_IF_ERROR(CheckGroups(ctx, x.shape, w.shape, group));
  const bool depthwise = w.shape.dims[1] == 1;
  conv->batch = x.shape.dims[0];
  conv->in_channels = x.shape.dims[1];
  conv->out_channels = channels;
  conv->group = static_cast<int32_t>(group);
  const WeightPacking packing = ConvPacking(w, depthwise, conv->window.KernelSize());
  if (w.is_constant()) {
    TINYONNX_RETURN_IF_ERROR(PrepareConstantWeights(ctx, w, packing, 1, &conv->weights));
  }

  QuantizedKernelBuilder builder(ctx);
  TINYONNX_RETURN_IF_ERROR(builder.Input(io.x, true));
  KernelFn core;
  void* core_params;
  const KernelFn portable = depthwise ? kernels.depthwise : kernels.conv;
  if (!dynamic) {
    TINYONNX_RETURN_IF_ERROR(
        PrepareChannelQuantization(ctx, io, quant, channels, 1.0f, &conv->quant));
    core = portable;
    const DspKernel dsp = io.int32_output ? DspKernel() : SelectDspConvS8(*conv, depthwise);
    if (dsp.fn != nullptr) {
      core = dsp.fn;
      builder.CoreScratch(dsp.scratch_bytes, &conv->scratch);
    }
    core_params = conv;
  } else {
    if (has_bias && !runtime_bias) {
      TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(io.bias, {DType::kInt32}));
      conv->quant.bias = ctx.ConstData<int32_t>(io.bias);
    }
    dynamic_params->kernel = portable;
    SetDynamicQuantization(quant, io.int32_output, dynamic_params);
    dynamic_params->weight_input = w.is_constant() ? -1 : static_cast<int16_t>(io.w);
    dynamic_params->packing = packing;
    dynamic_params->bias_input = runtime_bias ? static_cast<int16_t>(io.bias) : -1;
    const int64_t weight_bytes = w.is_constant() ? 0 : w.shape.ElementCount();
    builder.CoreScratch(static_cast<size_t>(DynamicScratchBytes(weight_bytes, channels)),
                        &dynamic_params->scratch);
    core = DynamicConvS8;
    core_params = dynamic_params;
  }
  const bool known = !dynamic && !io.int32_output;
  const TensorQuant out = known ? OutputQuant(quant) : TensorQuant();
  TINYONNX_RETURN_IF_ERROR(builder.Output(0, WindowOutputShape(x.shape, channels, conv->window),
                                          quant.output_type, true,
                                          io.int32_output ? DType::kInt32 : DType::kInt8,
                                          known ? &out : nullptr));
  // A MaxPool can be fused when the core writes the int8 output as stored
  // (no conversion after it, which would have the un-pooled shape).
  const Value& y = ctx.output(0);
  if (!io.int32_output && y.dtype == DType::kInt8 && y.channels_last) {
    ctx.SetFusablePool(&conv->pool);
  }
  return builder.Finish(core, core_params);
}

AccumulatorInputs QLinearConvInputs() {
  AccumulatorInputs io;
  io.x = 0, io.x_scale = 1, io.x_zero_point = 2, io.w = 3, io.w_scale = 4, io.w_zero_point = 5;
  io.y_scale = 6, io.y_zero_point = 7, io.bias = 8, io.act_lo = 9, io.act_hi = 10;
  return io;
}

Status PrepareQLinearConv(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(8, 11));
  return PrepareConvLike(ctx, QLinearConvInputs(), {ConvS8, DepthwiseConvS8});
}

Status PrepareConvInteger(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 4));
  AccumulatorInputs io;
  io.x = 0, io.w = 1, io.x_zero_point = 2, io.w_zero_point = 3;
  io.int32_output = true;
  return PrepareConvLike(ctx, io, {ConvS8ToS32, DepthwiseConvS8ToS32});
}

}  // namespace

extern const OpDef kQLinearConvOp{"QLinearConv", "", PrepareQLinearConv};
extern const OpDef kConvIntegerOp{"ConvInteger", "", PrepareConvInteger};

}  // namespace tinyonnx
