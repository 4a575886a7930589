// Writes the seeds of fuzz_plan into a directory: for each model of
// plan_fuzz_models.h, its index byte and the plan CompileModel writes for it.
//   make_plan_seeds SOURCE_ROOT DIR
#include <cstdio>
#include <string>
#include <vector>

#include "plan_compiler.h"
#include "plan_fuzz_models.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_plan_seeds SOURCE_ROOT DIR\n");
    return 2;
  }
  for (size_t m = 0; m < tinyonnx::fuzz::kPlanFuzzModelCount; ++m) {
    const std::vector<uint8_t> model = tinyonnx::fuzz::ReadPlanFuzzModel(argv[1], m);
    tinyonnx::tools::CompiledModel compiled;
    std::string error;
    if (!tinyonnx::tools::CompileModel(model, &compiled, &error)) {
      std::fprintf(stderr, "make_plan_seeds: %s: %s\n", tinyonnx::fuzz::kPlanFuzzModels[m],
                   error.c_str());
      return 1;
    }
    const std::string path = std::string(argv[2]) + "/plan-" + std::to_string(m);
    std::FILE* out = std::fopen(path.c_str(), "wb");
    const uint8_t index = static_cast<uint8_t>(m);
    const uint8_t* plan = compiled.bytes.data() + compiled.bytes.size() - compiled.plan_bytes;
    const bool written = out != nullptr && std::fwrite(&index, 1, 1, out) == 1 &&
                         std::fwrite(plan, 1, compiled.plan_bytes, out) == compiled.plan_bytes;
    if (out == nullptr || std::fclose(out) != 0 || !written) {
      std::fprintf(stderr, "make_plan_seeds: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
