// Abs: |x|, on float32 and signed integer tensors.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kAbsOp{"Abs", "", PrepareUnaryOp<kAbsKernels>};

}  // namespace tinyonnx
