#include "tinyonnx/kernels/gemm.h"
#include "tinyonnx/kernels/reference/epilogue.h"

namespace tinyonnx {

void GemmFloat(const void* params, const void* const* inputs, void* const* outputs) {
  const GemmParams& p = *static_cast<const GemmParams*>(params);
  const float* c = p.c_is_input ? static_cast<const float*>(inputs[2]) : nullptr;
  float* y = static_cast<float*>(outputs[0]);
  MatrixProductFloat(p.product, inputs[0], inputs[1], y);
  const FloatEpilogue& e = p.epilogue;
  for (int32_t i = 0; i < p.product.m; ++i) {
    float* y_row = y + i * p.product.n;
    for (int32_t j = 0; j < p.product.n; ++j) {
      float v = p.alpha * y_row[j];
      if (c != nullptr) v += p.beta * c[i * p.c_row_stride + j * p.c_col_stride];
      y_row[j] = ApplyEpilogue(v, EpilogueScale(e, j), e.bias != nullptr ? e.bias[j] : 0.0f, e);
    }
  }
}

}  // namespace tinyonnx
