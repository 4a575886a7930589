// HardSwish: x * max(0, min(1, x / 6 + 1 / 2)).
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kHardSwishOp{"HardSwish", "", PrepareUnaryOp<kHardSwishKernels>};

}  // namespace tinyonnx
