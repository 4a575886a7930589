#include "tinyonnx/graph/ops/quant_prepare.h"

#include <cmath>

#include "tinyonnx/kernels/fixed_point.h"

namespace tinyonnx {
namespace {

bool Named(const OpDef* op, const char* const* names, size_t count) {
  for (size_t k = 0; k < count; ++k) {
    if (Str::FromCString(op->op_type) == names[k]) return true;
  }
  return false;
}

bool InDomain(const OpDef* op, const char* domain) {
  return Str::FromCString(op->domain) == domain;
}

// Quantized ops whose output has its first input's layout.
bool IsLayoutNeutral(const OpDef* op) {
  static const char* const kNeutral[] = {"QLinearAdd",   "QLinearMul",    "QLinearConcat",
                                         "QLinearUnary", "QLinearSigmoid", "QLinearLeakyRelu"};
  return IsQuantizedOp(op) && Named(op, kNeutral, sizeof(kNeutral) / sizeof(kNeutral[0]));
}

// The logical axes of `rank` in stored order: [0, 2, ..., rank-1, 1] when
// channels-last.
void StoredOrder(int rank, bool channels_last, int* order) {
  for (int k = 0; k < rank; ++k) order[k] = k;
  if (!channels_last) return;
  for (int k = 1; k < rank - 1; ++k) order[k] = k + 1;
  order[rank - 1] = 1;
}


bool WantsChannelsLastAt(const Graph& graph, int32_t value, int depth) {
  if (depth > 8 || !IsInternalValue(graph, value)) return false;
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    const Node& node = graph.nodes[n];
    if (node.removed) continue;
    bool reads = false;
    for (uint16_t k = 0; k < node.input_count; ++k) reads |= node.inputs[k] == value;
    if (!reads) continue;
    // A window op's data input (not its weights, which keep their layout).
    if (IsQuantizedWindowOp(node.op) && node.inputs[0] == value) return true;
    if (IsLayoutNeutral(node.op) && node.output_count > 0 && node.outputs[0] >= 0 &&
        WantsChannelsLastAt(graph, node.outputs[0], depth + 1)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsQuantizedOp(const OpDef* op) {
  if (op == nullptr) return false;
  if (InDomain(op, "com.microsoft") || InDomain(op, "ai.tinyonnx")) return true;
  static const char* const kStandard[] = {"QuantizeLinear", "DequantizeLinear", "QLinearConv",
                                          "QLinearMatMul",  "ConvInteger",      "MatMulInteger"};
  return InDomain(op, "") && Named(op, kStandard, sizeof(kStandard) / sizeof(kStandard[0]));
}

bool IsQuantizedWindowOp(const OpDef* op) {
  if (!IsQuantizedOp(op)) return false;
  static const char* const kWindow[] = {"QLinearConv", "ConvInteger", "QLinearAveragePool",
                                        "QLinearGlobalAveragePool"};
  return Named(op, kWindow, sizeof(kWindow) / sizeof(kWindow[0])) ||
         (InDomain(op, "ai.tinyonnx") && Str::FromCString(op->op_type) == "MaxPool");
}

bool IsInternalValue(const Graph& graph, int32_t value) {
  const Value& v = graph.values[value];
  if (v.is_graph_output || v.consumers == 0) return false;
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    const Node& node = graph.nodes[n];
    if (node.removed) continue;
    for (uint16_t k = 0; k < node.input_count; ++k) {
      if (node.inputs[k] == value && !IsQuantizedOp(node.op)) return false;
    }
  }
  return true;
}

bool WantsChannelsLast(const Graph& graph, int32_t value) {
  return WantsChannelsLastAt(graph, value, 0);
}

Status ReadQuantParam(OpContext& ctx, int input, bool zero_point, DType default_type,
                      bool int8_domain, bool allow_runtime, QuantParam* param) {
  *param = QuantParam();
  const char* what = zero_point ? "zero point" : "scale";
  if (input < 0 || !ctx.has_input(input)) {
    if (!zero_point) return ctx.Fail(Status::kInvalidModel, "the %s (input %d) is required", what, input);
    param->dtype = default_type;
    param->count = 1;
    param->adjust = int8_domain && default_type == DType::kUint8 ? 128 : 0;
    return Status::kOk;
  }
  const Value& v = ctx.input(input);
  const DType dtype = v.dtype;
  const bool valid_type = zero_point ? (dtype == DType::kInt8 || dtype == DType::kUint8 ||
                                        dtype == DType::kInt32)
                                     : dtype == DType::kFloat;
  if (!valid_type) {
    return ctx.Fail(Status::kUnsupported, "the %s (input %d) has dtype %s; %s", what, input,
                    DTypeName(dtype),
                    zero_point ? "int8, uint8 or int32 are supported" : "float32 is expected");
  }
  const int64_t count = v.shape.ElementCount();
  if (count < 1 || count > INT32_MAX || v.shape.rank > 1) {
    char text[64];
    return ctx.Fail(Status::kInvalidModel, "the %s (input %d) has shape %s; a scalar or 1-D tensor is expected",
                    what, input, v.shape.ToString(text, sizeof(text)));
  }
  if (!v.is_constant() && !allow_runtime) {
    return ctx.Fail(Status::kUnsupported,
                    "the %s (input %d, '%.*s') must be a constant for this op", what, input,
                    v.name.length(), v.name.data);
  }
  param->input = v.is_constant() ? -1 : static_cast<int16_t>(input);
  param->data = v.is_constant() ? v.data : nullptr;
  param->dtype = dtype;
  param->count = static_cast<int32_t>(count);
  param->adjust = zero_point && int8_domain && dtype == DType::kUint8 ? 128 : 0;
  return Status::kOk;
}

Status ReadTensorQuant(OpContext& ctx, int scale_input, int zero_point_input, DType default_type,
                       TensorQuant* quant) {
  QuantParam scale, zero_point;
  TINYONNX_RETURN_IF_ERROR(ReadQuantParam(ctx, scale_input, false, default_type, true, false, &scale));
  TINYONNX_RETURN_IF_ERROR(
      ReadQuantParam(ctx, zero_point_input, true, default_type, true, false, &zero_point));
  if (scale.count != 1 || zero_point.count != 1) {
    return ctx.Fail(Status::kUnsupported,
                    "activations need a per-tensor scale and zero point (inputs %d and %d)",
                    scale_input, zero_point_input);
  }
  if (zero_point.dtype == DType::kInt32) {
    return ctx.Fail(Status::kUnsupported, "an 8-bit activation has an int32 zero point (input %d)",
                    zero_point_input);
  }
  quant->scale = ScaleAt(scale.data, 1, 0);
  if (!(quant->scale > 0.0f) || !std::isfinite(quant->scale)) {
    return ctx.Fail(Status::kInvalidModel, "scale (input %d) is %g; it must be positive and finite",
                    scale_input, static_cast<double>(quant->scale));
  }
  quant->zero_point = ZeroPointAt(zero_point, zero_point.data, 0);
  quant->type = zero_point.dtype;
  return Status::kOk;
}

DType NominalType(OpContext& ctx, int zero_point_input, DType fallback) {
  return zero_point_input >= 0 && ctx.has_input(zero_point_input) ? ctx.input_dtype(zero_point_input)
                                                                  : fallback;
}

Status ReadActivationRange(OpContext& ctx, int lo, int hi, const TensorQuant& out, int32_t* act_min,
                           int32_t* act_max) {
  *act_min = -128;
  *act_max = 127;
  for (int k = 0; k < 2; ++k) {
    const int input = k == 0 ? lo : hi;
    if (input < 0 || !ctx.has_input(input)) continue;
    float bound;
    TINYONNX_RETURN_IF_ERROR(ctx.ReadConstFloat(input, &bound));
    // The bound as QuantizeLinear would round it, kept inside int8.
    const int32_t v =
        QuantizeValue(bound, out.scale, static_cast<float>(out.zero_point), -128.0f, 127.0f);
    if (k == 0 && v > *act_min) *act_min = v;
    if (k == 1 && v < *act_max) *act_max = v;
  }
  if (*act_min > *act_max) *act_max = *act_min;
  return Status::kOk;
}

Status AllocateRepacked(OpContext& ctx, size_t bytes, void** out) {
  TINYONNX_RETURN_IF_ERROR(ctx.Allocate(bytes == 0 ? 1 : bytes, 16, out));
  ctx.graph().repacked_bytes += bytes;
  return Status::kOk;
}

Status PrepareConstantWeights(OpContext& ctx, const Value& weights, const WeightPacking& packing,
                              int32_t matrices, const int8_t** packed) {
  if (IsIdentityPacking(packing)) {
    *packed = static_cast<const int8_t*>(weights.data);
    return Status::kOk;
  }
  const int64_t matrix = static_cast<int64_t>(packing.outer) * packing.inner * packing.taps;
  void* memory;
  TINYONNX_RETURN_IF_ERROR(AllocateRepacked(ctx, static_cast<size_t>(matrix * matrices), &memory));
  int8_t* out = static_cast<int8_t*>(memory);
  const uint8_t* in = static_cast<const uint8_t*>(weights.data);
  for (int32_t m = 0; m < matrices; ++m) PackWeightsS8(packing, in + m * matrix, out + m * matrix);
  *packed = out;
  return Status::kOk;
}

namespace {

// An 8-bit tensor input's zero point: int8 data may hold a uint8
// quantization (stored shifted), uint8 data only a uint8 one.
Status CheckZeroPointType(OpContext& ctx, int data_input, const QuantParam& zero_point) {
  const DType data = ctx.input_dtype(data_input);
  const DType zp = zero_point.dtype;
  if (zp == data || (data == DType::kInt8 && zp == DType::kUint8)) return Status::kOk;
  return ctx.Fail(Status::kInvalidModel, "input %d is %s but its zero point is %s", data_input,
                  DTypeName(data), DTypeName(zp));
}

Status ExpectCount(OpContext& ctx, const QuantParam& param, int input, int32_t channels) {
  if (param.count == 1 || param.count == channels) return Status::kOk;
  return ctx.Fail(Status::kInvalidModel, "input %d has %d values; expected 1 or %d", input,
                  static_cast<int>(param.count), static_cast<int>(channels));
}

}  // namespace

Status ReadAccumulatorQuant(OpContext& ctx, const AccumulatorInputs& io, int32_t channels,
                            AccumulatorQuant* quant) {
  *quant = AccumulatorQuant();
  AccumulatorQuant& q = *quant;
  TINYONNX_RETURN_IF_ERROR(
      ReadQuantParam(ctx, io.x_zero_point, true, ctx.input_dtype(io.x), true, true, &q.x_zero_point));
  TINYONNX_RETURN_IF_ERROR(
      ReadQuantParam(ctx, io.w_zero_point, true, ctx.input_dtype(io.w), true, true, &q.w_zero_point));
  TINYONNX_RETURN_IF_ERROR(CheckZeroPointType(ctx, io.x, q.x_zero_point));
  TINYONNX_RETURN_IF_ERROR(CheckZeroPointType(ctx, io.w, q.w_zero_point));
  TINYONNX_RETURN_IF_ERROR(ExpectCount(ctx, q.x_zero_point, io.x_zero_point, 1));
  TINYONNX_RETURN_IF_ERROR(ExpectCount(ctx, q.w_zero_point, io.w_zero_point, channels));
  q.constant = q.x_zero_point.input < 0 && q.w_zero_point.input < 0;
  if (io.int32_output) return Status::kOk;
  if (io.y_scale < 0 || !ctx.has_input(io.y_scale)) {
    return ctx.Fail(Status::kUnsupported, "an output scale (input %d) is required", io.y_scale);
  }
  TINYONNX_RETURN_IF_ERROR(ReadQuantParam(ctx, io.x_scale, false, DType::kFloat, true, true, &q.x_scale));
  TINYONNX_RETURN_IF_ERROR(ReadQuantParam(ctx, io.w_scale, false, DType::kFloat, true, true, &q.w_scale));
  TINYONNX_RETURN_IF_ERROR(ReadQuantParam(ctx, io.y_scale, false, DType::kFloat, true, true, &q.y_scale));
  TINYONNX_RETURN_IF_ERROR(
      ReadQuantParam(ctx, io.y_zero_point, true, DType::kUint8, true, true, &q.y_zero_point));
  if (q.y_zero_point.dtype == DType::kInt32) {
    return ctx.Fail(Status::kUnsupported, "the output zero point is int32; int8 or uint8 expected");
  }
  TINYONNX_RETURN_IF_ERROR(ExpectCount(ctx, q.x_scale, io.x_scale, 1));
  TINYONNX_RETURN_IF_ERROR(ExpectCount(ctx, q.w_scale, io.w_scale, channels));
  TINYONNX_RETURN_IF_ERROR(ExpectCount(ctx, q.y_scale, io.y_scale, 1));
  TINYONNX_RETURN_IF_ERROR(ExpectCount(ctx, q.y_zero_point, io.y_zero_point, 1));
  q.output_type = q.y_zero_point.dtype;
  q.constant = q.constant && q.x_scale.input < 0 && q.w_scale.input < 0 && q.y_scale.input < 0 &&
               q.y_zero_point.input < 0;
  return Status::kOk;
}

namespace {

Status PrepareBias(OpContext& ctx, const AccumulatorInputs& io, const AccumulatorQuant& quant,
                   int32_t channels, float bias_scale, ChannelQuantization* q) {
  if (io.bias < 0 || !ctx.has_input(io.bias)) return Status::kOk;
  const Value& b = ctx.input(io.bias);
  if (b.shape.ElementCount() != channels) {
    char text[64];
    return ctx.Fail(Status::kUnsupported, "the bias has shape %s; %d values (one per output channel) are supported",
                    b.shape.ToString(text, sizeof(text)), static_cast<int>(channels));
  }
  if (!b.is_constant()) return ctx.Fail(Status::kUnsupported, "the bias must be a constant");
  if (b.dtype == DType::kInt32 && bias_scale == 1.0f) {
    q->bias = static_cast<const int32_t*>(b.data);
    return Status::kOk;
  }
  if (b.dtype != DType::kFloat || io.int32_output) {
    return ctx.Fail(Status::kUnsupported, "the bias is %s; int32 or float32 is supported",
                    DTypeName(b.dtype));
  }
  int32_t* bias;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&bias, static_cast<size_t>(channels)));
  const float x_scale = ScaleAt(quant.x_scale.data, 1, 0);
  for (int32_t c = 0; c < channels; ++c) {
    const double scale = static_cast<double>(x_scale) * ScaleAt(quant.w_scale.data, quant.w_scale.count, c);
    const float value = static_cast<const float*>(b.data)[c];
    const double v = std::nearbyint(static_cast<double>(value) * bias_scale / scale);
    if (std::isnan(v)) {  // converting NaN to int32 is UB
      return ctx.Fail(Status::kInvalidModel,
                      "bias value %d (%g) is not a number once scaled by 1/%g",
                      static_cast<int>(c), static_cast<double>(value), scale);
    }
    bias[c] = v > 2147483647.0 ? kInt32Max : v < -2147483648.0 ? kInt32Min : static_cast<int32_t>(v);
  }
  q->bias = bias;
  return Status::kOk;
}

}  // namespace

Status PrepareChannelQuantization(OpContext& ctx, const AccumulatorInputs& io,
                                  const AccumulatorQuant& quant, int32_t channels, float bias_scale,
                                  ChannelQuantization* q) {
  *q = ChannelQuantization();
  q->input_offset = -ZeroPointAt(quant.x_zero_point, quant.x_zero_point.data, 0);
  bool offsets = false;
  for (int32_t c = 0; c < channels; ++c) {
    offsets |= ZeroPointAt(quant.w_zero_point, quant.w_zero_point.data, c) != 0;
  }
  if (offsets) {
    int32_t* filter_offset;
    TINYONNX_RETURN_IF_ERROR(ctx.New(&filter_offset, static_cast<size_t>(channels)));
    ComputeFilterOffsets(quant.w_zero_point, quant.w_zero_point.data, channels, filter_offset);
    q->filter_offset = filter_offset;
  }
  TINYONNX_RETURN_IF_ERROR(PrepareBias(ctx, io, quant, channels, bias_scale, q));
  if (io.int32_output) return Status::kOk;
  const TensorQuant out = OutputQuant(quant);
  if (!(out.scale > 0.0f) || !std::isfinite(out.scale)) {
    return ctx.Fail(Status::kInvalidModel, "the output scale is %g; it must be positive and finite",
                    static_cast<double>(out.scale));
  }
  int32_t *multiplier, *shift;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&multiplier, static_cast<size_t>(channels)));
  TINYONNX_RETURN_IF_ERROR(ctx.New(&shift, static_cast<size_t>(channels)));
  if (!ComputeChannelMultipliers(ScaleAt(quant.x_scale.data, 1, 0), quant.w_scale.data,
                                 quant.w_scale.count, out.scale, channels, multiplier, shift)) {
    return ctx.Fail(Status::kUnsupported,
                    "the requantization factor s_x * s_w / s_y is negative, not finite or above 2^30");
  }
  q->multiplier = multiplier;
  q->shift = shift;
  q->output_offset = out.zero_point;
  return ReadActivationRange(ctx, io.act_lo, io.act_hi, out, &q->act_min, &q->act_max);
}

