// mnist_examples: runs one of the three examples on the host, for the test
// that compares them with each other and with `tinyonnx run`.
//
//   mnist_examples header|by-name|interpreter MODEL DIGIT [--save-input IN.npy] [--output OUT.npy]
//
// DIGIT is a built-in test digit (0-9). Prints "The number is N" and the ten
// probabilities; --output writes them as a [1, 10] float32 .npy,
// --save-input the image as the model's [1, 1, 28, 28] input.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "examples.h"
#include "host_tensor.h"

namespace {

using mnist_small::kClasses;
using mnist_small::kPixels;

bool ReadFile(const char* path, std::vector<uint8_t>* bytes) {
  std::ifstream in(path, std::ios::binary);
  bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return in.good() || in.eof();
}

bool WriteFloats(const std::string& path, const float* values, std::vector<int64_t> dims) {
  tinyonnx::tools::HostTensor t;
  t.dtype = tinyonnx::DType::kFloat;
  t.dims = std::move(dims);
  t.data.assign(reinterpret_cast<const uint8_t*>(values),
                reinterpret_cast<const uint8_t*>(values) + t.ElementCount() * sizeof(float));
  std::string error;
  if (tinyonnx::tools::WriteNpy(path, t, &error)) return true;
  std::fprintf(stderr, "mnist_examples: %s\n", error.c_str());
  return false;
}

bool Classify(const std::string& mode, const std::vector<uint8_t>& model, const float* image,
              float* probabilities) {
  static mnist_small::Buffers buffers;
  char error[256] = "";
  if (mode == "header") {
    examples::ClassifyWithHeaderWeights(image, buffers, probabilities);
    return true;
  }
  if (mode == "by-name") {
    static examples::WeightsByName found;
    if (!examples::FindWeightsByName(model.data(), model.size(), &found, error, sizeof(error))) {
      std::fprintf(stderr, "mnist_examples: %s\n", error);
      return false;
    }
    mnist_small::Classify(found.weights, image, buffers, probabilities);
    return true;
  }
  if (mode == "interpreter") {
    static uint8_t arena[128 * 1024];
    if (!examples::ClassifyWithInterpreter(model.data(), model.size(), arena, sizeof(arena), image,
                                           probabilities, error, sizeof(error))) {
      std::fprintf(stderr, "mnist_examples: %s\n", error);
      return false;
    }
    return true;
  }
  std::fprintf(stderr, "mnist_examples: unknown mode %s (header, by-name, interpreter)\n", mode.c_str());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s header|by-name|interpreter MODEL DIGIT [--save-input IN.npy] "
                         "[--output OUT.npy]\n", argv[0]);
    return 2;
  }
  std::string save_input, output;
  for (int i = 4; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--save-input") == 0) save_input = argv[i + 1];
    else if (std::strcmp(argv[i], "--output") == 0) output = argv[i + 1];
  }
  std::vector<uint8_t> model;
  if (!ReadFile(argv[2], &model) || model.empty()) {
    std::fprintf(stderr, "mnist_examples: cannot read %s\n", argv[2]);
    return 1;
  }
  const int digit = std::atoi(argv[3]);
  if (digit < 0 || digit > 9) {
    std::fprintf(stderr, "mnist_examples: DIGIT must be 0-9\n");
    return 2;
  }
  float image[kPixels];
  examples::TestDigitImage(digit, image);
  float probabilities[kClasses];
  if (!Classify(argv[1], model, image, probabilities)) return 1;
  int best = 0;
  for (int c = 0; c < kClasses; ++c) {
    std::printf("%d %.9g\n", c, probabilities[c]);
    if (probabilities[c] > probabilities[best]) best = c;
  }
  std::printf("The number is %d\n", best);
  if (!save_input.empty() && !WriteFloats(save_input, image, {1, 1, 28, 28})) return 1;
  if (!output.empty() && !WriteFloats(output, probabilities, {1, kClasses})) return 1;
  return 0;
}
