#include "tinyonnx/kernels/reference/reduce_impl.h"

namespace tinyonnx {

TINYONNX_DEFINE_REDUCE_KERNELS(Float, float)

}  // namespace tinyonnx