TensorQuant OutputQuant(const AccumulatorQuant& quant) {
  TensorQuant out;
  out.scale = ScaleAt(quant.y_scale.data, 1, 0);
  out.zero_point = ZeroPointAt(quant.y_zero_point, quant.y_zero_point.data, 0);
  out.type = quant.y_zero_point.dtype;
  return out;
}

void PlanLayoutCopy(const Shape& shape, bool to_channels_last, const int64_t* src_strides,
                    size_t element_size, StridedCopyParams* plan) {
  int order[kMaxRank];
  StoredOrder(shape.rank, to_channels_last && HasSpatialAxes(shape), order);
  int32_t dims[kMaxRank];
  int64_t strides[kMaxRank];
  for (int k = 0; k < shape.rank; ++k) {
    dims[k] = shape.dims[order[k]];
    strides[k] = src_strides[order[k]];
  }
  PlanStridedCopy(shape.rank, dims, strides, 0, element_size, plan);
}

TensorQuant ValueQuant(const Value& value) {
  TensorQuant q;
  q.scale = value.scale;
  q.zero_point = value.zero_point - (value.dtype == DType::kUint8 ? 128 : 0);
  q.type = value.dtype;
  return q;
}

void StoredStrides(const Shape& shape, bool channels_last, int64_t* strides) {
  int order[kMaxRank];
  StoredOrder(shape.rank, channels_last && HasSpatialAxes(shape), order);
  int64_t stride = 1;
  for (int k = shape.rank - 1; k >= 0; --k) {
    strides[order[k]] = stride;
    stride *= shape.dims[order[k]];
  }
}

