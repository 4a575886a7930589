#include "tinyonnx/plan/memory_plan.h"

namespace tinyonnx {
namespace {

size_t AlignUp(size_t n) { return (n + kBufferAlignment - 1) & ~(kBufferAlignment - 1); }

bool Overlap(const BufferRequest& a, const BufferRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

// Insertion sort of buffer indices: largest first, then earliest first.
void SortBySize(const BufferRequest* buffers, uint32_t* order, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) order[i] = i;
  for (uint32_t i = 1; i < count; ++i) {
    uint32_t item = order[i];
    uint32_t j = i;
    while (j > 0) {
      const BufferRequest& a = buffers[order[j - 1]];
      const BufferRequest& b = buffers[item];
      bool before = a.size > b.size || (a.size == b.size && a.first_step <= b.first_step);
      if (before) break;
      order[j] = order[j - 1];
      --j;
    }
    order[j] = item;
  }
}

size_t LowerBound(const BufferRequest* buffers, uint32_t count) {
  int32_t last_step = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (buffers[i].last_step > last_step) last_step = buffers[i].last_step;
  }
  size_t bound = 0;
  for (int32_t s = 0; s <= last_step; ++s) {
    size_t alive = 0;
    for (uint32_t i = 0; i < count; ++i) {
      if (buffers[i].first_step <= s && s <= buffers[i].last_step) alive += buffers[i].size;
    }
    if (alive > bound) bound = alive;
  }
  return bound;
}

}  // namespace

Status PlanMemory(const BufferRequest* buffers, uint32_t count, Arena& arena,
                  ErrorReporter& errors, size_t* offsets, MemoryPlan* plan) {
  size_t mark = arena.TempMark();
  uint32_t* order = arena.NewTempArray<uint32_t>(count + 1);
  uint32_t* placed = arena.NewTempArray<uint32_t>(count + 1);
  if (order == nullptr || placed == nullptr) {
    return errors.Report(Status::kOutOfMemory, "arena too small to plan %u buffers", count);
  }
  SortBySize(buffers, order, count);
  *plan = MemoryPlan();
  uint32_t placed_count = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const BufferRequest& buffer = buffers[order[i]];
    size_t size = AlignUp(buffer.size);
    // Try offset 0, then the end of each conflicting placed buffer; take the
    // lowest candidate that collides with none of them.
    size_t best = static_cast<size_t>(-1);
    for (uint32_t c = 0; c <= placed_count; ++c) {
      size_t candidate = 0;
      if (c < placed_count) {
        const BufferRequest& other = buffers[placed[c]];
        if (!Overlap(buffer, other)) continue;
        candidate = offsets[placed[c]] + AlignUp(other.size);
      }
      if (candidate >= best) continue;
      bool fits = true;
      for (uint32_t p = 0; p < placed_count && fits; ++p) {
        const BufferRequest& other = buffers[placed[p]];
        if (!Overlap(buffer, other)) continue;
        size_t start = offsets[placed[p]];
        size_t end = start + AlignUp(other.size);
        fits = candidate + size <= start || candidate >= end || size == 0 || other.size == 0;
      }
      if (fits) best = candidate;
    }
    offsets[order[i]] = best;
    placed[placed_count++] = order[i];
    if (best + size > plan->peak_bytes) plan->peak_bytes = best + size;
  }
  plan->lower_bound = LowerBound(buffers, count);
  arena.ReleaseTemp(mark);
  return Status::kOk;
}

}  // namespace tinyonnx
