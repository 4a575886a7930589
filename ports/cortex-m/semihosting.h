/* ARM semihosting: the program asks the debugger (or QEMU) to do I/O on the
 * host with `bkpt 0xAB`. A small layer of our own, independent of newlib's
 * rdimon: console output, the command line, reading files (a stand-in for an
 * SD card) and exiting with a status code.
 *
 * Every call blocks the core until the host answers; on a board without a
 * debugger attached, `bkpt` is a HardFault, so a real firmware would swap
 * this file for a UART and a FAT driver. */
#ifndef TINYONNX_PORTS_CORTEX_M_SEMIHOSTING_H_
#define TINYONNX_PORTS_CORTEX_M_SEMIHOSTING_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Operation numbers (ARM "Semihosting for AArch32 and AArch64", v2.0). */
enum {
  SH_SYS_OPEN = 0x01,
  SH_SYS_CLOSE = 0x02,
  SH_SYS_WRITEC = 0x03,
  SH_SYS_WRITE0 = 0x04,
  SH_SYS_WRITE = 0x05,
  SH_SYS_READ = 0x06,
  SH_SYS_SEEK = 0x0A,
  SH_SYS_FLEN = 0x0C,
  SH_SYS_CLOCK = 0x10,
  SH_SYS_ERRNO = 0x13,
  SH_SYS_GET_CMDLINE = 0x15,
  SH_SYS_EXIT = 0x18,
  SH_SYS_EXIT_EXTENDED = 0x20,
};

/* SYS_OPEN modes (fopen's "r", "rb", "w", "wb", ...). */
enum { SH_MODE_READ_BINARY = 1, SH_MODE_WRITE = 4, SH_MODE_APPEND = 8 };

/* ADP_Stopped_ApplicationExit: the reason code of a normal exit. */
#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026u

/* The raw call: r0 = operation, r1 = argument (a pointer to a parameter
 * block for most operations). Returns r0. */
static inline int32_t sh_call(uint32_t op, const void* arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return (int32_t)r0;
}

/* Console (the host's stdout). */
void sh_write(const char* text, size_t size);
void sh_puts(const char* text); /* no newline added */

/* Files on the host. sh_open returns a handle >= 0, or -1. */
int32_t sh_open(const char* path, uint32_t mode);
int32_t sh_close(int32_t handle);
/* Reads up to `size` bytes; returns the number read (0 at the end), or -1. */
int32_t sh_read(int32_t handle, void* buffer, size_t size);
/* Absolute seek; 0 on success. */
int32_t sh_seek(int32_t handle, uint32_t position);
/* File length in bytes, or -1. */
int32_t sh_flen(int32_t handle);
/* The host's errno after a failed call. */
int32_t sh_errno(void);
/* Centiseconds since the program started (host clock). */
int32_t sh_clock(void);

/* Copies the command line given to the program (QEMU: the
 * -semihosting-config arg=... values joined by spaces) into `buffer`.
 * Returns its length, or -1. */
int32_t sh_get_cmdline(char* buffer, size_t size);

/* Ends the program; QEMU exits with `code` as its own exit status. */
__attribute__((noreturn)) void sh_exit(int code);

#ifdef __cplusplus
}
#endif

#endif /* TINYONNX_PORTS_CORTEX_M_SEMIHOSTING_H_ */
