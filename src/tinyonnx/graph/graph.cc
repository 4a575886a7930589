#include "tinyonnx/graph/graph.h"

#include "tinyonnx/base/format.h"

namespace tinyonnx {

int64_t Shape::ElementCount() const {
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] < 0) return -1;
    if (dims[i] != 0 && count > (kMaxTensorBytes * 4) / dims[i]) return -1;  // overflow guard
    count *= dims[i];
  }
  return count;
}

bool Shape::operator==(const Shape& other) const {
  if (rank != other.rank) return false;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] != other.dims[i]) return false;
  }
  return true;
}

const char* Shape::ToString(char* buffer, int size) const {
  int n = static_cast<int>(Format(buffer, size, "["));
  for (int i = 0; i < rank && n < size; ++i) {
    const int dim = static_cast<int>(dims[i]);  // int32_t is long on arm-none-eabi
    n += static_cast<int>(Format(buffer + n, size - n, i == 0 ? "%d" : ", %d", dim));
  }
  if (n < size) Format(buffer + n, size - n, "]");
  return buffer;
}

NodeView Node::View() const {
  NodeView view;
  NodeView::Parse(message, &view);
  return view;
}

bool Node::IsOp(const char* op_type) const {
  if (removed) return false;
  const NodeView view = View();
  return (view.domain.empty() || view.domain == "ai.onnx") && view.op_type == op_type;
}

Shape Shape::Of(std::initializer_list<int32_t> dims) {
  Shape shape;
  for (int32_t d : dims) {
    if (shape.rank < kMaxRank) shape.dims[shape.rank++] = d;
  }
  return shape;
}

int32_t Graph::StorageRoot(int32_t value) const {
  // Alias chains are short and acyclic (an alias always points to an earlier
  // value); the bound guards against corrupted links.
  for (uint32_t steps = 0; steps <= value_count && values[value].alias_of >= 0; ++steps) {
    value = values[value].alias_of;
  }
  return value;
}

void Graph::ReplaceUses(int32_t from, int32_t to) {
  for (uint32_t n = 0; n < node_count; ++n) {
    Node& node = nodes[n];
    if (node.removed) continue;
    for (uint16_t i = 0; i < node.input_count; ++i) {
      if (node.inputs[i] == from) {
        node.inputs[i] = to;
        values[from].consumers--;
        values[to].consumers++;
      }
    }
  }
  for (uint32_t o = 0; o < output_count; ++o) {
    if (outputs[o].value == from) {
      outputs[o].value = to;
      values[to].is_graph_output = true;
    }
  }
  values[from].is_graph_output = false;
}

uint32_t Graph::LiveNodeCount() const {
  uint32_t live = 0;
  for (uint32_t n = 0; n < node_count; ++n) live += nodes[n].removed ? 0 : 1;
  return live;
}

}  // namespace tinyonnx
