#include "tinyonnx/kernels/gemm.h"

namespace tinyonnx {

void MatMulFloat(const void* params, const void* const* inputs, void* const* outputs) {
  const MatMulParams& p = *static_cast<const MatMulParams*>(params);
  // A and B may start at any byte (weights read in place): they advance in
  // bytes.
  const char* a = static_cast<const char*>(inputs[0]);
  const char* b = static_cast<const char*>(inputs[1]);
  float* y = static_cast<float*>(outputs[0]);
  const int32_t y_matrix = p.product.m * p.product.n;
  for (int32_t batch = 0; batch < p.batch_count; ++batch) {
    // Offsets of this batch's matrices, from its index over batch_dims.
    int32_t a_offset = 0;
    int32_t b_offset = 0;
    int32_t rest = batch;
    for (int32_t axis = p.batch_rank - 1; axis >= 0; --axis) {
      const int32_t index = rest % p.batch_dims[axis];
      rest /= p.batch_dims[axis];
      a_offset += index * p.a_batch_strides[axis];
      b_offset += index * p.b_batch_strides[axis];
    }
    MatrixProductFloat(p.product, a + a_offset * sizeof(float), b + b_offset * sizeof(float),
                       y + batch * y_matrix);
  }
}

}  // namespace tinyonnx
