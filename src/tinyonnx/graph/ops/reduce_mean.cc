// ReduceMean: the mean over the chosen axes. Axes are an attribute
// before opset 18 and a constant input from opset 18 on.
#include <iterator>

#include "tinyonnx/graph/ops/reduce_common.h"

namespace tinyonnx {
namespace {

Status PrepareReduceMean(OpContext& ctx) {
  return PrepareReduce(ctx, 18, kReduceMeanKernels, std::size(kReduceMeanKernels));
}

}  // namespace

extern const OpDef kReduceMeanOp{"ReduceMean", "", PrepareReduceMean};

}  // namespace tinyonnx
