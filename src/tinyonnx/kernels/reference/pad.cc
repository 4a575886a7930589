#include "tinyonnx/kernels/pad.h"

#include <cstring>

namespace tinyonnx {
namespace {

// The window position output position `o` of axis `k` reads, or -1 for the
// constant value.
int32_t SourcePosition(const PadParams& p, int k, int32_t o) {
  const int32_t n = p.window[k];
  int32_t s = o - p.before[k];
  if (s >= 0 && s < n) return s;
  switch (p.mode) {
    case PadMode::kConstant: return -1;
    case PadMode::kEdge: return s < 0 ? 0 : n - 1;
    case PadMode::kReflect: {
      // Reflection without repeating the edge has period 2(n-1); pads wider
      // than the window keep bouncing between its ends (as numpy does).
      if (n == 1) return 0;
      const int32_t period = 2 * (n - 1);
      s %= period;
      if (s < 0) s += period;
      return s < n ? s : period - s;
    }
  }
  return -1;
}

void FillValue(const PadParams& p, const uint8_t* value, uint8_t* out, int32_t count) {
  for (int32_t i = 0; i < count; ++i, out += p.element_size) {
    std::memcpy(out, value, p.element_size);
  }
}

// Writes output positions [from, to) of the innermost axis from `row`, the
// start of the source row.
void PadOutsideWindow(const PadParams& p, const uint8_t* value, const uint8_t* row, uint8_t* out,
                      int32_t from, int32_t to) {
  const int last = p.rank - 1;
  for (int32_t o = from; o < to; ++o, out += p.element_size) {
    int32_t s = SourcePosition(p, last, o);
    if (s < 0) {
      std::memcpy(out, value, p.element_size);
    } else {
      std::memcpy(out, row + s * p.src_strides[last], p.element_size);
    }
  }
}

}  // namespace

void PadBytes(const void* params, const void* const* inputs, void* const* outputs) {
  const PadParams& p = *static_cast<const PadParams*>(params);
  if (p.out_count == 0) return;
  const uint8_t* src = static_cast<const uint8_t*>(inputs[0]) + p.src_offset;
  uint8_t* out = static_cast<uint8_t*>(outputs[0]);
  const uint8_t* value = p.value_from_input ? static_cast<const uint8_t*>(inputs[2]) : p.value;
  const int last = p.rank - 1;
  const int32_t width = p.out_dims[last];
  // The output positions of the innermost axis that read the window
  // directly, [inside_begin, inside_end): one memcpy per row.
  const int32_t inside_begin = p.before[last] < width ? p.before[last] : width;
  const int32_t window_end = p.before[last] + p.window[last];
  const int32_t inside_end = window_end < width ? window_end : width;  // >= inside_begin
  const size_t row_bytes = static_cast<size_t>(width) * p.element_size;
  const int64_t rows = p.out_count / width;
  int32_t index[kMaxRank] = {};
  for (int64_t r = 0; r < rows; ++r, out += row_bytes) {
    // Locate the source row, or find that the row lies in constant padding.
    const uint8_t* row = src;
    for (int k = 0; k < last && row != nullptr; ++k) {
      int32_t s = SourcePosition(p, k, index[k]);
      row = s < 0 ? nullptr : row + s * p.src_strides[k];
    }
    if (row == nullptr) {
      FillValue(p, value, out, width);
    } else {
      PadOutsideWindow(p, value, row, out, 0, inside_begin);
      std::memcpy(out + static_cast<size_t>(inside_begin) * p.element_size, row,
                  static_cast<size_t>(inside_end - inside_begin) * p.element_size);
      PadOutsideWindow(p, value, row, out + static_cast<size_t>(inside_end) * p.element_size,
                       inside_end, width);
    }
    for (int k = last - 1; k >= 0; --k) {
      if (++index[k] < p.out_dims[k]) break;
      index[k] = 0;
    }
  }
}

}  // namespace tinyonnx
