// QLinearConv, ConvInteger, QLinearMatMul and MatMulInteger whose weights
// or quantization parameters are graph inputs (as in the ONNX node tests):
// each run packs the weights into the scratch and computes the per-channel
// parameters (the only floating point outside Q/DQ, once per channel), then
// runs the static kernel. Models with constant weights and scales never
// come here.
#include "tinyonnx/kernels/quantized.h"

namespace tinyonnx {
namespace {

struct ChannelArrays {
  int32_t* multiplier;
  int32_t* shift;
  int32_t* filter_offset;
};

// The scratch holds the packed weights, then the channel arrays.
ChannelArrays Arrays(void* scratch, int64_t weight_bytes, int32_t channels) {
  uint8_t* base = static_cast<uint8_t*>(scratch) + ((weight_bytes + 15) & ~int64_t{15});
  int32_t* arrays = reinterpret_cast<int32_t*>(base);
  return {arrays, arrays + channels, arrays + 2 * channels};
}

int64_t PackedBytes(const WeightPacking& w) {
  return static_cast<int64_t>(w.outer) * w.inner * w.taps;
}

// Fills the quantization of `channels` output channels from the parameters
// (constants or inputs).
template <typename Params>
void ResolveQuantization(const Params& p, const void* const* inputs, int32_t channels,
                         const ChannelArrays& arrays, ChannelQuantization* q) {
  q->input_offset = -ZeroPointAt(p.x_zero_point, p.x_zero_point.Resolve(inputs), 0);
  q->filter_offset = ComputeFilterOffsets(p.w_zero_point, p.w_zero_point.Resolve(inputs), channels,
                                          arrays.filter_offset)
                         ? arrays.filter_offset
                         : nullptr;
  if (p.int32_output) return;
  const float x_scale = ScaleAt(p.x_scale.Resolve(inputs), 1, 0);
  const float y_scale = ScaleAt(p.y_scale.Resolve(inputs), 1, 0);
  // A scale out of range leaves multiplier 0 for that channel (outputs at
  // the zero point) rather than failing mid-run.
  ComputeChannelMultipliers(x_scale, p.w_scale.Resolve(inputs), p.w_scale.count, y_scale, channels,
                            arrays.multiplier, arrays.shift);
  q->multiplier = arrays.multiplier;
  q->shift = arrays.shift;
  q->output_offset = ZeroPointAt(p.y_zero_point, p.y_zero_point.Resolve(inputs), 0);
}

}  // namespace

void DynamicConvS8(const void* params, const void* const* inputs, void* const* outputs) {
  const DynamicConvS8Params& p = *static_cast<const DynamicConvS8Params*>(params);
  ConvS8Params conv = p.conv;
  const int64_t weight_bytes = PackedBytes(p.packing);
  const ChannelArrays arrays = Arrays(p.scratch, weight_bytes, conv.out_channels);
  if (p.weight_input >= 0) {
    PackWeightsS8(p.packing, inputs[p.weight_input], static_cast<int8_t*>(p.scratch));
    conv.weights = static_cast<const int8_t*>(p.scratch);
  }
  ResolveQuantization(p, inputs, conv.out_channels, arrays, &conv.quant);
  if (p.bias_input >= 0) conv.quant.bias = static_cast<const int32_t*>(inputs[p.bias_input]);
  p.kernel(&conv, inputs, outputs);
}

void DynamicMatMulS8(const void* params, const void* const* inputs, void* const* outputs) {
  const DynamicMatMulS8Params& p = *static_cast<const DynamicMatMulS8Params*>(params);
  BatchedFullyConnectedS8Params matmul = p.matmul;
  const int32_t channels = matmul.fc.output_depth;
  const int64_t matrix = PackedBytes(p.packing);
  const ChannelArrays arrays = Arrays(p.scratch, matrix * p.weight_matrices, channels);
  if (p.weight_input >= 0) {
    const uint8_t* src = static_cast<const uint8_t*>(inputs[p.weight_input]);
    int8_t* dst = static_cast<int8_t*>(p.scratch);
    for (int32_t m = 0; m < p.weight_matrices; ++m) {
      PackWeightsS8(p.packing, src + m * matrix, dst + m * matrix);
    }
    matmul.fc.weights = dst;
  }
  ResolveQuantization(p, inputs, channels, arrays, &matmul.fc.quant);
  p.kernel(&matmul, inputs, outputs);
}

}  // namespace tinyonnx
