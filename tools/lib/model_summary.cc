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
  ForEachField(g.message, kGraphInitializer, [&](WireReader& r) {
    TensorView t;
    if (TensorView::Parse(r.bytes(), &t) == nullptr) initializer_names.push_back(ToString(t.name));
    return true;
  });
  std::vector<NodeSummary> nodes = ReadNodes(g);
  summary->initializers = CountInitializers(g);
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
