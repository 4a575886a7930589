#include "tinyonnx/report/model_report.h"

#include <cstdarg>

#include "tinyonnx/base/format.h"
#include "tinyonnx/graph/builder.h"

namespace tinyonnx {
namespace {

using namespace onnx_field;

// Formats pieces of the report into a small buffer and hands them to the
// sink; strings from the model go to the sink whole, whatever their length.
class ReportWriter {
 public:
  ReportWriter(TextSink sink, void* context) : sink_(sink), context_(context) {}

  void Print(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    char text[160];
    va_list args;
    va_start(args, format);
    FormatV(text, sizeof(text), format, args);
    va_end(args);
    sink_(context_, text);
  }

  // `s` followed by spaces up to `width` characters.
  void Text(Str s, uint32_t width = 0) {
    char chunk[64];
    for (uint32_t done = 0; done < s.size;) {
      uint32_t n = s.size - done < sizeof(chunk) - 1 ? s.size - done : sizeof(chunk) - 1;
      for (uint32_t i = 0; i < n; ++i) chunk[i] = s.data[done + i];
      chunk[n] = '\0';
      sink_(context_, chunk);
      done += n;
    }
    for (uint32_t i = s.size; i < width; ++i) sink_(context_, " ");
  }

  // 1234567 as "1,234,567".
  void Thousands(int64_t value) {
    char digits[24];
    uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
    size_t count = Format(digits, sizeof(digits), "%llu", static_cast<unsigned long long>(magnitude));
    char grouped[32];
    size_t out = 0;
    if (value < 0) grouped[out++] = '-';
    for (size_t i = 0; i < count; ++i) {
      if (i != 0 && (count - i) % 3 == 0) grouped[out++] = ',';
      grouped[out++] = digits[i];
    }
    grouped[out] = '\0';
    sink_(context_, grouped);
  }

