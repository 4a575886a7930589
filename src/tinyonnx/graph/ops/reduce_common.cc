#include "tinyonnx/graph/ops/reduce_common.h"

#include "tinyonnx/base/format.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {
namespace {

// Which input axes are reduced; *identity is set when the node asks to
// leave the input as it is (no axes and noop_with_empty_axes).
Status ReadReducedAxes(OpContext& ctx, int64_t axes_input_opset, bool* reduced, bool* identity) {
  const Shape& in = ctx.input_shape(0);
  int64_t noop = 0;
  if (ctx.opset() >= axes_input_opset) {
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("noop_with_empty_axes", 0, &noop));
  }
  int64_t axes[kMaxRank];
  int count;
  TINYONNX_RETURN_IF_ERROR(ReadAxesList(ctx, axes_input_opset, axes, &count));
  TINYONNX_RETURN_IF_ERROR(SelectAxes(ctx, axes, count, in.rank, reduced));
  *identity = count == 0 && noop != 0;
  if (count == 0) {
    for (int k = 0; k < in.rank; ++k) reduced[k] = true;
  }
  return Status::kOk;
}

// Each input axis's step in the output (0 where reduced), with axes of size 1
// dropped and neighbours of the same kind merged (see kernels/reduce.h).
void PlanReduction(const Shape& in, const bool* reduced, ReduceParams* p) {
  int64_t out_strides[kMaxRank];
  int64_t stride = 1;
  for (int k = in.rank - 1; k >= 0; --k) {
    out_strides[k] = reduced[k] ? 0 : stride;
    if (!reduced[k]) stride *= in.dims[k];
  }
  p->rank = 0;
  p->reduced_count = 1;
  for (int k = 0; k < in.rank; ++k) {
    if (reduced[k]) p->reduced_count *= in.dims[k];
    if (in.dims[k] == 1) continue;
    const int last = p->rank - 1;
    if (p->rank > 0 && p->out_strides[last] == out_strides[k] * in.dims[k]) {
      p->in_dims[last] *= in.dims[k];  // both reduced (0 == 0) or both kept and adjacent
      p->out_strides[last] = out_strides[k];
      continue;
    }
    p->in_dims[p->rank] = in.dims[k];
    p->out_strides[p->rank] = out_strides[k];
    ++p->rank;
  }
  if (p->rank == 0) {  // one element
    p->rank = 1;
    p->in_dims[0] = 1;
    p->out_strides[0] = 0;
  }
}

}  // namespace

Status ChooseReduceKernel(OpContext& ctx, const ReduceKernel* table, size_t count,
                          KernelFn* kernel) {
  const DType dtype = ctx.input_dtype(0);
  char supported[64] = "";
  size_t used = 0;
  for (size_t k = 0; k < count; ++k) {
    if (table[k].dtype == dtype) {
      *kernel = table[k].fn;
      return Status::kOk;
    }
    used += Format(supported + used, sizeof(supported) - used, k == 0 ? "%s" : ", %s",
                   DTypeName(table[k].dtype));
  }
  return ctx.Fail(Status::kUnsupported, "input 0 has dtype %s; supported: %s", DTypeName(dtype),
                  supported);
}

Status PrepareReduce(OpContext& ctx, int64_t axes_input_opset, const ReduceKernel* table,
                     size_t count) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, ctx.opset() >= axes_input_opset ? 2 : 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  KernelFn kernel;
  TINYONNX_RETURN_IF_ERROR(ChooseReduceKernel(ctx, table, count, &kernel));
  const Shape& in = ctx.input_shape(0);
  const DType dtype = ctx.input_dtype(0);
  int64_t keepdims;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("keepdims", 1, &keepdims));
  bool reduced[kMaxRank];
  bool identity;
  TINYONNX_RETURN_IF_ERROR(ReadReducedAxes(ctx, axes_input_opset, reduced, &identity));
  if (identity) return AliasWithShape(ctx, in);
  Shape out;
  for (int k = 0; k < in.rank; ++k) {
    if (!reduced[k] || keepdims != 0) out.dims[out.rank++] = reduced[k] ? 1 : in.dims[k];
  }
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, out));
  ReduceParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  PlanReduction(in, reduced, params);
  params->in_count = in.ElementCount();
  params->out_count = out.ElementCount();
  ctx.SetKernel(kernel, params);
  return Status::kOk;
}

}  // namespace tinyonnx
