// Gemm: Y = alpha * A' * B' + beta * C, float32, C optional and
// broadcast to [M, N].
#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/gemm.h"

namespace tinyonnx {
namespace {

Status ReadFlag(OpContext& ctx, const char* name, bool* value) {
  int64_t flag;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt(name, 0, &flag));
  if (flag != 0 && flag != 1) {
    return ctx.Fail(Status::kInvalidModel, "%s must be 0 or 1, is %lld", name,
                    static_cast<long long>(flag));
  }
  *value = flag == 1;
  return Status::kOk;
}

// Strides that read C broadcast to [m, n] (stride 0 along a size-1 axis).
Status BroadcastC(OpContext& ctx, int32_t m, int32_t n, GemmParams* params) {
  const Shape& c = ctx.input_shape(2);
  const int32_t rows = c.rank == 2 ? c.dims[0] : 1;
  const int32_t columns = c.rank >= 1 ? c.dims[c.rank - 1] : 1;
  if (c.rank > 2 || (rows != 1 && rows != m) || (columns != 1 && columns != n)) {
    char text[96];
    return ctx.Fail(Status::kInvalidModel, "C has shape %s, which does not broadcast to [%d, %d]",
                    c.ToString(text, sizeof(text)), static_cast<int>(m), static_cast<int>(n));
  }
  params->c_row_stride = rows == 1 ? 0 : columns;
  params->c_col_stride = columns == 1 ? 0 : 1;
  return Status::kOk;
}

// A Linear layer (alpha 1, constant bias per output column added with beta
// 1, or no C at all) keeps its bias in the epilogue, where BatchNorm and
// activations can fold into it.
bool UsesEpilogue(OpContext& ctx, const GemmParams& p) {
  if (p.alpha != 1.0f) return false;
  if (!ctx.has_input(2)) return true;
  const Shape& c = ctx.input_shape(2);
  const bool per_column =
      c.rank >= 1 && c.dims[c.rank - 1] == p.product.n && (c.rank == 1 || c.dims[0] == 1);
  return per_column && p.beta == 1.0f && ctx.IsConstant(2);
}

Status PrepareGemm(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 3));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  for (int i = 0; i < 3; ++i) {
    if (ctx.has_input(i)) TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(i, {DType::kFloat}));
  }
  const Shape& a = ctx.input_shape(0);
  const Shape& b = ctx.input_shape(1);
  if (a.rank != 2 || b.rank != 2) {
    return ctx.Fail(Status::kInvalidModel, "A and B must be matrices, have ranks %d and %d", a.rank,
                    b.rank);
  }
  bool trans_a = false, trans_b = false;
  TINYONNX_RETURN_IF_ERROR(ReadFlag(ctx, "transA", &trans_a));
  TINYONNX_RETURN_IF_ERROR(ReadFlag(ctx, "transB", &trans_b));
  GemmParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("alpha", 1.0f, &params->alpha));
  TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("beta", 1.0f, &params->beta));
  MatrixProduct& product = params->product;
  product.m = trans_a ? a.dims[1] : a.dims[0];
  product.k = trans_a ? a.dims[0] : a.dims[1];
  product.n = trans_b ? b.dims[0] : b.dims[1];
  const int32_t b_k = trans_b ? b.dims[1] : b.dims[0];
  if (b_k != product.k) {
    return ctx.Fail(Status::kInvalidModel, "A' has %d columns but B' has %d rows",
                    static_cast<int>(product.k), static_cast<int>(b_k));
  }
  // A is stored [M, K], or [K, M] when transposed.
  product.a_row_stride = trans_a ? 1 : a.dims[1];
  product.a_col_stride = trans_a ? a.dims[1] : 1;
  product.b_transposed = trans_b;
  if (ctx.has_input(2)) TINYONNX_RETURN_IF_ERROR(BroadcastC(ctx, product.m, product.n, params));

  params->epilogue.channels = product.n;
  if (UsesEpilogue(ctx, *params)) {
    params->epilogue.bias = ctx.has_input(2) ? ctx.ConstData<float>(2) : nullptr;
    ctx.SetEpilogue(&params->epilogue);
  } else {
    params->c_is_input = ctx.has_input(2);
  }
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kFloat, Shape::Of({product.m, product.n})));
  ctx.SetKernel(GemmFloat, params);
  return Status::kOk;
}

}  // namespace

// The kernel reads A and B (inputs 0 and 1) byte-safely, so weights stay in
// place even when unaligned in the model. C becomes the epilogue's bias,
// which the fusion passes read as floats: it must be aligned.
extern const OpDef kGemmOp{"Gemm", "", PrepareGemm, (1u << 0) | (1u << 1)};

}  // namespace tinyonnx
