// The registry of every op tinyonnx implements. Each OpDef is defined in the
// op's own file in this directory.
#include "tinyonnx/graph/op.h"

namespace tinyonnx {

// Neural-network ops.
extern const OpDef kConvOp, kMaxPoolOp, kAveragePoolOp, kGlobalAveragePoolOp, kGlobalMaxPoolOp,
    kGemmOp, kMatMulOp, kBatchNormalizationOp, kSoftmaxOp, kLogSoftmaxOp;
// Elementwise ops.
extern const OpDef kReluOp, kLeakyReluOp, kPReluOp, kClipOp, kSigmoidOp, kTanhOp,
    kHardSigmoidOp, kHardSwishOp, kEluOp, kSqrtOp, kExpOp, kLogOp, kAbsOp, kNegOp,
    kReciprocalOp, kFloorOp, kCeilOp, kAddOp, kSubOp, kMulOp, kDivOp, kPowOp, kMaxOp, kMinOp,
    kCastOp;
// Shape and data-movement ops.
extern const OpDef kFlattenOp, kReshapeOp, kTransposeOp, kConcatOp, kSplitOp, kSliceOp,
    kSqueezeOp, kUnsqueezeOp, kPadOp, kReduceMeanOp, kReduceMaxOp, kReduceSumOp, kArgMaxOp,
    kIdentityOp, kDropoutOp, kConstantOp, kShapeOp, kGatherOp, kConstantOfShapeOp;
// Quantized ops (int8 kernels; the com.microsoft and ai.tinyonnx ones are
// also the forms LowerQdq rewrites QDQ groups into).
extern const OpDef kQuantizeLinearOp, kDequantizeLinearOp, kQLinearConvOp, kConvIntegerOp,
    kQLinearMatMulOp, kMatMulIntegerOp, kQGemmOp, kQLinearAddOp, kQLinearMulOp, kQLinearConcatOp,
    kQLinearAveragePoolOp, kQLinearGlobalAveragePoolOp, kQLinearSigmoidOp, kQLinearLeakyReluOp,
    kQLinearSoftmaxOp, kQLinearUnaryOp, kMaxPoolS8Op, kReshapeS8Op, kFlattenS8Op, kSqueezeS8Op,
    kUnsqueezeS8Op, kTransposeS8Op;

namespace {

const OpDef* const kAllOps[] = {
    &kConvOp, &kMaxPoolOp, &kAveragePoolOp, &kGlobalAveragePoolOp, &kGlobalMaxPoolOp,
    &kGemmOp, &kMatMulOp, &kBatchNormalizationOp, &kSoftmaxOp, &kLogSoftmaxOp,
    &kReluOp, &kLeakyReluOp, &kPReluOp, &kClipOp, &kSigmoidOp, &kTanhOp,
    &kHardSigmoidOp, &kHardSwishOp, &kEluOp, &kSqrtOp, &kExpOp, &kLogOp, &kAbsOp, &kNegOp,
    &kReciprocalOp, &kFloorOp, &kCeilOp, &kAddOp, &kSubOp, &kMulOp, &kDivOp, &kPowOp, &kMaxOp,
    &kMinOp, &kCastOp,
    &kFlattenOp, &kReshapeOp, &kTransposeOp, &kConcatOp, &kSplitOp, &kSliceOp,
    &kSqueezeOp, &kUnsqueezeOp, &kPadOp, &kReduceMeanOp, &kReduceMaxOp, &kReduceSumOp,
    &kArgMaxOp, &kIdentityOp, &kDropoutOp, &kConstantOp, &kShapeOp, &kGatherOp,
    &kConstantOfShapeOp,
    &kQuantizeLinearOp, &kDequantizeLinearOp, &kQLinearConvOp, &kConvIntegerOp,
    &kQLinearMatMulOp, &kMatMulIntegerOp, &kQGemmOp, &kQLinearAddOp, &kQLinearMulOp,
    &kQLinearConcatOp, &kQLinearAveragePoolOp, &kQLinearGlobalAveragePoolOp, &kQLinearSigmoidOp,
    &kQLinearLeakyReluOp, &kQLinearSoftmaxOp, &kQLinearUnaryOp, &kMaxPoolS8Op, &kReshapeS8Op,
    &kFlattenS8Op, &kSqueezeS8Op, &kUnsqueezeS8Op, &kTransposeS8Op,
};

const OpResolver kAllOpsResolver{kAllOps, sizeof(kAllOps) / sizeof(kAllOps[0])};

}  // namespace

const OpResolver& AllOps() { return kAllOpsResolver; }

}  // namespace tinyonnx
