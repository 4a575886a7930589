// An MNIST digit classifier on the tinyonnx Interpreter: 28x28 uint8 pixels
// in, ten probabilities out. Shared by the firmware, the on-target tests and
// the host helper that computes their expected outputs
// (tests/target/host/reference.cc), so both sides feed the model the same
// way. Uses only the core: no heap, no stdio.
//
// Any model whose one input holds 784 values (float pixels in [0, 1] or
// uint8 0..255) and with a float output of 10 scores; scores that are not
// already probabilities get a softmax, as `tinyonnx digit` does.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/runtime/interpreter.h"

namespace mnist {

constexpr int kSide = 28;
constexpr int kPixels = kSide * kSide;
constexpr int kClasses = 10;

class Classifier {
 public:
  Classifier(const void* model, size_t model_size, void* arena, size_t arena_size,
             const tinyonnx::OpResolver& resolver)
      : interpreter_(model, model_size, arena, arena_size, resolver) {}

  // Builds and plans the model; on failure error() says why.
  bool Prepare(const tinyonnx::BuildOptions& options = tinyonnx::BuildOptions());
  // Runs one image (row-major, white ink on black).
  bool Classify(const uint8_t pixels[kPixels], float probabilities[kClasses]);
  // Fills the model's input from the image (Classify's first half; the
  // benchmark fills it before every Invoke of its own).
  void SetInput(const uint8_t pixels[kPixels]);

  const char* error() const { return error_ != nullptr ? error_ : interpreter_.error(); }
  const tinyonnx::Interpreter& interpreter() const { return interpreter_; }
  tinyonnx::Interpreter& interpreter() { return interpreter_; }
  bool softmax_applied() const { return softmaxed_; }

 private:
  tinyonnx::Interpreter interpreter_;
  const char* error_ = nullptr;
  uint32_t output_ = 0;
  bool softmaxed_ = false;
};

// The scores as probabilities: unchanged when they already are (each in
// [0, 1], summing to 1 within 1e-3), else their softmax.
void AsProbabilities(const float scores[kClasses], float probabilities[kClasses],
                     bool* softmaxed);
int ArgMax(const float values[kClasses]);

}  // namespace mnist
