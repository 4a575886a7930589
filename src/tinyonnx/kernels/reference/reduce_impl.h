// The reduction and ArgMax loops, written once for every element type;
// reduce_float.cc and reduce_int.cc instantiate them.
#pragma once

#include <limits>

#include "tinyonnx/kernels/reduce.h"

namespace tinyonnx {
namespace reduce_impl {

// A reduction: the value an empty output starts from, how an element folds
// in, and what is done to the result once everything is folded in.
struct Sum {
  template <typename T>
  static T Identity() {
    return T(0);
  }
  template <typename T>
  static T Combine(T a, T b) {
    return a + b;
  }
  template <typename T>
  static T Finish(T sum, int64_t /*count*/) {
    return sum;
  }
};

struct Mean : Sum {
  template <typename T>
  static T Finish(T sum, int64_t count) {
    // An empty reduction stays 0 rather than dividing by zero.
    return count == 0 ? sum : sum / static_cast<T>(count);
  }
};

struct Max {
  template <typename T>
  static T Identity() {
    return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                : std::numeric_limits<T>::lowest();
  }
  template <typename T>
  static T Combine(T a, T b) {
    return b > a ? b : a;
  }
  template <typename T>
  static T Finish(T max, int64_t /*count*/) {
    return max;
  }
};

// Folds every input element into its output element (see reduce.h).
template <typename Op, typename T>
void Reduce(const ReduceParams& p, const T* in, T* out) {
  for (int64_t i = 0; i < p.out_count; ++i) out[i] = Op::template Identity<T>();
  const int last = p.rank - 1;
  const int32_t run = p.in_dims[last];
  const bool run_reduced = p.out_strides[last] == 0;  // else the run's output is dense
  int32_t index[kMaxRank] = {};
  int64_t out_offset = 0;
  for (int64_t done = 0; done < p.in_count; done += run, in += run) {
    T* o = out + out_offset;
    if (run_reduced) {
      T acc = *o;
      for (int32_t i = 0; i < run; ++i) acc = Op::Combine(acc, in[i]);
      *o = acc;
    } else {
      for (int32_t i = 0; i < run; ++i) o[i] = Op::Combine(o[i], in[i]);
    }
    for (int k = last - 1; k >= 0; --k) {
      out_offset += p.out_strides[k];
      if (++index[k] < p.in_dims[k]) break;
      out_offset -= p.out_strides[k] * p.in_dims[k];
      index[k] = 0;
    }
  }
  for (int64_t i = 0; i < p.out_count; ++i) out[i] = Op::Finish(out[i], p.reduced_count);
}

template <typename T>
void ArgMax(const ArgMaxParams& p, const T* in, int64_t* out) {
  for (int64_t o = 0; o < p.outer; ++o, in += p.axis_dim * p.inner) {
    for (int64_t i = 0; i < p.inner; ++i) {
      const T* x = in + i;
      T best = x[0];
      int64_t best_index = 0;
      for (int32_t a = 1; a < p.axis_dim; ++a) {
        T v = x[a * p.inner];
        if (v > best || (p.select_last_index && v == best)) {
          best = v;
          best_index = a;
        }
      }
      *out++ = best_index;
    }
  }
}

// Kernel entry points over the loops above.
template <typename Op, typename T>
void RunReduce(const void* params, const void* const* inputs, void* const* outputs) {
  Reduce<Op>(*static_cast<const ReduceParams*>(params), static_cast<const T*>(inputs[0]),
             static_cast<T*>(outputs[0]));
}

template <typename T>
void RunArgMax(const void* params, const void* const* inputs, void* const* outputs) {
  ArgMax(*static_cast<const ArgMaxParams*>(params), static_cast<const T*>(inputs[0]),
         static_cast<int64_t*>(outputs[0]));
}

}  // namespace reduce_impl
}  // namespace tinyonnx

// Defines the kernels reduce.h declares for one element type, e.g.
// ReduceSumFloat ... ArgMaxFloat for (Float, float).
#define TINYONNX_DEFINE_REDUCE_KERNELS(Name, T)                                   \
  void ReduceSum##Name(const void* p, const void* const* in, void* const* out) {  \
    reduce_impl::RunReduce<reduce_impl::Sum, T>(p, in, out);                      \
  }                                                                               \
  void ReduceMean##Name(const void* p, const void* const* in, void* const* out) { \
    reduce_impl::RunReduce<reduce_impl::Mean, T>(p, in, out);                     \
  }                                                                               \
  void ReduceMax##Name(const void* p, const void* const* in, void* const* out) {  \
    reduce_impl::RunReduce<reduce_impl::Max, T>(p, in, out);                      \
  }                                                                               \
  void ArgMax##Name(const void* p, const void* const* in, void* const* out) {     \
    reduce_impl::RunArgMax<T>(p, in, out);                                        \
  }
