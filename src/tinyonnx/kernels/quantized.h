// The int8 kernels (reference/*_s8.cc, quantize.cc, dequantize.cc) and
// their parameter structs. Optimized twins (kernels/arm/) take the same
// structs and must give the same bytes.
//
// Conventions (see docs/int8.md):
// - Activations are int8 with a per-tensor zero point; uint8 tensors are
//   handled as int8 with zero point - 128 (bytes flipped by x ^ 0x80 where
//   they enter or leave). Kernels take offsets: input_offset = -zero_point_in,
//   output_offset = zero_point_out.
// - Window kernels (Conv, pools) read and write channels-last data:
//   [N, D, H, W, C] with the missing spatial axes of size 1 (WindowGeometry).
// - Weights are int8: Conv [C_out, kD, kH, kW, C_in / group] (OHWI),
//   depthwise Conv [kD, kH, kW, C_out], fully connected [N, K].
// - An int32 accumulator becomes int8 by MultiplyByQuantizedMultiplier
//   (fixed_point.h) with a multiplier and shift computed at prepare time;
//   the inner loops use no floating point.
#pragma once

#include <cmath>
#include <cstdint>

#include "tinyonnx/base/dtype.h"
#include "tinyonnx/graph/graph.h"
#include "tinyonnx/kernels/strided_copy.h"
#include "tinyonnx/kernels/window.h"

