// (c) The whole model loaded from the .onnx bytes: the Interpreter builds
// the graph, fuses and plans it in the arena, and runs it.
#include <cstring>

#include "examples.h"
#include "tinyonnx/base/format.h"
#include "tinyonnx/runtime/interpreter.h"

namespace examples {

bool ClassifyWithInterpreter(const uint8_t* model, size_t model_size, void* arena,
                             size_t arena_size, const float image[mnist_small::kPixels],
                             float probabilities[mnist_small::kClasses], char* error,
                             size_t error_size) {
  tinyonnx::Interpreter interpreter(model, model_size, arena, arena_size);
  if (interpreter.Prepare() != tinyonnx::Status::kOk) {
    tinyonnx::Format(error, error_size, "%s", interpreter.error());
    return false;
  }
  const tinyonnx::TensorRef input = interpreter.input(0);
  const tinyonnx::TensorRef output = interpreter.output(0);
  if (input.dtype != tinyonnx::DType::kFloat || input.ElementCount() != mnist_small::kPixels ||
      output.dtype != tinyonnx::DType::kFloat || output.ElementCount() != mnist_small::kClasses) {
    tinyonnx::Format(error, error_size, "the model does not map 784 float pixels to 10 floats");
    return false;
  }
  std::memcpy(input.data<float>(), image, sizeof(float) * mnist_small::kPixels);
  if (interpreter.Invoke() != tinyonnx::Status::kOk) {
    tinyonnx::Format(error, error_size, "%s", interpreter.error());
    return false;
  }
  std::memcpy(probabilities, output.data<float>(), sizeof(float) * mnist_small::kClasses);
  return true;
}

}  // namespace examples
