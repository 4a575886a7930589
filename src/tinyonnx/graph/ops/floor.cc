// Floor: the largest integer not greater than x.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kFloorOp{"Floor", "", PrepareUnaryOp<kFloorKernels>};

}  // namespace tinyonnx
