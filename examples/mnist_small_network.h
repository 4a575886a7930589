// models/mnist-small.onnx built by hand: the network written out layer by
// layer with tinyonnx's kernel functions and their parameter structs, the
// way the classic RT-Thread demos wrote their CNN by hand. Only the weights
// come from elsewhere — a generated header (example_weights_header.cc) or
// the .onnx file, by initializer name (example_weights_by_name.cc).
#pragma once

#include <cstdint>

namespace mnist_small {

constexpr int kSide = 28;
constexpr int kPixels = kSide * kSide;
constexpr int kClasses = 10;
constexpr int kConvLayers = 6;

// The weights of one layer: W read in place at any alignment, the bias as
// aligned floats.
struct LayerWeights {
  const void* weights = nullptr;
  const float* bias = nullptr;
};

struct Weights {
  LayerWeights conv[kConvLayers];  // in network order
  LayerWeights dense;              // the final Gemm (Linear 24 -> 10)
};

// The ONNX initializer names of the weights (PyTorch named the convs after
// folding BatchNorm into them), in the order of Weights.
struct InitializerNames {
  const char* weights;
  const char* bias;
};
extern const InitializerNames kConvNames[kConvLayers];
extern const InitializerNames kDenseNames;

// Activations ping-pong between two buffers: the largest layer output (8 x
// 28 x 28) and the largest of every other layer (16 x 14 x 14).
struct Buffers {
  float a[8 * 28 * 28];
  float b[16 * 14 * 14];
};

// image: 784 floats in [0, 1], white digit on black. Writes the ten class
// probabilities.
void Classify(const Weights& weights, const float image[kPixels], Buffers& buffers,
              float probabilities[kClasses]);

}  // namespace mnist_small
