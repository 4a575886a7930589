// Reshape, Flatten, Squeeze, Unsqueeze and Transpose of 8-bit values that
// may be stored channels-last (the ai.tinyonnx versions LowerQdq uses
// between quantized ops; the quantization passes through unchanged). The
// ONNX ops compute the output shape; when the input is channels-last and
// its bytes are not in ONNX order the data is copied into that order. A
// Transpose that produces exactly the stored order (perm 0, 2, 3, 1 of a
// channels-last NCHW value) costs nothing: the output shares the input.
#include "tinyonnx/graph/ops/quant_prepare.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {

extern const OpDef kReshapeOp, kFlattenOp, kSqueezeOp, kUnsqueezeOp;

namespace {

bool StoredInOnnxOrder(const Value& v) {
  if (!v.channels_last || !HasSpatialAxes(v.shape)) return true;
  return v.shape.dims[1] == 1 || DimProduct(v.shape, 2, v.shape.rank) == 1;
}

void KeepQuantization(OpContext& ctx) {
  ctx.output(0).scale = ctx.input(0).scale;
  ctx.output(0).zero_point = ctx.input(0).zero_point;
  ctx.output(0).channels_last = false;
}

// The ONNX op's prepare (an alias of the input), then, if the input's bytes
// are channels-last, a copy into ONNX order instead.
template <const OpDef& kOp>
Status PrepareReshapeLike(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(kOp.prepare(ctx));
  KeepQuantization(ctx);
  const Value& x = ctx.input(0);
  if (StoredInOnnxOrder(x) || x.is_constant()) return Status::kOk;
  ctx.output(0).alias_of = -1;
  int64_t strides[kMaxRank];
  StoredStrides(x.shape, true, strides);
  StridedCopyParams plan;
  PlanLayoutCopy(x.shape, false, strides, DTypeSize(x.dtype), &plan);
  return UseStridedCopy(ctx, plan);
}

Status PrepareTransposeS8(OpContext& ctx) {
  const Value& x = ctx.input(0);
  TINYONNX_RETURN_IF_ERROR(PrepareTranspose(ctx));
  KeepQuantization(ctx);
  if (StoredInOnnxOrder(x) || x.is_constant()) return Status::kOk;
  // perm is valid (the ONNX prepare checked it); the copy is planned again
  // from the stored layout.
  ctx.SetKernel(nullptr, nullptr);
  ctx.output(0).alias_of = -1;
  int64_t perm[kMaxRank];
  int count = 0;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInts("perm", perm, kMaxRank, &count));
  if (count == 0) {
    for (int k = 0; k < x.shape.rank; ++k) perm[k] = x.shape.rank - 1 - k;
  }
  int64_t stored[kMaxRank], strides[kMaxRank];
  StoredStrides(x.shape, true, stored);
  int32_t dims[kMaxRank];
  for (int k = 0; k < x.shape.rank; ++k) {
    dims[k] = x.shape.dims[perm[k]];
    strides[k] = stored[perm[k]];
  }
  StridedCopyParams plan;
  PlanStridedCopy(x.shape.rank, dims, strides, 0, DTypeSize(x.dtype), &plan);
  return UseStridedCopy(ctx, plan);
}

}  // namespace

extern const OpDef kReshapeS8Op{"Reshape", "ai.tinyonnx", PrepareReshapeLike<kReshapeOp>};
extern const OpDef kFlattenS8Op{"Flatten", "ai.tinyonnx", PrepareReshapeLike<kFlattenOp>};
extern const OpDef kSqueezeS8Op{"Squeeze", "ai.tinyonnx", PrepareReshapeLike<kSqueezeOp>};
extern const OpDef kUnsqueezeS8Op{"Unsqueeze", "ai.tinyonnx", PrepareReshapeLike<kUnsqueezeOp>};
extern const OpDef kTransposeS8Op{"Transpose", "ai.tinyonnx", PrepareTransposeS8};

}  // namespace tinyonnx
