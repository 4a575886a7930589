// ReduceMax: the maximum over the chosen axes. Axes are an attribute
// before opset 18 and a constant input from opset 18 on.
#include <iterator>

#include "tinyonnx/graph/ops/reduce_common.h"

namespace tinyonnx {
namespace {

Status PrepareReduceMax(OpContext& ctx) {
  return PrepareReduce(ctx, 18, kReduceMaxKernels, std::size(kReduceMaxKernels));
}

}  // namespace

extern const OpDef kReduceMaxOp{"ReduceMax", "", PrepareReduceMax};

}  // namespace tinyonnx
