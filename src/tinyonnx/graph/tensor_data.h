// Turns a TensorProto view into a constant Value: shape, dtype and data.
#pragma once

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

// raw_data is used in place (Value::unaligned tells whether it is aligned for
// its element type), and so is a packed float/double run that is aligned.
// Varint-encoded data (int32_data, int64_data, uint64_data) and unaligned
// packed runs are decoded into the arena's persistent region; `copied_bytes`
// grows by what that costs.
Status MaterializeTensor(const TensorView& view, Arena& arena, ErrorReporter& errors,
                         Value* value, size_t* copied_bytes);

}  // namespace tinyonnx
