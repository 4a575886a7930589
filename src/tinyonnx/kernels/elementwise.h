// Elementwise ops: the parameters their kernels share and the kernels each
// op has, one per element type.
//
// Unary ops (Relu, Sigmoid, Clip, ...) all take UnaryParams. Binary ops with
// numpy broadcasting (Add, Mul, Pow, PRelu, ...) and the variadic Max/Min
// take BroadcastParams, whose broadcast is resolved at prepare time into
// contiguous runs.
#pragma once

#include <cstdint>

#include "tinyonnx/base/dtype.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct UnaryParams {
  int32_t count = 0;             // elements
  float alpha = 0.0f;            // LeakyRelu and Elu alpha, HardSigmoid slope
  float beta = 0.0f;             // HardSigmoid offset
  float min = -3.402823466e38f;  // Clip bounds of float tensors
  float max = 3.402823466e38f;
  int64_t int_min = 0;  // Clip bounds of integer tensors (uint64 as
  int64_t int_max = 0;  // its bit pattern)
  // Clip reads its bounds from inputs 1 and 2 at run time when they are
  // present (they may be graph inputs); these say which are.
  bool min_input = false;
  bool max_input = false;
};

// One pairwise application out = a op b with both operands broadcast to the
// output's shape. The shape is collapsed: output dims of size 1 are dropped
// and neighbouring dims in which both operands step alike are merged, so
// the innermost dim is a contiguous run in which each operand either
// advances by one element or stays on one (stride 0). Same-shape operands
// collapse to one run, a scalar operand to one run with stride 0, and a
// per-channel bias [C,1,1] on [N,C,H,W] to N*C runs of H*W.
struct BroadcastStep {
  int32_t rank = 1;
  int32_t dims[kMaxRank] = {};
  int32_t a_strides[kMaxRank] = {};  // in elements; 0 where a is broadcast
  int32_t b_strides[kMaxRank] = {};
  int32_t run_count = 0;  // product of all dims but the innermost
};

struct BroadcastParams {
  // Binary ops have one step reading inputs 0 and 1. Max/Min with n inputs
  // have n-1 steps: step k > 0 reads the output and input k+1.
  int32_t step_count = 0;
  const BroadcastStep* steps = nullptr;
};

// The kernel of an op for one element type (and for Pow one exponent type).
struct ElementwiseKernel {
  DType dtype;
  DType second_dtype;  // Pow's exponent type; kUndefined for other ops
  KernelFn fn;
};

struct ElementwiseKernels {
  const char* op;  // for messages
  const ElementwiseKernel* entries;
  int count;

  // The kernel for these dtypes, or nullptr.
  KernelFn Find(DType dtype, DType second_dtype = DType::kUndefined) const {
    for (int k = 0; k < count; ++k) {
      if (entries[k].dtype == dtype && entries[k].second_dtype == second_dtype) {
        return entries[k].fn;
      }
    }
    return nullptr;
  }
};

// Unary ops (kernels/reference/unary_elementwise.cc).
extern const ElementwiseKernels kReluKernels, kLeakyReluKernels, kClipKernels, kSigmoidKernels,
    kTanhKernels, kHardSigmoidKernels, kHardSwishKernels, kEluKernels, kSqrtKernels, kExpKernels,
    kLogKernels, kAbsKernels, kNegKernels, kReciprocalKernels, kFloorKernels, kCeilKernels;

// Broadcasting ops (kernels/reference/binary_elementwise.cc).
extern const ElementwiseKernels kAddKernels, kSubKernels, kMulKernels, kDivKernels, kPowKernels,
    kPReluKernels, kMaxKernels, kMinKernels;

}  // namespace tinyonnx
