// Relu: max(x, 0), on float32 and signed integer tensors.
#include "tinyonnx/graph/ops/elementwise_prepare.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {

extern const OpDef kReluOp{"Relu", "", PrepareUnaryOp<kReluKernels>, 0, &kFuseActivationsPass};

}  // namespace tinyonnx
