#include "tinyonnx/kernels/reference/max_pool.h"

namespace tinyonnx {

void MaxPoolFloat(const void* params, const void* const* inputs, void* const* outputs) {
  MaxPool<float>(*static_cast<const PoolParams*>(params), inputs, outputs);
}

void GlobalMaxPoolFloat(const void* params, const void* const* inputs, void* const* outputs) {
  GlobalMaxPool<float>(*static_cast<const PoolParams*>(params), inputs, outputs);
}

}  // namespace tinyonnx