Status QuantizedKernelBuilder::Add(const TensorConversion& conversion) {
  if (conversions_ == nullptr) {
    TINYONNX_RETURN_IF_ERROR(
        ctx_.New(&conversions_, static_cast<size_t>(ctx_.input_count() + ctx_.output_count())));
  }
  conversions_[conversion_count_++] = conversion;
  return Status::kOk;
}

Status QuantizedKernelBuilder::Input(int input, bool channels_last) {
  return BroadcastInput(input, ctx_.input_shape(input), channels_last);
}

Status QuantizedKernelBuilder::BroadcastInput(int input, const Shape& shape, bool channels_last) {
  const Value& v = ctx_.input(input);
  if (v.dtype != DType::kInt8 && v.dtype != DType::kUint8) {
    return ctx_.Fail(Status::kUnsupported, "input %d ('%.*s') has dtype %s; int8 or uint8 is expected",
                     input, v.name.length(), v.name.data, DTypeName(v.dtype));
  }
  const bool want = channels_last && HasSpatialAxes(shape);
  const bool same_shape = v.shape == shape;
  const bool flip = v.dtype == DType::kUint8;
  if (same_shape && v.channels_last == want && !flip) return Status::kOk;
  int64_t stored[kMaxRank];
  StoredStrides(v.shape, v.channels_last, stored);
  // The input's stride for each axis of `shape` (0 where it is broadcast).
  int64_t strides[kMaxRank];
  const int pad = shape.rank - v.shape.rank;
  for (int a = 0; a < shape.rank; ++a) {
    const int k = a - pad;
    strides[a] = (k < 0 || v.shape.dims[k] == 1) ? 0 : stored[k];
  }
  TensorConversion c;
  c.index = static_cast<int16_t>(input);
  c.flip = flip;
  c.bytes = shape.ElementCount();
  PlanLayoutCopy(shape, want, strides, 1, &c.plan);
  return Add(c);
}

