// MatMul: numpy matmul, float32. 1-D operands are promoted to matrices (and
// the added axis dropped from the result); leading axes broadcast.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/gemm.h"

namespace tinyonnx {
namespace {

// The batch axes of one operand, right-aligned to `rank` axes, and the
// stride (in elements) of each; size-1 axes get stride 0 so they broadcast.
void BatchLayout(const Shape& operand, int32_t matrix_size, int rank, int32_t* dims,
                 int32_t* strides) {
  const int own = operand.rank > 2 ? operand.rank - 2 : 0;
  int32_t stride = matrix_size;
  for (int axis = rank - 1; axis >= 0; --axis) {
    const int source = axis - (rank - own);
    dims[axis] = source >= 0 ? operand.dims[source] : 1;
    strides[axis] = dims[axis] == 1 ? 0 : stride;
    stride *= dims[axis];
  }
}

Status PrepareMatMul(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 2));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(0, {DType::kFloat}));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(1, {DType::kFloat}));
  const Shape& a = ctx.input_shape(0);
  const Shape& b = ctx.input_shape(1);
  if (a.rank < 1 || b.rank < 1) {
    return ctx.Fail(Status::kInvalidModel, "operands must have rank >= 1, have %d and %d", a.rank,
                    b.rank);
  }
  MatMulParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  MatrixProduct& product = params->product;
  product.m = a.rank == 1 ? 1 : a.dims[a.rank - 2];
  product.k = a.dims[a.rank - 1];
  product.n = b.rank == 1 ? 1 : b.dims[b.rank - 1];
  const int32_t b_k = b.rank == 1 ? b.dims[0] : b.dims[b.rank - 2];
  if (b_k != product.k) {
    return ctx.Fail(Status::kInvalidModel, "A has %d columns but B has %d rows",
                    static_cast<int>(product.k), static_cast<int>(b_k));
  }
  product.a_row_stride = product.k;

  const int a_batch = a.rank > 2 ? a.rank - 2 : 0;
  const int b_batch = b.rank > 2 ? b.rank - 2 : 0;
  const int rank = a_batch > b_batch ? a_batch : b_batch;
  int32_t a_dims[kMaxRank], b_dims[kMaxRank];
  BatchLayout(a, product.m * product.k, rank, a_dims, params->a_batch_strides);
  BatchLayout(b, product.k * product.n, rank, b_dims, params->b_batch_strides);
  Shape y;
  for (int axis = 0; axis < rank; ++axis) {
    if (a_dims[axis] != b_dims[axis] && a_dims[axis] != 1 && b_dims[axis] != 1) {
      return ctx.Fail(Status::kInvalidModel, "batch axes do not broadcast: %d vs %d at axis %d",
                      static_cast<int>(a_dims[axis]), static_cast<int>(b_dims[axis]), axis);
    }
    params->batch_dims[axis] = a_dims[axis] == 1 ? b_dims[axis] : a_dims[axis];
    params->batch_count *= params->batch_dims[axis];
    y.dims[y.rank++] = params->batch_dims[axis];
  }
  params->batch_rank = rank;
  if (a.rank > 1) y.dims[y.rank++] = product.m;
  if (b.rank > 1) y.dims[y.rank++] = product.n;
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kFloat, y));
  ctx.SetKernel(MatMulFloat, params);
  return Status::kOk;
}

}  // namespace

// The kernel reads A and B byte-safely, so weights stay in place even when
// unaligned in the model.
extern const OpDef kMatMulOp{"MatMul", "", PrepareMatMul, (1u << 0) | (1u << 1)};

}  // namespace tinyonnx
