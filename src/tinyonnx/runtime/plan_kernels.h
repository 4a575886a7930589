// The kernels a PlanInterpreter may run, chosen per step at load time: the
// set lists definitions in order of preference, and the first one of the
// step's PlanKernel that covers its parameters runs it (an optimized twin
// covers only some parameters, its portable kernel all). A firmware lists
// only the kernels its model needs; the others cost no flash.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/graph/graph.h"
#include "tinyonnx/plan/plan_format.h"

namespace tinyonnx {

// A kernel chosen for a step: the function, the parameters it takes (a
// part of the step's parameter struct for some twins) and the scratch it
// needs, whose address goes to *scratch_slot.
struct PlanKernelChoice {
  KernelFn fn = nullptr;  // nullptr: this definition does not cover the parameters
  const void* params = nullptr;
  size_t scratch_bytes = 0;
  void** scratch_slot = nullptr;
};

struct PlanKernelDef {
  PlanKernel kernel;
  const char* name;  // for reports
  PlanKernelChoice (*pick)(void* params);
};

struct PlanKernelSet {
  const PlanKernelDef* const* defs;
  uint32_t count;
};

// Portable kernels (any parameters).
extern const PlanKernelDef kPlanQuantizeLinearToS8, kPlanDequantizeLinearS8, kPlanConvS8,
    kPlanDepthwiseConvS8, kPlanMaxPoolS8, kPlanAveragePoolS8, kPlanFullyConnectedS8,
    kPlanSoftmaxS8;
// Cortex-M DSP twins (kernels/arm/; they cover nothing in builds without
// them). A depthwise Conv with one input channel (an image model's first
// layer) takes SingleChannelConvS8; DepthwiseConvRowsS8 covers the unpooled
// 3x3 shapes with less code than DepthwiseConvS8, which covers them all.
extern const PlanKernelDef kPlanDspConvS8, kPlanDspSingleChannelConvS8,
    kPlanDspDepthwiseConvRowsS8, kPlanDspDepthwiseConvS8, kPlanDspFullyConnectedS8;

// Every definition: the DSP twins first, then the portable kernels.
const PlanKernelSet& AllPlanKernels();
// The portable kernels only (each covers any parameters of its PlanKernel).
const PlanKernelSet& PortablePlanKernels();

}  // namespace tinyonnx
