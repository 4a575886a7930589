// Constant: the value attribute becomes a constant tensor (read in place
// from the model when its layout allows).
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/tensor_data.h"

namespace tinyonnx {
namespace {

Status PrepareConstant(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(0, 0));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  static const char* const kUnsupported[] = {"sparse_value", "value_string", "value_strings"};
  for (const char* name : kUnsupported) {
    TINYONNX_RETURN_IF_ERROR(ctx.RejectAttribute(name, "string and sparse constants"));
  }
  Value& out = ctx.output(0);
  Str name = out.name;
  AttributeView attribute;
  const char* problem = nullptr;
  if (ctx.node().View().FindAttribute("value", &attribute, &problem)) {
    if (problem != nullptr || attribute.type != AttributeView::kTensor) {
      return ctx.Fail(Status::kInvalidModel, "attribute 'value' is not a valid tensor");
    }
    TensorView tensor;
    problem = TensorView::Parse(attribute.t, &tensor);
    if (problem != nullptr) return ctx.Fail(Status::kInvalidModel, "value: %s", problem);
    size_t copied = 0;
    TINYONNX_RETURN_IF_ERROR(MaterializeTensor(tensor, ctx.arena(), ctx.errors(), &out, &copied));
    out.name = name;
    return Status::kOk;
  }
  // value_float(s) / value_int(s): small scalars or lists.
  float f;
  int64_t i;
  int count = 0;
  void* data;
  if (ctx.HasAttribute("value_float")) {
    TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("value_float", 0, &f));
    TINYONNX_RETURN_IF_ERROR(ctx.Allocate(sizeof(float), alignof(float), &data));
    *static_cast<float*>(data) = f;
    TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kFloat, Shape()));
  } else if (ctx.HasAttribute("value_int")) {
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("value_int", 0, &i));
    TINYONNX_RETURN_IF_ERROR(ctx.Allocate(sizeof(int64_t), alignof(int64_t), &data));
    *static_cast<int64_t*>(data) = i;
    TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kInt64, Shape()));
  } else if (ctx.HasAttribute("value_floats")) {
    float values[64];
    TINYONNX_RETURN_IF_ERROR(ctx.GetFloats("value_floats", values, 64, &count));
    TINYONNX_RETURN_IF_ERROR(ctx.Allocate(sizeof(float) * (count + 1), alignof(float), &data));
    for (int k = 0; k < count; ++k) static_cast<float*>(data)[k] = values[k];
    TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kFloat, Shape::Of({count})));
  } else if (ctx.HasAttribute("value_ints")) {
    int64_t values[64];
    TINYONNX_RETURN_IF_ERROR(ctx.GetInts("value_ints", values, 64, &count));
    TINYONNX_RETURN_IF_ERROR(ctx.Allocate(sizeof(int64_t) * (count + 1), alignof(int64_t), &data));
    for (int k = 0; k < count; ++k) static_cast<int64_t*>(data)[k] = values[k];
    TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kInt64, Shape::Of({count})));
  } else {
    return ctx.Fail(Status::kInvalidModel, "has no value attribute");
  }
  ctx.SetConstantOutput(0, data);
  return Status::kOk;
}

}  // namespace

extern const OpDef kConstantOp{"Constant", "", PrepareConstant};

}  // namespace tinyonnx
