// Split: cuts the input along one axis into the outputs. The part sizes come
// from the `split` attribute (before opset 13) or the optional constant
// `split` input; without them the parts are equal, or from opset 18 sized by
// `num_outputs` with a smaller last part.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"
#include "tinyonnx/kernels/concat_split.h"

namespace tinyonnx {
namespace {

// Sizes by num_outputs (opset 18): ceil(dim / n) each, the last one smaller
// when dim does not divide evenly, but not empty.
Status SizesFromNumOutputs(OpContext& ctx, int64_t dim, int n, int64_t* sizes) {
  int64_t num_outputs;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("num_outputs", 0, &num_outputs));
  if (num_outputs != n) {
    return ctx.Fail(Status::kInvalidModel, "num_outputs is %lld but the node has %d outputs",
                    static_cast<long long>(num_outputs), n);
  }
  const int64_t chunk = (dim + n - 1) / n;
  for (int p = 0; p < n; ++p) sizes[p] = chunk;
  sizes[n - 1] = dim - chunk * (n - 1);
  if (dim > 0 && sizes[n - 1] <= 0) {  // ONNX Runtime refuses an empty last part too
    return ctx.Fail(Status::kInvalidModel,
                    "cannot split an axis of %lld into %d parts of %lld (the last would be empty "
                    "or negative)",
                    static_cast<long long>(dim), n, static_cast<long long>(chunk));
  }
  return Status::kOk;
}

Status ReadPartSizes(OpContext& ctx, int64_t dim, int n, int64_t* sizes) {
  int count = 0;
  if (ctx.has_input(1)) {
    if (ctx.HasAttribute("num_outputs")) {
      return ctx.Fail(Status::kInvalidModel, "has both the split input and num_outputs");
    }
    TINYONNX_RETURN_IF_ERROR(ctx.ReadConstInts(1, sizes, kMaxParts, &count));
  } else if (ctx.opset() < 13 && ctx.HasAttribute("split")) {
    TINYONNX_RETURN_IF_ERROR(ctx.GetInts("split", sizes, kMaxParts, &count));
  } else if (ctx.opset() >= 18 && ctx.HasAttribute("num_outputs")) {
    return SizesFromNumOutputs(ctx, dim, n, sizes);
  } else {
    if (dim % n != 0) {
      return ctx.Fail(Status::kInvalidModel, "cannot split an axis of %lld into %d equal parts",
                      static_cast<long long>(dim), n);
    }
    for (int p = 0; p < n; ++p) sizes[p] = dim / n;
    return Status::kOk;
  }
  if (count != n) {
    return ctx.Fail(Status::kInvalidModel, "split has %d entries but the node has %d outputs",
                    count, n);
  }
  int64_t total = 0;
  for (int p = 0; p < n; ++p) {
    if (sizes[p] < 0 || sizes[p] > dim) {
      return ctx.Fail(Status::kInvalidModel, "split[%d] is %lld", p,
                      static_cast<long long>(sizes[p]));
    }
    total += sizes[p];
  }
  if (total != dim) {
    return ctx.Fail(Status::kInvalidModel, "split sums to %lld but the axis has %lld",
                    static_cast<long long>(total), static_cast<long long>(dim));
  }
  return Status::kOk;
}

Status PrepareSplit(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 2));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, kMaxParts));
  const Shape& in = ctx.input_shape(0);
  int64_t axis_attribute;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", 0, &axis_attribute));
  int axis;
  TINYONNX_RETURN_IF_ERROR(NormalizeAxis(ctx, "axis", axis_attribute, in.rank, &axis));
  const int n = ctx.output_count();
  int64_t sizes[kMaxParts];
  TINYONNX_RETURN_IF_ERROR(ReadPartSizes(ctx, in.dims[axis], n, sizes));
  for (int p = 0; p < n; ++p) {
    Shape part = in;
    part.dims[axis] = static_cast<int32_t>(sizes[p]);
    TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(p, ctx.input_dtype(0), part));
  }
  return UseAxisParts(ctx, in, axis, sizes, n, SplitParts);
}

}  // namespace

extern const OpDef kSplitOp{"Split", "", PrepareSplit};

}  // namespace tinyonnx
