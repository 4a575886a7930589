// The host stand-in's implementation (rtthread.h).
#include <pthread.h>
#include <semaphore.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "rtthread.h"

namespace {

std::mutex g_critical;
thread_local rt_thread_t g_self = nullptr;

struct HostThread {
  rt_thread info;
  void (*entry)(void*);
  void* parameter;
  pthread_t handle;
};

// RT-Thread's idle thread frees a finished thread; here they are joined and
// freed when the program ends (a test runs a handful).
class ThreadReaper {
 public:
  ~ThreadReaper() {
    for (HostThread* t : threads_) {
      pthread_join(t->handle, nullptr);
      std::free(t->info.stack_addr);
      delete t;
    }
  }
  void Add(HostThread* t) {
    std::lock_guard<std::mutex> lock(mutex_);
    threads_.push_back(t);
  }

 private:
  std::mutex mutex_;
  std::vector<HostThread*> threads_;
};

ThreadReaper& Reaper() {
  static ThreadReaper reaper;
  return reaper;
}

void* RunThread(void* argument) {
  HostThread* t = static_cast<HostThread*>(argument);
  g_self = &t->info;
  t->entry(t->parameter);
  return nullptr;
}

std::map<std::string, rtt_host::Command>& Commands() {
  static std::map<std::string, rtt_host::Command> commands;
  return commands;
}

}  // namespace

struct rt_semaphore {
  sem_t sem;
};

void* rt_malloc(rt_size_t size) { return std::malloc(size); }
void rt_free(void* memory) { std::free(memory); }
void rt_kputs(const char* text) { std::fputs(text, stdout); }
int rt_strcmp(const char* a, const char* b) { return std::strcmp(a, b); }
void rt_enter_critical() { g_critical.lock(); }
void rt_exit_critical() { g_critical.unlock(); }

rt_tick_t rt_tick_get() {
  using namespace std::chrono;
  return static_cast<rt_tick_t>(
      duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

// The stack is allocated here and filled with '#', as RT-Thread does, so
// that the OS layer's stack measurement works.
rt_thread_t rt_thread_create(const char*, void (*entry)(void*), void* parameter,
                             uint32_t stack_size, uint8_t, uint32_t) {
  HostThread* t = new HostThread{{std::malloc(stack_size), stack_size}, entry, parameter, {}};
  std::memset(t->info.stack_addr, '#', stack_size);
  return &t->info;
}

int rt_thread_startup(rt_thread_t thread) {
  HostThread* t = reinterpret_cast<HostThread*>(thread);
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstack(&attributes, t->info.stack_addr, t->info.stack_size);
  const int error = pthread_create(&t->handle, &attributes, RunThread, t);
  pthread_attr_destroy(&attributes);
  if (error == 0) Reaper().Add(t);
  return error;
}

rt_thread_t rt_thread_self() { return g_self; }

rt_sem_t rt_sem_create(const char*, uint32_t value, uint8_t) {
  rt_sem_t s = new rt_semaphore;
  sem_init(&s->sem, 0, value);
  return s;
}
int rt_sem_take(rt_sem_t s, rt_int32_t) { return sem_wait(&s->sem); }
int rt_sem_release(rt_sem_t s) { return sem_post(&s->sem); }
int rt_sem_delete(rt_sem_t s) {
  sem_destroy(&s->sem);
  delete s;
  return 0;
}

namespace rtt_host {

CommandRegistration::CommandRegistration(const char* name, Command command) {
  Commands()[name] = command;
}

Command FindCommand(const char* name) {
  auto found = Commands().find(name);
  return found == Commands().end() ? nullptr : found->second;
}

}  // namespace rtt_host
