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

// `fn` with its scratch for `p` when every DSP kernel's assumptions and its
// own (`fits`) hold, else none.
DspKernel Fitting(const ConvS8Params& p, bool (*fits)(const ConvS8Params&), KernelFn fn,
                  size_t (*scratch_bytes)(const ConvS8Params&)) {
  if (!CommonFits(p.quant) || !TwoDimensional(p) || !fits(p)) return {};
  return {fn, scratch_bytes(p)};
}

}  // namespace
#endif

DspKernel SelectDspConvS8(const ConvS8Params& p, bool depthwise) {
#if TINYONNX_HAS_DSP_KERNELS
  if (!depthwise) {
    return Fitting(p, dsp::ConvS8DspFits, ConvS8Dsp, dsp::ConvS8DspScratchBytes);
  }
  const DspKernel single = Fitting(p, dsp::SingleChannelConvS8DspFits, SingleChannelConvS8Dsp,
                                   dsp::SingleChannelConvS8DspScratchBytes);
  if (single.fn != nullptr) return single;
  return Fitting(p, dsp::DepthwiseConvS8DspFits, DepthwiseConvS8Dsp,
                 dsp::DepthwiseConvS8DspScratchBytes);
#else
  (void)p;
  (void)depthwise;
  return {};
#endif
}

#if TINYONNX_HAS_DSP_KERNELS
DspKernel SelectFittedDspConv(const ConvS8Params& p) {
  return Fitting(p, dsp::ConvS8DspFits, ConvS8DspFitted, dsp::ConvS8DspScratchBytes);
}

DspKernel SelectFittedDspSingleChannelConv(const ConvS8Params& p) {
  return Fitting(p, dsp::SingleChannelConvS8DspFits, SingleChannelConvS8DspFitted,
                 dsp::SingleChannelConvS8DspScratchBytes);
}

DspKernel SelectFittedDspDepthwiseConv(const ConvS8Params& p) {
  return Fitting(p, dsp::DepthwiseConvS8DspFits, DepthwiseConvS8DspFitted,
                 dsp::DepthwiseConvS8DspScratchBytes);
}

DspKernel SelectFittedDspDepthwiseConvRows(const ConvS8Params& p) {
  return Fitting(p, dsp::DepthwiseConvRowsS8DspFits, DepthwiseConvRowsS8Dsp,
                 dsp::DepthwiseConvS8DspScratchBytes);
}
#else
DspKernel SelectFittedDspConv(const ConvS8Params&) { return {}; }
DspKernel SelectFittedDspSingleChannelConv(const ConvS8Params&) { return {}; }
DspKernel SelectFittedDspDepthwiseConv(const ConvS8Params&) { return {}; }
DspKernel SelectFittedDspDepthwiseConvRows(const ConvS8Params&) { return {}; }
#endif

DspKernel SelectDspFullyConnectedS8(const FullyConnectedS8Params& p) {
#if TINYONNX_HAS_DSP_KERNELS
  if (CommonFits(p.quant)) return {FullyConnectedS8Dsp, dsp::FullyConnectedS8DspScratchBytes(p)};
#else
  (void)p;
#endif
  return {};
}

}  // namespace tinyonnx
