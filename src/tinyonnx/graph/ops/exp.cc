// Exp: e to the power x.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kExpOp{"Exp", "", PrepareUnaryOp<kExpKernels>};

}  // namespace tinyonnx
