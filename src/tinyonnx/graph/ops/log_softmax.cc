// LogSoftmax, float32, any rank; numerically stable.
#include "tinyonnx/graph/ops/softmax.h"
#include "tinyonnx/kernels/softmax.h"

namespace tinyonnx {
namespace {

Status PrepareLogSoftmax(OpContext& ctx) { return PrepareSoftmaxLike(ctx, LogSoftmaxFloat); }

}  // namespace

extern const OpDef kLogSoftmaxOp{"LogSoftmax", "", PrepareLogSoftmax};

}  // namespace tinyonnx
