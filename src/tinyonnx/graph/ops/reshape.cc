// Reshape: the same elements under a new shape; the output shares the
// input's storage. The target shape must be known at load time: the
// attribute `shape` before opset 5, a constant input from opset 5 on (a
// computed shape must fold to a constant, as PyTorch's Shape -> Gather ->
// Concat chains do).
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {
namespace {

// The requested shape as written in the model (with 0 and -1 entries).
Status ReadRequestedShape(OpContext& ctx, int64_t* dims, int* rank) {
  if (ctx.opset() >= 5) {
    TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 2));
    return ctx.ReadConstInts(1, dims, kMaxRank, rank);
  }
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  if (!ctx.HasAttribute("shape")) {
    return ctx.Fail(Status::kInvalidModel, "has no 'shape' attribute");
  }
  return ctx.GetInts("shape", dims, kMaxRank, rank);
}

// Resolves 0 (copy the input dim, unless allowzero) and one -1 (whatever
// makes the element counts match) into `out`.
Status ResolveShape(OpContext& ctx, const int64_t* requested, int rank, bool allow_zero,
                    Shape* out) {
  const Shape& in = ctx.input_shape(0);
  int64_t dims[kMaxRank];
  int inferred = -1;
  int64_t known = 1;  // product of the dims other than the -1 (saturating)
  for (int k = 0; k < rank; ++k) {
    int64_t d = requested[k];
    if (d == 0 && !allow_zero) {
      if (k >= in.rank) {
        return ctx.Fail(Status::kInvalidModel,
                        "shape[%d] is 0 (copy the input dim) but the input has rank %d", k,
                        in.rank);
      }
      d = in.dims[k];
    }
    if (d == -1) {
      if (inferred >= 0) return ctx.Fail(Status::kInvalidModel, "shape has more than one -1");
      inferred = k;
      continue;
    }
    if (d < 0 || d > INT32_MAX) {
      return ctx.Fail(Status::kInvalidModel, "shape[%d] is %lld (allowed: -1, 0 or a size)", k,
                      static_cast<long long>(d));
    }
    dims[k] = d;
    known = (d != 0 && known > INT64_MAX / d) ? INT64_MAX : known * d;
  }
  const int64_t total = in.ElementCount();
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) {
      char text[96];
      return ctx.Fail(Status::kInvalidModel,
                      "cannot infer the -1 in the shape: the input %s has %lld elements, which "
                      "the other dims (product %lld) do not divide",
                      in.ToString(text, sizeof(text)), static_cast<long long>(total),
                      static_cast<long long>(known));
    }
    dims[inferred] = total / known;
    known = total;
  }
  TINYONNX_RETURN_IF_ERROR(MakeShape(ctx, "shape", dims, rank, out));
  if (known != total) {
    char from[96], to[96];
    return ctx.Fail(Status::kInvalidModel,
                    "cannot reshape %s (%lld elements) into %s (%lld elements)",
                    in.ToString(from, sizeof(from)), static_cast<long long>(total),
                    out->ToString(to, sizeof(to)), static_cast<long long>(known));
  }
  return Status::kOk;
}

Status PrepareReshape(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  int64_t requested[kMaxRank];
  int rank;
  TINYONNX_RETURN_IF_ERROR(ReadRequestedShape(ctx, requested, &rank));
  int64_t allow_zero = 0;
  if (ctx.opset() >= 14) TINYONNX_RETURN_IF_ERROR(ctx.GetInt("allowzero", 0, &allow_zero));
  Shape out;
  TINYONNX_RETURN_IF_ERROR(ResolveShape(ctx, requested, rank, allow_zero != 0, &out));
  return AliasWithShape(ctx, out);
}

}  // namespace

extern const OpDef kReshapeOp{"Reshape", "", PrepareReshape};

}  // namespace tinyonnx
