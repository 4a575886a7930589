// libFuzzer target: the PlanInterpreter (runtime/plan_interpreter.h) on a
// plan value the fuzzer writes, appended as the 'tinyonnx.plan' entry to one
// of the int8 MNIST models (plan_fuzz_models.h: the first input byte picks
// the model). Prepare with a fixed 1 MiB arena and, if it loads, every
// input filled with a pattern and one Invoke. Seeds (make_plan_seeds): the
// models' real plans, whose CRC-32 and sizes match, so mutations reach the
// steps' checks and the kernels.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "plan_compiler.h"
#include "plan_fuzz_models.h"
#include "tinyonnx/runtime/plan_interpreter.h"

namespace {

alignas(16) uint8_t g_arena[1 << 20];

const std::vector<uint8_t>& Model(size_t index) {
  static const std::vector<std::vector<uint8_t>> models = [] {
    std::vector<std::vector<uint8_t>> read;
    for (size_t m = 0; m < tinyonnx::fuzz::kPlanFuzzModelCount; ++m) {
      read.push_back(tinyonnx::fuzz::ReadPlanFuzzModel(TINYONNX_ROOT, m));
      if (read.back().empty()) {
        std::fprintf(stderr, "fuzz_plan: cannot read %s/%s\n", TINYONNX_ROOT,
                     tinyonnx::fuzz::kPlanFuzzModels[m]);
        std::abort();
      }
    }
    return read;
  }();
  return models[index];
}

void Fill(const tinyonnx::TensorRef& ref) {
  uint8_t* bytes = static_cast<uint8_t*>(ref.raw);
  for (size_t i = 0; i < ref.ByteSize(); ++i) bytes[i] = static_cast<uint8_t>(i * 37 + 11);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::vector<uint8_t>& model = Model(data[0] % tinyonnx::fuzz::kPlanFuzzModelCount);
  // A copy of exactly the file's size, so ASan sees any read past its end.
  const std::vector<uint8_t> appended = tinyonnx::tools::AppendPlanEntry(model, data + 1, size - 1);
  const std::vector<uint8_t> bytes(appended);
  tinyonnx::PlanInterpreter interpreter(bytes.data(), bytes.size(), g_arena, sizeof(g_arena));
  if (interpreter.Prepare() != tinyonnx::Status::kOk) return 0;
  for (uint32_t i = 0; i < interpreter.input_count(); ++i) Fill(interpreter.input(i));
  (void)interpreter.Invoke();
  return 0;
}
