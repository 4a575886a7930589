// Reference kernels of the broadcasting elementwise ops: one functor per op,
// made into a kernel per element type by BroadcastKernel.
#include <cmath>
#include <type_traits>

#include "tinyonnx/kernels/reference/elementwise_loops.h"

namespace tinyonnx {
namespace {

// Integer results wrap around on overflow (see WrapType) instead of being
// undefined behaviour.
struct Add {
  template <typename T>
  static T Apply(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<T>(Wrap(a) + Wrap(b));
    } else {
      return a + b;
    }
  }
};

struct Sub {
  template <typename T>
  static T Apply(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<T>(Wrap(a) - Wrap(b));
    } else {
      return a - b;
    }
  }
};

struct Mul {
  template <typename T>
  static T Apply(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<T>(Wrap(a) * Wrap(b));
    } else {
      return a * b;
    }
  }
};

// Integer division truncates toward zero, as in C++ (and PyTorch's exported
// shape arithmetic). Division by zero, which would trap, gives 0, and
// MIN / -1 wraps to MIN.
struct Div {
  template <typename T>
  static T Apply(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return static_cast<T>(0 - Wrap(a));
      }
      return static_cast<T>(a / b);
    } else {
      return a / b;
    }
  }
};

template <typename T>
bool IsNan(T x) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::isnan(x);
  } else {
    return false;
  }
}

// NaN in either operand gives NaN, as in NumPy's maximum.
struct Max {
  template <typename T>
  static T Apply(T a, T b) {
    return (a >= b || IsNan(a)) ? a : b;
  }
};

struct Min {
  template <typename T>
  static T Apply(T a, T b) {
    return (a <= b || IsNan(a)) ? a : b;
  }
};

struct PRelu {
  static float Apply(float x, float slope) { return x < 0.0f ? slope * x : x; }
};

// Integer base to a non-negative integer exponent, by squaring.
template <typename T>
T IntegerPower(T base, int64_t exponent) {
  WrapType<T> result = 1;
  WrapType<T> factor = Wrap(base);
  for (; exponent > 0; exponent >>= 1) {
    if (exponent & 1) result *= factor;
    factor *= factor;
  }
  return static_cast<T>(result);
}

// The result has the base's type. A float base takes any exponent type; an
// integer base with an integer exponent stays exact, and with a float
// exponent the power is computed in double and truncated.
struct Pow {
  template <typename TBase, typename TExponent>
  static TBase Apply(TBase base, TExponent exponent) {
    if constexpr (std::is_floating_point_v<TBase>) {
      // Converting the exponent keeps powf: pow(float, int) is computed in double.
      return std::pow(base, static_cast<TBase>(exponent));
    } else if constexpr (std::is_floating_point_v<TExponent>) {
      return SaturatingTruncate<TBase>(
          std::pow(static_cast<double>(base), static_cast<double>(exponent)));
    } else if (exponent >= 0) {
      return IntegerPower(base, static_cast<int64_t>(exponent));
    } else {
      // 1 / base^n truncated: nonzero only for base 1 and -1.
      if (base == 1) return 1;
      if (base == static_cast<TBase>(-1)) return (exponent & 1) ? base : 1;
      return 0;
    }
  }
};

template <typename TBase, typename TExponent>
constexpr ElementwiseKernel PowEntry() {
  return {DTypeOf<TBase>(), DTypeOf<TExponent>(), BroadcastKernel<TBase, TExponent, Pow>};
}

struct PowKernelTable {
  static constexpr ElementwiseKernel kEntries[] = {
      PowEntry<float, float>(),     PowEntry<float, int32_t>(),  PowEntry<float, int64_t>(),
      PowEntry<float, uint32_t>(),  PowEntry<float, uint64_t>(), PowEntry<int32_t, int32_t>(),
      PowEntry<int32_t, int64_t>(), PowEntry<int32_t, float>(),  PowEntry<int64_t, int32_t>(),
      PowEntry<int64_t, int64_t>(), PowEntry<int64_t, float>(),
  };
};

// The element types of arithmetic: float, and the integers that models use
// for shapes, indices and raw bytes.
template <typename Op>
using ArithmeticTable = BroadcastKernelTable<Op, float, int8_t, uint8_t, int32_t, int64_t>;
// Comparisons cost little per type, so Max/Min take every numeric type.
template <typename Op>
using ComparisonTable = BroadcastKernelTable<Op, float, double, int8_t, uint8_t, int16_t, uint16_t,
                                             int32_t, uint32_t, int64_t, uint64_t>;

}  // namespace

const ElementwiseKernels kAddKernels = MakeKernels<ArithmeticTable<Add>>("Add");
const ElementwiseKernels kSubKernels = MakeKernels<ArithmeticTable<Sub>>("Sub");
const ElementwiseKernels kMulKernels = MakeKernels<ArithmeticTable<Mul>>("Mul");
const ElementwiseKernels kDivKernels = MakeKernels<ArithmeticTable<Div>>("Div");
const ElementwiseKernels kMaxKernels = MakeKernels<ComparisonTable<Max>>("Max");
const ElementwiseKernels kMinKernels = MakeKernels<ComparisonTable<Min>>("Min");
const ElementwiseKernels kPReluKernels = MakeKernels<BroadcastKernelTable<PRelu, float>>("PRelu");
const ElementwiseKernels kPowKernels = MakeKernels<PowKernelTable>("Pow");

}  // namespace tinyonnx
