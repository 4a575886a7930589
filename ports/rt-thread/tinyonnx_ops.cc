// The ops the package links. With int8 on (PKG_TINYONNX_USING_INT8, the
// default) every op; without it only the float ops, so the int8 kernels
// cost no flash (the linker drops what no resolver names).
#include "tinyonnx_rtt.h"

namespace tinyonnx {

#ifndef PKG_TINYONNX_USING_INT8
extern const OpDef kConvOp, kMaxPoolOp, kAveragePoolOp, kGlobalAveragePoolOp, kGlobalMaxPoolOp,
    kGemmOp, kMatMulOp, kBatchNormalizationOp, kSoftmaxOp, kLogSoftmaxOp, kReluOp, kLeakyReluOp,
    kPReluOp, kClipOp, kSigmoidOp, kTanhOp, kHardSigmoidOp, kHardSwishOp, kEluOp, kSqrtOp, kExpOp,
    kLogOp, kAbsOp, kNegOp, kReciprocalOp, kFloorOp, kCeilOp, kAddOp, kSubOp, kMulOp, kDivOp,
    kPowOp, kMaxOp, kMinOp, kCastOp, kFlattenOp, kReshapeOp, kTransposeOp, kConcatOp, kSplitOp,
    kSliceOp, kSqueezeOp, kUnsqueezeOp, kPadOp, kReduceMeanOp, kReduceMaxOp, kReduceSumOp,
    kArgMaxOp, kIdentityOp, kDropoutOp, kConstantOp, kShapeOp, kGatherOp, kConstantOfShapeOp;

namespace {

const OpDef* const kFloatOps[] = {
    &kConvOp, &kMaxPoolOp, &kAveragePoolOp, &kGlobalAveragePoolOp, &kGlobalMaxPoolOp, &kGemmOp,
    &kMatMulOp, &kBatchNormalizationOp, &kSoftmaxOp, &kLogSoftmaxOp, &kReluOp, &kLeakyReluOp,
    &kPReluOp, &kClipOp, &kSigmoidOp, &kTanhOp, &kHardSigmoidOp, &kHardSwishOp, &kEluOp,
    &kSqrtOp, &kExpOp, &kLogOp, &kAbsOp, &kNegOp, &kReciprocalOp, &kFloorOp, &kCeilOp, &kAddOp,
    &kSubOp, &kMulOp, &kDivOp, &kPowOp, &kMaxOp, &kMinOp, &kCastOp, &kFlattenOp, &kReshapeOp,
    &kTransposeOp, &kConcatOp, &kSplitOp, &kSliceOp, &kSqueezeOp, &kUnsqueezeOp, &kPadOp,
    &kReduceMeanOp, &kReduceMaxOp, &kReduceSumOp, &kArgMaxOp, &kIdentityOp, &kDropoutOp,
    &kConstantOp, &kShapeOp, &kGatherOp, &kConstantOfShapeOp};

const OpResolver kFloatResolver{kFloatOps, sizeof(kFloatOps) / sizeof(kFloatOps[0])};

}  // namespace
#endif

namespace rtt {

const OpResolver& PackageOps() {
#ifdef PKG_TINYONNX_USING_INT8
  return AllOps();
#else
  return kFloatResolver;
#endif
}

}  // namespace rtt
}  // namespace tinyonnx
