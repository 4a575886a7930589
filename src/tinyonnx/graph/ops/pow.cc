// Pow: base ^ exponent with numpy broadcasting; the result has the base's
// dtype. The exponent's dtype may differ from the base's.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {
namespace {

Status PreparePow(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 2));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  DType base = ctx.input_dtype(0);
  DType exponent = ctx.input_dtype(1);
  KernelFn kernel = kPowKernels.Find(base, exponent);
  if (kernel == nullptr) {
    return ctx.Fail(Status::kUnsupported,
                    "base dtype %s with exponent dtype %s is not supported (supported: "
                    "float32 to the power of float32, int32, int64, uint32 or uint64; int32 "
                    "or int64 to the power of int32, int64 or float32)",
                    DTypeName(base), DTypeName(exponent));
  }
  return SetBinaryBroadcastKernel(ctx, kernel, base);
}

}  // namespace

extern const OpDef kPowOp{"Pow", "", PreparePow};

}  // namespace tinyonnx
