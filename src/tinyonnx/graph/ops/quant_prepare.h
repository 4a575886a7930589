// Prepare steps the quantized ops share (QuantizeLinear, DequantizeLinear,
// QLinear*, *Integer, the ops LowerQdq makes): reading scales and zero
// points, deciding how an 8-bit value is stored, and wrapping a core kernel
// in the conversions its inputs and outputs need.
//
// Storage of 8-bit activations (docs/int8.md): a value is "internal" when
// every node reading it is a quantized op and it is not a graph output. Its
// producer then stores it as int8 (a uint8 quantization shifted by 128:
// q ^ 0x80, zero point - 128) and, for window ops of rank 3 to 5,
// channels-last (Value::channels_last). Other values keep their ONNX type
// and layout. Every consumer looks at how its inputs are actually stored
// and converts what its kernel cannot read (QuantizedKernelBuilder).
#pragma once

#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/quantized.h"

namespace tinyonnx {

// The op may read and write the internal storage (see above).
bool IsQuantizedOp(const OpDef* op);

// The op's kernel reads channels-last data (Conv, pools).
bool IsQuantizedWindowOp(const OpDef* op);

// True when the value's producer may store it the internal way.
bool IsInternalValue(const Graph& graph, int32_t value);

// True when the value feeds a window op directly or through quantized ops
// that keep the layout (Add, Mul, Concat, table lookups).
bool WantsChannelsLast(const Graph& graph, int32_t value);

// Rank 3 to 5: [N, C, spatial...] with 1 to 3 spatial axes.
inline bool HasSpatialAxes(const Shape& shape) { return shape.rank >= 3 && shape.rank <= 5; }

// A scale (float) or zero point (int8, uint8 or int32) input as a
// QuantParam. Absent zero points read as 0 of `default_type`. A zero point
// of type uint8 gets adjust 128 when `int8_domain` (the kernel works on
// int8). Non-constant inputs are allowed only with `allow_runtime`.
Status ReadQuantParam(OpContext& ctx, int input, bool zero_point, DType default_type,
                      bool int8_domain, bool allow_runtime, QuantParam* param);

// The per-tensor quantization of an 8-bit activation, from constant inputs
// (the zero point in the int8 domain: uint8 zero points minus 128).
struct TensorQuant {
  float scale = 0.0f;
  int32_t zero_point = 0;
  DType type = DType::kUint8;  // the ONNX (nominal) type
};
Status ReadTensorQuant(OpContext& ctx, int scale_input, int zero_point_input, DType default_type,
                       TensorQuant* quant);

// The ONNX type of a quantized activation: its zero point's type, or
// `fallback` when that is absent.
DType NominalType(OpContext& ctx, int zero_point_input, DType fallback);

// The clamp of a quantized output: [-128, 127] narrowed by the float bounds
// in inputs lo and hi (a Relu/Clip that LowerQdq folded; -1 when absent).
Status ReadActivationRange(OpContext& ctx, int lo, int hi, const TensorQuant& out, int32_t* act_min,
                           int32_t* act_max);

// Persistent memory for constants rearranged for an int8 kernel (weights
// in another layout, uint8 weights); counted in Graph::repacked_bytes.
Status AllocateRepacked(OpContext& ctx, size_t bytes, void** out);

// Constant 8-bit weights of `matrices` blocks of `packing`'s size in the
// kernel's layout: the model's bytes when they already are, else packed
// once into persistent memory.
Status PrepareConstantWeights(OpContext& ctx, const Value& weights, const WeightPacking& packing,
                              int32_t matrices, const int8_t** packed);

// The inputs of an accumulating op (QLinearConv, ConvInteger,
// QLinearMatMul, MatMulInteger, QGemm and the Conv/Gemm/MatMul LowerQdq
// rewrites into these forms); -1 where the op has no such input. act_lo
// and act_hi are float bounds of a Relu/Clip folded by LowerQdq.
struct AccumulatorInputs {
  int x = 0, x_scale = -1, x_zero_point = -1;
  int w = 1, w_scale = -1, w_zero_point = -1;
  int y_scale = -1, y_zero_point = -1;
  int bias = -1, act_lo = -1, act_hi = -1;
  bool int32_output = false;
};

// The quantization of an accumulating op; `constant` when no parameter is
// a graph input.
struct AccumulatorQuant {
  QuantParam x_scale, x_zero_point, w_scale, w_zero_point, y_scale, y_zero_point;
  DType output_type = DType::kInt32;  // int32, or the output zero point's type
  bool constant = true;
};

// Reads and checks the parameters for `channels` output channels (weight
// scales and zero points per tensor or per channel).
Status ReadAccumulatorQuant(OpContext& ctx, const AccumulatorInputs& io, int32_t channels,
                            AccumulatorQuant* quant);

// With constant parameters: the ChannelQuantization (multipliers, filter
// offsets, bias in persistent memory, clamp) and the output quantization.
// A float bias is quantized with scale s_x * s_w[c] (times bias_scale,
// Gemm's beta); an int32 bias is used in place.
Status PrepareChannelQuantization(OpContext& ctx, const AccumulatorInputs& io,
                                  const AccumulatorQuant& quant, int32_t channels, float bias_scale,
                                  ChannelQuantization* q);

// The per-tensor output quantization of an accumulating op (constant).
TensorQuant OutputQuant(const AccumulatorQuant& quant);

// Copies the parameters into a dynamic kernel's params (DynamicConvS8Params,
// DynamicMatMulS8Params), which resolves them at run time.
template <typename Dynamic>
void SetDynamicQuantization(const AccumulatorQuant& quant, bool int32_output, Dynamic* params) {
  params->int32_output = int32_output;
  params->x_scale = quant.x_scale;
  params->x_zero_point = quant.x_zero_point;
  params->w_scale = quant.w_scale;
  params->w_zero_point = quant.w_zero_point;
  params->y_scale = quant.y_scale;
  params->y_zero_point = quant.y_zero_point;
}

// Strides (elements) of each logical axis of `shape` as stored.
void StoredStrides(const Shape& shape, bool channels_last, int64_t* strides);

// A dense copy of `shape` stored in the to_channels_last layout, reading
// logical axis a at src_strides[a] elements.
void PlanLayoutCopy(const Shape& shape, bool to_channels_last, const int64_t* src_strides,
                    size_t element_size, StridedCopyParams* plan);

// The quantization recorded on an 8-bit value by its producer, in the int8
// domain (zero point - 128 for uint8 storage).
TensorQuant ValueQuant(const Value& value);

// Wraps a core kernel in the conversions it needs (QuantizedAdapter) and
// sets the node's kernel.
class QuantizedKernelBuilder {
 public:
  explicit QuantizedKernelBuilder(OpContext& ctx) : ctx_(ctx) {}

