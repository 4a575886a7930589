// The float ops of a QDQ model in a build with int8 kernels only: kConvQdqOp
// and the others below name the op, so the model loads and LowerQdq can
// rewrite its DequantizeLinear -> op -> QuantizeLinear groups into the int8
// ops of the resolver (QLinearConv, ...), but they bring no float kernel.
// A node left in float (no int8 op registered for it, or a group LowerQdq
// cannot lower) fails Prepare and says so. A firmware lists "ConvQdq"
// instead of "Conv" (TINYONNX_FIRMWARE_OPS) to leave the float kernels out.
#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

Status PrepareQdqOnly(OpContext& ctx) {
  const Str op = ctx.node().View().op_type;
  return ctx.Fail(Status::kUnsupported,
                  "this build has %.*s only inside QDQ groups that LowerQdq turns into int8 ops "
                  "(k%.*sQdqOp), and this node is not in one, or its int8 op is not registered; "
                  "k%.*sOp runs it in float",
                  op.length(), op.data, op.length(), op.data, op.length(), op.data);
}

}  // namespace

// The DequantizeLinear nodes of QDQ groups disappear when they are lowered;
// one left at the boundary of the int8 part needs kDequantizeLinearOp.
extern const OpDef kDequantizeLinearQdqOp{"DequantizeLinear", "", PrepareQdqOnly, 0,
                                          &kLowerQdqPass};

// The ops LowerQdq rewrites (lower_qdq.cc).
extern const OpDef kConvQdqOp{"Conv", "", PrepareQdqOnly};
extern const OpDef kGemmQdqOp{"Gemm", "", PrepareQdqOnly};
extern const OpDef kMatMulQdqOp{"MatMul", "", PrepareQdqOnly};
extern const OpDef kAveragePoolQdqOp{"AveragePool", "", PrepareQdqOnly};
extern const OpDef kGlobalAveragePoolQdqOp{"GlobalAveragePool", "", PrepareQdqOnly};
extern const OpDef kMaxPoolQdqOp{"MaxPool", "", PrepareQdqOnly};
extern const OpDef kSoftmaxQdqOp{"Softmax", "", PrepareQdqOnly};
extern const OpDef kAddQdqOp{"Add", "", PrepareQdqOnly};
extern const OpDef kMulQdqOp{"Mul", "", PrepareQdqOnly};
extern const OpDef kConcatQdqOp{"Concat", "", PrepareQdqOnly};
extern const OpDef kReluQdqOp{"Relu", "", PrepareQdqOnly};
extern const OpDef kClipQdqOp{"Clip", "", PrepareQdqOnly};
extern const OpDef kSigmoidQdqOp{"Sigmoid", "", PrepareQdqOnly};
extern const OpDef kTanhQdqOp{"Tanh", "", PrepareQdqOnly};
extern const OpDef kHardSigmoidQdqOp{"HardSigmoid", "", PrepareQdqOnly};
extern const OpDef kHardSwishQdqOp{"HardSwish", "", PrepareQdqOnly};
extern const OpDef kLeakyReluQdqOp{"LeakyRelu", "", PrepareQdqOnly};
extern const OpDef kEluQdqOp{"Elu", "", PrepareQdqOnly};
extern const OpDef kReshapeQdqOp{"Reshape", "", PrepareQdqOnly};
extern const OpDef kFlattenQdqOp{"Flatten", "", PrepareQdqOnly};
extern const OpDef kSqueezeQdqOp{"Squeeze", "", PrepareQdqOnly};
extern const OpDef kUnsqueezeQdqOp{"Unsqueeze", "", PrepareQdqOnly};
extern const OpDef kTransposeQdqOp{"Transpose", "", PrepareQdqOnly};

}  // namespace tinyonnx
