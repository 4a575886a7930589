#include "tinyonnx/kernels/gemm.h"
#include "tinyonnx/kernels/reference/unaligned.h"

namespace tinyonnx {
namespace {

// y[j] += sum over r < kRows of a[r * a_stride] * b[r * n + j], for j < n:
// kRows rows of B per pass over y, so short rows (few output columns) cost
// one loop setup per kRows products instead of one each. y never overlaps
// B.
template <int kRows>
inline void MultiplyAddRows(float* __restrict y, UnalignedFloats a, int32_t a_stride,
                            UnalignedFloats b, int32_t n) {
  float scale[kRows];
  for (int r = 0; r < kRows; ++r) scale[r] = a[r * a_stride];
  for (int32_t j = 0; j < n; ++j) {
    float sum = 0.0f;
    for (int r = 0; r < kRows; ++r) sum += scale[r] * b[r * n + j];
    y[j] += sum;
  }
}

// Four partial sums break the dependency chain of one accumulator (the
// compiler may not reorder float additions itself).
float Dot(UnalignedFloats a, int32_t a_stride, UnalignedFloats b, int32_t count) {
  float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
  int32_t k = 0;
  for (; k + 4 <= count; k += 4) {
    s0 += a[k * a_stride] * b[k];
    s1 += a[(k + 1) * a_stride] * b[k + 1];
    s2 += a[(k + 2) * a_stride] * b[k + 2];
    s3 += a[(k + 3) * a_stride] * b[k + 3];
  }
  for (; k < count; ++k) s0 += a[k * a_stride] * b[k];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace

void MatrixProductFloat(const MatrixProduct& p, const void* a_data, const void* b_data, float* y) {
  const UnalignedFloats a(a_data);
  const UnalignedFloats b(b_data);
  for (int32_t i = 0; i < p.m; ++i) {
    const UnalignedFloats a_row = a + i * p.a_row_stride;
    float* y_row = y + i * p.n;
    if (p.b_transposed) {
      // B is [n, k]: every output is a dot product of two rows.
      for (int32_t j = 0; j < p.n; ++j) y_row[j] = Dot(a_row, p.a_col_stride, b + j * p.k, p.k);
      continue;
    }
    // B is [k, n]: the output row accumulates scaled rows of B (contiguous,
    // so the inner loop vectorizes).
    for (int32_t j = 0; j < p.n; ++j) y_row[j] = 0.0f;
    int32_t k = 0;
    for (; k + 4 <= p.k; k += 4) {
      MultiplyAddRows<4>(y_row, a_row + k * p.a_col_stride, p.a_col_stride, b + k * p.n, p.n);
    }
    for (; k < p.k; ++k) {
      MultiplyAddRows<1>(y_row, a_row + k * p.a_col_stride, p.a_col_stride, b + k * p.n, p.n);
    }
  }
}

}  // namespace tinyonnx
