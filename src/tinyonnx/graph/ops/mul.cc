// Mul: a * b with numpy broadcasting; integers wrap around on overflow.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kMulOp{"Mul", "", PrepareArithmeticOp<kMulKernels>};

}  // namespace tinyonnx
