// MaxPool, int8, channels-last: the maximum over the window's taps inside
// the input, per channel. Input and output share the quantization, so no
// requantization, only the clamp of a fused activation.
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {

void MaxPoolS8(const void* params, const void* const* inputs, void* const* outputs) {
  RunPool(params, inputs, outputs,
          [](const PoolS8Params& p, const int8_t* x_batch, int8_t* out, const Window3& w) {
            const int32_t channels = p.channels;
            for (int32_t c = 0; c < channels; ++c) out[c] = -128;
            ForEachTap(p.window, w, [&](int32_t in_pixel, int32_t) {
              const int8_t* in = x_batch + in_pixel * channels;
              for (int32_t c = 0; c < channels; ++c) out[c] = in[c] > out[c] ? in[c] : out[c];
            });
            for (int32_t c = 0; c < channels; ++c) {
              out[c] = static_cast<int8_t>(ClampInt32(out[c], p.act_min, p.act_max));
            }
          });
}

}  // namespace tinyonnx
