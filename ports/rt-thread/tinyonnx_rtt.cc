#include "tinyonnx_rtt.h"

#ifdef RT_USING_DFS
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <cstdarg>

#include "tinyonnx/base/format.h"

#if TINYONNX_RTT_FLASH_MODEL
// ports/rt-thread/SConscript generates them from PKG_TINYONNX_FLASH_MODEL.
extern "C" const unsigned char tinyonnx_flash_model[];
extern "C" const size_t tinyonnx_flash_model_size;
#endif

namespace tinyonnx::rtt {
namespace {

#ifndef PKG_TINYONNX_ARENA_FROM_HEAP
// The static arenas, one per model that may run at the same time.
alignas(16) uint8_t g_arena_pool[PKG_TINYONNX_STATIC_ARENAS][PKG_TINYONNX_ARENA_SIZE];
bool g_arena_in_use[PKG_TINYONNX_STATIC_ARENAS];
#endif

// RunInThreads keeps its jobs on its own stack: two are enough for one
// model per thread beside another.
constexpr int kMaxThreads = 2;

struct ThreadJob {
  void (*job)(void*);
  void* context;
  rt_sem_t done;
  uint32_t stack_used = 0;
};

// Bytes of the running thread's stack ever written: RT-Thread fills a new
// stack with '#', and the stack grows down from its end.
uint32_t StackUsed() {
  const rt_thread_t self = rt_thread_self();
  const uint8_t* bottom = static_cast<const uint8_t*>(self->stack_addr);
  uint32_t untouched = 0;
  while (untouched < self->stack_size && bottom[untouched] == '#') ++untouched;
  return self->stack_size - untouched;
}

void ThreadEntry(void* parameter) {
  ThreadJob* t = static_cast<ThreadJob*>(parameter);
  t->job(t->context);
  t->stack_used = StackUsed();
  rt_sem_release(t->done);
}

}  // namespace

ModelBytes::~ModelBytes() { rt_free(owned_); }

bool ModelBytes::Open(const char* path) {
  if (rt_strcmp(path, "flash") != 0) return ReadFile(path);
#if TINYONNX_RTT_FLASH_MODEL
  UseFlash(tinyonnx_flash_model, tinyonnx_flash_model_size);
  return true;
#else
  Print("no model is linked into flash (menuconfig: PKG_TINYONNX_FLASH_MODEL)\n");
  return false;
#endif
}

#ifdef RT_USING_DFS
bool ModelBytes::ReadFile(const char* path) {
  struct stat info;
  if (stat(path, &info) != 0 || info.st_size <= 0) {
    Print("cannot open %s\n", path);
    return false;
  }
  rt_free(owned_);
  data_ = nullptr;
  size_ = 0;
  owned_ = static_cast<uint8_t*>(rt_malloc(static_cast<rt_size_t>(info.st_size)));
  if (owned_ == nullptr) {
    Print("%s: no heap for its %ld bytes\n", path, static_cast<long>(info.st_size));
    return false;
  }
  int fd = open(path, O_RDONLY);
  size_t done = 0;
  while (fd >= 0 && done < static_cast<size_t>(info.st_size)) {
    ssize_t n = read(fd, owned_ + done, static_cast<size_t>(info.st_size) - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  if (fd >= 0) close(fd);
  if (done != static_cast<size_t>(info.st_size)) {
    Print("%s: read %u of %ld bytes\n", path, static_cast<unsigned>(done), static_cast<long>(info.st_size));
    return false;
  }
  data_ = owned_;
  size_ = done;
  return true;
}
#else
bool ModelBytes::ReadFile(const char* path) {
  Print("%s: this image has no file system (RT_USING_DFS)\n", path);
  return false;
}
#endif

void ModelBytes::UseFlash(const uint8_t* data, size_t size) {
  rt_free(owned_);
  owned_ = nullptr;
  data_ = data;
  size_ = size;
}

ArenaLease::~ArenaLease() {
#ifdef PKG_TINYONNX_ARENA_FROM_HEAP
  rt_free(data_);
#else
  if (slot_ >= 0) {
    rt_enter_critical();
    g_arena_in_use[slot_] = false;
    rt_exit_critical();
  }
#endif
}

bool ArenaLease::Acquire() {
#ifdef PKG_TINYONNX_ARENA_FROM_HEAP
  data_ = rt_malloc(kSize);
  if (data_ == nullptr) Print("no heap for a %u-byte arena\n", static_cast<unsigned>(kSize));
#else
  rt_enter_critical();
  for (int i = 0; i < PKG_TINYONNX_STATIC_ARENAS && data_ == nullptr; ++i) {
    if (g_arena_in_use[i]) continue;
    g_arena_in_use[i] = true;
    slot_ = i;
    data_ = g_arena_pool[i];
  }
  rt_exit_critical();
  if (data_ == nullptr) Print("all %d static arenas are in use\n", PKG_TINYONNX_STATIC_ARENAS);
#endif
  return data_ != nullptr;
}

bool RunInThreads(const char* name, void (*job)(void*), void* const* contexts, int count,
                  uint32_t* stack_used) {
  if (count > kMaxThreads) {
    Print("%s: at most %d threads at once\n", name, kMaxThreads);
    return false;
  }
  rt_sem_t done = rt_sem_create(name, 0, RT_IPC_FLAG_PRIO);
  if (done == RT_NULL) {
    Print("%s: cannot create a semaphore\n", name);
    return false;
  }
  ThreadJob jobs[kMaxThreads];
  int started = 0;
  for (int i = 0; i < count; ++i) {
    jobs[i] = ThreadJob{job, contexts[i], done};
    rt_thread_t thread = rt_thread_create(name, ThreadEntry, &jobs[i], PKG_TINYONNX_THREAD_STACK_SIZE,
                                          PKG_TINYONNX_THREAD_PRIORITY, 10);
    if (thread == RT_NULL) {
      Print("%s: cannot create a thread with a %d-byte stack\n", name, PKG_TINYONNX_THREAD_STACK_SIZE);
      break;
    }
    rt_thread_startup(thread);
    ++started;
  }
  for (int i = 0; i < started; ++i) rt_sem_take(done, RT_WAITING_FOREVER);
  rt_sem_delete(done);
  for (int i = 0; stack_used != nullptr && i < started; ++i) {
    if (jobs[i].stack_used > *stack_used) *stack_used = jobs[i].stack_used;
  }
  return started == count;
}

bool RunInThread(const char* name, void (*job)(void*), void* context, uint32_t* stack_used) {
  return RunInThreads(name, job, &context, 1, stack_used);
}

void Print(const char* format, ...) {
  char text[320];  // room for a whole error message of the core (256)
  va_list args;
  va_start(args, format);
  FormatV(text, sizeof(text), format, args);
  va_end(args);
  rt_kputs(text);
}

void ConsoleSink(void*, const char* text) { rt_kputs(text); }

uint32_t Milliseconds() {
  return static_cast<uint32_t>(static_cast<uint64_t>(rt_tick_get()) * 1000u / RT_TICK_PER_SECOND);
}

}  // namespace tinyonnx::rtt
