#include "tinyonnx/graph/ops/elementwise_prepare.h"

#include "tinyonnx/base/format.h"

namespace tinyonnx {
namespace {

// Dim i of `shape` when right-aligned to `rank` dims (missing dims are 1).
int32_t AlignedDim(const Shape& shape, int rank, int i) {
  int pad = rank - shape.rank;
  return i < pad ? 1 : shape.dims[i - pad];
}

// Collapses the broadcast of a and b to `out` (see BroadcastStep).
BroadcastStep MakeBroadcastStep(const Shape& a, const Shape& b, const Shape& out) {
  BroadcastStep step;
  step.rank = 0;
  bool a_moves[kMaxRank];
  bool b_moves[kMaxRank];
  for (int i = 0; i < out.rank; ++i) {
    int32_t n = out.dims[i];
    if (n == 1) continue;
    bool a_move = AlignedDim(a, out.rank, i) == n;
    bool b_move = AlignedDim(b, out.rank, i) == n;
    int last = step.rank - 1;
    if (last >= 0 && a_moves[last] == a_move && b_moves[last] == b_move) {
      step.dims[last] *= n;
      continue;
    }
    step.dims[step.rank] = n;
    a_moves[step.rank] = a_move;
    b_moves[step.rank] = b_move;
    step.rank++;
  }
  if (step.rank == 0) {  // every dim is 1: one run of one element
    step.rank = 1;
    step.dims[0] = 1;
    a_moves[0] = b_moves[0] = true;
  }
  int32_t a_size = 1;
  int32_t b_size = 1;
  for (int d = step.rank - 1; d >= 0; --d) {
    step.a_strides[d] = a_moves[d] ? a_size : 0;
    step.b_strides[d] = b_moves[d] ? b_size : 0;
    if (a_moves[d]) a_size *= step.dims[d];
    if (b_moves[d]) b_size *= step.dims[d];
  }
  step.run_count = out.ElementCount() == 0 ? 0 : 1;
  for (int d = 0; d < step.rank - 1; ++d) step.run_count *= step.dims[d];
  return step;
}

// The output may overwrite input k when it has the output's dtype and shape:
// every output element is then written after the input elements it needs
// are read. With more than two inputs, steps after the first read inputs
// 2.. after the output has been written, so none may share k's storage.
bool CanWriteOver(OpContext& ctx, int k, DType dtype, const Shape& shape) {
  if (ctx.input_dtype(k) != dtype || ctx.input_shape(k) != shape) return false;
  const Graph& graph = ctx.graph();
  int32_t root = graph.StorageRoot(ctx.node().inputs[k]);
  for (int later = 2; later < ctx.input_count(); ++later) {
    if (graph.StorageRoot(ctx.node().inputs[later]) == root) return false;
  }
  return true;
}

}  // namespace

Status ExpectSameDTypes(OpContext& ctx) {
  for (int k = 1; k < ctx.input_count(); ++k) {
    if (ctx.has_input(k) && ctx.input_dtype(k) != ctx.input_dtype(0)) {
      return ctx.Fail(Status::kInvalidModel, "input %d has dtype %s but input 0 has %s", k,
                      DTypeName(ctx.input_dtype(k)), DTypeName(ctx.input_dtype(0)));
    }
  }
  return Status::kOk;
}

Status FindElementwiseKernel(OpContext& ctx, const ElementwiseKernels& kernels, DType dtype,
                             KernelFn* kernel) {
  *kernel = kernels.Find(dtype);
  if (*kernel != nullptr) return Status::kOk;
  char supported[128];
  size_t length = 0;
  for (int k = 0; k < kernels.count; ++k) {
    length += Format(supported + length, sizeof(supported) - length, k == 0 ? "%s" : ", %s",
                     DTypeName(kernels.entries[k].dtype));
  }
  return ctx.Fail(Status::kUnsupported, "%s on %s tensors is not supported (supported: %s)",
                  kernels.op, DTypeName(dtype), supported);
}

Status PrepareUnary(OpContext& ctx, const ElementwiseKernels& kernels, int max_inputs,
                    UnaryParams** params) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, max_inputs));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  KernelFn kernel;
  TINYONNX_RETURN_IF_ERROR(FindElementwiseKernel(ctx, kernels, ctx.input_dtype(0), &kernel));
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, ctx.input_dtype(0), ctx.input_shape(0)));
  TINYONNX_RETURN_IF_ERROR(ctx.New(params));
  (*params)->count = static_cast<int32_t>(ctx.input_shape(0).ElementCount());
  ctx.SetKernel(kernel, *params);
  ctx.AllowInPlace(0);
  return Status::kOk;
}

Status BroadcastShapes(OpContext& ctx, const Shape& a, const Shape& b, Shape* out) {
  Shape result;
  result.rank = a.rank > b.rank ? a.rank : b.rank;
  for (int i = 0; i < result.rank; ++i) {
    int32_t da = AlignedDim(a, result.rank, i);
    int32_t db = AlignedDim(b, result.rank, i);
    if (da != db && da != 1 && db != 1) {
      char a_text[64], b_text[64];
      return ctx.Fail(Status::kInvalidModel, "shapes %s and %s cannot be broadcast together",
                      a.ToString(a_text, sizeof(a_text)), b.ToString(b_text, sizeof(b_text)));
    }
    result.dims[i] = da == 1 ? db : da;
  }
  *out = result;
  return Status::kOk;
}

