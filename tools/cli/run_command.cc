// tinyonnx run MODEL [--input FILE]... [--output OUT.npy] [--json] [--repeat N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "commands.h"
#include "json_writer.h"
#include "session.h"

namespace tinyonnx::tools {
namespace {

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::string output;
  bool json = false;
  std::vector<std::string> dims;
  int repeat = 0;
};

// Without --input, each input gets deterministic pseudo-random values in
// [0, 1) (floats) or zeros (other types), so runs are reproducible.
HostTensor MakeInput(const TensorRef& ref) {
  HostTensor t;
  t.name.assign(ref.name.data, ref.name.size);
  t.dtype = ref.dtype;
  t.dims.assign(ref.shape.dims, ref.shape.dims + ref.shape.rank);
  t.data.assign(ref.ByteSize(), 0);
  if (ref.dtype == DType::kFloat) {
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    float* values = t.as<float>();
    for (int64_t i = 0; i < t.ElementCount(); ++i) values[i] = uniform(rng);
  }
  return t;
}

std::vector<double> AsDoubles(const HostTensor& t) {
  std::vector<double> values(static_cast<size_t>(t.ElementCount()));
  for (size_t i = 0; i < values.size(); ++i) {
    switch (t.dtype) {
      case DType::kFloat: values[i] = t.as<float>()[i]; break;
      case DType::kDouble: values[i] = t.as<double>()[i]; break;
      case DType::kInt64: values[i] = static_cast<double>(t.as<int64_t>()[i]); break;
      case DType::kInt32: values[i] = t.as<int32_t>()[i]; break;
      case DType::kInt8: values[i] = t.as<int8_t>()[i]; break;
      case DType::kUint8:
      case DType::kBool: values[i] = t.as<uint8_t>()[i]; break;
      default: values[i] = NAN; break;
    }
  }
  return values;
}

// A classifier output: one row of 2..1000 scores.
bool LooksLikeScores(const HostTensor& t) {
  int64_t n = t.ElementCount();
  bool one_row = t.dims.size() == 1 || (t.dims.size() == 2 && t.dims[0] == 1);
  return one_row && n >= 2 && n <= 1000 && (t.dtype == DType::kFloat || t.dtype == DType::kDouble);
}

std::vector<size_t> TopK(const std::vector<double>& values, size_t k) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  k = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + k, order.end(),
                    [&](size_t a, size_t b) { return values[a] > values[b]; });
  order.resize(k);
  return order;
}

void PrintOutputText(const HostTensor& t) {
  std::printf("%s  %s %s\n", t.name.c_str(), DTypeName(t.dtype), t.ShapeString().c_str());
  std::vector<double> values = AsDoubles(t);
  if (LooksLikeScores(t)) {
    for (size_t i : TopK(values, 5)) std::printf("  class %-5zu %.6f\n", i, values[i]);
    return;
  }
  size_t shown = std::min<size_t>(values.size(), 16);
  std::printf("  ");
  for (size_t i = 0; i < shown; ++i) std::printf("%.6g ", values[i]);
  if (shown < values.size()) {
    auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    double mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
    std::printf("... (%zu values, min %.6g, max %.6g, mean %.6g)", values.size(), *lo, *hi, mean);
  }
  std::printf("\n");
}

void PrintOutputJson(JsonWriter& json, const HostTensor& t) {
  json.BeginObject().Key("name").String(t.name).Key("dtype").String(DTypeName(t.dtype));
  json.Key("shape").BeginArray();
  for (int64_t d : t.dims) json.Int(d);
  json.EndArray().Key("values").BeginArray();
  std::vector<double> values = AsDoubles(t);
  for (double v : values) json.Number(v);
  json.EndArray();
  if (LooksLikeScores(t)) {
    json.Key("top5").BeginArray();
    for (size_t i : TopK(values, 5)) json.BeginObject().Key("class").Int(static_cast<int64_t>(i)).Key("score").Number(values[i]).EndObject();
    json.EndArray();
  }
  json.EndObject();
}

std::string OutputPath(const std::string& base, uint32_t index) {
  if (index == 0) return base;
  std::string stem = base.size() > 4 && base.compare(base.size() - 4, 4, ".npy") == 0
                         ? base.substr(0, base.size() - 4)
                         : base;
  return stem + "_" + std::to_string(index) + ".npy";
}

int RunModel(const RunOptions& options) {
  Session session;
  std::string error;
  auto fail = [&](const std::string& what) {
    std::fprintf(stderr, "tinyonnx run: %s\n", what.c_str());
    return 1;
  };
  if (!session.Load(options.model, &error)) return fail(options.model + ": " + error);
  std::vector<HostTensor> inputs(options.inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!ReadTensorFile(options.inputs[i], &inputs[i], &error)) return fail(error);
  }
  if (!session.Prepare(inputs, options.dims, &error)) return fail(options.model + ": " + error);
  Interpreter& interpreter = session.interpreter();
  if (inputs.empty()) {
    for (uint32_t i = 0; i < interpreter.input_count(); ++i) inputs.push_back(MakeInput(interpreter.input(i)));
    if (!options.json) std::printf("(no --input given: using generated inputs, uniform [0, 1) with seed 42)\n");
  }
  if (!session.SetInputs(inputs, &error) || !session.Invoke(&error)) return fail(error);
  std::vector<HostTensor> outputs;
  for (uint32_t o = 0; o < interpreter.output_count(); ++o) outputs.push_back(session.Output(o));
  if (options.repeat > 0) {
    // Inputs are copied in each time: their buffers may be reused by activations.
    auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < options.repeat; ++r) {
      if (!session.SetInputs(inputs, &error) || !session.Invoke(&error)) return fail(error);
    }
    double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    std::printf("tinyonnx_us_per_inference %.3f\n", us / options.repeat);
  }
  if (!options.output.empty()) {
    for (uint32_t o = 0; o < outputs.size(); ++o) {
      if (!WriteNpy(OutputPath(options.output, o), outputs[o], &error)) return fail(error);
    }
  }
  if (options.json) {
    JsonWriter json;
    json.BeginObject().Key("outputs").BeginArray();
    for (const HostTensor& t : outputs) PrintOutputJson(json, t);
    json.EndArray().EndObject();
    std::printf("%s\n", json.str().c_str());
  } else if (options.repeat == 0) {
    for (const HostTensor& t : outputs) PrintOutputText(t);
  }
  return 0;
}

}  // namespace

void AddRunCommand(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand("run", "Run a model on inputs from .npy or .pb files");
  run->add_option("model", options->model, "ONNX model file")->required();
  run->add_option("--input,-i", options->inputs, "Input tensor file (.npy or TensorProto .pb), in input order");
  run->add_option("--output,-o", options->output, "Write output 0 to this .npy (output k to NAME_k.npy)");
  run->add_flag("--json", options->json, "Print the outputs as JSON");
  run->add_option("--dim", options->dims, "Value of a symbolic dimension, NAME=VALUE");
  run->add_option("--repeat", options->repeat, "Time this many inferences and print the mean in µs")
      ->check(CLI::NonNegativeNumber);
  run->callback([options] { std::exit(RunModel(*options)); });
}

}  // namespace tinyonnx::tools
