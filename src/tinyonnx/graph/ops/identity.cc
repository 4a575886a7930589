// Identity: its output shares its input's storage. The RemoveIdentities pass
// normally deletes the node before this runs.
#include "tinyonnx/graph/op.h"

namespace tinyonnx {
namespace {

Status PrepareIdentity(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, ctx.input_dtype(0), ctx.input_shape(0)));
  ctx.AliasOutput(0, 0);
  return Status::kOk;
}

}  // namespace

extern const OpDef kIdentityOp{"Identity", "", PrepareIdentity};

}  // namespace tinyonnx
