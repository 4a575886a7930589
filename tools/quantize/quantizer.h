// `tinyonnx quantize`: post-training static quantization of a float ONNX
// model into the QDQ model of docs/int8.md, calibrated with tinyonnx's own
// Interpreter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aligned_serializer.h"
#include "calibration_inputs.h"
#include "calibrator.h"
#include "qdq_writer.h"

namespace tinyonnx::quantize {

struct QuantizeOptions {
  std::string model_path;
  std::string output_path;
  CalibrationSource calibration;
  int64_t count = 1000;  // at most this many calibration inputs
  CalibrationOptions ranges;
  int64_t noise_samples = 16;  // calibration inputs the activation SQNR is measured over
  ProgressFn progress;
};

// One quantized activation of the written model.
struct ActivationReport {
  std::string name;      // tensor name in the written model
  std::string producer;  // node name, or "graph input"
  std::string shares_range_of;  // "" when calibrated itself
  std::vector<int64_t> shape;
  ActivationQuant quant;
  CalibratedRange range;  // of the value whose range it takes
  NoiseMeter noise;
};

struct QuantizeReport {
  std::string model_path;
  std::string output_path;
  int64_t input_file_bytes = 0;
  int64_t output_file_bytes = 0;
  int64_t calibration_inputs = 0;
  int64_t noise_samples = 0;
  CalibrationOptions ranges;
  std::vector<ActivationReport> activations;
  std::vector<WeightedLayerReport> layers;
  std::vector<std::string> float_nodes;  // "name (Op)" of nodes left in float
  int64_t quantized_nodes = 0;
  int64_t activation_param_bytes = 0;
  int64_t other_constant_bytes = 0;
  std::vector<InitializerPlacement> placements;
  bool fixed_input_shapes = false;  // see QdqModel::fixed_input_shapes
};

// The float model as libprotobuf reads it; throws QuantizeError if it does
// not parse or is already quantized. (The first step of QuantizeModel.)
onnx::ModelProto ParseOriginalModel(const std::string& path, const std::vector<uint8_t>& bytes);

// Throws QuantizeError with a readable message on any failure.
QuantizeReport QuantizeModel(const QuantizeOptions& options);

}  // namespace tinyonnx::quantize
