// The prepare shared by ReduceSum, ReduceMean and ReduceMax, and the kernel
// choice they share with ArgMax.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/reduce.h"

namespace tinyonnx {

// The kernel in `table` for input 0's dtype; else kUnsupported listing the
// dtypes there are kernels for.
Status ChooseReduceKernel(OpContext& ctx, const ReduceKernel* table, size_t count,
                          KernelFn* kernel);

// Axes are the attribute `axes` before `axes_input_opset` and a constant
// input from it on (where noop_with_empty_axes also applies). No axes means
// all axes; keepdims (default 1) keeps reduced axes as size 1.
Status PrepareReduce(OpContext& ctx, int64_t axes_input_opset, const ReduceKernel* table,
                     size_t count);

}  // namespace tinyonnx
