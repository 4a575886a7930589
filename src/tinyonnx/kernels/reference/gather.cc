#include "tinyonnx/kernels/gather.h"

#include <cstring>

namespace tinyonnx {
namespace {

// See gather.h: indices out of range are made safe, never read past the data.
template <typename Index>
void GatherBlocks(const GatherParams& p, const uint8_t* data, const Index* indices, uint8_t* out) {
  const size_t block = p.block_bytes;
  const size_t slab = static_cast<size_t>(p.axis_dim) * block;
  for (int64_t o = 0; o < p.outer; ++o, data += slab) {
    for (int64_t j = 0; j < p.index_count; ++j, out += block) {
      int64_t index = static_cast<int64_t>(indices[j]);
      if (index < 0) index += p.axis_dim;
      if (index < 0) index = 0;
      if (index >= p.axis_dim) index = p.axis_dim - 1;
      std::memcpy(out, data + static_cast<size_t>(index) * block, block);
    }
  }
}

}  // namespace

void GatherInt32Indices(const void* params, const void* const* inputs, void* const* outputs) {
  GatherBlocks(*static_cast<const GatherParams*>(params), static_cast<const uint8_t*>(inputs[0]),
               static_cast<const int32_t*>(inputs[1]), static_cast<uint8_t*>(outputs[0]));
}

void GatherInt64Indices(const void* params, const void* const* inputs, void* const* outputs) {
  GatherBlocks(*static_cast<const GatherParams*>(params), static_cast<const uint8_t*>(inputs[0]),
               static_cast<const int64_t*>(inputs[1]), static_cast<uint8_t*>(outputs[0]));
}

}  // namespace tinyonnx
