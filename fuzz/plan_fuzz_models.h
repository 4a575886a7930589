// The models fuzz_plan appends its plans to, and make_plan_seeds compiles:
// the fuzz input's first byte picks one (modulo the count), the rest is the
// plan value (plan/plan_format.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace tinyonnx::fuzz {

constexpr const char* kPlanFuzzModels[] = {"models/mnist-small-int8.onnx",
                                           "models/mnist-cnn-int8.onnx"};
constexpr size_t kPlanFuzzModelCount = sizeof(kPlanFuzzModels) / sizeof(kPlanFuzzModels[0]);

// The bytes of kPlanFuzzModels[index] under the source tree `root` (empty
// if unreadable).
inline std::vector<uint8_t> ReadPlanFuzzModel(const std::string& root, size_t index) {
  std::ifstream file(root + "/" + kPlanFuzzModels[index], std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

}  // namespace tinyonnx::fuzz
