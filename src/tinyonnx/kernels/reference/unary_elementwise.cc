// Reference kernels of the unary elementwise ops: one functor per op, made
// into a kernel per element type by UnaryKernel.
#include <cmath>
#include <limits>
#include <type_traits>

#include "tinyonnx/kernels/reference/elementwise_loops.h"

namespace tinyonnx {
namespace {

// x < 0 (not x > 0) keeps NaN as NaN, like max(x, 0) in NumPy.
struct Relu {
  template <typename T>
  static T Apply(T x, const UnaryParams&) {
    return x < T(0) ? T(0) : x;
  }
};

struct LeakyRelu {
  static float Apply(float x, const UnaryParams& p) { return x < 0.0f ? p.alpha * x : x; }
};

struct Elu {
  static float Apply(float x, const UnaryParams& p) {
    return x < 0.0f ? p.alpha * std::expm1(x) : x;
  }
};

float ClampToUnit(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }

struct HardSigmoid {
  static float Apply(float x, const UnaryParams& p) { return ClampToUnit(p.alpha * x + p.beta); }
};

// HardSwish is x * HardSigmoid(x) with alpha 1/6 and beta 1/2.
struct HardSwish {
  static float Apply(float x, const UnaryParams&) {
    return x * ClampToUnit(x * (1.0f / 6.0f) + 0.5f);
  }
};

struct Sigmoid {
  static float Apply(float x, const UnaryParams&) { return 1.0f / (1.0f + std::exp(-x)); }
};

struct Tanh {
  static float Apply(float x, const UnaryParams&) { return std::tanh(x); }
};

struct Sqrt {
  static float Apply(float x, const UnaryParams&) { return std::sqrt(x); }
};

struct Exp {
  static float Apply(float x, const UnaryParams&) { return std::exp(x); }
};

struct Log {
  static float Apply(float x, const UnaryParams&) { return std::log(x); }
};

struct Reciprocal {
  static float Apply(float x, const UnaryParams&) { return 1.0f / x; }
};

struct Floor {
  static float Apply(float x, const UnaryParams&) { return std::floor(x); }
};

struct Ceil {
  static float Apply(float x, const UnaryParams&) { return std::ceil(x); }
};

// Integers negate in their wrapping type: -INT_MIN is INT_MIN, not UB.
struct Neg {
  template <typename T>
  static T Apply(T x, const UnaryParams&) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<T>(0 - Wrap(x));
    } else {
      return -x;
    }
  }
};

struct Abs {
  template <typename T>
  static T Apply(T x, const UnaryParams& p) {
    if constexpr (std::is_integral_v<T>) {
      return x < 0 ? Neg::Apply(x, p) : x;
    } else {
      return std::fabs(x);
    }
  }
};

// min(max(x, lo), hi): when lo > hi every value becomes hi, as ONNX says.
struct Clip {
  template <typename T>
  static T Apply(T x, const UnaryParams& p) {
    T lo, hi;
    if constexpr (std::is_integral_v<T>) {
      lo = static_cast<T>(p.int_min);
      hi = static_cast<T>(p.int_max);
    } else {
      lo = p.min;
      hi = p.max;
    }
    T low_clamped = x < lo ? lo : x;
    return low_clamped > hi ? hi : low_clamped;
  }
};

// Clip's bounds come from inputs 1 and 2 when present (they may be graph
// inputs, so they are read on every call); integer tensors without a bound
// are clipped to their type's range.
template <typename T>
void LoadClipBounds(const void* const* inputs, UnaryParams* p) {
  if constexpr (std::is_integral_v<T>) {
    p->int_min = p->min_input ? *static_cast<const T*>(inputs[1]) : std::numeric_limits<T>::min();
    p->int_max = p->max_input ? *static_cast<const T*>(inputs[2]) : std::numeric_limits<T>::max();
  } else {
    if (p->min_input) p->min = *static_cast<const T*>(inputs[1]);
    if (p->max_input) p->max = *static_cast<const T*>(inputs[2]);
  }
}

template <typename T>
void ClipKernel(const void* params, const void* const* inputs, void* const* outputs) {
  UnaryParams p = *static_cast<const UnaryParams*>(params);
  LoadClipBounds<T>(inputs, &p);
  UnaryKernel<T, Clip>(&p, inputs, outputs);
}

template <typename... Ts>
struct ClipKernelTable {
  static constexpr ElementwiseKernel kEntries[] = {
      {DTypeOf<Ts>(), DType::kUndefined, ClipKernel<Ts>}...};
};

template <typename Op>
using FloatTable = UnaryKernelTable<Op, float>;
// Ops that are as cheap on signed integers as on floats.
template <typename Op>
using SignedTable = UnaryKernelTable<Op, float, int8_t, int16_t, int32_t, int64_t>;

}  // namespace

const ElementwiseKernels kReluKernels = MakeKernels<SignedTable<Relu>>("Relu");
const ElementwiseKernels kAbsKernels = MakeKernels<SignedTable<Abs>>("Abs");
const ElementwiseKernels kNegKernels = MakeKernels<SignedTable<Neg>>("Neg");
const ElementwiseKernels kClipKernels =
    MakeKernels<ClipKernelTable<float, int8_t, uint8_t, int16_t, int32_t, int64_t>>("Clip");
const ElementwiseKernels kLeakyReluKernels = MakeKernels<FloatTable<LeakyRelu>>("LeakyRelu");
const ElementwiseKernels kEluKernels = MakeKernels<FloatTable<Elu>>("Elu");
const ElementwiseKernels kHardSigmoidKernels = MakeKernels<FloatTable<HardSigmoid>>("HardSigmoid");
const ElementwiseKernels kHardSwishKernels = MakeKernels<FloatTable<HardSwish>>("HardSwish");
const ElementwiseKernels kSigmoidKernels = MakeKernels<FloatTable<Sigmoid>>("Sigmoid");
const ElementwiseKernels kTanhKernels = MakeKernels<FloatTable<Tanh>>("Tanh");
const ElementwiseKernels kSqrtKernels = MakeKernels<FloatTable<Sqrt>>("Sqrt");
const ElementwiseKernels kExpKernels = MakeKernels<FloatTable<Exp>>("Exp");
const ElementwiseKernels kLogKernels = MakeKernels<FloatTable<Log>>("Log");
const ElementwiseKernels kReciprocalKernels = MakeKernels<FloatTable<Reciprocal>>("Reciprocal");
const ElementwiseKernels kFloorKernels = MakeKernels<FloatTable<Floor>>("Floor");
const ElementwiseKernels kCeilKernels = MakeKernels<FloatTable<Ceil>>("Ceil");

}  // namespace tinyonnx
