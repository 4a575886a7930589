// tinyonnx info MODEL [--json] [--dim NAME=VALUE]...
#include <cstdio>

#include "commands.h"
#include "json_writer.h"
#include "model_summary.h"
#include "session.h"
#include "tinyonnx/report/model_report.h"

namespace tinyonnx::tools {
namespace {

struct InfoOptions {
  std::string model;
  bool json = false;
  std::vector<std::string> dims;
};

void WriteToStdout(void*, const char* text) { std::fputs(text, stdout); }

// The text report is the freestanding one the RT-Thread console prints too.
void PrintText(const InfoOptions& options, Session& session, bool prepared,
               const std::string& prepare_error) {
  const std::vector<uint8_t>& bytes = session.model_bytes();
  PrepareOutcome outcome;
  outcome.prepared = prepared ? &session.interpreter() : nullptr;
  outcome.error = prepare_error.c_str();
  PrintModelReport(bytes.data(), bytes.size(), options.model.c_str(), AllOps(), outcome,
                   WriteToStdout, nullptr);
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
  const InitializerStats& i = s.initializers;
  json.Key("parameters").Int(i.parameter_count).Key("weight_bytes").Int(i.weight_bytes);
  json.Key("bias_bytes").Int(i.bias_bytes).Key("quantization_bytes").Int(i.quantization_bytes);
  json.Key("other_bytes").Int(i.other_bytes).Key("initializer_bytes").Int(i.total_bytes);
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
    json.Key("prepare_peak_bytes").Int(static_cast<int64_t>(m.prepare_peak_bytes));
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
  else PrintText(options, session, prepared, error);
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
