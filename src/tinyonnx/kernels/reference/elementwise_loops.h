// Loop templates of the reference elementwise kernels. An op is a functor
// with a static Apply(); these templates make it a kernel for one element
// type, and the tables built from them list the kernels of each op.
#pragma once

#include <cstdint>

#include "tinyonnx/kernels/elementwise.h"
#include "tinyonnx/kernels/reference/element_types.h"

namespace tinyonnx {

// y[i] = Op::Apply(x[i], params).
template <typename T, typename Op>
void UnaryKernel(const void* params, const void* const* inputs, void* const* outputs) {
  // A local copy: the compiler may then keep the op's constants in
  // registers, since stores to y cannot change them.
  const UnaryParams p = *static_cast<const UnaryParams*>(params);
  const T* x = static_cast<const T*>(inputs[0]);
  T* y = static_cast<T*>(outputs[0]);
  for (int32_t i = 0; i < p.count; ++i) y[i] = Op::Apply(x[i], p);
}

// Calls `run` for each innermost run of `step` with the element offsets of
// the run's start in a, b and out (kernels/reference/broadcast.cc).
using BroadcastRunFn = void (*)(const BroadcastStep& step, const void* a, const void* b, void* out,
                                int32_t a_offset, int32_t b_offset, int32_t out_offset);
void ForEachBroadcastRun(const BroadcastStep& step, const void* a, const void* b, void* out,
                         BroadcastRunFn run);

// One run: out[k] = Op::Apply(a[k or 0], b[k or 0]). `out` may be the
// buffer of a or b (in place); each element is read before it is written.
template <typename TA, typename TB, typename Op>
void ApplyBroadcastRun(const BroadcastStep& step, const void* a, const void* b, void* out,
                       int32_t a_offset, int32_t b_offset, int32_t out_offset) {
  const TA* x = static_cast<const TA*>(a) + a_offset;
  const TB* y = static_cast<const TB*>(b) + b_offset;
  TA* z = static_cast<TA*>(out) + out_offset;
  const int inner = step.rank - 1;
  const int32_t n = step.dims[inner];
  if (step.a_strides[inner] == 0) {
    const TA scalar = *x;
    for (int32_t k = 0; k < n; ++k) z[k] = Op::Apply(scalar, y[k]);
  } else if (step.b_strides[inner] == 0) {
    const TB scalar = *y;
    for (int32_t k = 0; k < n; ++k) z[k] = Op::Apply(x[k], scalar);
  } else {
    for (int32_t k = 0; k < n; ++k) z[k] = Op::Apply(x[k], y[k]);
  }
}

// out = in0 op in1 (op in2 ...); the output has the first operand's type.
template <typename TA, typename TB, typename Op>
void BroadcastKernel(const void* params, const void* const* inputs, void* const* outputs) {
  const BroadcastParams& p = *static_cast<const BroadcastParams*>(params);
  BroadcastRunFn run = ApplyBroadcastRun<TA, TB, Op>;
  ForEachBroadcastRun(p.steps[0], inputs[0], inputs[1], outputs[0], run);
  for (int32_t k = 1; k < p.step_count; ++k) {
    ForEachBroadcastRun(p.steps[k], outputs[0], inputs[k + 1], outputs[0], run);
  }
}

// Kernel tables: one entry per element type in Ts.
template <typename Op, typename... Ts>
struct UnaryKernelTable {
  static constexpr ElementwiseKernel kEntries[] = {
      {DTypeOf<Ts>(), DType::kUndefined, UnaryKernel<Ts, Op>}...};
};

template <typename Op, typename... Ts>
struct BroadcastKernelTable {
  static constexpr ElementwiseKernel kEntries[] = {
      {DTypeOf<Ts>(), DType::kUndefined, BroadcastKernel<Ts, Ts, Op>}...};
};

template <typename Table>
constexpr ElementwiseKernels MakeKernels(const char* op) {
  return {op, Table::kEntries,
          static_cast<int>(sizeof(Table::kEntries) / sizeof(Table::kEntries[0]))};
}

}  // namespace tinyonnx