Status QuantizedKernelBuilder::Output(int output, const Shape& shape, DType nominal,
                                      bool channels_last, DType core_type, const TensorQuant* quant) {
  Value& v = ctx_.output(output);
  const bool core_channels_last = channels_last && HasSpatialAxes(shape);
  output_internal_ =
      core_type == DType::kInt8 && IsInternalValue(ctx_.graph(), ctx_.node().outputs[output]);
  const DType stored = output_internal_ ? DType::kInt8
                       : core_type == DType::kInt8 ? nominal
                                                   : core_type;
  const bool stored_channels_last = output_internal_ && core_channels_last;
  TINYONNX_RETURN_IF_ERROR(ctx_.SetOutput(output, stored, shape));
  v.channels_last = stored_channels_last;
  if (quant != nullptr) {
    v.scale = quant->scale;
    v.zero_point = quant->zero_point + (stored == DType::kUint8 ? 128 : 0);
  }
  const bool flip = core_type == DType::kInt8 && stored == DType::kUint8;
  if (core_channels_last == stored_channels_last && !flip) return Status::kOk;
  TensorConversion c;
  c.index = static_cast<int16_t>(output);
  c.output = true;
  c.flip = flip;
  c.copy = core_channels_last != stored_channels_last;
  c.bytes = shape.ElementCount() * static_cast<int64_t>(DTypeSize(stored));
  int64_t strides[kMaxRank];
  StoredStrides(shape, core_channels_last, strides);
  PlanLayoutCopy(shape, stored_channels_last, strides, DTypeSize(stored), &c.plan);
  return Add(c);
}

