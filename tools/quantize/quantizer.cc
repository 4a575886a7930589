#include "quantizer.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "quant_plan.h"
#include "resolver_without_pass.h"
#include "tinyonnx/graph/passes.h"

namespace tinyonnx::quantize {
namespace {

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string DescribeCalibration(const QuantizeOptions& options, int64_t count) {
  std::string what = options.calibration.kind == CalibrationSource::Kind::kMnist
                         ? std::to_string(count) + " MNIST training images"
                         : std::to_string(count) + " .npy inputs";
  std::string method = RangeMethodName(options.ranges.method);
  if (options.ranges.method == RangeMethod::kPercentile) {
    char text[32];
    std::snprintf(text, sizeof(text), " %g %%", options.ranges.percentile);
    method += text;
  }
  return what + ", ranges by " + method;
}

// Each quantization parameter of an activation, shared ranges resolved.
std::vector<ActivationQuant> ChooseActivationQuants(const Graph& graph, const QuantPlan& plan,
                                                    const std::vector<CalibratedRange>& ranges) {
  std::vector<ActivationQuant> quants(graph.value_count);
  for (int32_t v : plan.CalibratedValues()) quants[v] = ChooseActivationQuant(ranges[v].chosen.lo, ranges[v].chosen.hi);
  for (int32_t v : plan.QuantizedValues()) quants[v] = quants[plan.range_source[v]];
  return quants;
}

// Quantized values in the order the model computes them.
std::vector<int32_t> QuantizedValuesInOrder(const Graph& graph, const QuantPlan& plan) {
  std::vector<int32_t> values;
  for (uint32_t i = 0; i < graph.input_count; ++i) {
    if (plan.quantized[graph.inputs[i]]) values.push_back(graph.inputs[i]);
  }
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    const Node& node = graph.nodes[graph.order[i]];
    if (node.removed) continue;
    for (uint16_t o = 0; o < node.output_count; ++o) {
      if (node.outputs[o] >= 0 && plan.quantized[node.outputs[o]]) values.push_back(node.outputs[o]);
    }
  }
  return values;
}

void ReportActivations(const Graph& graph, const QuantPlan& plan, const std::vector<int32_t>& values,
                       const std::vector<ActivationQuant>& quants, const std::vector<CalibratedRange>& ranges,
                       const std::vector<NoiseMeter>& noise, const std::vector<std::string>& names,
                       QuantizeReport* report) {
  for (int32_t v : values) {
    ActivationReport a;
    const Value& value = graph.values[v];
    a.name = names[v];
    a.producer = value.producer >= 0 ? ToString(graph.nodes[value.producer].View().name) : "graph input";
    if (plan.range_source[v] != v) a.shares_range_of = names[plan.range_source[v]];
    a.shape.assign(value.shape.dims, value.shape.dims + value.shape.rank);
    a.quant = quants[v];
    a.range = ranges[plan.range_source[v]];
    a.noise = noise[v];
    report->activations.push_back(a);
  }
}

void ReportNodes(const Graph& graph, const QuantPlan& plan, QuantizeReport* report) {
  for (uint32_t i = 0; i < graph.node_count; ++i) {
    const int32_t n = graph.order[i];
    const Node& node = graph.nodes[n];
    if (plan.role[n] == NodeRole::kRemoved) continue;
    if (plan.role[n] == NodeRole::kFloat) {
      report->float_nodes.push_back(ToString(node.View().name) + " (" + ToString(node.View().op_type) + ")");
    } else {
      ++report->quantized_nodes;
    }
  }
}

}  // namespace

onnx::ModelProto ParseOriginalModel(const std::string& path, const std::vector<uint8_t>& bytes) {
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw QuantizeError(path + ": libprotobuf cannot parse the model");
  }
  static const std::set<std::string> kQuantizedOps = {
      "QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger",
      "DynamicQuantizeLinear"};
  for (const onnx::NodeProto& node : model.graph().node()) {
    if (kQuantizedOps.count(node.op_type())) {
      throw QuantizeError(path + " is already quantized (node '" + node.name() + "' is " + node.op_type() +
                          "); quantize its float original");
    }
  }
  return model;
}

QuantizeReport QuantizeModel(const QuantizeOptions& options) {
  QuantizeReport report;
  report.model_path = options.model_path;
  report.output_path = options.output_path;
  report.ranges = options.ranges;
  if (options.output_path.empty()) throw QuantizeError("no output file given (-o OUT.onnx)");

  // The float model, as libprotobuf and as tinyonnx's prepared graph.
  tools::Session session;
  std::string error;
  if (!session.Load(options.model_path, &error)) throw QuantizeError(options.model_path + ": " + error);
  const onnx::ModelProto original = ParseOriginalModel(options.model_path, session.model_bytes());
  report.input_file_bytes = static_cast<int64_t>(session.model_bytes().size());
  if (session.declared_inputs().size() != 1) {
    throw QuantizeError(options.model_path + " has " + std::to_string(session.declared_inputs().size()) +
                        " inputs; calibration feeds models with one input");
  }
  const std::vector<tools::HostTensor> inputs =
      LoadCalibrationInputs(options.calibration, options.count, session.declared_inputs()[0]);
  report.calibration_inputs = static_cast<int64_t>(inputs.size());
  session.KeepGraph();
  // Every Conv output is calibrated and every MaxPool written back.
  const tools::ResolverWithoutPass unfused(AllOps(), &kFuseMaxPoolPass);
  session.UseResolver(unfused.resolver());
  if (!session.Prepare({inputs[0]}, {}, &error)) throw QuantizeError(options.model_path + ": " + error);
  const Graph& graph = session.interpreter().graph();

  // What becomes int8, and the ranges of the activations.
  const QuantPlan plan = PlanQuantization(graph);
  const std::vector<CalibratedRange> ranges =
      CalibrateRanges(session, plan.CalibratedValues(), inputs, options.ranges, options.progress);
  const std::vector<ActivationQuant> quants = ChooseActivationQuants(graph, plan, ranges);
  const std::vector<int32_t> reported = QuantizedValuesInOrder(graph, plan);
  report.noise_samples = std::min<int64_t>(options.noise_samples, report.calibration_inputs);
  const std::vector<tools::HostTensor> noise_inputs(inputs.begin(), inputs.begin() + report.noise_samples);
  const std::vector<NoiseMeter> noise = MeasureActivationNoise(session, reported, quants, noise_inputs, options.progress);

  // The QDQ model, serialized with aligned initializers.
  QdqWriterOptions writer_options;
  writer_options.doc_string = "Quantized to int8 by tinyonnx quantize from " + BaseName(options.model_path) +
                              " (QDQ, docs/int8.md). Calibration: " +
                              DescribeCalibration(options, report.calibration_inputs) + ".";
  const QdqModel model = WriteQdqModel(graph, plan, quants, original, writer_options);
  const std::string file = SerializeWithAlignedInitializers(model.model);
  report.placements = VerifySerializedModel(file, model.model);
  if (!tools::WriteFile(options.output_path, file.data(), file.size(), &error)) throw QuantizeError(error);
  report.output_file_bytes = static_cast<int64_t>(file.size());

  ReportActivations(graph, plan, reported, quants, ranges, noise, model.value_names, &report);
  ReportNodes(graph, plan, &report);
  report.layers = model.layers;
  report.activation_param_bytes = model.activation_param_bytes;
  report.other_constant_bytes = model.other_constant_bytes;
  report.fixed_input_shapes = model.fixed_input_shapes;
  return report;
}

}  // namespace tinyonnx::quantize
