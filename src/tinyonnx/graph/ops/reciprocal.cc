// Reciprocal: 1 / x.
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kReciprocalOp{"Reciprocal", "", PrepareUnaryOp<kReciprocalKernels>};

}  // namespace tinyonnx
