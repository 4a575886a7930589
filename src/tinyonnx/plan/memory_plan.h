// Static memory planning: every activation gets an offset in one arena.
//
// Buffers are placed greedily by size (largest first, each at the lowest
// offset that does not overlap a placed buffer alive at the same time), the
// strategy of TensorFlow Lite Micro's GreedyMemoryPlanner. A buffer may be
// tied to another: placed at a fixed distance above it, so the two overlap
// (a kernel that writes its output over the input rows it has read for the
// last time; see PreparedNode::overlap_gap).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"

namespace tinyonnx {

constexpr size_t kBufferAlignment = 16;

struct BufferRequest {
  size_t size = 0;
  int32_t first_step = 0;  // written at (or alive from) this step
  int32_t last_step = 0;   // last read at this step
  // Placed at offsets[tied_to] + tie_offset (a multiple of kBufferAlignment);
  // a buffer is in at most one tie, and the one it is tied to in none other.
  int32_t tied_to = -1;
  size_t tie_offset = 0;
};

struct MemoryPlan {
  size_t peak_bytes = 0;   // end of the highest placed buffer
  size_t lower_bound = 0;  // largest total of buffers alive at one step
};

// Writes an offset for each buffer into offsets[]. Uses temp memory only.
Status PlanMemory(const BufferRequest* buffers, uint32_t count, Arena& arena,
                  ErrorReporter& errors, size_t* offsets, MemoryPlan* plan);

}  // namespace tinyonnx
