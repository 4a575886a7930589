// The walk over a collapsed broadcast shape, shared by every broadcasting
// kernel: only the innermost run depends on the element type and the op.
#include "tinyonnx/kernels/reference/elementwise_loops.h"

namespace tinyonnx {

void ForEachBroadcastRun(const BroadcastStep& step, const void* a, const void* b, void* out,
                         BroadcastRunFn run) {
  const int outer_rank = step.rank - 1;
  const int32_t run_length = step.dims[outer_rank];
  int32_t index[kMaxRank] = {};
  int32_t a_offset = 0;
  int32_t b_offset = 0;
  int32_t out_offset = 0;
  for (int32_t r = 0; r < step.run_count; ++r) {
    run(step, a, b, out, a_offset, b_offset, out_offset);
    out_offset += run_length;
    // Advance the outer index like an odometer, the last outer dim fastest.
    for (int d = outer_rank - 1; d >= 0; --d) {
      a_offset += step.a_strides[d];
      b_offset += step.b_strides[d];
      if (++index[d] < step.dims[d]) break;
      index[d] = 0;
      a_offset -= step.a_strides[d] * step.dims[d];
      b_offset -= step.b_strides[d] * step.dims[d];
    }
  }
}

}  // namespace tinyonnx
