// Matrix products: Gemm and MatMul share one float core
// (reference/matrix_product_float.cc).
#pragma once

#include <cstdint>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

// Y[m, n] = sum over k of A(m, k) * B(k, n), Y row-major and dense.
// A(m, k) is a[m * a_row_stride + k * a_col_stride] (a transposed A just
// swaps the strides); B is row-major [k, n], or [n, k] when b_transposed.
// A and B (weights read in place from the model) may start at any byte.
struct MatrixProduct {
  int32_t m = 0;
  int32_t n = 0;
  int32_t k = 0;
  int32_t a_row_stride = 0;
  int32_t a_col_stride = 1;
  bool b_transposed = false;
};

void MatrixProductFloat(const MatrixProduct& p, const void* a, const void* b, float* y);

// Y = epilogue(alpha * A'B' + beta * C). C (optional, input 2) broadcasts
// to [M, N]: C(m, n) is c[m * c_row_stride + n * c_col_stride], a stride 0
// repeating it along that axis.
//
// A constant per-column C with alpha = beta = 1 (a Linear layer) is carried
// as epilogue.bias instead, so BatchNorm and activations can fold into it.
struct GemmParams {
  MatrixProduct product;
  float alpha = 1.0f;
  float beta = 1.0f;
  bool c_is_input = false;  // add beta * C from input 2
  int32_t c_row_stride = 0;
  int32_t c_col_stride = 0;
  FloatEpilogue epilogue;  // per output column (axis 1)
};

// inputs: A, B[, C]; outputs: Y.
void GemmFloat(const void* params, const void* const* inputs, void* const* outputs);

// numpy matmul: a batch of products over the broadcast leading dimensions.
// The batch index is decomposed over batch_dims (row-major); each operand
// advances by its own stride per batch axis (0 where it is broadcast).
struct MatMulParams {
  MatrixProduct product;
  int32_t batch_rank = 0;
  int32_t batch_dims[kMaxRank] = {};
  int32_t a_batch_strides[kMaxRank] = {};
  int32_t b_batch_strides[kMaxRank] = {};
  int32_t batch_count = 1;
};

// inputs: A, B; outputs: Y.
void MatMulFloat(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