Status ApplyLegacyBroadcast(OpContext& ctx, const Shape& a, Shape* b) {
  if (ctx.opset() >= 7) return Status::kOk;
  int64_t broadcast;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("broadcast", 0, &broadcast));
  char a_text[64], b_text[64];
  if (broadcast == 0) {
    if (*b == a) return Status::kOk;
    return ctx.Fail(Status::kInvalidModel, "shapes %s and %s differ and attribute broadcast is 0",
                    a.ToString(a_text, sizeof(a_text)), b->ToString(b_text, sizeof(b_text)));
  }
  int64_t axis = a.rank - b->rank;  // by default B aligns with A's trailing dims
  if (ctx.HasAttribute("axis")) {
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", 0, &axis));
    if (axis < 0) axis += a.rank;
  }
  if (axis < 0 || axis + b->rank > a.rank) {
    return ctx.Fail(Status::kInvalidModel, "B %s does not fit A %s at axis %lld",
                    b->ToString(b_text, sizeof(b_text)), a.ToString(a_text, sizeof(a_text)),
                    static_cast<long long>(axis));
  }
  // B's dims sit at A's dims axis..; trailing 1s make numpy align them there.
  while (b->rank < a.rank - axis) b->dims[b->rank++] = 1;
  Shape out;
  TINYONNX_RETURN_IF_ERROR(BroadcastShapes(ctx, a, *b, &out));
  if (out != a) {
    return ctx.Fail(Status::kInvalidModel, "B %s does not broadcast to A %s",
                    b->ToString(b_text, sizeof(b_text)), a.ToString(a_text, sizeof(a_text)));
  }
  return Status::kOk;
}

Status SetBroadcastKernel(OpContext& ctx, KernelFn kernel, DType dtype, const Shape& a,
                          const Shape& b, const Shape& shape) {
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, shape));
  int step_count = ctx.input_count() - 1;
  BroadcastParams* params;
  BroadcastStep* steps;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  TINYONNX_RETURN_IF_ERROR(ctx.New(&steps, step_count));
  steps[0] = MakeBroadcastStep(a, b, shape);
  for (int k = 1; k < step_count; ++k) {
    steps[k] = MakeBroadcastStep(shape, ctx.input_shape(k + 1), shape);
  }
  params->step_count = step_count;
  params->steps = steps;
  ctx.SetKernel(kernel, params);
  for (int k = 0; k < 2; ++k) {
    if (CanWriteOver(ctx, k, dtype, shape)) {
      ctx.AllowInPlace(k);
      break;
    }
  }
  return Status::kOk;
}

Status PrepareUnaryWithAlpha(OpContext& ctx, const ElementwiseKernels& kernels, float default_alpha,
                             UnaryParams** params) {
  TINYONNX_RETURN_IF_ERROR(PrepareUnary(ctx, kernels, 1, params));
  return ctx.GetFloat("alpha", default_alpha, &(*params)->alpha);
}

Status CheckSameTypeBinary(OpContext& ctx, const ElementwiseKernels& kernels, KernelFn* kernel) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 2));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ExpectSameDTypes(ctx));
  return FindElementwiseKernel(ctx, kernels, ctx.input_dtype(0), kernel);
}

Status SetBinaryBroadcastKernel(OpContext& ctx, KernelFn kernel, DType dtype) {
  const Shape& a = ctx.input_shape(0);
  Shape b = ctx.input_shape(1);
  TINYONNX_RETURN_IF_ERROR(ApplyLegacyBroadcast(ctx, a, &b));
  Shape out;
  TINYONNX_RETURN_IF_ERROR(BroadcastShapes(ctx, a, b, &out));
  return SetBroadcastKernel(ctx, kernel, dtype, a, b, out);
}

Status PrepareArithmetic(OpContext& ctx, const ElementwiseKernels& kernels) {
  KernelFn kernel;
  TINYONNX_RETURN_IF_ERROR(CheckSameTypeBinary(ctx, kernels, &kernel));
  return SetBinaryBroadcastKernel(ctx, kernel, ctx.input_dtype(0));
}

Status PrepareVariadic(OpContext& ctx, const ElementwiseKernels& kernels) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 65535));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  for (int k = 1; k < ctx.input_count(); ++k) {
    if (!ctx.has_input(k)) return ctx.Fail(Status::kInvalidModel, "input %d is empty", k);
  }
  TINYONNX_RETURN_IF_ERROR(ExpectSameDTypes(ctx));
  DType dtype = ctx.input_dtype(0);
  KernelFn kernel;
  TINYONNX_RETURN_IF_ERROR(FindElementwiseKernel(ctx, kernels, dtype, &kernel));
  if (ctx.input_count() == 1) {  // the maximum of one tensor is itself
    TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, ctx.input_shape(0)));
    ctx.AliasOutput(0, 0);
    return Status::kOk;
  }
  Shape out = ctx.input_shape(0);
  for (int k = 1; k < ctx.input_count(); ++k) {
    TINYONNX_RETURN_IF_ERROR(BroadcastShapes(ctx, out, ctx.input_shape(k), &out));
  }
  return SetBroadcastKernel(ctx, kernel, dtype, ctx.input_shape(0), ctx.input_shape(1), out);
}

}  // namespace tinyonnx
