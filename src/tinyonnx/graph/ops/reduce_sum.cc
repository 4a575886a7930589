// ReduceSum: the sum over the chosen axes. Axes are an attribute
// before opset 13 and a constant input from opset 13 on.
#include <iterator>

#include "tinyonnx/graph/ops/reduce_common.h"

namespace tinyonnx {
namespace {

Status PrepareReduceSum(OpContext& ctx) {
  return PrepareReduce(ctx, 13, kReduceSumKernels, std::size(kReduceSumKernels));
}

}  // namespace

extern const OpDef kReduceSumOp{"ReduceSum", "", PrepareReduceSum};

}  // namespace tinyonnx
