// Elu: x for x >= 0, alpha * (exp(x) - 1) below (alpha defaults to 1).
#include "tinyonnx/graph/ops/elementwise_prepare.h"

namespace tinyonnx {

extern const OpDef kEluOp{"Elu", "", [](OpContext& ctx) {
                            UnaryParams* params;
                            return PrepareUnaryWithAlpha(ctx, kEluKernels, 1.0f, &params);
                          }};

}  // namespace tinyonnx