namespace tinyonnx {

// How the accumulators of one output channel c become outputs:
//   acc = bias[c] + sum of (x + input_offset) * (w + filter_offset[c])
//   y   = clamp(output_offset + MultiplyByQuantizedMultiplier(acc, multiplier[c], shift[c]),
//               act_min, act_max)
// The *ToS32 kernels store acc itself (ConvInteger, MatMulInteger) and use
// neither the requantization nor the clamp.
struct ChannelQuantization {
  int32_t input_offset = 0;
  int32_t output_offset = 0;
  int32_t act_min = -128;  // a fused Relu/Clip narrows the range
  int32_t act_max = 127;
  const int32_t* multiplier = nullptr;     // [channels]
  const int32_t* shift = nullptr;          // [channels]
  const int32_t* bias = nullptr;           // [channels], or nullptr
  const int32_t* filter_offset = nullptr;  // [channels] (-weight zero point), or nullptr for 0
};

// Conv and depthwise Conv over 1 to 3 spatial axes.
struct ConvS8Params {
  int32_t batch = 0;
  int32_t in_channels = 0;
  int32_t out_channels = 0;
  int32_t group = 1;  // depthwise: group == in_channels, out = in * multiplier
  WindowGeometry window;
  FusedMaxPool pool;  // a MaxPool fused behind the Conv (window.h)
  ChannelQuantization quant;
  const int8_t* weights = nullptr;  // OHWI, or [kernel..., C_out] for depthwise
  // Working memory of an optimized twin (kernels/arm/) that asked prepare
  // for it (the node's scratch); the portable kernels do not use it.
  void* scratch = nullptr;
};

// inputs: X [N, spatial..., C_in]; outputs: Y [N, spatial..., C_out].
void ConvS8(const void* params, const void* const* inputs, void* const* outputs);
void ConvS8ToS32(const void* params, const void* const* inputs, void* const* outputs);
void DepthwiseConvS8(const void* params, const void* const* inputs, void* const* outputs);
void DepthwiseConvS8ToS32(const void* params, const void* const* inputs, void* const* outputs);

// Y[r, n] for r < rows, n < output_depth, reading X[r, :] and W[n, :] of
// input_depth elements each. Per-channel quantization runs along n.
struct FullyConnectedS8Params {
  int32_t rows = 0;
  int32_t input_depth = 0;
  int32_t output_depth = 0;
  ChannelQuantization quant;
  const int8_t* weights = nullptr;  // [output_depth, input_depth]
  void* scratch = nullptr;          // as ConvS8Params::scratch
};

// inputs: X [rows, input_depth]; outputs: Y [rows, output_depth].
void FullyConnectedS8(const void* params, const void* const* inputs, void* const* outputs);
void FullyConnectedS8ToS32(const void* params, const void* const* inputs, void* const* outputs);

// numpy-matmul batches of fully connected products: batch b (decomposed
// row-major over batch_dims) multiplies X matrix sum(index_i * x_strides[i])
// by weight matrix sum(index_i * w_strides[i]) (strides in whole matrices, 0
// where broadcast) and writes output matrix b.
struct BatchedFullyConnectedS8Params {
  FullyConnectedS8Params fc;  // one batch; fc.weights is weight matrix 0
  int32_t batch_count = 1;
  int32_t batch_rank = 0;
  int32_t batch_dims[kMaxRank] = {};
  int32_t x_strides[kMaxRank] = {};
  int32_t w_strides[kMaxRank] = {};
};

void BatchedFullyConnectedS8(const void* params, const void* const* inputs, void* const* outputs);
void BatchedFullyConnectedS8ToS32(const void* params, const void* const* inputs,
                                  void* const* outputs);

// MaxPool and AveragePool, channels-last. A window's taps outside the input
// are skipped. AveragePool sums (x + input_offset) over the taps inside the
// input and requantizes the sum by the multiplier for its divisor count
// (the taps inside the input, or with count_include_pad also those inside
// the explicit padding): multiplier[count - first_count] = s_in / (s_out * count).
// MaxPool uses only the clamp (input and output share the quantization).
struct PoolS8Params {
  int32_t batch = 0;
  int32_t channels = 0;
  WindowGeometry window;
  bool count_include_pad = false;
  int32_t input_offset = 0;
  int32_t output_offset = 0;
  int32_t act_min = -128;
  int32_t act_max = 127;
  int32_t first_count = 1;
  int32_t last_count = 1;
  const int32_t* multiplier = nullptr;  // [last_count - first_count + 1]
  const int32_t* shift = nullptr;
};

// The divisor of an average window along one axis (see PoolS8Params).
inline int32_t AveragePoolAxisCount(const PoolS8Params& p, int axis, const AxisWindow& w) {
  if (!p.count_include_pad) return w.last - w.first;
  const WindowGeometry& g = p.window;
  // A ceil_mode window may reach past the end padding; those taps never count.
  const int32_t padded = CeilDiv(g.input[axis] + g.pad_end[axis] - w.start, g.dilation[axis]);
  return padded < g.kernel[axis] ? padded : g.kernel[axis];
}

// inputs: X [N, spatial..., C]; outputs: Y [N, out spatial..., C].
void MaxPoolS8(const void* params, const void* const* inputs, void* const* outputs);
void AveragePoolS8(const void* params, const void* const* inputs, void* const* outputs);

// Add and Mul of two int8 tensors with their own quantization. Both
// operands have `count` elements, or one of them is a single element
// (a_scalar / b_scalar) repeated.
//
// Add (TFLite's scheme): each operand is moved to a common scale with
// `left_shift` bits of headroom, the sum is requantized to the output:
//   a' = MBQM((a + a_offset) << left_shift, a_multiplier, a_shift), b' likewise
//   y  = clamp(output_offset + MBQM(a' + b', output_multiplier, output_shift))
// Mul: y = clamp(output_offset + MBQM((a + a_offset) * (b + b_offset),
//                                     output_multiplier, output_shift))
struct BinaryS8Params {
  int32_t count = 0;
  int32_t b_input = 1;  // B is inputs[b_input] (3 in QLinearAdd's form)
  bool a_scalar = false;
  bool b_scalar = false;
  int32_t a_offset = 0;
  int32_t b_offset = 0;
  int32_t output_offset = 0;
  int32_t left_shift = 0;
  int32_t a_multiplier = 0;
  int32_t a_shift = 0;
  int32_t b_multiplier = 0;
  int32_t b_shift = 0;
  int32_t output_multiplier = 0;
  int32_t output_shift = 0;
  int32_t act_min = -128;
  int32_t act_max = 127;
};

// inputs: A, ..., B (inputs[b_input]); outputs: Y.
void AddS8(const void* params, const void* const* inputs, void* const* outputs);
void MulS8(const void* params, const void* const* inputs, void* const* outputs);

// Concat: the output is viewed as [outer][sum of the parts' blocks]; part p
// contributes block_size elements per outer index, requantized when its
// quantization differs from the output's (else copied).
struct ConcatS8Part {
  int32_t block_size = 0;
  bool requantize = false;
  int32_t input_offset = 0;
  int32_t output_offset = 0;
  int32_t multiplier = 0;
  int32_t shift = 0;
};

struct ConcatS8Params {
  int32_t outer = 0;
  int32_t part_count = 0;
  const ConcatS8Part* parts = nullptr;
};

// inputs: the parts (inputs[input_base + p] for part p); outputs: Y.
// `input_base` skips leading non-tensor inputs (QLinearConcat's scales).
struct ConcatS8Kernel {
  ConcatS8Params concat;
  int32_t input_base = 0;
  int32_t input_step = 1;  // QLinearConcat: X, scale, zero point per part
};
void ConcatS8(const void* params, const void* const* inputs, void* const* outputs);

// Any function of one int8 value: y = table[x + 128], the table computed at
// prepare time from the float function and both quantizations.
struct LookupS8Params {
  int32_t count = 0;
  int8_t table[256] = {};
};

// inputs: X; outputs: Y.
void LookupS8(const void* params, const void* const* inputs, void* const* outputs);

// Softmax of int8 input along one axis of the view [outer, axis, inner].
// exp(s * (x - max)) depends only on d = max - x in [0, 255], so it is a
// table lookup:
// - float output: y = exp_table[d] / sum over the axis of exp_table[d];
// - int8 output: exp_fixed[d] = round(exp(-s * d) * 2^kSoftmaxExpBits), and
//   y = clamp(output_offset + round(exp_fixed[d] * reciprocal / 2^46)) where
//   per row reciprocal = (inverse_output_scale << 30) / sum (integers) and
//   inverse_output_scale = round(2^16 / s_out).
constexpr int kSoftmaxExpBits = 20;

struct SoftmaxS8Params {
  int32_t outer = 0;
  int32_t axis = 0;
  int32_t inner = 0;
  bool float_output = true;
  union {  // the float output's table, or the int8 output's
    float exp_table[256] = {};
    int32_t exp_fixed[256];
  };
  int64_t inverse_output_scale = 0;
  int32_t output_offset = 0;
  int32_t act_min = -128;
  int32_t act_max = 127;
};

// inputs: X (int8); outputs: Y (float or int8).
void SoftmaxS8(const void* params, const void* const* inputs, void* const* outputs);

// QuantizeLinear and DequantizeLinear. The scale (float) and zero point
// are read from the node's inputs 1 and 2 at run time, so they may be
// graph inputs; `zero_point_adjust` is subtracted from the zero point
// (128 when uint8 quantization is stored as int8). Per-axis quantization
// uses element (o, a, i) of the view [outer, axis_size, inner] with scale
// and zero point a. The tensor itself is viewed as [batch, channels,
// spatial]; with channels_last the 8-bit side is stored [batch, spatial,
// channels].
struct QuantizeParams {
  int32_t outer = 0;
  int32_t axis_size = 1;
  int32_t inner = 0;
  bool per_axis = false;
  DType zero_point_type = DType::kUndefined;  // kUndefined: absent (0)
  int32_t zero_point_adjust = 0;
  bool channels_last = false;
  int32_t batch = 0;
  int32_t channels = 0;
  int32_t spatial = 0;
  int32_t qmin = -128;  // range of the stored type
  int32_t qmax = 127;
};

// QuantizeLinear's arithmetic: round_half_to_even(real / scale) + zero_point
// saturated to [qmin, qmax]; NaN gives the zero point. (nearbyint rounds
// half to even in the default rounding mode.)
inline int32_t QuantizeValue(float real, float scale, float zero_point, float qmin, float qmax) {
  const float v = std::nearbyint(real / scale) + zero_point;
  if (v >= qmin) return static_cast<int32_t>(v <= qmax ? v : qmax);
  return static_cast<int32_t>(v < qmin ? qmin : zero_point);
}

// inputs: X (float), scale, [zero point]; outputs: Y (int8 or uint8 as stored).
void QuantizeLinearToS8(const void* params, const void* const* inputs, void* const* outputs);
void QuantizeLinearToU8(const void* params, const void* const* inputs, void* const* outputs);
// inputs: X (stored int8, uint8 or int32), scale, [zero point]; outputs: Y (float).
void DequantizeLinearS8(const void* params, const void* const* inputs, void* const* outputs);
void DequantizeLinearU8(const void* params, const void* const* inputs, void* const* outputs);
void DequantizeLinearS32(const void* params, const void* const* inputs, void* const* outputs);

// Layout and type conversions around a quantized kernel (graph inputs that
// are uint8 or NCHW, graph outputs, consumers that are not int8 kernels).
// Input conversions run before the core kernel into the node's scratch,
// output conversions after it from the scratch into the real output.
struct TensorConversion {
  int16_t index = 0;        // input or output index
  bool output = false;
  bool copy = true;         // false: flip an output in place (no relayout)
  bool flip = false;        // xor every byte with 0x80 (uint8 <-> int8)
  StridedCopyParams plan;   // source -> dense destination
  int64_t bytes = 0;        // of the converted tensor
  uint32_t scratch_offset = 0;
};

struct QuantizedAdapterParams {
  KernelFn core = nullptr;
  const void* core_params = nullptr;
  // The node's scratch: the slot the planner fills, which is the core's own
  // slot when the core uses the scratch's beginning, else scratch_memory.
  void* const* scratch = nullptr;
  void* scratch_memory = nullptr;
  uint32_t pointer_offset = 0;  // input and output pointer arrays in the scratch
  int32_t input_count = 0;
  int32_t output_count = 0;
  int32_t conversion_count = 0;
  const TensorConversion* conversions = nullptr;
};

void QuantizedAdapter(const void* params, const void* const* inputs, void* const* outputs);

// Bytes ^ 0x80: uint8 <-> int8 with the zero point moved by 128.
void FlipSignBits(void* data, int64_t count);

// ---- Shared by prepare (constant parameters) and the dynamic kernels
// ---- (parameters that are graph inputs, computed once per run).

// A quantization parameter of a node: a scale (float) or zero point
// (int8, uint8, int32), constant or read from an input at run time.
struct QuantParam {
  int16_t input = -1;            // node input holding it at run time, or -1
  const void* data = nullptr;    // the constant (input == -1); nullptr: absent (0)
  DType dtype = DType::kUndefined;
  int32_t count = 0;             // 1, or per channel
  int32_t adjust = 0;            // subtracted from zero points (128: uint8 stored as int8)

