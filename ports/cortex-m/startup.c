/* Bare-metal startup for Cortex-M3/M4/M7 (ARMv7-M): the vector table, the
 * reset handler and the fault handlers. No newlib crt0 and no rdimon:
 *
 *   reset: enable the FPU (when built for one), copy .data from flash, zero
 *   .bss, paint the stack (to measure its use), make the lowest 32 bytes of
 *   the stack an MPU no-access guard (a stack overflow faults), trap
 *   divide-by-zero, enable the configurable fault handlers (MemManage,
 *   BusFault, UsageFault), run static constructors, take argc/argv
 *   from the semihosting command line, call main and exit through
 *   semihosting with main's return value as QEMU's exit status.
 *
 *   faults: print the stacked registers and the fault status registers
 *   through semihosting, then exit with status 240 + the exception number
 *   (HardFault 243, MemManage 244, BusFault 245, UsageFault 246); any other
 *   unexpected exception or interrupt exits with 255.
 */
#include <stddef.h>
#include <stdint.h>

#include "cortex_m.h"
#include "semihosting.h"

/* From the linker script (ports/cortex-m/ld/sections.ld). */
extern uint32_t __stack_limit__[], __stack_top__[];
extern uint8_t __stack_guard_size__[]; /* its address is the size */
extern uint32_t __data_load__[], __data_start__[], __data_end__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern void (*__preinit_array_start[])(void);
extern void (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

int main(int argc, char** argv);

/* System control registers (ARMv7-M Architecture Reference Manual, B3.2). */
#define SCB_CPACR (*(volatile uint32_t*)0xE000ED88u)
#define SCB_CCR (*(volatile uint32_t*)0xE000ED14u)
#define SCB_SHCSR (*(volatile uint32_t*)0xE000ED24u)
#define SCB_CFSR (*(volatile uint32_t*)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t*)0xE000ED2Cu)
#define SCB_MMFAR (*(volatile uint32_t*)0xE000ED34u)
#define SCB_BFAR (*(volatile uint32_t*)0xE000ED38u)
#define MPU_TYPE (*(volatile uint32_t*)0xE000ED90u)
#define MPU_CTRL (*(volatile uint32_t*)0xE000ED94u)
#define MPU_RNR (*(volatile uint32_t*)0xE000ED98u)
#define MPU_RBAR (*(volatile uint32_t*)0xE000ED9Cu)
#define MPU_RASR (*(volatile uint32_t*)0xE000EDA0u)

/* The MPU guard at the bottom of the stack: a power of two of at least 32
 * bytes, aligned to its size by the linker script. */
#define STACK_GUARD_BYTES ((uint32_t)(uintptr_t)__stack_guard_size__)
#define STACK_USABLE_BOTTOM (__stack_limit__ + STACK_GUARD_BYTES / sizeof(uint32_t))

#define STACK_PAINT 0x5AC3A55Cu

/* ---- small console helpers that need neither stdio nor the core ---- */

static void put_hex(const char* label, uint32_t value) {
  char text[32];
  size_t n = 0;
  while (label[n] != '\0' && n < 16) {
    text[n] = label[n];
    ++n;
  }
  text[n++] = '0';
  text[n++] = 'x';
  for (int shift = 28; shift >= 0; shift -= 4) text[n++] = "0123456789abcdef"[(value >> shift) & 0xF];
  text[n++] = ' ';
  sh_write(text, n);
}

/* ---- reset ---- */

static char g_cmdline[256];
static char* g_argv[16];

static int split_cmdline(void) {
  int length = sh_get_cmdline(g_cmdline, sizeof(g_cmdline));
  int argc = 0;
  if (length <= 0) {
    g_cmdline[0] = '\0';
    g_argv[argc++] = g_cmdline;
  } else {
    char* p = g_cmdline;
    const int max = (int)(sizeof(g_argv) / sizeof(g_argv[0])) - 1;
    while (*p != '\0' && argc < max) {
      while (*p == ' ') *p++ = '\0';
      if (*p == '\0') break;
      g_argv[argc++] = p;
      while (*p != '\0' && *p != ' ') ++p;
    }
  }
  g_argv[argc] = NULL;
  return argc;
}

__attribute__((noreturn, used)) void tinyonnx_reset_c(void) {
  /* .data and .bss. */
  for (uint32_t *src = __data_load__, *dst = __data_start__; dst < __data_end__;) *dst++ = *src++;
  for (uint32_t* dst = __bss_start__; dst < __bss_end__;) *dst++ = 0;

  /* Paint the unused stack below the current frame so tinyonnx_stack_used()
   * can find the deepest point reached. */
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t* p = STACK_USABLE_BOTTOM; p < sp - 16; ++p) *p = STACK_PAINT;

  /* MPU region 0: the stack guard, no access, never executable; everything
   * else keeps the default memory map (PRIVDEFENA). Skipped without an MPU. */
  if (((MPU_TYPE >> 8) & 0xFFu) != 0) {
    MPU_RNR = 0;
    MPU_RBAR = (uint32_t)(uintptr_t)__stack_limit__;
    uint32_t size_field = (uint32_t)__builtin_ctz(STACK_GUARD_BYTES) - 1; /* 2^(n+1) bytes */
    MPU_RASR = (1u << 28) /* XN */ | (0u << 24) /* AP: no access */ | (size_field << 1) |
               1u /* enable */;
    MPU_CTRL = (1u << 2) /* PRIVDEFENA */ | 1u /* enable */;
  }

  /* Integer division by zero faults instead of giving 0; MemManage, BusFault
   * and UsageFault get their own handlers instead of escalating. */
  SCB_CCR |= 1u << 4; /* DIV_0_TRP */
  SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18);
  __asm__ volatile("dsb\n isb" ::: "memory");

  for (void (**f)(void) = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) (*f)();

  int argc = split_cmdline();
  int status = main(argc, g_argv);
  sh_exit(status);
}

