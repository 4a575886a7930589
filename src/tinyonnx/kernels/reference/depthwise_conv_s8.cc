// Depthwise Conv, int8, channels-last: input channel c feeds output
// channels c * multiplier .. (c + 1) * multiplier - 1 (group == C_in).
// X [N, spatial..., C_in], W [kernel..., C_out], Y [N, out spatial..., C_out].
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {
namespace {

template <typename Store, bool kFilterOffset>
struct DepthwiseLoops {
  static void Run(const ConvS8Params& p, const int8_t* x, typename Store::Type* y) {
    const WindowGeometry& g = p.window;
    const ChannelQuantization& q = p.quant;
    const int32_t multiplier = p.out_channels / p.in_channels;
    StoreConvOutputs<Store>(p, x, y, [&](const int8_t* x_batch, int32_t oc, const Window3& w) {
      const int32_t ic = oc / multiplier;
      const int32_t filter_offset = kFilterOffset ? q.filter_offset[oc] : 0;
      int32_t acc = 0;
      ForEachTap(g, w, [&](int32_t in_pixel, int32_t tap) {
        acc += (x_batch[in_pixel * p.in_channels + ic] + q.input_offset) *
               (p.weights[tap * p.out_channels + oc] + filter_offset);
      });
      return acc;
    });
  }
};

}  // namespace

void DepthwiseConvS8(const void* params, const void* const* inputs, void* const* outputs) {
  RunAccumulatingKernel<DepthwiseLoops, StoreRequantized, ConvS8Params>(params, inputs, outputs);
}

void DepthwiseConvS8ToS32(const void* params, const void* const* inputs, void* const* outputs) {
  RunAccumulatingKernel<DepthwiseLoops, StoreAccumulator, ConvS8Params>(params, inputs, outputs);
}

}  // namespace tinyonnx
