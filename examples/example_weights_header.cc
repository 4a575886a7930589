// (a) The hand-built network with its weights compiled in: the header is
// written by `tinyonnx export-header models/mnist-small.onnx
// -o examples/mnist_small_weights.h`, and nothing is read at run time.
#include "examples.h"
#include "mnist_small_weights.h"

namespace examples {

void ClassifyWithHeaderWeights(const float image[mnist_small::kPixels], mnist_small::Buffers& buffers,
                               float probabilities[mnist_small::kClasses]) {
  static const mnist_small::Weights kWeights = {
      {{onnx_Conv_64, onnx_Conv_65},
       {onnx_Conv_67, onnx_Conv_68},
       {onnx_Conv_70, onnx_Conv_71},
       {onnx_Conv_73, onnx_Conv_74},
       {onnx_Conv_76, onnx_Conv_77},
       {onnx_Conv_79, onnx_Conv_80}},
      {model_22_weight, model_22_bias}};
  mnist_small::Classify(kWeights, image, buffers, probabilities);
}

}  // namespace examples
