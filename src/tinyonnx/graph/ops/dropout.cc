// Dropout at inference: the output is the input. The RemoveIdentities pass
// deletes the node unless its mask is read; then this keeps the output as a
// view of the input and a kernel writes the mask with every element kept
// (bool from opset 10, the data type before). Opsets before 7 are treated as
// inference too, whatever is_test says, as RemoveIdentities does. Training
// mode (opset 12's training_mode input true) is refused unless the ratio is
// a constant 0, where nothing is dropped.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"
#include "tinyonnx/kernels/fill.h"

namespace tinyonnx {
namespace {

Status CheckInferenceMode(OpContext& ctx) {
  if (ctx.opset() < 12 || !ctx.has_input(2)) return Status::kOk;
  if (!ctx.IsConstant(2)) {
    return ctx.Fail(Status::kUnsupported,
                    "training_mode must be a constant false (tinyonnx runs inference only)");
  }
  const Value& mode = ctx.input(2);
  if (mode.dtype != DType::kBool || mode.shape.ElementCount() != 1) {
    return ctx.Fail(Status::kInvalidModel, "training_mode must be one bool");
  }
  if (*static_cast<const uint8_t*>(mode.data) == 0) return Status::kOk;
  float ratio = 0.5f;
  if (ctx.has_input(1)) TINYONNX_RETURN_IF_ERROR(ctx.ReadConstFloat(1, &ratio));
  if (ratio == 0.0f) return Status::kOk;  // training, but nothing is dropped
  return ctx.Fail(Status::kUnsupported,
                  "Dropout in training mode is not supported (training_mode is true, ratio %g): "
                  "tinyonnx runs inference only; export the model in eval mode",
                  static_cast<double>(ratio));
}

Status PrepareDropout(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, ctx.opset() >= 12 ? 3 : 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 2));
  TINYONNX_RETURN_IF_ERROR(CheckInferenceMode(ctx));
  const Shape& in = ctx.input_shape(0);
  const DType dtype = ctx.input_dtype(0);
  const DType mask_dtype = ctx.opset() >= 10 ? DType::kBool : dtype;
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, in));
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(1, mask_dtype, in));
  ctx.AliasOutput(0, 0);
  if (!ctx.has_output(1)) return Status::kOk;
  DropoutParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  params->data_bytes = static_cast<size_t>(ctx.input(0).ByteSize());
  params->mask.count = in.ElementCount();
  params->mask.element_size = static_cast<uint32_t>(DTypeSize(mask_dtype));
  StoreScalar(1.0, mask_dtype, params->mask.value);
  ctx.SetKernel(DropoutInference, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kDropoutOp{"Dropout", "", PrepareDropout};

}  // namespace tinyonnx
