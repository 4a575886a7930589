/* ARM semihosting calls (see semihosting.h). */
#include "semihosting.h"

/* The console: ":tt" opened for writing is the host's stdout (SYS_WRITE0 and
 * SYS_WRITEC go to QEMU's semihosting console, which is stderr unless a
 * chardev is configured). The handle is opened on first use and kept: the
 * port's only mutable global besides the stack painting in startup.c. */
static int32_t g_stdout = -1;

static size_t sh_strlen(const char* text) {
  size_t n = 0;
  while (text[n] != '\0') ++n;
  return n;
}

void sh_write(const char* text, size_t size) {
  if (size == 0) return;
  if (g_stdout < 0) g_stdout = sh_open(":tt", SH_MODE_WRITE);
  if (g_stdout < 0) {
    /* No ":tt": fall back to the debug console, one character at a time. */
    for (size_t i = 0; i < size; ++i) sh_call(SH_SYS_WRITEC, &text[i]);
    return;
  }
  uint32_t block[3] = {(uint32_t)g_stdout, (uint32_t)(uintptr_t)text, (uint32_t)size};
  sh_call(SH_SYS_WRITE, block);
}

void sh_puts(const char* text) { sh_write(text, sh_strlen(text)); }

int32_t sh_open(const char* path, uint32_t mode) {
  uint32_t block[3] = {(uint32_t)(uintptr_t)path, mode, (uint32_t)sh_strlen(path)};
  return sh_call(SH_SYS_OPEN, block);
}

int32_t sh_close(int32_t handle) {
  uint32_t block[1] = {(uint32_t)handle};
  return sh_call(SH_SYS_CLOSE, block);
}

int32_t sh_read(int32_t handle, void* buffer, size_t size) {
  uint8_t* out = (uint8_t*)buffer;
  size_t done = 0;
  while (done < size) {
    uint32_t block[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)(out + done),
                         (uint32_t)(size - done)};
    /* SYS_READ returns the number of bytes NOT read. */
    int32_t left = sh_call(SH_SYS_READ, block);
    if (left < 0 || (size_t)left > size - done) return -1;
    size_t got = (size - done) - (size_t)left;
    if (got == 0) break; /* end of file */
    done += got;
  }
  return (int32_t)done;
}

int32_t sh_seek(int32_t handle, uint32_t position) {
  uint32_t block[2] = {(uint32_t)handle, position};
  return sh_call(SH_SYS_SEEK, block);
}

int32_t sh_flen(int32_t handle) {
  uint32_t block[1] = {(uint32_t)handle};
  return sh_call(SH_SYS_FLEN, block);
}

int32_t sh_errno(void) { return sh_call(SH_SYS_ERRNO, 0); }

int32_t sh_clock(void) { return sh_call(SH_SYS_CLOCK, 0); }

int32_t sh_get_cmdline(char* buffer, size_t size) {
  uint32_t block[2] = {(uint32_t)(uintptr_t)buffer, (uint32_t)size};
  if (sh_call(SH_SYS_GET_CMDLINE, block) != 0) return -1;
  return (int32_t)block[1];
}

void sh_exit(int code) {
  /* SYS_EXIT_EXTENDED takes {reason, subcode}; the subcode becomes QEMU's
   * exit status. Hosts without it get plain SYS_EXIT (status 0 or 1). */
  uint32_t block[2] = {SH_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
  sh_call(SH_SYS_EXIT_EXTENDED, block);
  sh_call(SH_SYS_EXIT, (const void*)(uintptr_t)(code == 0 ? SH_ADP_STOPPED_APPLICATION_EXIT
                                                          : 0x20024u /* RunTimeErrorUnknown */));
  for (;;) __asm__ volatile("bkpt 0");
}
