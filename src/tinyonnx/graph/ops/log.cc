// Log: the natural logarithm (NaN for negative x, -inf for 0).
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kLogOp{"Log", "", PrepareUnaryOp<kLogKernels>};

}  // namespace tinyonnx
