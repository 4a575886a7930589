#include "weight_layout.h"

#include <string>

#include "quant_math.h"

namespace tinyonnx::quantize {

StoredConvWeight StoreConvWeightChannelsLast(const std::vector<int8_t>& oihw, const std::vector<int64_t>& dims,
                                             bool depthwise) {
  const int64_t rank = static_cast<int64_t>(dims.size());
  if (rank < 3) throw QuantizeError("Conv weights need rank 3 or more, have " + std::to_string(rank));
  if (depthwise && dims[1] != 1) {
    throw QuantizeError("depthwise Conv weights need one input channel per group, have " + std::to_string(dims[1]));
  }
  // to_stored: the Transpose from OIHW to the stored layout.
  std::vector<int64_t> to_stored;
  StoredConvWeight stored;
  if (depthwise) {
    to_stored.push_back(1);
    for (int64_t a = 2; a < rank; ++a) to_stored.push_back(a);
    to_stored.push_back(0);
    stored.perm_to_onnx.push_back(rank - 1);
    for (int64_t a = 0; a < rank - 1; ++a) stored.perm_to_onnx.push_back(a);
  } else {
    to_stored.push_back(0);
    for (int64_t a = 2; a < rank; ++a) to_stored.push_back(a);
    to_stored.push_back(1);
    stored.perm_to_onnx = {0, rank - 1};
    for (int64_t a = 1; a < rank - 1; ++a) stored.perm_to_onnx.push_back(a);
  }
  stored.values = TransposeTensor(oihw, dims, to_stored, &stored.dims);
  return stored;
}

std::vector<float> PermuteColumnsToChannelsLast(const std::vector<float>& weights, int64_t rows, int64_t channels,
                                                int64_t height, int64_t width) {
  const int64_t columns = channels * height * width;
  if (rows * columns != static_cast<int64_t>(weights.size())) {
    throw QuantizeError("Gemm weights have " + std::to_string(weights.size()) + " values, expected " +
                        std::to_string(rows) + " x " + std::to_string(columns));
  }
  std::vector<float> out(weights.size());
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = weights.data() + r * columns;
    float* permuted = out.data() + r * columns;
    for (int64_t c = 0; c < channels; ++c) {
      for (int64_t p = 0; p < height * width; ++p) permuted[p * channels + c] = row[c * height * width + p];
    }
  }
  return out;
}

}  // namespace tinyonnx::quantize
