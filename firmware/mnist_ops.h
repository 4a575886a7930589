// The ops the firmware's model needs, and only those: the OpResolver is
// generated from TINYONNX_FIRMWARE_OPS (firmware/CMakeLists.txt) into
// mnist_ops.cc, so every op left out costs no flash (--gc-sections drops its
// Prepare and its kernels). The compiled-plan firmware's kernels likewise
// come from TINYONNX_FIRMWARE_PLAN_KERNELS (mnist_plan_kernels.cc).
#pragma once

#include "tinyonnx/graph/op.h"
#include "tinyonnx/runtime/plan_kernels.h"

namespace mnist {

const tinyonnx::OpResolver& Ops();
const tinyonnx::PlanKernelSet& PlanKernels();

}  // namespace mnist
