// Writes the QDQ ONNX model of docs/int8.md ("The QDQ model `tinyonnx
// quantize` writes") from a prepared tinyonnx graph, its quantization plan
// and the activation ranges.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "onnx/onnx.pb.h"
#include "quant_math.h"
#include "quant_plan.h"
#include "tinyonnx/graph/graph.h"

namespace tinyonnx::quantize {

// The weights and bias of one Conv/Gemm as written.
struct WeightedLayerReport {
  std::string layer;        // node name
  std::string op_type;
  std::string weight_name;  // the int8 initializer
  std::string bias_name;    // the int32 initializer, "" without bias
  std::vector<int64_t> weight_dims;  // as the op sees them (OIHW, or [N, K])
  float weight_scale_min = 0, weight_scale_max = 0;
  float bias_scale_min = 0, bias_scale_max = 0;
  NoiseMeter weight_noise;
  NoiseMeter bias_noise;
  int64_t bias_saturated = 0;
  bool channels_last_columns = false;  // Gemm columns permuted for a channels-last Flatten
  // Bytes in the int8 model and the float (effective, after folding) weights.
  int64_t int8_weight_bytes = 0;
  int64_t int32_bias_bytes = 0;
  int64_t quant_param_bytes = 0;  // scales and zero points
  int64_t float_weight_bytes = 0;
  int64_t float_bias_bytes = 0;
};

struct QdqModel {
  onnx::ModelProto model;
  std::vector<WeightedLayerReport> layers;
  // Written name of each value of the prepared graph ("" if not written).
  std::vector<std::string> value_names;
  int64_t activation_param_bytes = 0;  // scale and zero point initializers of activations
  int64_t other_constant_bytes = 0;    // constants written unchanged (shapes, float ops' inputs)
  // Constants computed at prepare time for the calibration input's shape
  // are written, so the model's symbolic input and output dimensions are
  // fixed to the sizes calibration used.
  bool fixed_input_shapes = false;
};

struct QdqWriterOptions {
  std::string doc_string;  // how the model was made
};

// `activation[v]` holds the quantization of every quantized value v (shared
// ranges already resolved). `original` is the float model the graph was
// prepared from: node attributes, graph inputs and outputs and metadata are
// copied from it.
QdqModel WriteQdqModel(const Graph& graph, const QuantPlan& plan, const std::vector<ActivationQuant>& activation,
                       const onnx::ModelProto& original, const QdqWriterOptions& options);

}  // namespace tinyonnx::quantize
