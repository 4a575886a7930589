// Graph compaction: after QDQ lowering most nodes of a quantized model are
// removed and most values (scales, zero points, the float tensors between
// QuantizeLinear and DequantizeLinear) are read by nobody. Dropping them and
// packing the tables at the start of their temporary block leaves that space
// to the kernels' parameters and the plan, which lowers the arena Prepare
// needs.
//
// Runs before PrepareNodes, so Value::arena_offset (the planner's, later)
// is still unused and holds the new value indices, costing no memory; the
// new node indices go to Node::compact_index. Both are reset afterwards.
#include <cstring>

#include "tinyonnx/graph/passes.h"

namespace tinyonnx {
namespace {

uint8_t* AlignFor(void* cursor, size_t alignment) {
  uint8_t* bytes = static_cast<uint8_t*>(cursor);
  uintptr_t address = reinterpret_cast<uintptr_t>(bytes);
  return bytes + ((alignment - (address & (alignment - 1))) & (alignment - 1));
}

int32_t NewValue(const Graph& graph, int32_t v) { return v >= 0 ? graph.values[v].arena_offset : -1; }

int32_t NewNode(const Graph& graph, int32_t n) {
  return n >= 0 && !graph.nodes[n].removed ? static_cast<int32_t>(graph.nodes[n].compact_index) : -1;
}

// Numbers the live nodes; returns their count.
uint32_t NumberNodes(Graph& graph) {
  uint32_t live = 0;
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    if (!graph.nodes[n].removed) graph.nodes[n].compact_index = static_cast<uint16_t>(live++);
  }
  return live;
}

// Numbers the values a live node, a graph input or output (or an alias of
// one of those) refers to; the others get -1. Returns their count.
uint32_t NumberValues(Graph& graph) {
  for (uint32_t v = 0; v < graph.value_count; ++v) graph.values[v].arena_offset = -1;
  auto keep = [&](int32_t v) {
    if (v >= 0) graph.values[v].arena_offset = 0;
  };
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    const Node& node = graph.nodes[n];
    if (node.removed) continue;
    for (uint16_t k = 0; k < node.input_count; ++k) keep(node.inputs[k]);
    for (uint16_t o = 0; o < node.output_count; ++o) keep(node.outputs[o]);
  }
  for (uint32_t i = 0; i < graph.input_count; ++i) keep(graph.inputs[i]);
  for (uint32_t o = 0; o < graph.output_count; ++o) keep(graph.outputs[o].value);
  // An alias points to an earlier value: one pass downwards follows chains.
  for (uint32_t v = graph.value_count; v-- > 0;) {
    if (graph.values[v].arena_offset >= 0) keep(graph.values[v].alias_of);
  }
  uint32_t live = 0;
  for (uint32_t v = 0; v < graph.value_count; ++v) {
    if (graph.values[v].arena_offset >= 0) graph.values[v].arena_offset = static_cast<int32_t>(live++);
  }
  return live;
}

uint32_t LiveSlotCount(const Graph& graph) {
  uint32_t slots = 0;
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    const Node& node = graph.nodes[n];
    if (!node.removed) slots += node.input_count + node.output_count;
  }
  return slots;
}

// Rewrites every reference with the new indices while nothing has moved:
// the live nodes' input and output lists into `staged`, the values' links,
// the graph's inputs and outputs, and the order (packed in place).
void Renumber(Graph& graph, int32_t* staged) {
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    const Node& node = graph.nodes[n];
    if (node.removed) continue;
    for (uint16_t k = 0; k < node.input_count; ++k) *staged++ = NewValue(graph, node.inputs[k]);
    for (uint16_t o = 0; o < node.output_count; ++o) *staged++ = NewValue(graph, node.outputs[o]);
  }
  for (uint32_t v = 0; v < graph.value_count; ++v) {
    Value& value = graph.values[v];
    if (value.arena_offset < 0) continue;
    value.producer = NewNode(graph, value.producer);
    value.alias_of = NewValue(graph, value.alias_of);
  }
  for (uint32_t i = 0; i < graph.input_count; ++i) graph.inputs[i] = NewValue(graph, graph.inputs[i]);
  for (uint32_t o = 0; o < graph.output_count; ++o) {
    graph.outputs[o].value = NewValue(graph, graph.outputs[o].value);
  }
  uint32_t placed = 0;
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    int32_t n = NewNode(graph, graph.order[i]);
    if (n >= 0) graph.order[placed++] = n;
  }
}

