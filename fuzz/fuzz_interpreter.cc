// libFuzzer target: load + plan + one Invoke, as a device would run a model:
// an Interpreter over the bytes with a fixed 1 MiB arena, every input filled
// with a deterministic pattern.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tinyonnx/runtime/interpreter.h"

namespace {

alignas(16) uint8_t g_arena[1 << 20];

void Fill(const tinyonnx::TensorRef& ref) {
  using tinyonnx::DType;
  const int64_t n = ref.ElementCount();
  for (int64_t i = 0; i < n; ++i) {
    const int v = static_cast<int>((i * 37 + 11) % 29) - 14;  // -14 .. 14
    switch (ref.dtype) {
      case DType::kFloat: ref.data<float>()[i] = static_cast<float>(v) * 0.125f; break;
      case DType::kInt64: ref.data<int64_t>()[i] = v < 0 ? -v : v; break;
      case DType::kInt32: ref.data<int32_t>()[i] = v < 0 ? -v : v; break;
      case DType::kInt8: ref.data<int8_t>()[i] = static_cast<int8_t>(v * 9); break;
      case DType::kUint8: ref.data<uint8_t>()[i] = static_cast<uint8_t>(v * 9 + 128); break;
      case DType::kBool: ref.data<uint8_t>()[i] = static_cast<uint8_t>(v & 1); break;
      default: {
        const size_t size = tinyonnx::DTypeSize(ref.dtype);
        std::memset(static_cast<uint8_t*>(ref.raw) + i * size, 0, size);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The interpreter reads the model in place; a copy of exactly `size` bytes
  // lets ASan catch any read past its end.
  std::vector<uint8_t> model(data, data + size);
  tinyonnx::Interpreter interpreter(model.data(), model.size(), g_arena, sizeof(g_arena));
  if (interpreter.Prepare() != tinyonnx::Status::kOk) return 0;
  for (uint32_t i = 0; i < interpreter.input_count(); ++i) {
    const tinyonnx::TensorRef ref = interpreter.input(i);
    if (ref.raw != nullptr) Fill(ref);
  }
  (void)interpreter.Invoke();
  return 0;
}
