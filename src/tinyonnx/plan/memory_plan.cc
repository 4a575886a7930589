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

// Bytes from the start of a tie's lower buffer to the end of the pair.
size_t TiedExtent(const BufferRequest* buffers, const BufferRequest& upper) {
  const size_t lower = buffers[upper.tied_to].size;
  const size_t end = upper.tie_offset + upper.size;
  return end > lower ? end : lower;
}

// The largest total of buffers alive at one step; a tied pair alive
// together counts with its overlap once.
size_t LowerBound(const BufferRequest* buffers, uint32_t count) {
  int32_t last_step = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (buffers[i].last_step > last_step) last_step = buffers[i].last_step;
  }
  auto alive = [](const BufferRequest& b, int32_t s) { return b.first_step <= s && s <= b.last_step; };
  size_t bound = 0;
  for (int32_t s = 0; s <= last_step; ++s) {
    size_t total = 0;
    for (uint32_t i = 0; i < count; ++i) {
      const BufferRequest& b = buffers[i];
      if (!alive(b, s)) continue;
      total += b.size;
      if (b.tied_to >= 0 && alive(buffers[b.tied_to], s)) {
        total -= b.size + buffers[b.tied_to].size - TiedExtent(buffers, b);
      }
    }
    if (total > bound) bound = total;
  }
  return bound;
}

// True when [start, start + size) during `buffer`'s steps collides with no
// placed buffer.
bool Fits(const BufferRequest* buffers, const size_t* offsets, const uint32_t* placed,
          uint32_t placed_count, const BufferRequest& buffer, size_t start) {
  const size_t size = AlignUp(buffer.size);
  for (uint32_t p = 0; p < placed_count; ++p) {
    const BufferRequest& other = buffers[placed[p]];
    if (!Overlap(buffer, other) || size == 0 || other.size == 0) continue;
    const size_t other_start = offsets[placed[p]];
    if (start + size > other_start && start < other_start + AlignUp(other.size)) return false;
  }
  return true;
}

// The lowest offset for buffer `index` (and the buffer tied to it at
// `tie_offset` above, if `upper` >= 0): offset 0 or the end of a placed
// buffer that collides with either, minus the tie offset for the upper one.
size_t LowestFit(const BufferRequest* buffers, const size_t* offsets, const uint32_t* placed,
                 uint32_t placed_count, uint32_t index, int32_t upper) {
  const BufferRequest& lower = buffers[index];
  size_t best = static_cast<size_t>(-1);
  auto consider = [&](size_t candidate) {
    if (candidate >= best || !Fits(buffers, offsets, placed, placed_count, lower, candidate)) return;
    if (upper >= 0 && !Fits(buffers, offsets, placed, placed_count, buffers[upper],
                            candidate + buffers[upper].tie_offset)) {
      return;
    }
    best = candidate;
  };
  consider(0);
  for (uint32_t c = 0; c < placed_count; ++c) {
    const BufferRequest& other = buffers[placed[c]];
    const size_t end = offsets[placed[c]] + AlignUp(other.size);
    if (Overlap(lower, other)) consider(end);
    if (upper >= 0 && Overlap(buffers[upper], other) && end >= buffers[upper].tie_offset) {
      consider(end - buffers[upper].tie_offset);
    }
  }
  return best;
}

}  // namespace

Status PlanMemory(const BufferRequest* buffers, uint32_t count, Arena& arena,
                  ErrorReporter& errors, size_t* offsets, MemoryPlan* plan) {
  size_t mark = arena.TempMark();
  uint32_t* order = arena.NewTempArray<uint32_t>(count + 1);
  uint32_t* placed = arena.NewTempArray<uint32_t>(count + 1);
  // The upper buffer of each tie, by the index of its lower one.
  int32_t* upper_of = arena.NewTempArray<int32_t>(count + 1);
  if (order == nullptr || placed == nullptr || upper_of == nullptr) {
    return errors.Report(Status::kOutOfMemory, "arena too small to plan %u buffers",
                         static_cast<unsigned>(count));
  }
  SortBySize(buffers, order, count);
  *plan = MemoryPlan();
  for (uint32_t i = 0; i < count; ++i) upper_of[i] = -1;
  for (uint32_t i = 0; i < count; ++i) {
    if (buffers[i].tied_to >= 0) upper_of[buffers[i].tied_to] = static_cast<int32_t>(i);
  }
  uint32_t placed_count = 0;
  auto place = [&](uint32_t index, size_t offset) {
    offsets[index] = offset;
    placed[placed_count++] = index;
    const size_t end = offset + AlignUp(buffers[index].size);
    if (end > plan->peak_bytes) plan->peak_bytes = end;
  };
  for (uint32_t i = 0; i < count; ++i) {
    // A tie is placed as a pair when its larger buffer comes up.
    const uint32_t lower = buffers[order[i]].tied_to >= 0
                               ? static_cast<uint32_t>(buffers[order[i]].tied_to)
                               : order[i];
    bool done = false;
    for (uint32_t p = 0; p < placed_count && !done; ++p) done = placed[p] == lower;
    if (done) continue;
    const int32_t upper = upper_of[lower];
    const size_t offset = LowestFit(buffers, offsets, placed, placed_count, lower, upper);
    place(lower, offset);
    if (upper >= 0) place(static_cast<uint32_t>(upper), offset + buffers[upper].tie_offset);
  }
  plan->lower_bound = LowerBound(buffers, count);
  arena.ReleaseTemp(mark);
  return Status::kOk;
}

}  // namespace tinyonnx
