// Tanh: the hyperbolic tangent.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kTanhOp{"Tanh", "", PrepareUnaryOp<kTanhKernels>};

}  // namespace tinyonnx
