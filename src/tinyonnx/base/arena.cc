#include "tinyonnx/base/arena.h"

namespace tinyonnx {

Arena::Arena(void* buffer, size_t size)
    : base_(static_cast<uint8_t*>(buffer)), size_(size), head_(0), tail_(size) {
  // Align the usable region's start to 16 bytes so activation offsets that are
  // multiples of 16 give aligned pointers.
  uintptr_t address = reinterpret_cast<uintptr_t>(base_);
  size_t skip = (16 - (address & 15)) & 15;
  if (skip > size_) skip = size_;
  base_ += skip;
  size_ -= skip;
  tail_ = size_;
}

void* Arena::AllocatePersistent(size_t size, size_t alignment) {
  if (size > tail_) return nullptr;
  size_t start = (tail_ - size) & ~(alignment - 1);
  if (start < head_ || start > tail_) return nullptr;
  tail_ = start;
  NotePeak();
  return base_ + start;
}

void* Arena::AllocateTemp(size_t size, size_t alignment) {
  size_t start = (head_ + alignment - 1) & ~(alignment - 1);
  if (start < head_ || start > tail_ || tail_ - start < size) return nullptr;
  head_ = start + size;
  if (head_ > temp_high_water_) temp_high_water_ = head_;
  NotePeak();
  return base_ + start;
}

void Arena::NotePeak() {
  size_t used = head_ + (size_ - tail_);
  if (used > peak_used_) peak_used_ = used;
}

}  // namespace tinyonnx
