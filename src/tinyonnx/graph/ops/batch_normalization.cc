// BatchNormalization in inference mode (running statistics), float32,
// channel axis 1, any rank >= 2. After a Conv or Gemm with constant
// statistics the FuseBatchNorm pass removes the node; this kernel runs the
// rest (statistics fed at run time, or no fusable producer).
#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/batch_norm.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

Status RejectTraining(OpContext& ctx) {
  int64_t training_mode;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("training_mode", 0, &training_mode));
  if (training_mode != 0) {
    return ctx.Fail(Status::kUnsupported,
                    "training_mode=%lld is not supported, only inference (export the model in "
                    "eval mode)",
                    static_cast<long long>(training_mode));
  }
  for (int o = 1; o < ctx.output_count(); ++o) {
    if (ctx.has_output(o)) {
      return ctx.Fail(Status::kUnsupported,
                      "output %d (training statistics) is requested; only Y is supported", o);
    }
  }
  return Status::kOk;
}

// scale, B, mean and var hold one value per channel.
Status CheckChannelInputs(OpContext& ctx, int32_t channels) {
  int64_t spatial;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("spatial", 1, &spatial));
  for (int i = 1; i <= 4; ++i) {
    const int64_t count = ctx.input_shape(i).ElementCount();
    if (count == channels) continue;
    if (spatial == 0) {
      return ctx.Fail(Status::kUnsupported,
                      "spatial=0 with per-element statistics (input %d has %lld values) is not "
                      "supported, only one value per channel",
                      i, static_cast<long long>(count));
    }
    return ctx.Fail(Status::kInvalidModel,
                    "input %d has %lld values, expected %d (one per channel)", i,
                    static_cast<long long>(count), static_cast<int>(channels));
  }
  return Status::kOk;
}

Status PrepareBatchNormalization(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(5, 5));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 5));
  for (int i = 0; i < 5; ++i) TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(i, {DType::kFloat}));
  TINYONNX_RETURN_IF_ERROR(RejectTraining(ctx));
  const Shape& x = ctx.input_shape(0);
  if (x.rank < 2) {
    return ctx.Fail(Status::kInvalidModel, "input has rank %d, expected [N, C, ...]", x.rank);
  }
  TINYONNX_RETURN_IF_ERROR(CheckChannelInputs(ctx, x.dims[1]));
  BatchNormParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("epsilon", 1e-5f, &params->epsilon));
  params->batch = x.dims[0];
  params->channels = x.dims[1];
  params->inner = 1;
  for (int i = 2; i < x.rank; ++i) params->inner *= x.dims[i];
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, DType::kFloat, x));
  ctx.AllowInPlace(0);
  ctx.SetKernel(BatchNormFloat, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kBatchNormalizationOp{"BatchNormalization", "", PrepareBatchNormalization,
                                        0, &kFuseBatchNormPass};

}  // namespace tinyonnx
