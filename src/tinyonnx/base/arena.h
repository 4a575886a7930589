// The caller-provided memory block every model lives in.
//
// Layout (like TensorFlow Lite Micro's): persistent allocations (kernel
// parameters, folded constants, the plan) grow down from the top; temporary
// allocations used while preparing (the graph IR among them) grow up from the
// bottom and are released before the activations are laid out there by the
// memory planner.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tinyonnx {

class Arena {
 public:
  Arena() = default;
  Arena(void* buffer, size_t size);

  // Returns nullptr when the arena is exhausted; callers report how much was
  // needed (see persistent_used / temp_used).
  void* AllocatePersistent(size_t size, size_t alignment);
  void* AllocateTemp(size_t size, size_t alignment);
  template <typename T>
  T* NewPersistentArray(size_t count) {
    return static_cast<T*>(AllocatePersistent(sizeof(T) * count, alignof(T)));
  }
  template <typename T>
  T* NewTempArray(size_t count) {
    return static_cast<T*>(AllocateTemp(sizeof(T) * count, alignof(T)));
  }

  // Temp allocations made after `mark` are released.
  size_t TempMark() const { return head_; }
  void ReleaseTemp(size_t mark) { head_ = mark; }
  // Persistent allocations made after `mark` are released (the parameters
  // of a node that fusion removes right after its prepare).
  size_t PersistentMark() const { return tail_; }
  void ReleasePersistent(size_t mark) { tail_ = mark; }

  uint8_t* base() const { return base_; }
  size_t size() const { return size_; }
  size_t persistent_used() const { return size_ - tail_; }
  size_t temp_used() const { return head_; }
  size_t temp_high_water() const { return temp_high_water_; }
  // Most bytes in use at once (temp + persistent): what Prepare needs even
  // when the activations and the final persistent region take less.
  size_t peak_used() const { return peak_used_; }
  // Bytes between the temp head and the persistent tail.
  size_t available() const { return tail_ - head_; }
  // Offset from base() at which the activation region must end.
  size_t persistent_start() const { return tail_; }

 private:
  void NotePeak();

  uint8_t* base_ = nullptr;
  size_t size_ = 0;
  size_t head_ = 0;
  size_t tail_ = 0;
  size_t temp_high_water_ = 0;
  size_t peak_used_ = 0;
};

}  // namespace tinyonnx
