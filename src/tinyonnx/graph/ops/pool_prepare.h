// Prepare steps shared by the pooling ops (MaxPool, AveragePool,
// GlobalMaxPool, GlobalAveragePool). Their callers have checked the input
// count and dtype.
#pragma once

#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/pooling.h"

namespace tinyonnx {

// Reads the window attributes (with ceil_mode) and sets output 0 (same
// dtype as the input). The caller picks the kernel.
Status PrepareWindowPool(OpContext& ctx, PoolParams** params);

// One window over all spatial axes (any rank >= 2): output [N, C, 1, ...].
// Sets output 0 and the kernel.
Status PrepareGlobalPool(OpContext& ctx, KernelFn kernel);

// The max-pool kernels for the input's dtype (float, int8 or uint8); the
// caller has checked the dtype. Two functions, so an op links only the
// kernels it can pick.
KernelFn WindowedMaxPoolKernel(DType dtype);
KernelFn GlobalMaxPoolKernel(DType dtype);

}  // namespace tinyonnx
