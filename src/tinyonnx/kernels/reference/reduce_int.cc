#include "tinyonnx/kernels/reference/reduce_impl.h"

namespace tinyonnx {

TINYONNX_DEFINE_REDUCE_KERNELS(Int32, int32_t)
TINYONNX_DEFINE_REDUCE_KERNELS(Int64, int64_t)

}  // namespace tinyonnx