  const void* Resolve(const void* const* inputs) const { return input >= 0 ? inputs[input] : data; }
};

// Element `index` (0 for a single value) of a zero point / scale.
int32_t ZeroPointAt(const QuantParam& zp, const void* data, int32_t index);
float ScaleAt(const void* data, int32_t count, int32_t index);

// multiplier/shift[c] for real = in_scale * w_scale[c] / out_scale, c <
// channels (w_scales has 1 or `channels` values). False if out of range.
bool ComputeChannelMultipliers(float in_scale, const void* w_scales, int32_t w_scale_count,
                               float out_scale, int32_t channels, int32_t* multiplier,
                               int32_t* shift);

// offset[c] = -(zero point c) for c < channels; true if any is nonzero.
bool ComputeFilterOffsets(const QuantParam& zp, const void* data, int32_t channels,
                          int32_t* offset);

// Copies an [outer, inner, taps] index space of 8-bit weights: element (o,
// i, k) moves from src[o * src_o + i * src_i + k * src_k] to
// dst[o * dst_o + i * dst_i + k * dst_k], flipped when `flip` (uint8 ->
// int8). Rearranges OIHW into OHWI, depthwise filters and [K, N] into
// [N, K].
struct WeightPacking {
  int32_t outer = 0;
  int32_t inner = 0;
  int32_t taps = 0;
  int32_t src_o = 0, src_i = 0, src_k = 0;
  int32_t dst_o = 0, dst_i = 0, dst_k = 0;
  bool flip = false;
};
void PackWeightsS8(const WeightPacking& packing, const void* src, int8_t* dst);

// True when packing would copy the bytes unchanged.
inline bool IsIdentityPacking(const WeightPacking& p) {
  return !p.flip && (p.outer == 1 || p.src_o == p.dst_o) && (p.inner == 1 || p.src_i == p.dst_i) &&
         (p.taps == 1 || p.src_k == p.dst_k);
}

// Dynamic QLinearConv / ConvInteger: the weights or quantization are graph
// inputs. Each run packs the weights (into the scratch), computes the
// per-channel parameters, then runs the static kernel.
struct DynamicConvS8Params {
  ConvS8Params conv;        // the static parts
  KernelFn kernel = nullptr;  // the static kernel (Prepare picks it: ConvS8, ...)
  bool int32_output = false;
  int16_t weight_input = -1;  // -1: conv.weights is ready
  WeightPacking packing;
  QuantParam x_scale, x_zero_point, w_scale, w_zero_point, y_scale, y_zero_point;
  int16_t bias_input = -1;   // -1: conv.quant.bias is ready (or absent)
  void* scratch = nullptr;   // weights, then multipliers, shifts, filter offsets
};
void DynamicConvS8(const void* params, const void* const* inputs, void* const* outputs);

// Dynamic QLinearMatMul / MatMulInteger: B (per batch matrix) and/or the
// quantization come from inputs.
struct DynamicMatMulS8Params {
  BatchedFullyConnectedS8Params matmul;
  KernelFn kernel = nullptr;  // the static kernel (Prepare picks it)
  bool int32_output = false;
  int16_t weight_input = -1;
  int32_t weight_matrices = 0;  // matrices of B to pack
  WeightPacking packing;        // one matrix [K, N] -> [N, K]
  QuantParam x_scale, x_zero_point, w_scale, w_zero_point, y_scale, y_zero_point;
  void* scratch = nullptr;
};
void DynamicMatMulS8(const void* params, const void* const* inputs, void* const* outputs);

// Scratch bytes of the dynamic kernels.
int64_t DynamicScratchBytes(int64_t weight_bytes, int32_t channels);

}  // namespace tinyonnx
