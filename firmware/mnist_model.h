// An MNIST digit classifier on a tinyonnx interpreter: 28x28 uint8 pixels
// in, ten probabilities out. Shared by the firmware, the on-target tests and
// the host helper that computes their expected outputs
// (tests/target/host/reference.cc), so both sides feed the model the same
// way. Uses only the core: no heap, no stdio.
//
// Any model whose one input holds 784 values (float pixels in [0, 1] or
// uint8 0..255) and with a float output of 10 scores; scores that are not
// already probabilities get a softmax, as `tinyonnx digit` does.
//
// Engine is the Interpreter (builds and plans the graph on the device) or
// the PlanInterpreter (runs a plan compiled on the PC: `tinyonnx compile`).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/runtime/interpreter.h"
#include "tinyonnx/runtime/plan_interpreter.h"

namespace mnist {

constexpr int kSide = 28;
constexpr int kPixels = kSide * kSide;
constexpr int kClasses = 10;

// The scores as probabilities: unchanged when they already are (each in
// [0, 1], summing to 1 within 1e-3), else their softmax.
void AsProbabilities(const float scores[kClasses], float probabilities[kClasses],
                     bool* softmaxed);
int ArgMax(const float values[kClasses]);

// Why a prepared model's inputs cannot take a digit, or nullptr.
const char* CheckDigitInput(uint32_t input_count, const tinyonnx::TensorRef& input);
// Whether an output holds the 10 float scores.
bool IsDigitScores(const tinyonnx::TensorRef& output);
// Writes the image into the model's input (float pixels / 255, or uint8).
void FillInput(const tinyonnx::TensorRef& input, const uint8_t pixels[kPixels]);

inline tinyonnx::Status PrepareEngine(tinyonnx::Interpreter& engine,
                                      const tinyonnx::BuildOptions& options) {
  return engine.Prepare(options);
}
// A compiled plan has nothing left to build: the options do not apply.
inline tinyonnx::Status PrepareEngine(tinyonnx::PlanInterpreter& engine,
                                      const tinyonnx::BuildOptions&) {
  return engine.Prepare();
}

template <class Engine>
class BasicClassifier {
 public:
  // `kernels` is the Engine's op set: an OpResolver or a PlanKernelSet.
  template <class KernelSet>
  BasicClassifier(const void* model, size_t model_size, void* arena, size_t arena_size,
                  const KernelSet& kernels)
      : interpreter_(model, model_size, arena, arena_size, kernels) {}

  // Loads the model; on failure error() says why.
  bool Prepare(const tinyonnx::BuildOptions& options = tinyonnx::BuildOptions()) {
    error_ = nullptr;
    if (PrepareEngine(interpreter_, options) != tinyonnx::Status::kOk) return false;
    error_ = CheckDigitInput(interpreter_.input_count(), interpreter_.input(0));
    if (error_ != nullptr) return false;
    for (output_ = 0; output_ < interpreter_.output_count(); ++output_) {
      if (IsDigitScores(interpreter_.output(output_))) return true;
    }
    error_ = "the model has no float output with 10 scores";
    return false;
  }
  // Runs one image (row-major, white ink on black).
  bool Classify(const uint8_t pixels[kPixels], float probabilities[kClasses]) {
    // Inputs are filled before every Invoke: their buffer may hold activations.
    SetInput(pixels);
    if (interpreter_.Invoke() != tinyonnx::Status::kOk) return false;
    AsProbabilities(interpreter_.output(output_).template data<float>(), probabilities,
                    &softmaxed_);
    return true;
  }
  // Fills the model's input from the image (Classify's first half; the
  // benchmark fills it before every Invoke of its own).
  void SetInput(const uint8_t pixels[kPixels]) { FillInput(interpreter_.input(0), pixels); }

  const char* error() const { return error_ != nullptr ? error_ : interpreter_.error(); }
  const Engine& interpreter() const { return interpreter_; }
  Engine& interpreter() { return interpreter_; }
  bool softmax_applied() const { return softmaxed_; }

 private:
  Engine interpreter_;
  const char* error_ = nullptr;
  uint32_t output_ = 0;
  bool softmaxed_ = false;
};

using Classifier = BasicClassifier<tinyonnx::Interpreter>;
using PlanClassifier = BasicClassifier<tinyonnx::PlanInterpreter>;

}  // namespace mnist
