#pragma once

namespace tinyonnx {

template <typename Fn>
bool ForEachUnsupportedOp(const ModelView& model, const OpResolver& resolver, Fn&& fn) {
  GraphView graph;
  if (!model.has_graph || GraphView::Parse(model.graph, &graph) != nullptr) return false;
  const char* problem = nullptr;
  uint32_t index = 0;
  bool ok = ForEachField(graph.message, onnx_field::kGraphNode, [&](WireReader& r) {
    NodeView node;
    problem = NodeView::Parse(r.bytes(), &node);
    if (problem != nullptr) return false;
    uint32_t this_index = index++;
    if (resolver.Find(node.op_type, node.domain) != nullptr) return true;
    // Report each (domain, op_type) once: skip it if an earlier node had it.
    uint32_t earlier = 0;
    bool seen = false;
    ForEachField(graph.message, onnx_field::kGraphNode, [&](WireReader& other) {
      if (earlier++ == this_index) return false;
      NodeView previous;
      if (NodeView::Parse(other.bytes(), &previous) != nullptr) return true;
      seen = previous.op_type == node.op_type && previous.domain == node.domain;
      return !seen;
    });
    if (!seen) fn(node);
    return true;
  });
  return ok && problem == nullptr;
}

}  // namespace tinyonnx