// Moves `count` entries of `table` to the next suitably aligned place at or
// after `cursor`; returns the new table.
template <typename T>
T* MoveTable(T* table, uint32_t count, uint8_t** cursor) {
  T* moved = reinterpret_cast<T*>(AlignFor(*cursor, alignof(T)));
  std::memmove(static_cast<void*>(moved), table, sizeof(T) * count);
  *cursor = reinterpret_cast<uint8_t*>(moved + count);
  return moved;
}

// Moves the tables down in the order they were allocated in (values, nodes,
// order, inputs, outputs, then the input/output lists): each entry's new
// place is at or below its old one, so copying upwards is safe. Returns the
// end of the packed tables.
uint8_t* PackTables(Graph& graph, const int32_t* staged, uint32_t live_nodes, uint32_t live_values) {
  for (uint32_t v = 0; v < graph.value_count; ++v) {
    int32_t to = graph.values[v].arena_offset;
    if (to < 0) continue;
    std::memmove(static_cast<void*>(&graph.values[to]), &graph.values[v], sizeof(Value));
    graph.values[to].arena_offset = -1;
  }
  uint8_t* cursor = reinterpret_cast<uint8_t*>(graph.values + live_values);
  Node* nodes = reinterpret_cast<Node*>(AlignFor(cursor, alignof(Node)));
  for (uint32_t n = 0; n < graph.node_count; ++n) {
    if (graph.nodes[n].removed) continue;
    Node& node = nodes[graph.nodes[n].compact_index];
    std::memmove(static_cast<void*>(&node), &graph.nodes[n], sizeof(Node));
    node.compact_index = 0;
  }
  cursor = reinterpret_cast<uint8_t*>(nodes + live_nodes);
  graph.order = MoveTable(graph.order, live_nodes, &cursor);
  graph.inputs = MoveTable(graph.inputs, graph.input_count, &cursor);
  graph.outputs = MoveTable(graph.outputs, graph.output_count, &cursor);
  int32_t* const slot_base = reinterpret_cast<int32_t*>(AlignFor(cursor, alignof(int32_t)));
  int32_t* slots = slot_base;
  for (uint32_t n = 0; n < live_nodes; ++n) {
    nodes[n].inputs = slots;
    slots += nodes[n].input_count;
    nodes[n].outputs = slots;
    slots += nodes[n].output_count;
  }
  std::memmove(slot_base, staged, static_cast<size_t>(slots - slot_base) * sizeof(int32_t));
  graph.nodes = nodes;
  graph.node_count = live_nodes;
  graph.value_count = graph.value_capacity = live_values;
  return reinterpret_cast<uint8_t*>(slots);
}

}  // namespace

Status CompactGraph(Graph& graph, Arena& arena, ErrorReporter& errors) {
  if (graph.kept || graph.values == nullptr) return Status::kOk;
  int32_t* staged = arena.NewTempArray<int32_t>(LiveSlotCount(graph) + 1);
  if (staged == nullptr) return errors.Report(Status::kOutOfMemory, "arena too small to compact the graph");
  const uint32_t live_nodes = NumberNodes(graph);
  const uint32_t live_values = NumberValues(graph);
  Renumber(graph, staged);
  uint8_t* end = PackTables(graph, staged, live_nodes, live_values);
  arena.ReleaseTemp(static_cast<size_t>(end - arena.base()));
  return Status::kOk;
}

}  // namespace tinyonnx
