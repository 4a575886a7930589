// Strided copies: the dense output is a strided view of the input,
//   out[i0, ..., in] = in[offset + i0*stride0 + ... + in*striden].
// Transpose (the input's strides permuted) and Slice (strides scaled by the
// steps, the offset at the starts) are both this one computation. The kernel
// moves bytes, so it serves every element type.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

struct StridedCopyParams {
  int32_t rank = 1;                      // after merging axes; >= 1
  int32_t dims[kMaxRank] = {};           // output dims
  ptrdiff_t src_strides[kMaxRank] = {};  // bytes; negative for reversed axes
  ptrdiff_t src_offset = 0;              // bytes from the input's start
  uint32_t element_size = 0;
  int64_t count = 0;  // output elements; 0 means nothing to copy
};

// Fills `params` from the copy described per output axis (dims, source
// strides and offset in elements). Axes of size 1 are dropped and
// neighbouring axes that walk the source contiguously are merged, so an
// identity permutation or a slice of whole rows becomes one run.
void PlanStridedCopy(int rank, const int32_t* dims, const int64_t* src_strides, int64_t src_offset,
                     size_t element_size, StridedCopyParams* params);

// True when the copy reads the input front to back as one run: the output
// is then the input's bytes and the op may alias instead of copying.
bool IsPlainCopy(const StridedCopyParams& params);

// Kernel (kernels/reference/strided_copy.cc).
void StridedCopy(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
