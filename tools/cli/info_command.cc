// tinyonnx info MODEL [--json] [--dim NAME=VALUE]...
#include <cstdio>

#include "commands.h"
#include "json_writer.h"
#include "model_summary.h"
#include "session.h"

namespace tinyonnx::tools {
namespace {

struct InfoOptions {
  std::string model;
  bool json = false;
  std::vector<std::string> dims;
};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + (items[i].empty() ? "-" : items[i]);
  return out;
}

void PrintText(const InfoOptions& options, const ModelSummary& s, size_t model_bytes,
               const Session* session, const std::string& prepare_error) {
  std::printf("model       %s (%s bytes)\n", options.model.c_str(), Thousands(model_bytes).c_str());
  std::printf("producer    %s\n", s.producer.empty() ? "(none)" : s.producer.c_str());
  std::printf("IR version  %lld\n", static_cast<long long>(s.ir_version));
  std::printf("opsets     ");
  for (const auto& [domain, version] : s.opsets) std::printf(" %s %lld", domain.c_str(), static_cast<long long>(version));
  std::printf("\ninputs\n");
  for (const ValueSummary& v : s.inputs) std::printf("  %-24s %-8s %s\n", v.name.c_str(), v.dtype.c_str(), v.shape.c_str());
  std::printf("outputs\n");
  for (const ValueSummary& v : s.outputs) std::printf("  %-24s %-8s %s\n", v.name.c_str(), v.dtype.c_str(), v.shape.c_str());
  std::printf("nodes (%zu)\n", s.nodes.size());
  for (size_t i = 0; i < s.nodes.size(); ++i) {
    const NodeSummary& n = s.nodes[i];
    std::string op = n.domain.empty() ? n.op_type : n.domain + "." + n.op_type;
    std::printf("  %4zu  %-20s %s -> %s  %s\n", i, op.c_str(), Join(n.inputs).c_str(),
                Join(n.outputs).c_str(), n.name.c_str());
  }
  std::printf("parameters  %s (elements of weights, biases and other constants; not int64 "
              "shapes nor quantization scales)\n",
              Thousands(s.parameter_count).c_str());
  std::printf("weights     %s bytes of Conv/Gemm/MatMul weights, %s of biases, %s of quantization "
              "parameters, %s other; %s bytes in %lld initializers\n",
              Thousands(s.weight_bytes).c_str(), Thousands(s.bias_bytes).c_str(),
              Thousands(s.quantization_bytes).c_str(), Thousands(s.other_bytes).c_str(),
              Thousands(s.total_bytes).c_str(), static_cast<long long>(s.initializer_count));
  if (!s.unsupported_ops.empty()) {
    std::printf("unsupported ops (%zu): %s\n", s.unsupported_ops.size(), Join(s.unsupported_ops).c_str());
    return;
  }
  if (session == nullptr) {
    std::printf("cannot be prepared: %s\n", prepare_error.c_str());
    return;
  }
  const Interpreter& in = const_cast<Session*>(session)->interpreter();
  const MemoryReport& m = in.memory();
  const PrepareStats& p = in.prepare_stats();
  std::printf("plan        %u kernel calls (%u nodes folded into constants, %u fused, %u transposes removed)\n",
              in.plan().step_count, p.folded_nodes, p.fused_nodes, p.removed_transposes);
  std::printf("arena       %s bytes of activations planned, lower bound %s\n",
              Thousands(m.activation_bytes).c_str(), Thousands(m.lower_bound).c_str());
  std::printf("persistent  %s bytes (graph, kernel parameters, plan; %s bytes of constants copied, "
              "%s folded, %s fused)\n",
              Thousands(m.persistent_bytes).c_str(), Thousands(m.copied_constant_bytes).c_str(),
              Thousands(m.folded_bytes).c_str(), Thousands(m.fused_bytes).c_str());
  std::printf("required    %s bytes of arena in all\n", Thousands(m.required_bytes).c_str());
}

void WriteValues(JsonWriter& json, const std::vector<ValueSummary>& values) {
  json.BeginArray();
  for (const ValueSummary& v : values) {
    json.BeginObject().Key("name").String(v.name).Key("dtype").String(v.dtype).Key("shape").String(v.shape).EndObject();
  }
  json.EndArray();
}

void PrintJson(const InfoOptions& options, const ModelSummary& s, size_t model_bytes,
               const Session* session, const std::string& prepare_error) {
  JsonWriter json;
  json.BeginObject();
  json.Key("model").String(options.model).Key("model_bytes").Int(static_cast<int64_t>(model_bytes));
  json.Key("producer").String(s.producer).Key("ir_version").Int(s.ir_version);
  json.Key("opsets").BeginObject();
  for (const auto& [domain, version] : s.opsets) json.Key(domain).Int(version);
  json.EndObject();
  json.Key("inputs");
  WriteValues(json, s.inputs);
  json.Key("outputs");
  WriteValues(json, s.outputs);
  json.Key("nodes").BeginArray();
  for (const NodeSummary& n : s.nodes) {
    json.BeginObject().Key("op").String(n.op_type).Key("domain").String(n.domain).Key("name").String(n.name);
    json.Key("inputs").BeginArray();
    for (const std::string& i : n.inputs) json.String(i);
    json.EndArray().Key("outputs").BeginArray();
    for (const std::string& o : n.outputs) json.String(o);
    json.EndArray().EndObject();
  }
  json.EndArray();
  json.Key("parameters").Int(s.parameter_count).Key("weight_bytes").Int(s.weight_bytes);
  json.Key("bias_bytes").Int(s.bias_bytes).Key("quantization_bytes").Int(s.quantization_bytes);
  json.Key("other_bytes").Int(s.other_bytes).Key("initializer_bytes").Int(s.total_bytes);
  json.Key("unsupported_ops").BeginArray();
  for (const std::string& op : s.unsupported_ops) json.String(op);
  json.EndArray();
  if (session != nullptr) {
    const Interpreter& in = const_cast<Session*>(session)->interpreter();
    const MemoryReport& m = in.memory();
    json.Key("steps").Int(in.plan().step_count);
    json.Key("arena_bytes").Int(static_cast<int64_t>(m.activation_bytes));
    json.Key("arena_lower_bound").Int(static_cast<int64_t>(m.lower_bound));
    json.Key("persistent_bytes").Int(static_cast<int64_t>(m.persistent_bytes));
    json.Key("copied_constant_bytes").Int(static_cast<int64_t>(m.copied_constant_bytes));
    json.Key("required_arena_bytes").Int(static_cast<int64_t>(m.required_bytes));
  } else {
    json.Key("error").String(prepare_error);
  }
  json.EndObject();
  std::printf("%s\n", json.str().c_str());
}

int RunInfo(const InfoOptions& options) {
  Session session;
  std::string error;
  if (!session.Load(options.model, &error)) {
    std::fprintf(stderr, "tinyonnx info: %s: %s\n", options.model.c_str(), error.c_str());
    return 1;
  }
  ModelSummary summary;
  if (!SummarizeModel(session.model_bytes(), &summary, &error)) {
    std::fprintf(stderr, "tinyonnx info: %s: %s\n", options.model.c_str(), error.c_str());
    return 1;
  }
  bool prepared = summary.unsupported_ops.empty() && session.Prepare({}, options.dims, &error);
  const Session* ready = prepared ? &session : nullptr;
  size_t bytes = session.model_bytes().size();
  if (options.json) PrintJson(options, summary, bytes, ready, error);
  else PrintText(options, summary, bytes, ready, error);
  return prepared ? 0 : 1;
}

}  // namespace

void AddInfoCommand(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* info = app.add_subcommand("info", "Show a model's structure, parameters and memory plan");
  info->add_option("model", options->model, "ONNX model file")->required();
  info->add_flag("--json", options->json, "Print JSON");
  info->add_option("--dim", options->dims, "Value of a symbolic dimension, NAME=VALUE");
  info->callback([options] { std::exit(RunInfo(*options)); });
}

}  // namespace tinyonnx::tools
