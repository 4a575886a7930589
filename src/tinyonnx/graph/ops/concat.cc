// Concat: joins the inputs along one axis. Inputs may be constants (PyTorch
// builds shapes and pads this way; with all inputs constant the node folds).
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"
#include "tinyonnx/kernels/concat_split.h"

namespace tinyonnx {
namespace {

// Checks input i against input 0: same dtype, rank and dims except `axis`.
Status CheckCompatible(OpContext& ctx, int i, int axis) {
  const Shape& first = ctx.input_shape(0);
  const Shape& shape = ctx.input_shape(i);
  if (ctx.input_dtype(i) != ctx.input_dtype(0)) {
    return ctx.Fail(Status::kInvalidModel, "input %d is %s but input 0 is %s", i,
                    DTypeName(ctx.input_dtype(i)), DTypeName(ctx.input_dtype(0)));
  }
  bool same = shape.rank == first.rank;
  for (int k = 0; same && k < shape.rank; ++k) same = k == axis || shape.dims[k] == first.dims[k];
  if (!same) {
    char a[96], b[96];
    return ctx.Fail(Status::kInvalidModel,
                    "input %d has shape %s, which does not match input 0's %s except on axis %d", i,
                    shape.ToString(a, sizeof(a)), first.ToString(b, sizeof(b)), axis);
  }
  return Status::kOk;
}

Status PrepareConcat(OpContext& ctx) {
  const int n = ctx.input_count();
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(n < 1 ? 1 : n, n < 1 ? 1 : n));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const Shape& first = ctx.input_shape(0);
  if (first.rank == 0) return ctx.Fail(Status::kInvalidModel, "cannot concatenate scalars");
  int64_t axis_attribute;
  if (ctx.opset() < 4 && !ctx.HasAttribute("axis")) {
    axis_attribute = 1;  // Concat-1's default
  } else {
    if (!ctx.HasAttribute("axis")) {
      return ctx.Fail(Status::kInvalidModel, "needs the attribute 'axis'");
    }
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", 0, &axis_attribute));
  }
  int axis;
  TINYONNX_RETURN_IF_ERROR(NormalizeAxis(ctx, "axis", axis_attribute, first.rank, &axis));
  Shape out = first;
  int64_t part_dims[kMaxParts];
  if (n > kMaxParts) {
    return ctx.Fail(Status::kUnsupported, "has %d inputs; at most %d are supported", n, kMaxParts);
  }
  int64_t axis_total = 0;
  for (int i = 0; i < n; ++i) {
    TINYONNX_RETURN_IF_ERROR(CheckCompatible(ctx, i, axis));
    part_dims[i] = ctx.input_shape(i).dims[axis];
    axis_total += part_dims[i];
  }
  if (axis_total > INT32_MAX) return ctx.Fail(Status::kUnsupported, "the output is too large");
  out.dims[axis] = static_cast<int32_t>(axis_total);
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, ctx.input_dtype(0), out));
  return UseAxisParts(ctx, out, axis, part_dims, n, ConcatParts);
}

}  // namespace

extern const OpDef kConcatOp{"Concat", "", PrepareConcat};

}  // namespace tinyonnx
