// Fully connected, int8: Y[r, n] from X[r, :] and the weight row W[n, :]
// (Gemm with transB = 1, MatMul with its B rearranged to [N, K]); and the
// numpy-matmul batches of it.
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {
namespace {

template <typename Store, bool kFilterOffset>
struct FullyConnectedLoops {
  static void Run(const FullyConnectedS8Params& p, const int8_t* x, typename Store::Type* y) {
    const ChannelQuantization& q = p.quant;
    const int32_t depth = p.input_depth;
    for (int32_t r = 0; r < p.rows; ++r) {
      const int8_t* in = x + r * depth;
      for (int32_t n = 0; n < p.output_depth; ++n) {
        const int8_t* w = p.weights + n * depth;
        const int32_t filter_offset = kFilterOffset ? q.filter_offset[n] : 0;
        int32_t acc = 0;
        for (int32_t k = 0; k < depth; ++k) acc += (in[k] + q.input_offset) * (w[k] + filter_offset);
        Store::Store(y + r * p.output_depth + n, acc, q, n);
      }
    }
  }
};

template <typename Store>
void Batched(const void* params, const void* const* inputs, void* const* outputs) {
  const BatchedFullyConnectedS8Params& p = *static_cast<const BatchedFullyConnectedS8Params*>(params);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  auto* y = static_cast<typename Store::Type*>(outputs[0]);
  FullyConnectedS8Params fc = p.fc;
  const int32_t x_matrix = fc.rows * fc.input_depth;
  const int32_t w_matrix = fc.output_depth * fc.input_depth;
  const int32_t y_matrix = fc.rows * fc.output_depth;
  int32_t index[kMaxRank] = {};
  for (int32_t b = 0; b < p.batch_count; ++b) {
    int32_t x_matrices = 0;
    int32_t w_matrices = 0;
    for (int32_t i = 0; i < p.batch_rank; ++i) {
      x_matrices += index[i] * p.x_strides[i];
      w_matrices += index[i] * p.w_strides[i];
    }
    fc.weights = p.fc.weights + w_matrices * w_matrix;
    const void* in[1] = {x + x_matrices * x_matrix};
    void* out[1] = {y + b * y_matrix};
    RunAccumulatingKernel<FullyConnectedLoops, Store, FullyConnectedS8Params>(&fc, in, out);
    for (int32_t i = p.batch_rank - 1; i >= 0 && ++index[i] == p.batch_dims[i]; --i) index[i] = 0;
  }
}

}  // namespace

void FullyConnectedS8(const void* params, const void* const* inputs, void* const* outputs) {
  RunAccumulatingKernel<FullyConnectedLoops, StoreRequantized, FullyConnectedS8Params>(params, inputs,
                                                                                       outputs);
}

void FullyConnectedS8ToS32(const void* params, const void* const* inputs, void* const* outputs) {
  RunAccumulatingKernel<FullyConnectedLoops, StoreAccumulator, FullyConnectedS8Params>(params, inputs,
                                                                                       outputs);
}

void BatchedFullyConnectedS8(const void* params, const void* const* inputs, void* const* outputs) {
  Batched<StoreRequantized>(params, inputs, outputs);
}

void BatchedFullyConnectedS8ToS32(const void* params, const void* const* inputs,
                                  void* const* outputs) {
  Batched<StoreAccumulator>(params, inputs, outputs);
}

}  // namespace tinyonnx