/* The first instructions: enable the FPU before any compiled code can touch
 * it (hard-float code may use s-registers anywhere), then go to C. */
__attribute__((naked, noreturn)) void Reset_Handler(void) {
  __asm__ volatile(
#if defined(__ARM_FP)
      "ldr r0, =0xE000ED88\n"  /* CPACR */
      "ldr r1, [r0]\n"
      "orr r1, r1, #(0xF << 20)\n" /* CP10, CP11: full access */
      "str r1, [r0]\n"
      "dsb\n"
      "isb\n"
#endif
      "ldr r0, =__stack_top__\n"
      "mov sp, r0\n"
      "b tinyonnx_reset_c\n");
}

uint32_t tinyonnx_stack_size(void) {
  return (uint32_t)((uintptr_t)__stack_top__ - (uintptr_t)STACK_USABLE_BOTTOM);
}

uint32_t tinyonnx_stack_used(void) {
  const uint32_t* p = STACK_USABLE_BOTTOM;
  while (p < __stack_top__ && *p == STACK_PAINT) ++p;
  return (uint32_t)((uintptr_t)__stack_top__ - (uintptr_t)p);
}

/* ---- faults ---- */

static const char* exception_name(uint32_t number) {
  switch (number) {
    case 2: return "NMI";
    case 3: return "HardFault";
    case 4: return "MemManage";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    case 11: return "SVCall";
    case 12: return "DebugMonitor";
    case 14: return "PendSV";
    case 15: return "SysTick";
    default: return number >= 16 ? "interrupt" : "reserved exception";
  }
}

static void explain_cfsr(uint32_t cfsr, uint32_t hfsr) {
  static const struct {
    uint32_t bit;
    const char* text;
  } kBits[] = {
      {1u << 0, "IACCVIOL: instruction access violation"},
      {1u << 1, "DACCVIOL: data access violation"},
      {1u << 3, "MUNSTKERR: MemManage fault on unstacking"},
      {1u << 4, "MSTKERR: MemManage fault on stacking"},
      {1u << 7, "MMARVALID: MMFAR holds the address"},
      {1u << 8, "IBUSERR: instruction bus error"},
      {1u << 9, "PRECISERR: precise data bus error"},
      {1u << 10, "IMPRECISERR: imprecise data bus error"},
      {1u << 11, "UNSTKERR: bus fault on unstacking"},
      {1u << 12, "STKERR: bus fault on stacking (stack overflow?)"},
      {1u << 15, "BFARVALID: BFAR holds the address"},
      {1u << 16, "UNDEFINSTR: undefined instruction"},
      {1u << 17, "INVSTATE: invalid state (Thumb bit clear?)"},
      {1u << 18, "INVPC: invalid EXC_RETURN"},
      {1u << 19, "NOCP: coprocessor not present or not enabled (FPU?)"},
      {1u << 24, "UNALIGNED: unaligned access"},
      {1u << 25, "DIVBYZERO: integer division by zero"},
  };
  for (size_t i = 0; i < sizeof(kBits) / sizeof(kBits[0]); ++i) {
    if (cfsr & kBits[i].bit) {
      sh_puts("  ");
      sh_puts(kBits[i].text);
      sh_puts("\n");
    }
  }
  if (hfsr & (1u << 30)) sh_puts("  FORCED: escalated from a configurable fault\n");
  if (hfsr & (1u << 1)) sh_puts("  VECTTBL: bus fault reading the vector table\n");
}

