// AveragePool (and GlobalAveragePool, one window over the whole input),
// int8, channels-last. The sum of (x + input_offset) over a window's taps
// inside the input is requantized in one step by the multiplier of its
// divisor: s_in / (s_out * count).
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {

void AveragePoolS8(const void* params, const void* const* inputs, void* const* outputs) {
  RunPool(params, inputs, outputs,
          [](const PoolS8Params& p, const int8_t* x_batch, int8_t* out, const Window3& w) {
            int32_t count = 1;
            for (int axis = 0; axis < kWindowAxes; ++axis) {
              count *= AveragePoolAxisCount(p, axis, w.axis[axis]);
            }
            // Prepare covers every count that occurs; the clamp only guards memory.
            const int32_t entry = ClampInt32(count, p.first_count, p.last_count) - p.first_count;
            for (int32_t c = 0; c < p.channels; ++c) {
              int32_t acc = 0;
              ForEachTap(p.window, w, [&](int32_t in_pixel, int32_t) {
                acc += x_batch[in_pixel * p.channels + c] + p.input_offset;
              });
              out[c] = static_cast<int8_t>(Requantize(acc, p.multiplier[entry], p.shift[entry],
                                                      p.output_offset, p.act_min, p.act_max));
            }
          });
}

}  // namespace tinyonnx
