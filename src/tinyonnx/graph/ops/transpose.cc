// Transpose: output axis i is input axis perm[i] (perm defaults to the axes
// reversed). A strided copy; when the permutation only moves axes of size 1
// the bytes do not move, and the output shares the input's storage.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"
#include "tinyonnx/graph/passes.h"
#include "tinyonnx/kernels/strided_copy.h"

namespace tinyonnx {
namespace {

Status ReadPermutation(OpContext& ctx, int rank, int64_t* perm) {
  int count = 0;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInts("perm", perm, kMaxRank, &count));
  if (!ctx.HasAttribute("perm")) {
    for (int k = 0; k < rank; ++k) perm[k] = rank - 1 - k;
    return Status::kOk;
  }
  if (count != rank) {
    return ctx.Fail(Status::kInvalidModel, "perm has %d entries but the input has rank %d", count,
                    rank);
  }
  bool seen[kMaxRank] = {};
  for (int k = 0; k < rank; ++k) {
    if (perm[k] < 0 || perm[k] >= rank || seen[perm[k]]) {
      return ctx.Fail(Status::kInvalidModel,
                      "perm is not a permutation of 0..%d (entry %d is %lld)", rank - 1, k,
                      static_cast<long long>(perm[k]));
    }
    seen[perm[k]] = true;
  }
  return Status::kOk;
}

}  // namespace

Status PrepareTranspose(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const Shape& in = ctx.input_shape(0);
  int64_t perm[kMaxRank];
  TINYONNX_RETURN_IF_ERROR(ReadPermutation(ctx, in.rank, perm));
  int64_t in_strides[kMaxRank];
  RowMajorStrides(in, in_strides);
  Shape out;
  out.rank = in.rank;
  int64_t src_strides[kMaxRank];
  for (int k = 0; k < in.rank; ++k) {
    out.dims[k] = in.dims[perm[k]];
    src_strides[k] = in_strides[perm[k]];
  }
  const DType dtype = ctx.input_dtype(0);
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, out));
  StridedCopyParams plan;
  PlanStridedCopy(out.rank, out.dims, src_strides, 0, DTypeSize(dtype), &plan);
  return UseStridedCopy(ctx, plan);
}

extern const OpDef kTransposeOp{"Transpose", "", PrepareTranspose, 0, &kSinkTransposesPass};

}  // namespace tinyonnx
