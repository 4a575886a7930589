// Unsqueeze: inserts axes of size 1 at the listed positions of the output;
// the output shares the input's storage. Axes are an attribute before opset
// 13 and a constant input from opset 13 on.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {
namespace {

Status PrepareUnsqueeze(OpContext& ctx) {
  const int inputs = ctx.opset() >= 13 ? 2 : 1;  // data, then axes from opset 13
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(inputs, inputs));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const Shape& in = ctx.input_shape(0);
  int64_t axes[kMaxRank];
  int count;
  TINYONNX_RETURN_IF_ERROR(ReadAxesList(ctx, 13, axes, &count));
  if (count == 0) return ctx.Fail(Status::kInvalidModel, "needs at least one axis in 'axes'");
  const int rank = in.rank + count;
  if (rank > kMaxRank) {
    return ctx.Fail(Status::kUnsupported, "the output would have rank %d; at most %d is supported",
                    rank, kMaxRank);
  }
  // Axes refer to positions in the output.
  bool inserted[kMaxRank];
  TINYONNX_RETURN_IF_ERROR(SelectAxes(ctx, axes, count, rank, inserted));
  Shape out;
  out.rank = rank;
  int next = 0;
  for (int k = 0; k < rank; ++k) out.dims[k] = inserted[k] ? 1 : in.dims[next++];
  return AliasWithShape(ctx, out);
}

}  // namespace

extern const OpDef kUnsqueezeOp{"Unsqueeze", "", PrepareUnsqueeze};

}  // namespace tinyonnx
