// The ops the firmware's model needs, and only those: the OpResolver is
// generated from TINYONNX_FIRMWARE_OPS (firmware/CMakeLists.txt) into
// mnist_ops.cc, so every op left out costs no flash (--gc-sections drops its
// Prepare and its kernels).
#pragma once

#include "tinyonnx/graph/op.h"

namespace mnist {

const tinyonnx::OpResolver& Ops();

}  // namespace mnist
