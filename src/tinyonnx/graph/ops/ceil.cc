// Ceil: the smallest integer not less than x.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kCeilOp{"Ceil", "", PrepareUnaryOp<kCeilKernels>};

}  // namespace tinyonnx
