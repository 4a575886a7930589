// Sqrt: the square root (NaN for negative x).
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kSqrtOp{"Sqrt", "", PrepareUnaryOp<kSqrtKernels>};

}  // namespace tinyonnx