Status QuantizedKernelBuilder::Finish(KernelFn core, void* core_params) {
  if (conversion_count_ == 0) {
    if (core_scratch_slot_ != nullptr) ctx_.RequestScratch(core_scratch_bytes_, core_scratch_slot_);
    ctx_.SetKernel(core, core_params);
    return Status::kOk;
  }
  QuantizedAdapterParams* adapter;
  TINYONNX_RETURN_IF_ERROR(ctx_.New(&adapter));
  auto align = [](uint64_t bytes) { return (bytes + 15) & ~uint64_t{15}; };
  uint64_t offset = align(core_scratch_bytes_);
  for (int i = 0; i < conversion_count_; ++i) {
    if (!conversions_[i].copy) continue;
    conversions_[i].scratch_offset = static_cast<uint32_t>(offset);
    offset += align(static_cast<uint64_t>(conversions_[i].bytes));
  }
  adapter->pointer_offset = static_cast<uint32_t>(offset);
  offset += sizeof(void*) * static_cast<uint64_t>(ctx_.input_count() + ctx_.output_count());
  if (offset > UINT32_MAX / 2) {
    return ctx_.Fail(Status::kUnsupported, "needs %llu bytes of scratch for layout conversions",
                     static_cast<unsigned long long>(offset));
  }
  adapter->core = core;
  adapter->core_params = core_params;
  adapter->scratch = core_scratch_slot_ != nullptr ? core_scratch_slot_ : &adapter->scratch_memory;
  adapter->input_count = ctx_.input_count();
  adapter->output_count = ctx_.output_count();
  adapter->conversion_count = conversion_count_;
  adapter->conversions = conversions_;
  ctx_.RequestScratch(static_cast<size_t>(offset),
                      core_scratch_slot_ != nullptr ? core_scratch_slot_ : &adapter->scratch_memory);
  ctx_.SetKernel(QuantizedAdapter, adapter);
  return Status::kOk;
}

}  // namespace tinyonnx
