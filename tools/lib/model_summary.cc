#include "model_summary.h"

#include "tinyonnx/graph/builder.h"
#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx::tools {
namespace {

using namespace onnx_field;

std::string ToString(Str s) { return std::string(s.data, s.size); }

ValueSummary SummarizeValue(const ValueInfoView& v) {
  ValueSummary out;
  out.name = ToString(v.name);
  out.dtype = v.is_tensor ? DTypeName(v.dtype) : "non-tensor";
  if (!v.has_shape) {
    out.shape = "?";
    return out;
  }
  out.shape = "[";
  for (int d = 0; d < v.rank; ++d) {
    if (d) out.shape += ", ";
    if (v.dims[d].has_value) out.shape += std::to_string(v.dims[d].value);
    else if (!v.dims[d].param.empty()) out.shape += ToString(v.dims[d].param);
    else out.shape += "?";
  }
  out.shape += "]";
  return out;
}

std::vector<std::string> StringList(Bytes message, uint32_t field) {
  std::vector<std::string> items;
  ForEachField(message, field, [&](WireReader& r) {
    items.push_back(ToString(r.str()));
    return true;
  });
  return items;
}

std::vector<NodeSummary> ReadNodes(const GraphView& g) {
  std::vector<NodeSummary> nodes;
  ForEachField(g.message, kGraphNode, [&](WireReader& r) {
    NodeView n;
    if (NodeView::Parse(r.bytes(), &n) != nullptr) return true;
    NodeSummary node;
    node.name = ToString(n.name);
    node.op_type = ToString(n.op_type);
    node.domain = ToString(n.domain);
    node.inputs = StringList(n.message, kNodeInput);
    node.outputs = StringList(n.message, kNodeOutput);
    nodes.push_back(node);
    return true;
  });
  return nodes;
}

enum class Role { kWeight, kBias, kQuantization, kOther };

// What the op reading input `index` uses it for.
Role RoleAtInput(const std::string& op, size_t index) {
  static const char* const kWeighted[] = {"Conv", "ConvTranspose", "Gemm", "MatMul", "ConvInteger",
                                          "MatMulInteger"};
  for (const char* w : kWeighted) {
    if (op == w) return index == 1 ? Role::kWeight : index == 2 ? Role::kBias : Role::kOther;
  }
  if (op == "QLinearConv") return index == 3 ? Role::kWeight : index == 8 ? Role::kBias : Role::kQuantization;
  if (op == "QLinearMatMul") return index == 3 ? Role::kWeight : Role::kQuantization;
  if (op == "QuantizeLinear") return index == 0 ? Role::kOther : Role::kQuantization;
  return Role::kOther;
}

// Follows a tensor through the layout and dequantization nodes between an
// initializer and the op that really reads it.
Role RoleOf(const std::vector<NodeSummary>& nodes, const std::string& tensor, int depth) {
  if (depth > 8) return Role::kOther;
  for (const NodeSummary& node : nodes) {
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      if (node.inputs[i] != tensor) continue;
      bool pass_through = node.op_type == "Transpose" || node.op_type == "Reshape" ||
                          node.op_type == "Cast" || node.op_type == "Identity";
      if (node.op_type == "DequantizeLinear") {
        if (i != 0) return Role::kQuantization;
        pass_through = true;
      }
      if (pass_through && i == 0 && !node.outputs.empty()) return RoleOf(nodes, node.outputs[0], depth + 1);
      return RoleAtInput(node.op_type, i);
    }
  }
  return Role::kOther;
}

}  // namespace

bool SummarizeModel(const std::vector<uint8_t>& model, ModelSummary* summary, std::string* error) {
  ModelView m;
  GraphView g;
  const char* problem =
      ParseModelAndGraph(Bytes{model.data(), static_cast<uint32_t>(model.size())}, &m, &g);
  if (problem != nullptr) {
    *error = problem;
    return false;
  }
  *summary = ModelSummary();
  summary->producer = ToString(m.producer_name);
  if (!m.producer_version.empty()) summary->producer += " " + ToString(m.producer_version);
  summary->ir_version = m.ir_version;
  for (uint32_t i = 0; i < m.opset_count; ++i) {
    OpsetView opset;
    if (m.GetOpset(i, &opset)) {
      summary->opsets.emplace_back(opset.domain.empty() ? "ai.onnx" : ToString(opset.domain), opset.version);
    }
  }
  std::vector<std::string> initializer_names;
  std::vector<TensorView> initializers;
  ForEachField(g.message, kGraphInitializer, [&](WireReader& r) {
    TensorView t;
    if (TensorView::Parse(r.bytes(), &t) != nullptr) return true;
    initializer_names.push_back(ToString(t.name));
    initializers.push_back(t);
    return true;
  });
  std::vector<NodeSummary> nodes = ReadNodes(g);
  for (const TensorView& t : initializers) {
    int64_t elements = static_cast<int64_t>(t.element_count);
    int64_t bytes = elements * static_cast<int64_t>(DTypeSize(t.dtype));
    summary->initializer_count++;
    summary->total_bytes += bytes;
    switch (RoleOf(nodes, ToString(t.name), 0)) {
      case Role::kWeight: summary->weight_bytes += bytes; break;
      case Role::kBias: summary->bias_bytes += bytes; break;
      case Role::kQuantization: summary->quantization_bytes += bytes; break;
      case Role::kOther: summary->other_bytes += bytes; break;
    }
    if (t.dtype != DType::kInt64 && RoleOf(nodes, ToString(t.name), 0) != Role::kQuantization) {
      summary->parameter_count += elements;
    }
  }
  ForEachField(g.message, kGraphInput, [&](WireReader& r) {
    ValueInfoView v;
    if (ValueInfoView::Parse(r.bytes(), &v) != nullptr) return true;
    for (const std::string& init : initializer_names) {
      if (init == ToString(v.name)) return true;
    }
    summary->inputs.push_back(SummarizeValue(v));
    return true;
  });
  ForEachField(g.message, kGraphOutput, [&](WireReader& r) {
    ValueInfoView v;
    if (ValueInfoView::Parse(r.bytes(), &v) == nullptr) summary->outputs.push_back(SummarizeValue(v));
    return true;
  });
  summary->nodes = nodes;
  ForEachUnsupportedOp(m, AllOps(), [&](const NodeView& n) {
    std::string op = ToString(n.op_type);
    if (!n.domain.empty()) op = ToString(n.domain) + "." + op;
    summary->unsupported_ops.push_back(op);
  });
  return true;
}

}  // namespace tinyonnx::tools
