// Flatten: [d0..d(axis-1), d(axis)..] becomes the 2-D [d0*..*d(axis-1),
// d(axis)*..]. The output shares the input's storage.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {
namespace {

Status PrepareFlatten(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const Shape& in = ctx.input_shape(0);
  int64_t axis;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", 1, &axis));
  // axis may equal the rank: everything goes into the first dim.
  if (axis < -in.rank || axis > in.rank) {
    return ctx.Fail(Status::kInvalidModel,
                    "axis %lld is out of range for rank %d (allowed: %d to %d)",
                    static_cast<long long>(axis), in.rank, -in.rank, in.rank);
  }
  const int split = static_cast<int>(axis < 0 ? axis + in.rank : axis);
  const int64_t dims[2] = {DimProduct(in, 0, split), DimProduct(in, split, in.rank)};
  Shape out;
  TINYONNX_RETURN_IF_ERROR(MakeShape(ctx, "output", dims, 2, &out));
  return AliasWithShape(ctx, out);
}

}  // namespace

extern const OpDef kFlattenOp{"Flatten", "", PrepareFlatten};

}  // namespace tinyonnx
