#include "effective_layer.h"

#include <cstring>

#include "quant_math.h"
#include "quant_plan.h"
#include "tinyonnx/kernels/conv.h"
#include "tinyonnx/kernels/gemm.h"

namespace tinyonnx::quantize {
namespace {

std::vector<int64_t> Dims(const Shape& shape) { return std::vector<int64_t>(shape.dims, shape.dims + shape.rank); }

// W[c, ...] *= scale[c] for the `channels` leading blocks.
void ScaleRows(std::vector<float>* weights, int64_t channels, const float* scale) {
  if (scale == nullptr) return;
  const size_t per_channel = weights->size() / static_cast<size_t>(channels);
  for (int64_t c = 0; c < channels; ++c) {
    for (size_t k = 0; k < per_channel; ++k) (*weights)[static_cast<size_t>(c) * per_channel + k] *= scale[c];
  }
}

// Gemm's B as [N, K]: transposed when it is stored [K, N].
std::vector<float> GemmWeightsByRow(const Value& b, bool b_transposed, int64_t n, int64_t k) {
  std::vector<float> stored = ConstantFloats(b);
  if (b_transposed) return stored;
  std::vector<float> rows(stored.size());
  for (int64_t i = 0; i < k; ++i) {
    for (int64_t j = 0; j < n; ++j) rows[j * k + i] = stored[i * n + j];
  }
  return rows;
}

bool ReadTransA(const Node& node) {
  AttributeView attribute;
  const char* problem = nullptr;
  return node.View().FindAttribute("transA", &attribute, &problem) && problem == nullptr &&
         attribute.type == AttributeView::kInt && attribute.i == 1;
}

}  // namespace

std::vector<float> ConstantFloats(const Value& value) {
  if (value.dtype != DType::kFloat || !value.is_constant()) {
    throw QuantizeError("internal: '" + ToString(value.name) + "' is not a float constant");
  }
  std::vector<float> out(static_cast<size_t>(value.shape.ElementCount()));
  if (!out.empty()) {
    if (value.data == nullptr) throw QuantizeError("constant '" + ToString(value.name) + "' has no data");
    std::memcpy(out.data(), value.data, out.size() * sizeof(float));
  }
  return out;
}

EffectiveLayer ReadEffectiveLayer(const Graph& graph, int32_t n) {
  const Node& node = graph.nodes[n];
  const std::string label = "node '" + ToString(node.View().name) + "' (" + ToString(node.View().op_type) + ")";
  const PreparedNode& prepared = graph.prepared[n];
  if (prepared.epilogue == nullptr || node.input_count < 2 || node.inputs[1] < 0) {
    throw QuantizeError("internal: " + label + " has no epilogue or no weights");
  }
  const FloatEpilogue& epilogue = *prepared.epilogue;
  const Value& w = graph.values[node.inputs[1]];
  EffectiveLayer layer;
  layer.clamp_min = epilogue.min;
  layer.clamp_max = epilogue.max;
  if (node.IsOp("Conv")) {
    const auto& params = *static_cast<const ConvParams*>(prepared.params);
    layer.conv = true;
    layer.weights = ConstantFloats(w);
    layer.weight_dims = Dims(w.shape);
    layer.group = params.group;
    layer.depthwise = params.group > 1 && params.group == params.in_channels && layer.weight_dims[1] == 1;
  } else if (node.IsOp("Gemm")) {
    const auto& params = *static_cast<const GemmParams*>(prepared.params);
    const int64_t rows = params.product.n, columns = params.product.k;
    layer.weights = GemmWeightsByRow(w, params.product.b_transposed, rows, columns);
    layer.weight_dims = {rows, columns};
    layer.trans_a = ReadTransA(node);
  } else {
    throw QuantizeError("internal: " + label + " is not a Conv or Gemm");
  }
  const int64_t channels = layer.output_channels();
  if (epilogue.channels != channels) {
    throw QuantizeError("internal: " + label + ": epilogue has " + std::to_string(epilogue.channels) +
                        " channels, the weights " + std::to_string(channels));
  }
  ScaleRows(&layer.weights, channels, epilogue.scale);
  if (epilogue.bias != nullptr) layer.bias.assign(epilogue.bias, epilogue.bias + channels);
  return layer;
}

}  // namespace tinyonnx::quantize
