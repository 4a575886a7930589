// Template definitions for weight_layout.h.
#pragma once

#include <stdexcept>

namespace tinyonnx::quantize {

template <typename T>
std::vector<T> TransposeTensor(const std::vector<T>& values, const std::vector<int64_t>& dims,
                               const std::vector<int64_t>& perm, std::vector<int64_t>* out_dims) {
  const size_t rank = dims.size();
  if (perm.size() != rank) throw std::invalid_argument("TransposeTensor: perm and dims differ in rank");
  std::vector<int64_t> in_strides(rank, 1);
  for (size_t a = rank; a-- > 1;) in_strides[a - 1] = in_strides[a] * dims[a];
  out_dims->assign(rank, 0);
  for (size_t a = 0; a < rank; ++a) (*out_dims)[a] = dims[static_cast<size_t>(perm[a])];
  std::vector<T> out(values.size());
  std::vector<int64_t> index(rank, 0);  // position in the output
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t source = 0;
    for (size_t a = 0; a < rank; ++a) source += index[a] * in_strides[static_cast<size_t>(perm[a])];
    out[i] = values[static_cast<size_t>(source)];
    for (size_t a = rank; a-- > 0;) {
      if (++index[a] < (*out_dims)[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

}  // namespace tinyonnx::quantize
