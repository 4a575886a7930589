// Proves that Prepare and Invoke allocate nothing on the heap: every
// operator new and malloc of this process is counted while they run.
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "host_tensor.h"
#include "tinyonnx/runtime/interpreter.h"

extern "C" void* __libc_malloc(size_t size);
extern "C" void* __libc_calloc(size_t count, size_t size);
extern "C" void* __libc_realloc(void* p, size_t size);

namespace {
bool counting = false;
size_t allocations = 0;
void Count() {
  if (counting) ++allocations;
}
}  // namespace

extern "C" void* malloc(size_t size) {
  Count();
  return __libc_malloc(size);
}
extern "C" void* calloc(size_t count, size_t size) {
  Count();
  return __libc_calloc(count, size);
}
extern "C" void* realloc(void* p, size_t size) {
  Count();
  return __libc_realloc(p, size);
}
void* operator new(size_t size) {
  Count();
  void* p = __libc_malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: no_heap_test MODEL.onnx...\n");
    return 2;
  }
  int failures = 0;
  for (int m = 1; m < argc; ++m) {
    std::vector<uint8_t> model;
    std::string error;
    if (!tinyonnx::tools::ReadFile(argv[m], &model, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 2;
    }
    static uint8_t arena[8 << 20];
    // Sanity check of the counter itself: it must see this allocation.
    counting = true;
    allocations = 0;
    void* probe = std::malloc(16);
    counting = false;
    std::free(probe);
    if (allocations != 1) {
      std::fprintf(stderr, "the allocation counter does not work\n");
      return 2;
    }
    allocations = 0;
    counting = true;
    tinyonnx::Interpreter interpreter(model.data(), model.size(), arena, sizeof(arena));
    tinyonnx::Status prepared = interpreter.Prepare();
    size_t prepare_allocations = allocations;
    allocations = 0;
    tinyonnx::Status invoked = interpreter.Invoke();
    size_t invoke_allocations = allocations;
    counting = false;
    if (prepared != tinyonnx::Status::kOk || invoked != tinyonnx::Status::kOk) {
      std::fprintf(stderr, "%s: %s\n", argv[m], interpreter.error());
      return 2;
    }
    bool ok = prepare_allocations == 0 && invoke_allocations == 0;
    failures += ok ? 0 : 1;
    std::printf("%s %s: %zu heap allocations in Prepare, %zu in Invoke (%u kernel calls)\n",
                ok ? "PASS" : "FAIL", argv[m], prepare_allocations, invoke_allocations,
                interpreter.plan().step_count);
  }
  std::printf("%d passed, %d failed\n", argc - 1 - failures, failures);
  return failures == 0 ? 0 : 1;
}
