// Shape: the input's dims as an int64 vector, a constant since shapes are
// static; from opset 15 only dims [start, end) (clamped like Python slices).
#include "tinyonnx/graph/op.h"

namespace tinyonnx {
namespace {

int ClampToRank(int64_t position, int rank) {
  if (position < 0) position += rank;
  return static_cast<int>(position < 0 ? 0 : (position > rank ? rank : position));
}

Status PrepareShape(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const Shape& in = ctx.input_shape(0);
  int64_t start = 0, end = in.rank;
  if (ctx.opset() >= 15) {
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("start", 0, &start));
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("end", in.rank, &end));
  }
  const int first = ClampToRank(start, in.rank);
  const int last = ClampToRank(end, in.rank);
  const int count = last > first ? last - first : 0;
  int64_t* dims;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&dims, count == 0 ? 1 : count));
  for (int k = 0; k < count; ++k) dims[k] = in.dims[first + k];
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kInt64, Shape::Of({count})));
  ctx.SetConstantOutput(0, dims);
  return Status::kOk;
}

}  // namespace

extern const OpDef kShapeOp{"Shape", "", PrepareShape};

}  // namespace tinyonnx
