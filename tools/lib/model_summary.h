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
  int64_t parameter_count = 0;  // elements of non-int64 initializers
  int64_t weight_bytes = 0;     // bytes of all initializers
  int64_t initializer_count = 0;
};

bool SummarizeModel(const std::vector<uint8_t>& model, ModelSummary* summary, std::string* error);

}  // namespace tinyonnx::tools
