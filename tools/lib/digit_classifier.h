// A model that classifies one 28x28 digit image, for `tinyonnx eval` and
// `tinyonnx digit`: any model whose (single) input holds 784 values per
// image ([1,1,28,28], [1,28,28], [1,784], a symbolic batch bound to 1),
// float pixels in [0, 1] (or uint8 0..255), and one output with 10 scores.
#pragma once

#include <array>
#include <string>

#include "session.h"

namespace tinyonnx::tools {

class DigitClassifier {
 public:
  bool Load(const std::string& path, std::string* error);
  // Runs one image: 784 pixels in [0, 1], white ink on black.
  bool Classify(const float* pixels, std::array<float, 10>* scores, std::string* error);
  std::string input_name() const { return input_name_; }
  std::string output_name() const { return output_name_; }
  Session& session() { return session_; }

 private:
  Session session_;
  std::string input_name_, output_name_;
  DType input_dtype_ = DType::kUndefined;
  uint32_t output_index_ = 0;
};

// The scores as probabilities: unchanged when they already are (in [0, 1],
// summing to 1), else their softmax. *was_softmaxed tells which.
std::array<float, 10> AsProbabilities(const std::array<float, 10>& scores, bool* was_softmaxed);
int ArgMax(const std::array<float, 10>& scores);

}  // namespace tinyonnx::tools
