// What `tinyonnx info` reports about a model: metadata, inputs, outputs,
// nodes and parameter statistics read straight from the ONNX views, plus the
// prepared plan's memory figures when the model loads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "session.h"

namespace tinyonnx::tools {

struct NodeSummary {
  std::string name;
  std::string op_type;
  std::string domain;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
};

struct ValueSummary {
  std::string name;
  std::string dtype;
  std::string shape;  // as declared, symbolic dimensions by name
};

struct ModelSummary {
  std::string producer;
  int64_t ir_version = 0;
  std::vector<std::pair<std::string, int64_t>> opsets;
  std::vector<ValueSummary> inputs;
  std::vector<ValueSummary> outputs;
  std::vector<NodeSummary> nodes;
  std::vector<std::string> unsupported_ops;
  // Initializer bytes by role, followed through Transpose/DequantizeLinear
  // chains to the op that reads them.
  int64_t weight_bytes = 0;        // Conv/Gemm/MatMul kernels (input 1)
  int64_t bias_bytes = 0;          // Conv/Gemm biases (input 2)
  int64_t quantization_bytes = 0;  // scales and zero points
  int64_t other_bytes = 0;         // everything else (BatchNorm, constants, shapes)
  int64_t total_bytes = 0;         // all initializers
  // Elements of the weights, biases and other non-int64 initializers (not
  // quantization parameters).
  int64_t parameter_count = 0;
  int64_t initializer_count = 0;
};

bool SummarizeModel(const std::vector<uint8_t>& model, ModelSummary* summary, std::string* error);

}  // namespace tinyonnx::tools
