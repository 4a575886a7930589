// com.microsoft QLinearConcat (the form LowerQdq rewrites Concat into):
// Y_scale, Y_zero_point, then X, X_scale, X_zero_point per part. Parts with
// the output's quantization are copied, the others requantized.
#include "tinyonnx/graph/ops/quant_prepare.h"
#include "tinyonnx/graph/ops/shape_helpers.h"
#include "tinyonnx/kernels/fixed_point.h"

namespace tinyonnx {
namespace {

Status PrepareQLinearConcat(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const int n = (ctx.input_count() - 2) / 3;
  if (n < 1 || ctx.input_count() != 2 + 3 * n) {
    return ctx.Fail(Status::kInvalidModel,
                    "expects Y_scale, Y_zero_point and (X, X_scale, X_zero_point) per input; has %d inputs",
                    ctx.input_count());
  }
  if (n > kMaxParts) return ctx.Fail(Status::kUnsupported, "has %d parts; at most %d are supported", n, kMaxParts);
  for (int p = 0; p < n; ++p) {
    if (!ctx.has_input(2 + 3 * p)) return ctx.Fail(Status::kInvalidModel, "part %d is empty", p);
  }
  const Shape& first = ctx.input_shape(2);
  int64_t axis_attribute;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", 0, &axis_attribute));
  int axis;
  TINYONNX_RETURN_IF_ERROR(NormalizeAxis(ctx, "axis", axis_attribute, first.rank, &axis));
  TensorQuant y;
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 0, 1, ctx.input_dtype(2), &y));
  Shape out = first;
  int64_t total = 0;
  for (int p = 0; p < n; ++p) {
    const Shape& shape = ctx.input_shape(2 + 3 * p);
    bool fits = shape.rank == first.rank;
    for (int k = 0; fits && k < shape.rank; ++k) fits = k == axis || shape.dims[k] == first.dims[k];
    if (!fits) {
      char a[64], b[64];
      return ctx.Fail(Status::kInvalidModel, "part %d has shape %s, which does not fit part 0's %s", p,
                      shape.ToString(a, sizeof(a)), first.ToString(b, sizeof(b)));
    }
    total += shape.dims[axis];
  }
  if (total > INT32_MAX) return ctx.Fail(Status::kUnsupported, "the output is too large");
  out.dims[axis] = static_cast<int32_t>(total);
  const bool channels_last = ctx.input(2).channels_last && HasSpatialAxes(out);
  // The blocks are taken in stored order: with channels-last, axis 1 is last.
  int64_t stored[kMaxRank];
  StoredStrides(out, channels_last, stored);
  const int64_t inner = stored[axis];  // elements after the axis, per axis step
  ConcatS8Kernel* k;
  ConcatS8Part* parts;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&k));
  TINYONNX_RETURN_IF_ERROR(ctx.New(&parts, static_cast<size_t>(n)));
  QuantizedKernelBuilder builder(ctx);
  for (int p = 0; p < n; ++p) {
    const int x = 2 + 3 * p;
    TensorQuant q;
    TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, x + 1, x + 2, ctx.input_dtype(x), &q));
    TINYONNX_RETURN_IF_ERROR(builder.Input(x, channels_last));
    ConcatS8Part& part = parts[p];
    part.block_size = static_cast<int32_t>(inner * ctx.input_shape(x).dims[axis]);
    part.requantize = q.scale != y.scale || q.zero_point != y.zero_point;
    part.input_offset = -q.zero_point;
    part.output_offset = y.zero_point;
    if (part.requantize &&
        !QuantizeMultiplier(static_cast<double>(q.scale) / y.scale, &part.multiplier, &part.shift)) {
      return ctx.Fail(Status::kUnsupported, "part %d's rescaling factor is out of range", p);
    }
  }
  const int64_t block = inner * total;
  k->concat.outer = static_cast<int32_t>(block == 0 ? 0 : out.ElementCount() / block);
  k->concat.part_count = n;
  k->concat.parts = parts;
  k->input_base = 2;
  k->input_step = 3;
  TINYONNX_RETURN_IF_ERROR(builder.Output(0, out, y.type, channels_last, DType::kInt8, &y));
  return builder.Finish(ConcatS8, k);
}

}  // namespace

extern const OpDef kQLinearConcatOp{"QLinearConcat", "com.microsoft", PrepareQLinearConcat};

}  // namespace tinyonnx
