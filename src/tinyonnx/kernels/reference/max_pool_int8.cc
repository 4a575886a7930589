// MaxPool on int8 and uint8 tensors: the maximum needs no requantization, so
// input and output share the quantization parameters.
#include "tinyonnx/kernels/reference/max_pool.h"

namespace tinyonnx {

void MaxPoolInt8(const void* params, const void* const* inputs, void* const* outputs) {
  MaxPool<int8_t>(*static_cast<const PoolParams*>(params), inputs, outputs);
}

void MaxPoolUint8(const void* params, const void* const* inputs, void* const* outputs) {
  MaxPool<uint8_t>(*static_cast<const PoolParams*>(params), inputs, outputs);
}

void GlobalMaxPoolInt8(const void* params, const void* const* inputs, void* const* outputs) {
  GlobalMaxPool<int8_t>(*static_cast<const PoolParams*>(params), inputs, outputs);
}

void GlobalMaxPoolUint8(const void* params, const void* const* inputs, void* const* outputs) {
  GlobalMaxPool<uint8_t>(*static_cast<const PoolParams*>(params), inputs, outputs);
}

}  // namespace tinyonnx
