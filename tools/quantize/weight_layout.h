// Weight layouts the int8 kernels read (DESIGN.md, "Layout"): Conv weights
// channels-last (OHWI, depthwise [1, kH, kW, C]) with the Transpose that
// restores ONNX's OIHW, and Gemm columns reordered for a channels-last
// Flatten.
#pragma once

#include <cstdint>
#include <vector>

namespace tinyonnx::quantize {

// A Conv weight as stored in the file and the Transpose perm that turns it
// back into ONNX's [O, I, k...] layout.
struct StoredConvWeight {
  std::vector<int8_t> values;
  std::vector<int64_t> dims;
  std::vector<int64_t> perm_to_onnx;
};

// `oihw` has dims [O, I, k1, ..., kn] (n >= 1).
//   regular:   stored [O, k1, ..., kn, I], perm (0, n+1, 1, ..., n)    (OHWI; 0,3,1,2 in 2-D)
//   depthwise: I must be 1; stored [1, k1, ..., kn, O], perm (n+1, 0, 1, ..., n)   (3,0,1,2 in 2-D)
StoredConvWeight StoreConvWeightChannelsLast(const std::vector<int8_t>& oihw, const std::vector<int64_t>& dims,
                                             bool depthwise);

// Applies a Transpose perm (output axis i is input axis perm[i]) to a
// row-major tensor; used to check the stored layouts.
template <typename T>
std::vector<T> TransposeTensor(const std::vector<T>& values, const std::vector<int64_t>& dims,
                               const std::vector<int64_t>& perm, std::vector<int64_t>* out_dims);

// Gemm weights [rows, C*H*W] whose columns follow a Flatten of NCHW
// (column c*H*W + h*W + w), reordered for a Flatten of NHWC (column
// (h*W + w)*C + c).
std::vector<float> PermuteColumnsToChannelsLast(const std::vector<float>& weights, int64_t rows, int64_t channels,
                                                int64_t height, int64_t width);

}  // namespace tinyonnx::quantize

#include "weight_layout_inl.h"
