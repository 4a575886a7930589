#include "tinyonnx/runtime/plan_kernels.h"

#include "tinyonnx/kernels/arm/dsp_kernels.h"

namespace tinyonnx {
namespace {

template <KernelFn kFn>
PlanKernelChoice Portable(void* params) {
  PlanKernelChoice choice;
  choice.fn = kFn;
  choice.params = params;
  return choice;
}

PlanKernelChoice FromDsp(const DspKernel& dsp, const void* params, void** scratch_slot) {
  PlanKernelChoice choice;
  if (dsp.fn == nullptr) return choice;
  choice.fn = dsp.fn;
  choice.params = params;
  choice.scratch_bytes = dsp.scratch_bytes;
  choice.scratch_slot = scratch_slot;
  return choice;
}

template <DspKernel (*kSelect)(const ConvS8Params&)>
PlanKernelChoice DspConv(void* params) {
  ConvS8Params* p = static_cast<ConvS8Params*>(params);
  return FromDsp(kSelect(*p), p, &p->scratch);
}

PlanKernelChoice DspFullyConnected(void* params) {
  // The DSP kernel runs on the one matrix's fully connected part.
  FullyConnectedS8Params* fc = &static_cast<BatchedFullyConnectedS8Params*>(params)->fc;
  return FromDsp(SelectDspFullyConnectedS8(*fc), fc, &fc->scratch);
}

}  // namespace

const PlanKernelDef kPlanQuantizeLinearToS8{PlanKernel::kQuantizeLinearToS8, "QuantizeLinearToS8",
                                            Portable<QuantizeLinearToS8>};
const PlanKernelDef kPlanDequantizeLinearS8{PlanKernel::kDequantizeLinearS8, "DequantizeLinearS8",
                                            Portable<DequantizeLinearS8>};
const PlanKernelDef kPlanConvS8{PlanKernel::kConvS8, "ConvS8", Portable<ConvS8>};
const PlanKernelDef kPlanDepthwiseConvS8{PlanKernel::kDepthwiseConvS8, "DepthwiseConvS8",
                                         Portable<DepthwiseConvS8>};
const PlanKernelDef kPlanMaxPoolS8{PlanKernel::kMaxPoolS8, "MaxPoolS8", Portable<MaxPoolS8>};
const PlanKernelDef kPlanAveragePoolS8{PlanKernel::kAveragePoolS8, "AveragePoolS8",
                                       Portable<AveragePoolS8>};
const PlanKernelDef kPlanFullyConnectedS8{PlanKernel::kFullyConnectedS8, "BatchedFullyConnectedS8",
                                          Portable<BatchedFullyConnectedS8>};
const PlanKernelDef kPlanSoftmaxS8{PlanKernel::kSoftmaxS8, "SoftmaxS8", Portable<SoftmaxS8>};

const PlanKernelDef kPlanDspConvS8{PlanKernel::kConvS8, "ConvS8Dsp", DspConv<SelectFittedDspConv>};
const PlanKernelDef kPlanDspSingleChannelConvS8{PlanKernel::kDepthwiseConvS8,
                                                "SingleChannelConvS8Dsp",
                                                DspConv<SelectFittedDspSingleChannelConv>};
const PlanKernelDef kPlanDspDepthwiseConvRowsS8{PlanKernel::kDepthwiseConvS8,
                                                "DepthwiseConvRowsS8Dsp",
                                                DspConv<SelectFittedDspDepthwiseConvRows>};
const PlanKernelDef kPlanDspDepthwiseConvS8{PlanKernel::kDepthwiseConvS8, "DepthwiseConvS8Dsp",
                                            DspConv<SelectFittedDspDepthwiseConv>};
const PlanKernelDef kPlanDspFullyConnectedS8{PlanKernel::kFullyConnectedS8,
                                             "FullyConnectedS8Dsp", DspFullyConnected};

namespace {

// The DSP twins, then the portable kernels (PortablePlanKernels: the tail).
const PlanKernelDef* const kAllDefs[] = {
    &kPlanDspConvS8,          &kPlanDspSingleChannelConvS8, &kPlanDspDepthwiseConvRowsS8,
    &kPlanDspDepthwiseConvS8, &kPlanDspFullyConnectedS8,    &kPlanQuantizeLinearToS8,
    &kPlanDequantizeLinearS8, &kPlanConvS8,                 &kPlanDepthwiseConvS8,
    &kPlanMaxPoolS8,          &kPlanAveragePoolS8,          &kPlanFullyConnectedS8,
    &kPlanSoftmaxS8};
constexpr uint32_t kDspDefs = 5;
constexpr uint32_t kAllDefCount = sizeof(kAllDefs) / sizeof(kAllDefs[0]);

}  // namespace

const PlanKernelSet& AllPlanKernels() {
  static const PlanKernelSet kSet{kAllDefs, kAllDefCount};
  return kSet;
}

const PlanKernelSet& PortablePlanKernels() {
  static const PlanKernelSet kSet{kAllDefs + kDspDefs, kAllDefCount - kDspDefs};
  return kSet;
}

}  // namespace tinyonnx
