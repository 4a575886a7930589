// (b) The hand-built network with its weights taken by name from the .onnx
// bytes through the zero-copy views of src/tinyonnx/onnx: the weights are
// read where they lie in the file, only unaligned biases are copied.
#include <cstring>

#include "examples.h"
#include "tinyonnx/base/format.h"
#include "tinyonnx/onnx/model_view.h"

namespace examples {
namespace {

using tinyonnx::Bytes;
using tinyonnx::TensorView;

// The float32 initializer `name`, with `elements` elements stored as one
// run of little-endian floats; nullptr if there is none.
const uint8_t* FindFloats(const tinyonnx::GraphView& graph, const char* name, uint64_t elements) {
  const uint8_t* data = nullptr;
  tinyonnx::ForEachField(graph.message, tinyonnx::onnx_field::kGraphInitializer,
                         [&](tinyonnx::WireReader& r) {
    TensorView t;
    if (TensorView::Parse(r.bytes(), &t) != nullptr || t.name != name) return true;
    const Bytes run = t.has_raw_data ? t.raw_data : t.packed;
    const bool usable = t.dtype == tinyonnx::DType::kFloat && t.element_count == elements &&
                        (t.has_raw_data || t.packed_contiguous) && run.size == elements * 4;
    if (usable) data = run.data;
    return false;
  });
  return data;
}

// The bias as aligned floats: in place when the file allows it, else a copy.
const float* AlignedBias(const uint8_t* data, int count, float* copy) {
  if (reinterpret_cast<uintptr_t>(data) % alignof(float) == 0) {
    return reinterpret_cast<const float*>(data);
  }
  std::memcpy(copy, data, count * sizeof(float));
  return copy;
}

// Looks up one layer; false if either tensor is missing or mis-shaped.
bool FindLayer(const tinyonnx::GraphView& graph, const mnist_small::InitializerNames& names,
               uint64_t weight_elements, int bias_elements, float* bias_copy,
               mnist_small::LayerWeights* layer) {
  const uint8_t* weights = FindFloats(graph, names.weights, weight_elements);
  const uint8_t* bias = FindFloats(graph, names.bias, bias_elements);
  if (weights == nullptr || bias == nullptr) return false;
  layer->weights = weights;
  layer->bias = AlignedBias(bias, bias_elements, bias_copy);
  return true;
}

bool Missing(const mnist_small::InitializerNames& names, char* error, size_t error_size) {
  tinyonnx::Format(error, error_size,
                   "not mnist-small: no float initializers %s and %s of the expected sizes",
                   names.weights, names.bias);
  return false;
}

}  // namespace

bool FindWeightsByName(const uint8_t* model, size_t model_size, WeightsByName* found, char* error,
                       size_t error_size) {
  tinyonnx::ModelView m;
  tinyonnx::GraphView g;
  const char* problem =
      tinyonnx::ParseModelAndGraph(Bytes{model, static_cast<uint32_t>(model_size)}, &m, &g);
  if (problem != nullptr) {
    tinyonnx::Format(error, error_size, "%s", problem);
    return false;
  }
  // Weight elements and output channels of the six convs (OIHW), in order.
  static const uint64_t kConvWeights[mnist_small::kConvLayers] = {8 * 1 * 9, 16 * 8 * 9, 16 * 9,
                                                                 24 * 16, 24 * 9, 24 * 24};
  static const int kConvChannels[mnist_small::kConvLayers] = {8, 16, 16, 24, 24, 24};
  float* copy = found->bias_copies;
  for (int i = 0; i < mnist_small::kConvLayers; ++i) {
    if (!FindLayer(g, mnist_small::kConvNames[i], kConvWeights[i], kConvChannels[i], copy,
                   &found->weights.conv[i])) {
      return Missing(mnist_small::kConvNames[i], error, error_size);
    }
    copy += kConvChannels[i];
  }
  if (!FindLayer(g, mnist_small::kDenseNames, 10 * 24, 10, copy, &found->weights.dense)) {
    return Missing(mnist_small::kDenseNames, error, error_size);
  }
  return true;
}

}  // namespace examples
