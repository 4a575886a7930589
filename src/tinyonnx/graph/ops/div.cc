// Div: a / b with numpy broadcasting; integer division truncates toward zero.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kDivOp{"Div", "", PrepareArithmeticOp<kDivKernels>};

}  // namespace tinyonnx