 private:
  TextSink sink_;
  void* context_;
};

enum class Role { kWeight, kBias, kQuantization, kOther };

template <size_t kCount>
bool IsOneOf(Str op, const char* const (&names)[kCount]) {
  for (const char* name : names) {
    if (op == name) return true;
  }
  return false;
}

// What the op reading input `index` uses it for.
Role RoleAtInput(Str op, uint32_t index) {
  static const char* const kWeighted[] = {"Conv", "ConvTranspose", "Gemm", "MatMul", "ConvInteger",
                                          "MatMulInteger"};
  if (IsOneOf(op, kWeighted)) {
    return index == 1 ? Role::kWeight : index == 2 ? Role::kBias : Role::kOther;
  }
  if (op == "QLinearConv") return index == 3 ? Role::kWeight : index == 8 ? Role::kBias : Role::kQuantization;
  if (op == "QLinearMatMul") return index == 3 ? Role::kWeight : Role::kQuantization;
  if (op == "QuantizeLinear") return index == 0 ? Role::kOther : Role::kQuantization;
  return Role::kOther;
}

// The string at position `index` of a repeated string field.
Str NthString(Bytes message, uint32_t field, uint32_t index) {
  Str found;
  uint32_t at = 0;
  ForEachField(message, field, [&](WireReader& r) {
    if (at++ != index) return true;
    found = r.str();
    return false;
  });
  return found;
}

// Follows a tensor through the layout and dequantization nodes between an
// initializer and the op that really reads it.
Role RoleOf(const GraphView& graph, Str tensor, int depth) {
  static const char* const kPassThrough[] = {"Transpose", "Reshape", "Cast", "Identity"};
  if (depth > 8) return Role::kOther;
  bool found = false;
  Role role = Role::kOther;
  ForEachField(graph.message, kGraphNode, [&](WireReader& r) {
    NodeView node;
    if (NodeView::Parse(r.bytes(), &node) != nullptr) return true;
    uint32_t index = 0;
    ForEachField(node.message, kNodeInput, [&](WireReader& input) {
      if (input.str() != tensor) {
        ++index;
        return true;
      }
      found = true;
      return false;
    });
    if (!found) return true;
    bool pass_through = IsOneOf(node.op_type, kPassThrough);
    if (node.op_type == "DequantizeLinear") {
      if (index != 0) {
        role = Role::kQuantization;
        return false;
      }
      pass_through = true;
    }
    Str output = NthString(node.message, kNodeOutput, 0);
    role = pass_through && index == 0 && !output.empty() ? RoleOf(graph, output, depth + 1)
                                                         : RoleAtInput(node.op_type, index);
    return false;
  });
  return role;
}

bool IsInitializer(const GraphView& graph, Str name) {
  bool found = false;
  ForEachField(graph.message, kGraphInitializer, [&](WireReader& r) {
    TensorView t;
    found = TensorView::Parse(r.bytes(), &t) == nullptr && t.name == name;
    return !found;
  });
  return found;
}

void PrintValue(ReportWriter& out, const ValueInfoView& v) {
  out.Print("  ");
  out.Text(v.name, 24);
  out.Print(" %-8s ", v.is_tensor ? DTypeName(v.dtype) : "non-tensor");
  if (!v.has_shape) {
    out.Print("?\n");
    return;
  }
  out.Print("[");
  for (int d = 0; d < v.rank; ++d) {
    if (d) out.Print(", ");
    if (v.dims[d].has_value) out.Print("%lld", static_cast<long long>(v.dims[d].value));
    else if (!v.dims[d].param.empty()) out.Text(v.dims[d].param);
    else out.Print("?");
  }
  out.Print("]\n");
}

// The graph inputs that are not initializers (is_input) or the outputs.
void PrintValues(ReportWriter& out, const GraphView& graph, uint32_t field) {
  ForEachField(graph.message, field, [&](WireReader& r) {
    ValueInfoView v;
    if (ValueInfoView::Parse(r.bytes(), &v) != nullptr) return true;
    if (field == kGraphInput && IsInitializer(graph, v.name)) return true;
    PrintValue(out, v);
    return true;
  });
}

// "a, b, -" (an omitted optional input is "-").
void PrintNames(ReportWriter& out, Bytes node, uint32_t field) {
  bool first = true;
  ForEachField(node, field, [&](WireReader& r) {
    if (!first) out.Print(", ");
    first = false;
    Str name = r.str();
    if (name.empty()) out.Print("-");
    else out.Text(name);
    return true;
  });
}

void PrintNodes(ReportWriter& out, const GraphView& graph) {
  out.Print("nodes (%u)\n", static_cast<unsigned>(graph.node_count));
  unsigned index = 0;
  ForEachField(graph.message, kGraphNode, [&](WireReader& r) {
    NodeView n;
    if (NodeView::Parse(r.bytes(), &n) != nullptr) return true;
    out.Print("  %4u  ", index++);
    uint32_t op_width = 20;
    if (!n.domain.empty()) {
      out.Text(n.domain);
      out.Print(".");
      op_width = n.domain.size + 1 < op_width ? op_width - n.domain.size - 1 : 0;
    }
    out.Text(n.op_type, op_width);
    out.Print(" ");
    PrintNames(out, n.message, kNodeInput);
    out.Print(" -> ");
    PrintNames(out, n.message, kNodeOutput);
    out.Print("  ");
    out.Text(n.name);
    out.Print("\n");
    return true;
  });
}

// A number printed with thousands separators, then the text after it.
struct Figure {
  int64_t value;
  const char* after;
};

template <size_t kCount>
void PrintFigures(ReportWriter& out, const Figure (&figures)[kCount]) {
  for (const Figure& f : figures) {
    out.Thousands(f.value);
    out.Print("%s", f.after);
  }
}

void PrintParameters(ReportWriter& out, const InitializerStats& s) {
  out.Print("parameters  ");
  const Figure figures[] = {
      {s.parameter_count,
       " (elements of weights, biases and other constants; not int64 shapes nor quantization "
       "scales)\nweights     "},
      {s.weight_bytes, " bytes of Conv/Gemm/MatMul weights, "},
      {s.bias_bytes, " of biases, "},
      {s.quantization_bytes, " of quantization parameters, "},
      {s.other_bytes, " other; "},
      {s.total_bytes, " bytes in "},
      {s.initializer_count, " initializers\n"}};
  PrintFigures(out, figures);
}

// Lists each unsupported op once; true if there was any.
bool PrintUnsupportedOps(ReportWriter& out, const ModelView& model, const OpResolver& resolver) {
  unsigned count = 0;
  ForEachUnsupportedOp(model, resolver, [&](const NodeView&) { ++count; });
  if (count == 0) return false;
  out.Print("unsupported ops (%u): ", count);
  bool first = true;
  ForEachUnsupportedOp(model, resolver, [&](const NodeView& n) {
    if (!first) out.Print(", ");
    first = false;
    if (!n.domain.empty()) {
      out.Text(n.domain);
      out.Print(".");
    }
    out.Text(n.op_type);
  });
  out.Print("\n");
  return true;
}

void PrintPlan(ReportWriter& out, const Interpreter& in) {
  const MemoryReport& m = in.memory();
  const PrepareStats& p = in.prepare_stats();
  out.Print("plan        %u kernel calls (%u nodes folded into constants, %u fused, %u transposes "
            "removed)\narena       ",
            static_cast<unsigned>(in.plan().step_count), static_cast<unsigned>(p.folded_nodes),
            static_cast<unsigned>(p.fused_nodes), static_cast<unsigned>(p.removed_transposes));
  const Figure figures[] = {
      {static_cast<int64_t>(m.activation_bytes), " bytes of activations planned, lower bound "},
      {static_cast<int64_t>(m.lower_bound), "\npersistent  "},
      {static_cast<int64_t>(m.persistent_bytes), " bytes (kernel parameters, plan, inputs/outputs; "},
      {static_cast<int64_t>(m.copied_constant_bytes), " bytes of constants copied, "},
      {static_cast<int64_t>(m.folded_bytes), " folded, "},
      {static_cast<int64_t>(m.fused_bytes), " fused)\nprepare     "},
      {static_cast<int64_t>(m.prepare_peak_bytes),
       " bytes at most while preparing (the graph IR)\nrequired    "},
      {static_cast<int64_t>(m.required_bytes),
       " bytes of arena in all (activations + persistent, or the prepare peak if larger)\n"}};
  PrintFigures(out, figures);
}

}  // namespace

InitializerStats CountInitializers(const GraphView& graph) {
  InitializerStats s;
  ForEachField(graph.message, kGraphInitializer, [&](WireReader& r) {
    TensorView t;
    if (TensorView::Parse(r.bytes(), &t) != nullptr) return true;
    const int64_t elements = static_cast<int64_t>(t.element_count);
    const int64_t bytes = elements * static_cast<int64_t>(DTypeSize(t.dtype));
    s.initializer_count++;
    s.total_bytes += bytes;
    const Role role = RoleOf(graph, t.name, 0);
    switch (role) {
      case Role::kWeight: s.weight_bytes += bytes; break;
      case Role::kBias: s.bias_bytes += bytes; break;
      case Role::kQuantization: s.quantization_bytes += bytes; break;
      case Role::kOther: s.other_bytes += bytes; break;
    }
    if (t.dtype != DType::kInt64 && role != Role::kQuantization) s.parameter_count += elements;
    return true;
  });
  return s;
}

bool PrintModelReport(const uint8_t* model, size_t model_size, const char* label,
                      const OpResolver& resolver, const PrepareOutcome& outcome, TextSink sink,
                      void* sink_context) {
  ReportWriter out(sink, sink_context);
  ModelView m;
  GraphView g;
  const char* problem =
      ParseModelAndGraph(Bytes{model, static_cast<uint32_t>(model_size)}, &m, &g);
  if (problem != nullptr) {
    out.Text(Str::FromCString(label));
    out.Print(": %s\n", problem);
    return false;
  }
  out.Print("model       ");
  out.Text(Str::FromCString(label));
  out.Print(" (");
  out.Thousands(static_cast<int64_t>(model_size));
  out.Print(" bytes)\nproducer    ");
  if (m.producer_name.empty() && m.producer_version.empty()) out.Print("(none)");
  out.Text(m.producer_name);
  if (!m.producer_version.empty()) out.Print(" ");
  out.Text(m.producer_version);
  out.Print("\nIR version  %lld\nopsets     ", static_cast<long long>(m.ir_version));
  for (uint32_t i = 0; i < m.opset_count; ++i) {
    OpsetView opset;
    if (!m.GetOpset(i, &opset)) continue;
    out.Print(" ");
    if (opset.domain.empty()) out.Print("ai.onnx");
    out.Text(opset.domain);
    out.Print(" %lld", static_cast<long long>(opset.version));
  }
  out.Print("\ninputs\n");
  PrintValues(out, g, kGraphInput);
  out.Print("outputs\n");
  PrintValues(out, g, kGraphOutput);
  PrintNodes(out, g);
  PrintParameters(out, CountInitializers(g));
  if (PrintUnsupportedOps(out, m, resolver)) return true;
  if (outcome.prepared == nullptr) {
    out.Print("cannot be prepared: ");
    out.Text(Str::FromCString(outcome.error));
    out.Print("\n");
    return true;
  }
  PrintPlan(out, *outcome.prepared);
  return true;
}

}  // namespace tinyonnx
