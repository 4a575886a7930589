#include "mnist_model.h"

#include <cmath>

namespace mnist {

const char* CheckDigitInput(uint32_t input_count, const tinyonnx::TensorRef& input) {
  if (input_count != 1) return "the model must have one input (a 28x28 image)";
  if (input.ElementCount() != kPixels ||
      (input.dtype != tinyonnx::DType::kFloat && input.dtype != tinyonnx::DType::kUint8)) {
    return "the model's input must be 784 float (or uint8) pixels";
  }
  return nullptr;
}

bool IsDigitScores(const tinyonnx::TensorRef& output) {
  return output.ElementCount() == kClasses && output.dtype == tinyonnx::DType::kFloat;
}

void FillInput(const tinyonnx::TensorRef& input, const uint8_t pixels[kPixels]) {
  if (input.dtype == tinyonnx::DType::kFloat) {
    float* x = input.data<float>();
    for (int i = 0; i < kPixels; ++i) x[i] = pixels[i] / 255.0f;
  } else {
    uint8_t* x = input.data<uint8_t>();
    for (int i = 0; i < kPixels; ++i) x[i] = pixels[i];
  }
}

void AsProbabilities(const float scores[kClasses], float probabilities[kClasses],
                     bool* softmaxed) {
  // Single precision throughout: a Cortex-M4F has no double-precision FPU.
  float sum = 0.0f;
  bool in_range = true;
  float top = scores[0];
  for (int i = 0; i < kClasses; ++i) {
    sum += scores[i];
    in_range = in_range && scores[i] >= 0.0f && scores[i] <= 1.0f;
    if (scores[i] > top) top = scores[i];
  }
  if (in_range && std::fabs(sum - 1.0f) < 1e-3f) {
    for (int i = 0; i < kClasses; ++i) probabilities[i] = scores[i];
    *softmaxed = false;
    return;
  }
  float total = 0.0f;
  for (int i = 0; i < kClasses; ++i) total += probabilities[i] = std::exp(scores[i] - top);
  for (int i = 0; i < kClasses; ++i) probabilities[i] /= total;
  *softmaxed = true;
}

int ArgMax(const float values[kClasses]) {
  int best = 0;
  for (int i = 1; i < kClasses; ++i) {
    if (values[i] > values[best]) best = i;
  }
  return best;
}

}  // namespace mnist