  // The core reads input `input` (8-bit) as int8 in this layout.
  Status Input(int input, bool channels_last);
  // The core reads input `input` as int8 of shape `shape` in this layout,
  // broadcast (numpy rules) to it when its own shape is smaller.
  Status BroadcastInput(int input, const Shape& shape, bool channels_last);
  // The core writes output `output` of `shape` as `core_type` (int8, or
  // int32 / float) in the given layout. The value is stored the internal
  // way when it can be (int8 outputs), else as `nominal` in ONNX layout.
  // Sets the output's dtype, shape, layout and (int8) quantization.
  Status Output(int output, const Shape& shape, DType nominal, bool channels_last,
                DType core_type = DType::kInt8, const TensorQuant* quant = nullptr);
  // Scratch the core itself needs (placed first in the node's scratch).
  void CoreScratch(size_t bytes, void** slot) {
    core_scratch_bytes_ = bytes;
    core_scratch_slot_ = slot;
  }
  // Sets the kernel: the core alone when nothing needs converting.
  Status Finish(KernelFn core, void* core_params);

  // How output `output` is stored (valid after Output()).
  bool OutputInternal() const { return output_internal_; }

 private:
  Status Add(const TensorConversion& conversion);

  OpContext& ctx_;
  // Allocated with the first conversion: one per input and output at most.
  TensorConversion* conversions_ = nullptr;
  int conversion_count_ = 0;
  size_t core_scratch_bytes_ = 0;
  void** core_scratch_slot_ = nullptr;
  bool output_internal_ = false;
};

}  // namespace tinyonnx
