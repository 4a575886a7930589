// ConstantOfShape: a tensor of the shape given by the constant input, every
// element the one-element `value` attribute (default float32 0). The input is
// constant, so the node folds at load time.
#include <cstring>

#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"
#include "tinyonnx/graph/tensor_data.h"
#include "tinyonnx/kernels/fill.h"

namespace tinyonnx {
namespace {

// The fill element from the `value` attribute; *dtype is its type.
Status ReadFillValue(OpContext& ctx, DType* dtype, FillParams* fill) {
  *dtype = DType::kFloat;
  AttributeView attribute;
  const char* problem = nullptr;
  if (!ctx.node().View().FindAttribute("value", &attribute, &problem)) return Status::kOk;
  if (problem != nullptr || attribute.type != AttributeView::kTensor) {
    return ctx.Fail(Status::kInvalidModel, "attribute 'value' is not a valid tensor");
  }
  TensorView tensor;
  problem = TensorView::Parse(attribute.t, &tensor);
  if (problem != nullptr) return ctx.Fail(Status::kInvalidModel, "value: %s", problem);
  if (tensor.element_count != 1) {
    return ctx.Fail(Status::kInvalidModel, "value must hold one element, holds %llu",
                    static_cast<unsigned long long>(tensor.element_count));
  }
  Value value;
  size_t copied = 0;
  TINYONNX_RETURN_IF_ERROR(MaterializeTensor(tensor, ctx.arena(), ctx.errors(), &value, &copied));
  *dtype = value.dtype;
  std::memcpy(fill->value, value.data, DTypeSize(value.dtype));
  return Status::kOk;
}

Status PrepareConstantOfShape(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  if (ctx.input_shape(0).rank != 1) {
    return ctx.Fail(Status::kInvalidModel, "the shape input must be 1-D, has rank %d",
                    ctx.input_shape(0).rank);
  }
  int64_t dims[kMaxRank];
  int rank;
  TINYONNX_RETURN_IF_ERROR(ctx.ReadConstInts(0, dims, kMaxRank, &rank));
  Shape out;
  TINYONNX_RETURN_IF_ERROR(MakeShape(ctx, "shape", dims, rank, &out));
  FillParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  DType dtype;
  TINYONNX_RETURN_IF_ERROR(ReadFillValue(ctx, &dtype, params));
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, out));
  params->count = out.ElementCount();
  params->element_size = static_cast<uint32_t>(DTypeSize(dtype));
  ctx.SetKernel(FillBytes, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kConstantOfShapeOp{"ConstantOfShape", "", PrepareConstantOfShape};

}  // namespace tinyonnx
