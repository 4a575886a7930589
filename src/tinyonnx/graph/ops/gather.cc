// Gather: picks slices of the data along one axis by index. The indices
// (int32 or int64) may be constants, checked here, or computed at run time,
// where the kernel keeps out-of-range indices inside the data (see
// kernels/gather.h). Any data type: the kernel moves bytes.
#include "tinyonnx/kernels/gather.h"

#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {
namespace {

template <typename Index>
int64_t FirstOutOfRange(const Index* indices, int64_t count, int64_t dim, int64_t* bad) {
  for (int64_t j = 0; j < count; ++j) {
    if (indices[j] < -dim || indices[j] >= dim) {
      *bad = static_cast<int64_t>(indices[j]);
      return j;
    }
  }
  return -1;
}

Status CheckConstantIndices(OpContext& ctx, int32_t dim) {
  const Value& indices = ctx.input(1);
  const int64_t count = indices.shape.ElementCount();
  int64_t bad = 0;
  const int64_t at =
      indices.dtype == DType::kInt64
          ? FirstOutOfRange(static_cast<const int64_t*>(indices.data), count, dim, &bad)
          : FirstOutOfRange(static_cast<const int32_t*>(indices.data), count, dim, &bad);
  if (at >= 0) {
    return ctx.Fail(Status::kInvalidModel,
                    "index %lld (element %lld of the indices) is out of range for an axis of %d "
                    "(allowed: %d to %d)",
                    static_cast<long long>(bad), static_cast<long long>(at),
                    static_cast<int>(dim), static_cast<int>(-dim), static_cast<int>(dim - 1));
  }
  return Status::kOk;
}

Status PrepareGather(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 2));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(1, {DType::kInt64, DType::kInt32}));
  const Shape& data = ctx.input_shape(0);
  const Shape& indices = ctx.input_shape(1);
  int64_t axis_attribute;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", 0, &axis_attribute));
  int axis;
  TINYONNX_RETURN_IF_ERROR(NormalizeAxis(ctx, "axis", axis_attribute, data.rank, &axis));
  // Output: data dims before the axis, the indices' dims, data dims after.
  Shape out;
  out.rank = data.rank - 1 + indices.rank;
  if (out.rank > kMaxRank) {
    return ctx.Fail(Status::kUnsupported, "the output would have rank %d; at most %d is supported",
                    out.rank, kMaxRank);
  }
  int r = 0;
  for (int k = 0; k < axis; ++k) out.dims[r++] = data.dims[k];
  for (int k = 0; k < indices.rank; ++k) out.dims[r++] = indices.dims[k];
  for (int k = axis + 1; k < data.rank; ++k) out.dims[r++] = data.dims[k];
  const DType dtype = ctx.input_dtype(0);
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, out));
  const int32_t dim = data.dims[axis];
  if (ctx.IsConstant(1)) TINYONNX_RETURN_IF_ERROR(CheckConstantIndices(ctx, dim));
  if (dim == 0 && out.ElementCount() > 0) {
    return ctx.Fail(Status::kInvalidModel, "gathers from axis %d, which is empty", axis);
  }
  GatherParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  params->outer = DimProduct(data, 0, axis);
  params->axis_dim = dim;
  params->index_count = indices.ElementCount();
  params->block_bytes =
      static_cast<uint32_t>(DimProduct(data, axis + 1, data.rank) * DTypeSize(dtype));
  ctx.SetKernel(ctx.input_dtype(1) == DType::kInt64 ? GatherInt64Indices : GatherInt32Indices,
                params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kGatherOp{"Gather", "", PrepareGather};

}  // namespace tinyonnx
