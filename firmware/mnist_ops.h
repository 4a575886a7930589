// The ops the firmware's model needs, and only those: the OpResolver is
// generated from TINYONNX_FIRMWARE_OPS (firmware/CMakeLists.txt) into
// mnist_ops.cc, so every op left out costs no flash (--gc-sections drops its
// Prepare and its kernels). The compiled-plan firmware's kernels likewise
// come from TINYONNX_FIRMWARE_PLAN_KERNELS (mnist_plan_kernels.cc).
#pragma once

#include "mnist_model.h"
#include "tinyonnx/graph/op.h"
#include "tinyonnx/runtime/plan_kernels.h"

namespace mnist {

const tinyonnx::OpResolver& Ops();
const tinyonnx::PlanKernelSet& PlanKernels();

// The classifier of a firmware build and the kernels it is given: the
// PlanInterpreter's with TINYONNX_FIRMWARE_PLAN (mnist_plan), else the
// Interpreter's.
#if TINYONNX_FIRMWARE_PLAN
using FirmwareClassifier = PlanClassifier;
inline const tinyonnx::PlanKernelSet& FirmwareKernels() { return PlanKernels(); }
#else
using FirmwareClassifier = Classifier;
inline const tinyonnx::OpResolver& FirmwareKernels() { return Ops(); }
#endif

}  // namespace mnist
