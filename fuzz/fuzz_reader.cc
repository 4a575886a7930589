// libFuzzer target: the protobuf wire reader and the ONNX views alone.
// Parses a ModelView and its GraphView, then walks every opset, node,
// attribute (ints, floats, tensors, one level of subgraphs), initializer,
// input, output and value_info, as the graph builder does.
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx {
namespace {

using namespace onnx_field;

volatile uint64_t sink;

void WalkTensor(Bytes bytes) {
  TensorView t;
  if (TensorView::Parse(bytes, &t) != nullptr) return;
  sink = sink + t.element_count + t.typed_count + t.raw_data.size;
  if (t.data_field != 0) {
    const ScalarEncoding enc = t.data_field == kTensorFloatData ? ScalarEncoding::kFixed32
                               : t.data_field == kTensorDoubleData ? ScalarEncoding::kFixed64
                                                                   : ScalarEncoding::kVarint;
    RepeatedScalar values(t.message, t.data_field, enc);
    uint64_t raw;
    while (values.Next(&raw)) sink = sink + raw;
  }
}

void WalkGraph(Bytes bytes, int depth);

void WalkAttribute(Bytes bytes, int depth) {
  AttributeView a;
  if (AttributeView::Parse(bytes, &a) != nullptr) return;
  uint64_t raw;
  RepeatedScalar ints = a.ints();
  while (ints.Next(&raw)) sink = sink + raw;
  RepeatedScalar floats = a.floats();
  while (floats.Next(&raw)) sink = sink + raw;
  if (a.type == AttributeView::kTensor) WalkTensor(a.t);
  ForEachField(a.message, kAttrTensors, [](WireReader& r) {
    WalkTensor(r.bytes());
    return true;
  });
  if (depth < 2) {
    ForEachField(a.message, kAttrG, [&](WireReader& r) {
      WalkGraph(r.bytes(), depth + 1);
      return true;
    });
  }
}

void WalkGraph(Bytes bytes, int depth) {
  GraphView g;
  if (GraphView::Parse(bytes, &g) != nullptr) return;
  ForEachField(g.message, kGraphNode, [&](WireReader& r) {
    NodeView n;
    if (NodeView::Parse(r.bytes(), &n) != nullptr) return true;
    ForEachField(n.message, kNodeAttribute, [&](WireReader& ar) {
      WalkAttribute(ar.bytes(), depth);
      return true;
    });
    AttributeView found;
    const char* problem = nullptr;
    n.FindAttribute("axis", &found, &problem);
    return true;
  });
  ForEachField(g.message, kGraphInitializer, [](WireReader& r) {
    WalkTensor(r.bytes());
    return true;
  });
  for (uint32_t field : {kGraphInput, kGraphOutput, kGraphValueInfo}) {
    ForEachField(g.message, field, [](WireReader& r) {
      ValueInfoView v;
      if (ValueInfoView::Parse(r.bytes(), &v) == nullptr) sink = sink + v.rank;
      return true;
    });
  }
}

}  // namespace
}  // namespace tinyonnx

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinyonnx;
  if (size > 0xFFFFFFFFu) return 0;
  ModelView m;
  if (ModelView::Parse(Bytes{data, static_cast<uint32_t>(size)}, &m) != nullptr) return 0;
  OpsetView opset;
  for (uint32_t i = 0; i < m.opset_count; ++i) m.GetOpset(i, &opset);
  m.OpsetVersion(Str::FromCString("ai.onnx"));
  if (m.has_graph) WalkGraph(m.graph, 0);
  return 0;
}
