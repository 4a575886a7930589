#include "mnist_small_network.h"

#include "tinyonnx/kernels/conv.h"
#include "tinyonnx/kernels/gemm.h"
#include "tinyonnx/kernels/pooling.h"
#include "tinyonnx/kernels/softmax.h"

namespace mnist_small {
namespace {

using tinyonnx::ConvParams;
using tinyonnx::GemmParams;
using tinyonnx::PoolParams;
using tinyonnx::SoftmaxParams;

// Windows have three axes (depth, height, width); these 2-D layers leave
// depth at 1.
constexpr int kH = 1, kW = 2;

// A 3x3 (pad 1) or 1x1 convolution of a side x side map, stride 1, with its
// bias and the ReLU that follows it (the ReLU as a clamp at 0).
void ConvRelu(int in_channels, int out_channels, int group, int kernel, int side,
              const LayerWeights& w, const float* x, float* y) {
  ConvParams p;
  p.batch = 1;
  p.in_channels = in_channels;
  p.out_channels = out_channels;
  p.group = group;
  for (int axis : {kH, kW}) {
    p.window.input[axis] = p.window.output[axis] = side;
    p.window.kernel[axis] = kernel;
    p.window.pad_begin[axis] = p.window.pad_end[axis] = kernel / 2;
  }
  p.pointwise = kernel == 1;
  p.epilogue.bias = w.bias;
  p.epilogue.channels = out_channels;
  p.epilogue.min = 0.0f;
  const void* inputs[] = {x, w.weights};
  void* outputs[] = {y};
  tinyonnx::ConvFloat(&p, inputs, outputs);
}

// 2x2 max pooling, stride 2.
void MaxPool2(int channels, int side, const float* x, float* y) {
  PoolParams p;
  p.planes = channels;
  for (int axis : {kH, kW}) {
    p.window.input[axis] = side;
    p.window.output[axis] = side / 2;
    p.window.kernel[axis] = p.window.stride[axis] = 2;
  }
  const void* inputs[] = {x};
  void* outputs[] = {y};
  tinyonnx::MaxPoolFloat(&p, inputs, outputs);
}

void GlobalAveragePool(int channels, int side, const float* x, float* y) {
  PoolParams p;
  p.planes = channels;
  p.window.input[kW] = side * side;  // the spatial axes flattened into one
  const void* inputs[] = {x};
  void* outputs[] = {y};
  tinyonnx::GlobalAveragePoolFloat(&p, inputs, outputs);
}

// y = x W' + b, W stored [out, in] as PyTorch's Linear exports it (transB).
void Dense(int in_features, int out_features, const LayerWeights& w, const float* x, float* y) {
  GemmParams p;
  p.product.m = 1;
  p.product.k = in_features;
  p.product.n = out_features;
  p.product.a_row_stride = in_features;
  p.product.b_transposed = true;
  p.epilogue.bias = w.bias;
  p.epilogue.channels = out_features;
  const void* inputs[] = {x, w.weights};
  void* outputs[] = {y};
  tinyonnx::GemmFloat(&p, inputs, outputs);
}

void Softmax(int count, const float* x, float* y) {
  SoftmaxParams p;
  p.outer = p.inner = 1;
  p.axis = count;
  const void* inputs[] = {x};
  void* outputs[] = {y};
  tinyonnx::SoftmaxFloat(&p, inputs, outputs);
}

}  // namespace

const InitializerNames kConvNames[kConvLayers] = {
    {"onnx::Conv_64", "onnx::Conv_65"}, {"onnx::Conv_67", "onnx::Conv_68"},
    {"onnx::Conv_70", "onnx::Conv_71"}, {"onnx::Conv_73", "onnx::Conv_74"},
    {"onnx::Conv_76", "onnx::Conv_77"}, {"onnx::Conv_79", "onnx::Conv_80"}};
const InitializerNames kDenseNames = {"model.22.weight", "model.22.bias"};

void Classify(const Weights& w, const float image[kPixels], Buffers& buffers,
              float probabilities[kClasses]) {
  float* a = buffers.a;
  float* b = buffers.b;
  ConvRelu(1, 8, 1, 3, 28, w.conv[0], image, a);  // 8 x 28 x 28
  MaxPool2(8, 28, a, b);                          // 8 x 14 x 14
  ConvRelu(8, 16, 1, 3, 14, w.conv[1], b, a);     // 16 x 14 x 14
  MaxPool2(16, 14, a, b);                         // 16 x 7 x 7
  ConvRelu(16, 16, 16, 3, 7, w.conv[2], b, a);    // depthwise 3x3
  ConvRelu(16, 24, 1, 1, 7, w.conv[3], a, b);     // pointwise, 24 x 7 x 7
  ConvRelu(24, 24, 24, 3, 7, w.conv[4], b, a);    // depthwise 3x3
  ConvRelu(24, 24, 1, 1, 7, w.conv[5], a, b);     // pointwise
  GlobalAveragePool(24, 7, b, a);                 // 24
  Dense(24, kClasses, w.dense, a, b);             // 10 scores
  Softmax(kClasses, b, probabilities);
}

}  // namespace mnist_small
