// A host stand-in for the part of RT-Thread's API the package uses, so that
// the OS layer and the msh commands build and run on the PC in the tests
// (threads are pthreads, the heap is malloc, the console is stdout, a
// command is registered by MSH_CMD_EXPORT in a table host_shell runs from).
// Not part of the package: RT-Thread's own rtthread.h replaces it there.
#pragma once

#include <cstddef>
#include <cstdint>

#include "rtconfig.h"

using rt_size_t = size_t;
using rt_tick_t = uint32_t;
using rt_int32_t = int32_t;

#define RT_NULL nullptr
#define RT_TICK_PER_SECOND 1000
#define RT_WAITING_FOREVER (-1)
#define RT_IPC_FLAG_PRIO 1

struct rt_thread {
  void* stack_addr;
  uint32_t stack_size;
};
using rt_thread_t = rt_thread*;
struct rt_semaphore;
using rt_sem_t = rt_semaphore*;

void* rt_malloc(rt_size_t size);
void rt_free(void* memory);
void rt_kputs(const char* text);
int rt_strcmp(const char* a, const char* b);
rt_tick_t rt_tick_get();
void rt_enter_critical();
void rt_exit_critical();

rt_thread_t rt_thread_create(const char* name, void (*entry)(void*), void* parameter,
                             uint32_t stack_size, uint8_t priority, uint32_t tick);
int rt_thread_startup(rt_thread_t thread);
rt_thread_t rt_thread_self();

rt_sem_t rt_sem_create(const char* name, uint32_t value, uint8_t flag);
int rt_sem_take(rt_sem_t sem, rt_int32_t timeout);
int rt_sem_release(rt_sem_t sem);
int rt_sem_delete(rt_sem_t sem);

namespace rtt_host {

using Command = int (*)(int argc, char** argv);
// Adds a command to the table host_shell looks names up in.
struct CommandRegistration {
  CommandRegistration(const char* name, Command command);
};
Command FindCommand(const char* name);

}  // namespace rtt_host

#define MSH_CMD_EXPORT(command, description) \
  const rtt_host::CommandRegistration command##_registration(#command, command);
