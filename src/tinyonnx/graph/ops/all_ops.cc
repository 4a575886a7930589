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
};

const OpResolver kAllOpsResolver{kAllOps, sizeof(kAllOps) / sizeof(kAllOps[0])};

}  // namespace

const OpResolver& AllOps() { return kAllOpsResolver; }

}  // namespace tinyonnx
