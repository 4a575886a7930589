// What `tinyonnx info` reports about a model: metadata, inputs, outputs,
// nodes and parameter statistics read straight from the ONNX views, plus the
// prepared plan's memory figures when the model loads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "session.h"
#include "tinyonnx/report/model_report.h"

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
  InitializerStats initializers;  // bytes by role, parameter count
};

bool SummarizeModel(const std::vector<uint8_t>& model, ModelSummary* summary, std::string* error);

}  // namespace tinyonnx::tools
