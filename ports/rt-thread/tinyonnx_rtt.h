// The RT-Thread layer of tinyonnx: model bytes from a DFS file (an SD card)
// read once into one buffer, or linked into flash; the arena of each model
// from a static pool or one rt_malloc; console output through rt_kputs;
// inference in its own thread with the stack configured in menuconfig.
//
// Every model gets its own bytes, arena and Interpreter, and the core keeps
// no global state, so two models in two threads never interfere.
#pragma once

#include <rtthread.h>

#include <cstddef>
#include <cstdint>

#include "tinyonnx/graph/op.h"

namespace tinyonnx::rtt {

// The model bytes. Weights are read in place, so they must outlive every
// Interpreter made from them.
class ModelBytes {
 public:
  ModelBytes() = default;
  ModelBytes(const ModelBytes&) = delete;
  ModelBytes& operator=(const ModelBytes&) = delete;
  ~ModelBytes();

  // "flash": the model linked into flash (menuconfig), else a file read
  // whole into one rt_malloc'd buffer. False after printing why.
  bool Open(const char* path);
  bool ReadFile(const char* path);
  // Bytes linked into flash, used where they are.
  void UseFlash(const uint8_t* data, size_t size);

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* owned_ = nullptr;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// One model's arena (PKG_TINYONNX_ARENA_SIZE bytes): a slot of the static pool,
// or a single rt_malloc (PKG_TINYONNX_ARENA_FROM_HEAP). Given back on
// destruction.
class ArenaLease {
 public:
  ArenaLease() = default;
  ArenaLease(const ArenaLease&) = delete;
  ArenaLease& operator=(const ArenaLease&) = delete;
  ~ArenaLease();

  // False after printing why (heap exhausted, every static slot in use).
  bool Acquire();
  void* data() const { return data_; }
  size_t size() const { return data_ != nullptr ? kSize : 0; }

  static constexpr size_t kSize = PKG_TINYONNX_ARENA_SIZE;

 private:
  void* data_ = nullptr;
  int slot_ = -1;
};

// Runs job(context) in a new thread with PKG_TINYONNX_THREAD_STACK_SIZE bytes of
// stack and PKG_TINYONNX_THREAD_PRIORITY, and waits until it returns. False
// after printing why if the thread could not be started. `stack_used`, if
// given, is raised to the bytes of stack the job used.
bool RunInThread(const char* name, void (*job)(void*), void* context,
                 uint32_t* stack_used = nullptr);

// Starts `count` (at most 2) threads at once, job(contexts[i]) each, and
// waits for all.
bool RunInThreads(const char* name, void (*job)(void*), void* const* contexts, int count,
                  uint32_t* stack_used = nullptr);

// The ops chosen in menuconfig (float and/or int8 kernels).
const OpResolver& PackageOps();

// printf-style output to the console (tinyonnx's own formatter: %f works
// without a float-capable rt_kprintf).
void Print(const char* format, ...) __attribute__((format(printf, 1, 2)));
// A TextSink (report/model_report.h) writing to the console.
void ConsoleSink(void* context, const char* text);

// Milliseconds since boot, at the resolution of the OS tick.
uint32_t Milliseconds();

}  // namespace tinyonnx::rtt