/* frame: the stacked r0-r3, r12, lr, pc, xPSR (or NULL when the stack
 * pointer was outside the usable stack: an overflow). */
__attribute__((noreturn, used)) void tinyonnx_fault_report(const uint32_t* frame,
                                                           uint32_t exc_return) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  uint32_t number = ipsr & 0x1FF;
  uint32_t cfsr = SCB_CFSR, hfsr = SCB_HFSR, mmfar = SCB_MMFAR, bfar = SCB_BFAR;
  sh_puts("\n*** ");
  sh_puts(exception_name(number));
  char digits[4] = {(char)('0' + number / 100 % 10), (char)('0' + number / 10 % 10),
                    (char)('0' + number % 10), '\0'};
  sh_puts(" (exception ");
  sh_puts(number >= 100 ? digits : number >= 10 ? digits + 1 : digits + 2);
  sh_puts(")\n");
  if (frame != NULL) {
    put_hex("pc ", frame[6]);
    put_hex("lr ", frame[5]);
    put_hex("xpsr ", frame[7]);
    sh_puts("\n");
    put_hex("r0 ", frame[0]);
    put_hex("r1 ", frame[1]);
    put_hex("r2 ", frame[2]);
    put_hex("r3 ", frame[3]);
    put_hex("r12 ", frame[4]);
    sh_puts("\n");
  } else {
    sh_puts("stack pointer outside the stack: stack overflow\n");
  }
  put_hex("sp ", (uint32_t)(uintptr_t)frame);
  put_hex("exc_ret ", exc_return);
  sh_puts("\n");
  put_hex("CFSR ", cfsr);
  put_hex("HFSR ", hfsr);
  put_hex("MMFAR ", mmfar);
  put_hex("BFAR ", bfar);
  sh_puts("\n");
  explain_cfsr(cfsr, hfsr);
  sh_exit(number < 15 ? (int)(240 + number) : 255);
}

/* Finds the exception frame (MSP or PSP, from EXC_RETURN bit 2), moves the
 * stack pointer to the top of the stack region (the faulting code's frames
 * are not needed any more, and the stack may have overflowed into the guard)
 * and reports. */
__attribute__((naked, noreturn)) void tinyonnx_fault_entry(void) {
  __asm__ volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "mov r1, lr\n"
      "ldr r2, =__stack_guard_end__\n"
      "ldr r3, =__stack_top__\n"
      "cmp r0, r2\n"
      "it lo\n"
      "movlo r0, #0\n"
      "cmp r0, r3\n"
      "it hs\n"
      "movhs r0, #0\n"
      "mov sp, r3\n"
      "b tinyonnx_fault_report\n");
}

/* ---- C++ runtime pieces a firmware without exceptions still needs ---- */

/* Static destructors are never run (the program ends in sh_exit). */
int __aeabi_atexit(void* object, void (*destructor)(void*), void* dso) {
  (void)object;
  (void)destructor;
  (void)dso;
  return 0;
}
int __cxa_atexit(void (*destructor)(void*), void* object, void* dso) {
  (void)object;
  (void)destructor;
  (void)dso;
  return 0;
}
void* __dso_handle = 0;

__attribute__((noreturn)) void abort(void) {
  sh_puts("\n*** abort()\n");
  sh_exit(134);
}

__attribute__((noreturn)) void __cxa_pure_virtual(void) {
  sh_puts("\n*** pure virtual function called\n");
  sh_exit(134);
}

/* ---- the vector table ---- */

#define VECTORS_SYSTEM 16
#define VECTORS_IRQ 96 /* STM32F405 has 82 interrupts; MPS2 images fewer */

typedef void (*vector_t)(void);

__attribute__((section(".isr_vector"), used)) const vector_t tinyonnx_vectors[VECTORS_SYSTEM +
                                                                              VECTORS_IRQ] = {
    (vector_t)(uintptr_t)__stack_top__,
    Reset_Handler,
    tinyonnx_fault_entry, /* NMI */
    tinyonnx_fault_entry, /* HardFault */
    tinyonnx_fault_entry, /* MemManage */
    tinyonnx_fault_entry, /* BusFault */
    tinyonnx_fault_entry, /* UsageFault */
    0, 0, 0, 0,
    tinyonnx_fault_entry, /* SVCall */
    tinyonnx_fault_entry, /* DebugMonitor */
    0,
    tinyonnx_fault_entry, /* PendSV */
    tinyonnx_fault_entry, /* SysTick */
    [VECTORS_SYSTEM... VECTORS_SYSTEM + VECTORS_IRQ - 1] = tinyonnx_fault_entry,
};
