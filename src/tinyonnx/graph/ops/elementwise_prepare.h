// Prepare steps shared by the elementwise ops. Each op's file passes its
// kernel table (kernels/elementwise.h) and reads its own attributes.
#pragma once

#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/elementwise.h"

namespace tinyonnx {

// The kernel for `dtype`, or a kUnsupported failure naming the dtypes the op
// supports.
Status FindElementwiseKernel(OpContext& ctx, const ElementwiseKernels& kernels, DType dtype,
                             KernelFn* kernel);

// Fails unless all inputs have input 0's dtype.
Status ExpectSameDTypes(OpContext& ctx);

// Input 0 gives output 0 of the same dtype and shape, computed in place if
// the planner can. Inputs 1 to max_inputs-1 are side inputs (Clip's
// bounds) left to the caller. Sets the kernel; the caller may fill in the
// op's constants in *params.
Status PrepareUnary(OpContext& ctx, const ElementwiseKernels& kernels, int max_inputs,
                    UnaryParams** params);

// The prepare of unary ops without attributes.
template <const ElementwiseKernels& kKernels>
Status PrepareUnaryOp(OpContext& ctx) {
  UnaryParams* params;
  return PrepareUnary(ctx, kKernels, 1, &params);
}

// PrepareUnary, then attribute `alpha` (LeakyRelu, Elu, HardSigmoid).
Status PrepareUnaryWithAlpha(OpContext& ctx, const ElementwiseKernels& kernels, float default_alpha,
                             UnaryParams** params);

// *out = the numpy (multidirectional) broadcast of shapes a and b.
Status BroadcastShapes(OpContext& ctx, const Shape& a, const Shape& b, Shape* out);

// Before opset 7, Add, Sub, Mul, Div and Pow broadcast only when attribute
// `broadcast` is 1, aligning B with A at `axis`. Rewrites *b so that the
// numpy broadcast of a and *b gives that result, and fails if B does not
// fit A.
Status ApplyLegacyBroadcast(OpContext& ctx, const Shape& a, Shape* b);

// Sets output 0 to (dtype, shape) and a kernel that folds all inputs into
// it by broadcasting: first inputs 0 and 1, read as shapes a and b (which
// differ from the inputs' own shapes only where an old opset aligns them
// its own way), then each further input (Max, Min). The output may
// overwrite an input of its dtype and shape when that is safe.
Status SetBroadcastKernel(OpContext& ctx, KernelFn kernel, DType dtype, const Shape& a,
                          const Shape& b, const Shape& shape);

// Two inputs of one dtype and one output; *kernel is the op's kernel for
// that dtype.
Status CheckSameTypeBinary(OpContext& ctx, const ElementwiseKernels& kernels, KernelFn* kernel);

// Output 0 of `dtype` is inputs 0 and 1 broadcast together (by the opset's
// rules), computed by `kernel`.
Status SetBinaryBroadcastKernel(OpContext& ctx, KernelFn kernel, DType dtype);

// Add, Sub, Mul, Div: two inputs of one dtype, broadcast together.
Status PrepareArithmetic(OpContext& ctx, const ElementwiseKernels& kernels);

template <const ElementwiseKernels& kKernels>
Status PrepareArithmeticOp(OpContext& ctx) {
  return PrepareArithmetic(ctx, kKernels);
}

// Max, Min: one or more inputs of one dtype, broadcast together.
Status PrepareVariadic(OpContext& ctx, const ElementwiseKernels& kernels);

template <const ElementwiseKernels& kKernels>
Status PrepareVariadicOp(OpContext& ctx) {
  return PrepareVariadic(ctx, kKernels);
}

}  // namespace tinyonnx
