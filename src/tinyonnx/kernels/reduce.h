// Reductions over axes (ReduceSum, ReduceMean, ReduceMax) and ArgMax.
//
// A reduction walks the input once, front to back, and folds each element
// into the output element it belongs to: out_strides give each input axis's
// step in the output, 0 on reduced axes. Prepare drops axes of size 1 and
// merges neighbouring axes that are both kept or both reduced, so reducing
// H and W of NCHW is N*C runs of H*W.
#pragma once

#include <cstdint>

#include "tinyonnx/base/dtype.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct ReduceParams {
  int32_t rank = 1;
  int32_t in_dims[kMaxRank] = {};
  int64_t out_strides[kMaxRank] = {};  // elements; 0 on reduced axes
  int64_t in_count = 0;
  int64_t out_count = 0;
  int64_t reduced_count = 0;  // input elements per output element (Mean divides by it)
};

// Data viewed as [outer][axis][inner]; the output holds one int64 index per
// (outer, inner).
struct ArgMaxParams {
  int64_t outer = 0;
  int32_t axis_dim = 0;  // >= 1 whenever the output has elements
  int64_t inner = 0;
  bool select_last_index = false;  // ties go to the last maximum, else the first
};

// Kernels: float32 in kernels/reference/reduce_float.cc, int32 and int64 in
// reduce_int.cc.
void ReduceSumFloat(const void* params, const void* const* inputs, void* const* outputs);
void ReduceMeanFloat(const void* params, const void* const* inputs, void* const* outputs);
void ReduceMaxFloat(const void* params, const void* const* inputs, void* const* outputs);
void ArgMaxFloat(const void* params, const void* const* inputs, void* const* outputs);
void ReduceSumInt32(const void* params, const void* const* inputs, void* const* outputs);
void ReduceMeanInt32(const void* params, const void* const* inputs, void* const* outputs);
void ReduceMaxInt32(const void* params, const void* const* inputs, void* const* outputs);
void ArgMaxInt32(const void* params, const void* const* inputs, void* const* outputs);
void ReduceSumInt64(const void* params, const void* const* inputs, void* const* outputs);
void ReduceMeanInt64(const void* params, const void* const* inputs, void* const* outputs);
void ReduceMaxInt64(const void* params, const void* const* inputs, void* const* outputs);
void ArgMaxInt64(const void* params, const void* const* inputs, void* const* outputs);

// An op's kernel for one element type.
struct ReduceKernel {
  DType dtype;
  KernelFn fn;
};

inline constexpr ReduceKernel kReduceSumKernels[] = {{DType::kFloat, ReduceSumFloat},
                                                     {DType::kInt32, ReduceSumInt32},
                                                     {DType::kInt64, ReduceSumInt64}};
inline constexpr ReduceKernel kReduceMeanKernels[] = {{DType::kFloat, ReduceMeanFloat},
                                                      {DType::kInt32, ReduceMeanInt32},
                                                      {DType::kInt64, ReduceMeanInt64}};
inline constexpr ReduceKernel kReduceMaxKernels[] = {{DType::kFloat, ReduceMaxFloat},
                                                     {DType::kInt32, ReduceMaxInt32},
                                                     {DType::kInt64, ReduceMaxInt64}};
inline constexpr ReduceKernel kArgMaxKernels[] = {
    {DType::kFloat, ArgMaxFloat}, {DType::kInt32, ArgMaxInt32}, {DType::kInt64, ArgMaxInt64}};

}  // namespace tinyonnx
