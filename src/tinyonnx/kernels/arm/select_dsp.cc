// Prepare time: which DSP kernel (if any) covers a node's parameters.
#include "tinyonnx/kernels/arm/dsp_support.h"

namespace tinyonnx {

#if TINYONNX_HAS_DSP_KERNELS
namespace {

// What every DSP kernel assumes: symmetric weights, an int8 output range
// (ChannelRequantizer) and a 2-D window.
bool CommonFits(const ChannelQuantization& q) {
  return q.filter_offset == nullptr && q.output_offset >= -128 && q.output_offset <= 127 &&
         q.act_min >= -128 && q.act_max <= 127;
}

bool TwoDimensional(const ConvS8Params& p) {
  const WindowGeometry& g = p.window;
  return g.input[0] == 1 && g.output[0] == 1 && g.kernel[0] == 1 && g.pad_begin[0] == 0;
}

}  // namespace
#endif

DspKernel SelectDspConvS8(const ConvS8Params& p, bool depthwise) {
#if TINYONNX_HAS_DSP_KERNELS
  if (!CommonFits(p.quant) || !TwoDimensional(p)) return {};
  if (!depthwise) {
    if (dsp::ConvS8DspFits(p)) return {ConvS8Dsp, dsp::ConvS8DspScratchBytes(p)};
    return {};
  }
  if (dsp::SingleChannelConvS8DspFits(p)) {
    return {SingleChannelConvS8Dsp, dsp::SingleChannelConvS8DspScratchBytes(p)};
  }
  if (dsp::DepthwiseConvS8DspFits(p)) {
    return {DepthwiseConvS8Dsp, dsp::DepthwiseConvS8DspScratchBytes(p)};
  }
#else
  (void)p;
  (void)depthwise;
#endif
  return {};
}

DspKernel SelectDspFullyConnectedS8(const FullyConnectedS8Params& p) {
#if TINYONNX_HAS_DSP_KERNELS
  if (CommonFits(p.quant)) return {FullyConnectedS8Dsp, dsp::FullyConnectedS8DspScratchBytes(p)};
#else
  (void)p;
#endif
  return {};
}

}  // namespace tinyonnx
