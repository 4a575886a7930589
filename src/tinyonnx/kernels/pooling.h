// Pooling parameters, shared by MaxPool, AveragePool and the global pools.
#pragma once

#include <cstdint>

#include "tinyonnx/kernels/window.h"

namespace tinyonnx {

struct PoolParams {
  int32_t planes = 0;  // batch * channels; each plane is pooled on its own
  // Global pools use only window.input: all spatial axes flattened into one
  // axis, reduced to a single value per plane.
  WindowGeometry window;
  // AveragePool: divide by the taps inside the explicit padding too, not
  // only by those inside the input.
  bool count_include_pad = false;
  // MaxPool's optional Indices output (output 1, int64): the flat input
  // index of each maximum, row-major (storage_order 0) or column-major over
  // the spatial axes (1).
  bool write_indices = false;
  bool column_major_indices = false;
};

// inputs: X; outputs: Y[, Indices] (Indices only when write_indices).
void MaxPoolFloat(const void* params, const void* const* inputs, void* const* outputs);
void MaxPoolInt8(const void* params, const void* const* inputs, void* const* outputs);
void MaxPoolUint8(const void* params, const void* const* inputs, void* const* outputs);
// inputs: X; outputs: Y.
void AveragePoolFloat(const void* params, const void* const* inputs, void* const* outputs);
void GlobalAveragePoolFloat(const void* params, const void* const* inputs, void* const* outputs);
void GlobalMaxPoolFloat(const void* params, const void* const* inputs, void* const* outputs);
void GlobalMaxPoolInt8(const void* params, const void* const* inputs, void* const* outputs);
void GlobalMaxPoolUint8(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
