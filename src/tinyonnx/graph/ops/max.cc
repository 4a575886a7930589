// Max: the elementwise maximum of one or more tensors, broadcast together.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kMaxOp{"Max", "", PrepareVariadicOp<kMaxKernels>};

}  // namespace tinyonnx
