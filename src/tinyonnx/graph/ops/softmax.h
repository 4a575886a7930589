// The prepare Softmax and LogSoftmax share.
#pragma once

#include "tinyonnx/graph/op.h"

namespace tinyonnx {

// Before opset 13 the input is coerced to 2-D at `axis` (default 1) and the
// normalization runs over all axes from `axis` on; from opset 13 it runs
// over the one axis (default -1). Sets output 0 and `kernel`.
Status PrepareSoftmaxLike(OpContext& ctx, KernelFn kernel);

}  // namespace tinyonnx
