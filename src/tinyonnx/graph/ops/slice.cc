// Slice: a strided window per axis. Starts, ends, axes and steps are
// attributes before opset 10 (no steps) and constant inputs from opset 10 on.
// Out-of-range starts and ends are clamped exactly as the ONNX spec says, so
// INT64_MAX / INT64_MIN mean "to the end" in either direction. A slice that
// keeps whole leading rows needs no copy and shares the input's storage.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"
#include "tinyonnx/kernels/strided_copy.h"

namespace tinyonnx {
namespace {

struct SliceRequest {
  int64_t starts[kMaxRank];
  int64_t ends[kMaxRank];
  int64_t axes[kMaxRank];
  int64_t steps[kMaxRank];
  int count = 0;
};

Status ReadAttributes(OpContext& ctx, SliceRequest* r) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  if (!ctx.HasAttribute("starts") || !ctx.HasAttribute("ends")) {
    return ctx.Fail(Status::kInvalidModel, "needs the attributes 'starts' and 'ends'");
  }
  int ends = 0, axes = 0;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInts("starts", r->starts, kMaxRank, &r->count));
  TINYONNX_RETURN_IF_ERROR(ctx.GetInts("ends", r->ends, kMaxRank, &ends));
  TINYONNX_RETURN_IF_ERROR(ctx.GetInts("axes", r->axes, kMaxRank, &axes));
  if (ends != r->count || (ctx.HasAttribute("axes") && axes != r->count)) {
    return ctx.Fail(Status::kInvalidModel, "starts, ends and axes must have the same length");
  }
  for (int k = 0; k < r->count; ++k) r->steps[k] = 1;
  if (!ctx.HasAttribute("axes")) {
    for (int k = 0; k < r->count; ++k) r->axes[k] = k;
  }
  return Status::kOk;
}

Status ReadInputs(OpContext& ctx, SliceRequest* r) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(3, 5));
  int ends = 0, axes = 0, steps = 0;
  TINYONNX_RETURN_IF_ERROR(ctx.ReadConstInts(1, r->starts, kMaxRank, &r->count));
  TINYONNX_RETURN_IF_ERROR(ctx.ReadConstInts(2, r->ends, kMaxRank, &ends));
  if (ctx.has_input(3)) TINYONNX_RETURN_IF_ERROR(ctx.ReadConstInts(3, r->axes, kMaxRank, &axes));
  if (ctx.has_input(4)) TINYONNX_RETURN_IF_ERROR(ctx.ReadConstInts(4, r->steps, kMaxRank, &steps));
  if (ends != r->count || (ctx.has_input(3) && axes != r->count) ||
      (ctx.has_input(4) && steps != r->count)) {
    return ctx.Fail(Status::kInvalidModel,
                    "starts, ends, axes and steps must have the same length");
  }
  for (int k = 0; k < r->count; ++k) {
    if (!ctx.has_input(3)) r->axes[k] = k;
    if (!ctx.has_input(4)) r->steps[k] = 1;
  }
  return Status::kOk;
}

// One axis after clamping: the first index read, the step and the count.
struct AxisSlice {
  int64_t start = 0;
  int64_t step = 1;
  int64_t length = 0;
};

// Applies the spec's rules: negative starts/ends count from the end; then
// for a positive step starts and ends are clamped to [0, dim], for a negative
// step starts to [0, dim-1] and ends to [-1, dim-1].
AxisSlice ClampAxis(int64_t dim, int64_t start, int64_t end, int64_t step) {
  AxisSlice axis;
  if (dim == 0) return axis;
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  auto clamp = [](int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); };
  // A step longer than the axis reads at most the start; shortening it to
  // the axis length changes nothing and keeps the byte strides small.
  if (step > dim) step = dim;
  if (step < -dim) step = -dim;
  axis.step = step;
  if (step > 0) {
    start = clamp(start, 0, dim);
    end = clamp(end, 0, dim);
    axis.length = end > start ? 1 + (end - start - 1) / step : 0;
  } else {
    start = clamp(start, 0, dim - 1);
    end = clamp(end, -1, dim - 1);
    axis.length = start > end ? 1 + (start - end - 1) / -step : 0;
  }
  axis.start = start;
  return axis;
}

Status PrepareSlice(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  SliceRequest request;
  TINYONNX_RETURN_IF_ERROR(ctx.opset() < 10 ? ReadAttributes(ctx, &request)
                                            : ReadInputs(ctx, &request));
  const Shape& in = ctx.input_shape(0);
  bool sliced[kMaxRank];  // checks the axes are in range and distinct
  TINYONNX_RETURN_IF_ERROR(SelectAxes(ctx, request.axes, request.count, in.rank, sliced));
  AxisSlice axes[kMaxRank];
  for (int k = 0; k < in.rank; ++k) {
    axes[k].length = in.dims[k];  // untouched axes are read whole
  }
  for (int j = 0; j < request.count; ++j) {
    if (request.steps[j] == 0) return ctx.Fail(Status::kInvalidModel, "steps must not be 0");
    const int k =
        static_cast<int>(request.axes[j] < 0 ? request.axes[j] + in.rank : request.axes[j]);
    axes[k] = ClampAxis(in.dims[k], request.starts[j], request.ends[j], request.steps[j]);
  }
  int64_t in_strides[kMaxRank];
  RowMajorStrides(in, in_strides);
  Shape out;
  out.rank = in.rank;
  int64_t src_strides[kMaxRank];
  int64_t src_offset = 0;
  for (int k = 0; k < in.rank; ++k) {
    out.dims[k] = static_cast<int32_t>(axes[k].length);
    src_strides[k] = axes[k].step * in_strides[k];
    src_offset += axes[k].start * in_strides[k];
  }
  const DType dtype = ctx.input_dtype(0);
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, out));
  StridedCopyParams plan;
  PlanStridedCopy(out.rank, out.dims, src_strides, src_offset, DTypeSize(dtype), &plan);
  return UseStridedCopy(ctx, plan);
}

}  // namespace

extern const OpDef kSliceOp{"Slice", "", PrepareSlice};

}  // namespace tinyonnx
