// Relu: max(x, 0), on float32 and signed integer tensors.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kReluOp{"Relu", "", PrepareUnaryOp<kReluKernels>};

}  // namespace tinyonnx
