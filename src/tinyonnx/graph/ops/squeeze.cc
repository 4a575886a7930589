// Squeeze: removes axes of size 1 (the listed ones, or all of them); the
// output shares the input's storage. Axes are an attribute before opset 13
// and an optional constant input from opset 13 on.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {
namespace {

Status PrepareSqueeze(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, ctx.opset() >= 13 ? 2 : 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const Shape& in = ctx.input_shape(0);
  int64_t axes[kMaxRank];
  int count;
  TINYONNX_RETURN_IF_ERROR(ReadAxesList(ctx, 13, axes, &count));
  bool squeezed[kMaxRank];
  TINYONNX_RETURN_IF_ERROR(SelectAxes(ctx, axes, count, in.rank, squeezed));
  Shape out;
  for (int k = 0; k < in.rank; ++k) {
    if (count == 0) squeezed[k] = in.dims[k] == 1;
    if (squeezed[k] && in.dims[k] != 1) {
      return ctx.Fail(Status::kInvalidModel,
                      "axis %d has size %d; only axes of size 1 can be squeezed", k,
                      static_cast<int>(in.dims[k]));
    }
    if (!squeezed[k]) out.dims[out.rank++] = in.dims[k];
  }
  return AliasWithShape(ctx, out);
}

}  // namespace

extern const OpDef kSqueezeOp{"Squeeze", "", PrepareSqueeze};

}  // namespace tinyonnx
