// Conv, int8, channels-last: X [N, spatial..., C_in], W OHWI
// [C_out, kernel..., C_in / group], Y [N, out spatial..., C_out]. One output
// channel at a time: a dot product over the filter's taps inside the input.
// Without groups or dilation along the row, a kernel row's taps are one
// contiguous run of taps * C_in values in both the input and the filter.
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {
namespace {

template <bool kFilterOffset>
inline int32_t Dot(const int8_t* in, const int8_t* f, int32_t count, int32_t input_offset,
                   int32_t filter_offset) {
  int32_t acc = 0;
  for (int32_t i = 0; i < count; ++i) {
    acc += (in[i] + input_offset) * (f[i] + (kFilterOffset ? filter_offset : 0));
  }
  return acc;
}

template <typename Store, bool kFilterOffset>
struct ConvLoops {
  static void Run(const ConvS8Params& p, const int8_t* x, typename Store::Type* y) {
    const WindowGeometry& g = p.window;
    const ChannelQuantization& q = p.quant;
    const int32_t group_in = p.in_channels / p.group;
    const int32_t group_out = p.out_channels / p.group;
    const int32_t filter_size = g.KernelSize() * group_in;
    const bool runs = p.group == 1 && g.dilation[2] == 1;
    StoreConvOutputs<Store>(p, x, y, [&](const int8_t* x_batch, int32_t oc, const Window3& w) {
      const int32_t first_in = (oc / group_out) * group_in;
      const int8_t* filter = p.weights + oc * filter_size;
      const int32_t filter_offset = kFilterOffset ? q.filter_offset[oc] : 0;
      int32_t acc = 0;
      if (runs) {
        ForEachTapRun(g, w, [&](int32_t in_pixel, int32_t tap, int32_t count) {
          acc += Dot<kFilterOffset>(x_batch + in_pixel * p.in_channels, filter + tap * group_in,
                                    count * group_in, q.input_offset, filter_offset);
        });
      } else {
        ForEachTap(g, w, [&](int32_t in_pixel, int32_t tap) {
          acc += Dot<kFilterOffset>(x_batch + in_pixel * p.in_channels + first_in,
                                    filter + tap * group_in, group_in, q.input_offset,
                                    filter_offset);
        });
      }
      return acc;
    });
  }
};

}  // namespace

void ConvS8(const void* params, const void* const* inputs, void* const* outputs) {
  RunAccumulatingKernel<ConvLoops, StoreRequantized, ConvS8Params>(params, inputs, outputs);
}

void ConvS8ToS32(const void* params, const void* const* inputs, void* const* outputs) {
  RunAccumulatingKernel<ConvLoops, StoreAccumulator, ConvS8Params>(params, inputs, outputs);
}

}  // namespace tinyonnx
