// On-target test of the Cortex-M port itself (ports/cortex-m): what the
// startup code promises before main, semihosting, and the fault handlers.
//
//   port_test_<board>.elf check FILE SIZE   startup and semihosting checks;
//                                           FILE must be SIZE bytes long
//   port_test_<board>.elf div0              integer division by zero
//   port_test_<board>.elf ldrd              LDRD from an unaligned address
//   port_test_<board>.elf vldr              VLDR from an unaligned address (FPU builds)
//   port_test_<board>.elf bus               a load from unmapped memory
//   port_test_<board>.elf overflow          unbounded recursion (stack overflow)
//
// `check` exits 0 when all holds; the fault modes must end in the fault
// handler (exit status 240 + exception number), which tests/target checks.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "console.h"
#include "cortex_m.h"
#include "semihosting.h"

using tinyonnx::port::Print;

namespace {

int g_failures = 0;

void Check(bool ok, const char* what) {
  Print("%s  %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++g_failures;
}

// Startup: .data copied from flash, .bss zeroed, constructors run.
volatile uint32_t g_data = 0x5EED1234u;
volatile uint32_t g_bss[64];
volatile int g_constructed = 0;
struct Constructed {
  Constructed() { g_constructed = static_cast<int>(g_data & 0xFF); }
};
Constructed g_constructor_runs;

uint32_t ParseUnsigned(const char* text) {
  uint32_t v = 0;
  for (; *text >= '0' && *text <= '9'; ++text) v = v * 10 + static_cast<uint32_t>(*text - '0');
  return v;
}

int CheckAll(const char* path, uint32_t size) {
  Check(g_data == 0x5EED1234u, ".data holds its initial value");
  bool zero = true;
  for (uint32_t v : const_cast<uint32_t(&)[64]>(g_bss)) zero = zero && v == 0;
  Check(zero, ".bss is zero");
  Check(g_constructed == 0x34, "static constructors ran before main");

  volatile float x = 2.0f;
  float root = std::sqrt(x);
  Check(std::fabs(root * root - 2.0f) < 1e-6f, "float arithmetic (FPU enabled, or soft float)");
  volatile double y = 1e-3;
  Check(std::fabs(std::exp(std::log(y)) - 1e-3) < 1e-15, "double arithmetic and libm");
#if defined(__ARM_FP)
  uint32_t cpacr = *reinterpret_cast<volatile uint32_t*>(0xE000ED88u);
  Check(((cpacr >> 20) & 0xF) == 0xF, "CPACR grants CP10 and CP11 full access");
#endif
  uint32_t ccr = *reinterpret_cast<volatile uint32_t*>(0xE000ED14u);
  Check((ccr & (1u << 4)) != 0, "CCR.DIV_0_TRP is set");

  int32_t handle = sh_open(path, SH_MODE_READ_BINARY);
  Check(handle >= 0, "SYS_OPEN opens a host file");
  if (handle >= 0) {
    int32_t length = sh_flen(handle);
    Check(length == static_cast<int32_t>(size), "SYS_FLEN gives its size");
    uint8_t chunk[500];  // odd size: several reads, the last one short
    uint32_t total = 0;
    int32_t got;
    while ((got = sh_read(handle, chunk, sizeof(chunk))) > 0) total += static_cast<uint32_t>(got);
    Check(got == 0 && total == size, "SYS_READ reads it to the end");
    Check(sh_seek(handle, 1) == 0 && sh_read(handle, chunk, 1) == 1, "SYS_SEEK");
    Check(sh_close(handle) == 0, "SYS_CLOSE");
  }
  Check(sh_open("/nonexistent/tinyonnx", SH_MODE_READ_BINARY) < 0, "SYS_OPEN fails on a missing file");

  uint32_t used = tinyonnx_stack_used();
  Check(used > 0 && used < tinyonnx_stack_size(), "stack painting measures the stack in use");
  Print("stack: %u of %u bytes used\n", static_cast<unsigned>(used),
        static_cast<unsigned>(tinyonnx_stack_size()));
  Print("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return g_failures == 0 ? 0 : 1;
}

// Each frame writes all of its 64 bytes: no step over the stack guard.
__attribute__((noinline)) int Recurse(int depth) {
  volatile uint32_t frame[16];
  for (volatile uint32_t& word : frame) word = static_cast<uint32_t>(depth);
  return Recurse(depth + 1) + static_cast<int>(frame[depth & 15]);
}

alignas(8) volatile uint8_t g_bytes[16];

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && strcmp(argv[1], "check") == 0) return CheckAll(argv[2], ParseUnsigned(argv[3]));
  if (argc == 2 && strcmp(argv[1], "div0") == 0) {
    volatile int zero = 0;
    return 10 / zero;
  }
  if (argc == 2 && strcmp(argv[1], "ldrd") == 0) {
    uint32_t lo, hi;
    const volatile uint8_t* p = g_bytes + 1;
    __asm__ volatile("ldrd %0, %1, [%2]" : "=r"(lo), "=r"(hi) : "r"(p) : "memory");
    return static_cast<int>(lo + hi);
  }
#if defined(__ARM_FP)
  if (argc == 2 && strcmp(argv[1], "vldr") == 0) {
    float v;
    const volatile uint8_t* p = g_bytes + 1;
    __asm__ volatile("vldr %0, [%1]" : "=t"(v) : "r"(p) : "memory");
    return static_cast<int>(v);
  }
#endif
  if (argc == 2 && strcmp(argv[1], "bus") == 0) {
    return static_cast<int>(*reinterpret_cast<volatile uint32_t*>(0x3FFFFFF0u));
  }
  if (argc == 2 && strcmp(argv[1], "overflow") == 0) return Recurse(0);
  Print("usage: port_test check FILE SIZE | div0 | ldrd | vldr | bus | overflow\n");
  return 2;
}
