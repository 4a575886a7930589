// Turns a TensorProto view into a constant Value: shape, dtype and data.
#pragma once

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

// Data stored as raw_data or as a packed float/double run is used in place
// when it is aligned for its element type. Varint-encoded data (int32_data,
// int64_data, uint64_data) and unaligned data are decoded into the arena's
// persistent region; `copied_bytes` grows by what that costs.
Status MaterializeTensor(const TensorView& view, Arena& arena, ErrorReporter& errors,
                         Value* value, size_t* copied_bytes);

}  // namespace tinyonnx
