// LeakyRelu: x for x >= 0, alpha * x below (alpha defaults to 0.01).
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kLeakyReluOp{"LeakyRelu", "", [](OpContext& ctx) {
                                  UnaryParams* params;
                                  return PrepareUnaryWithAlpha(ctx, kLeakyReluKernels, 0.01f,
                                                               &params);
                                }};

}  // namespace tinyonnx
