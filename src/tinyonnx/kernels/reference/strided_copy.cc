#include "tinyonnx/kernels/strided_copy.h"

#include <cstring>

namespace tinyonnx {
namespace {

// Copies `count` elements of N bytes read `stride` bytes apart. memcpy of a
// constant size compiles to one load and store and is safe on unaligned
// addresses.
template <size_t N>
void CopyStridedRun(uint8_t* dst, const uint8_t* src, int32_t count, ptrdiff_t stride) {
  for (int32_t i = 0; i < count; ++i) {
    std::memcpy(dst, src, N);
    dst += N;
    src += stride;
  }
}

void CopyRun(uint8_t* dst, const uint8_t* src, int32_t count, ptrdiff_t stride,
             uint32_t element_size) {
  if (stride == static_cast<ptrdiff_t>(element_size)) {
    std::memcpy(dst, src, static_cast<size_t>(count) * element_size);
    return;
  }
  switch (element_size) {
    case 1: CopyStridedRun<1>(dst, src, count, stride); break;
    case 2: CopyStridedRun<2>(dst, src, count, stride); break;
    case 4: CopyStridedRun<4>(dst, src, count, stride); break;
    default: CopyStridedRun<8>(dst, src, count, stride); break;
  }
}

// The 2-D transpose at the heart of NCHW <-> NHWC: `rows` output rows of
// `cols` elements, where output row r, column c reads source element
// c * col_stride + r (consecutive output rows read consecutive source
// elements). Tiles keep both sides in cache lines instead of striding the
// whole source per output row.
template <size_t N>
void TransposeTiled(uint8_t* dst, const uint8_t* src, int32_t rows, int32_t cols,
                    ptrdiff_t col_stride) {
  constexpr int32_t kTile = 16;
  for (int32_t r0 = 0; r0 < rows; r0 += kTile) {
    int32_t r1 = r0 + kTile < rows ? r0 + kTile : rows;
    for (int32_t c0 = 0; c0 < cols; c0 += kTile) {
      int32_t c1 = c0 + kTile < cols ? c0 + kTile : cols;
      for (int32_t r = r0; r < r1; ++r) {
        uint8_t* out = dst + (static_cast<ptrdiff_t>(r) * cols + c0) * N;
        const uint8_t* in = src + r * static_cast<ptrdiff_t>(N) + c0 * col_stride;
        for (int32_t c = c0; c < c1; ++c, out += N, in += col_stride) std::memcpy(out, in, N);
      }
    }
  }
}

void TransposePlane(uint8_t* dst, const uint8_t* src, int32_t rows, int32_t cols,
                    ptrdiff_t col_stride, uint32_t element_size) {
  switch (element_size) {
    case 1: TransposeTiled<1>(dst, src, rows, cols, col_stride); break;
    case 2: TransposeTiled<2>(dst, src, rows, cols, col_stride); break;
    case 4: TransposeTiled<4>(dst, src, rows, cols, col_stride); break;
    default: TransposeTiled<8>(dst, src, rows, cols, col_stride); break;
  }
}

// True when the two innermost axes are a plain 2-D transpose of a dense
// source plane: the next-to-last output axis walks the source by one
// element and the last by a whole source row of that axis's length.
bool InnerAxesTransposed(const StridedCopyParams& p) {
  if (p.rank < 2) return false;
  const int last = p.rank - 1;
  const ptrdiff_t element = static_cast<ptrdiff_t>(p.element_size);
  return p.src_strides[last - 1] == element && p.src_strides[last] == element * p.dims[last - 1];
}

}  // namespace

void PlanStridedCopy(int rank, const int32_t* dims, const int64_t* src_strides, int64_t src_offset,
                     size_t element_size, StridedCopyParams* params) {
  StridedCopyParams& p = *params;
  p.element_size = static_cast<uint32_t>(element_size);
  p.src_offset = static_cast<ptrdiff_t>(src_offset * static_cast<int64_t>(element_size));
  p.count = 1;
  p.rank = 0;
  for (int k = 0; k < rank; ++k) {
    p.count *= dims[k];
    if (dims[k] == 1) continue;  // never stepped along
    ptrdiff_t stride = static_cast<ptrdiff_t>(src_strides[k] * static_cast<int64_t>(element_size));
    // Axis k continues the previous one when one step of the previous axis
    // equals a full sweep of axis k.
    if (p.rank > 0 && p.src_strides[p.rank - 1] == stride * dims[k]) {
      p.dims[p.rank - 1] *= dims[k];
      p.src_strides[p.rank - 1] = stride;
      continue;
    }
    p.dims[p.rank] = dims[k];
    p.src_strides[p.rank] = stride;
    ++p.rank;
  }
  if (p.rank == 0) {  // a single element
    p.rank = 1;
    p.dims[0] = 1;
    p.src_strides[0] = static_cast<ptrdiff_t>(element_size);
  }
}

bool IsPlainCopy(const StridedCopyParams& params) {
  return params.src_offset == 0 && params.rank == 1 &&
         params.src_strides[0] == static_cast<ptrdiff_t>(params.element_size);
}

void StridedCopy(const void* params, const void* const* inputs, void* const* outputs) {
  const StridedCopyParams& p = *static_cast<const StridedCopyParams*>(params);
  if (p.count == 0) return;
  const uint8_t* src = static_cast<const uint8_t*>(inputs[0]) + p.src_offset;
  uint8_t* dst = static_cast<uint8_t*>(outputs[0]);
  // The innermost one or two axes are copied as a block per step of the
  // outer axes, which an odometer walks.
  const bool plane = InnerAxesTransposed(p);
  const int outer_rank = p.rank - (plane ? 2 : 1);
  const int32_t rows = plane ? p.dims[p.rank - 2] : 1;
  const int32_t cols = p.dims[p.rank - 1];
  const size_t block_bytes = static_cast<size_t>(rows) * cols * p.element_size;
  const int64_t blocks = p.count / (static_cast<int64_t>(rows) * cols);
  int32_t index[kMaxRank] = {};
  ptrdiff_t offset = 0;
  for (int64_t b = 0; b < blocks; ++b) {
    if (plane) {
      TransposePlane(dst, src + offset, rows, cols, p.src_strides[p.rank - 1], p.element_size);
    } else {
      CopyRun(dst, src + offset, cols, p.src_strides[p.rank - 1], p.element_size);
    }
    dst += block_bytes;
    for (int k = outer_rank - 1; k >= 0; --k) {
      offset += p.src_strides[k];
      if (++index[k] < p.dims[k]) break;
      offset -= p.src_strides[k] * p.dims[k];
      index[k] = 0;
    }
  }
}

}  // namespace tinyonnx
