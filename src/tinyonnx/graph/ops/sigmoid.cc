// Sigmoid: 1 / (1 + exp(-x)).
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kSigmoidOp{"Sigmoid", "", PrepareUnaryOp<kSigmoidKernels>};

}  // namespace tinyonnx
