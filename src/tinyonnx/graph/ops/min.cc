// Min: the elementwise minimum of one or more tensors, broadcast together.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kMinOp{"Min", "", PrepareVariadicOp<kMinKernels>};

}  // namespace tinyonnx
