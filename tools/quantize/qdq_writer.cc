#include "qdq_writer.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "effective_layer.h"
#include "weight_layout.h"

namespace tinyonnx::quantize {
namespace {

constexpr int64_t kQdqOpset = 13;  // per-axis DequantizeLinear
constexpr int64_t kMinIrVersion = 7;

bool IsDefaultDomain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

int64_t DefaultOpset(const onnx::ModelProto& model) {
  for (const onnx::OperatorSetIdProto& opset : model.opset_import()) {
    if (IsDefaultDomain(opset.domain())) return opset.version();
  }
  return 0;
}

std::string NodeLabel(const Node& node) {
  return "node '" + ToString(node.View().name) + "' (" + ToString(node.View().op_type) + ")";
}

onnx::TensorProto::DataType OnnxType(DType dtype) {
  return static_cast<onnx::TensorProto::DataType>(static_cast<int>(dtype));
}

// The opset (at most 13) where an op's inputs or attributes last changed in
// a way a node copied from an older model would get wrong; 0 if none.
// Softmax, LogSoftmax and Hardmax are checked by their input rank instead.
int64_t LastIncompatibleChange(const std::string& op_type) {
  static const std::map<std::string, int64_t> kChanges = {
      {"Squeeze", 13}, {"Unsqueeze", 13}, {"Split", 13},  {"ReduceSum", 13}, {"Clip", 11},
      {"Pad", 11},     {"Upsample", 10},  {"Resize", 11}, {"Dropout", 12},   {"BatchNormalization", 9},
      {"TopK", 10},    {"Slice", 10},     {"Scatter", 11}};
  auto found = kChanges.find(op_type);
  return found == kChanges.end() ? 0 : found->second;
}

void SetIntsAttribute(onnx::NodeProto* node, const std::string& name, const std::vector<int64_t>& values) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

void SetIntAttribute(onnx::NodeProto* node, const std::string& name, int64_t value) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

std::pair<float, float> MinMax(const std::vector<float>& values) {
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {*lo, *hi};
}

// Replaces symbolic dimensions by the sizes the graph was prepared with.
void FixDims(const Shape& shape, onnx::ValueInfoProto* info) {
  onnx::TensorShapeProto* dims = info->mutable_type()->mutable_tensor_type()->mutable_shape();
  for (int d = 0; d < dims->dim_size() && d < shape.rank; ++d) {
    if (!dims->dim(d).has_dim_value()) dims->mutable_dim(d)->set_dim_value(shape.dims[d]);
  }
}

class QdqGraphWriter {
 public:
  QdqGraphWriter(const Graph& graph, const QuantPlan& plan, const std::vector<ActivationQuant>& activation,
                 const onnx::ModelProto& original, int64_t original_opset, QdqModel* out)
      : graph_(graph),
        plan_(plan),
        activation_(activation),
        original_(original.graph()),
        original_opset_(original_opset),
        out_(*out),
        proto_(*out->model.mutable_graph()),
        value_name_(graph.value_count),
        produced_name_(graph.value_count),
        dequantized_name_(graph.value_count),
        constant_written_(graph.value_count, 0) {}

  void Write();

 private:
  // Names.
  std::string UniqueTensorName(const std::string& wanted);
  std::string UniqueNodeName(const std::string& wanted);
  const std::string& NameOf(int32_t v);
  std::string ReadName(int32_t v);
  void ReserveGraphInterfaceNames();

  // Graph pieces.
  onnx::NodeProto* AddNode(const std::string& op_type, const std::string& name, const std::vector<std::string>& inputs,
                           const std::vector<std::string>& outputs);
  int64_t AddInitializer(const std::string& name, DType dtype, const std::vector<int64_t>& dims, const void* data,
                         size_t bytes);
  void WriteConstant(int32_t v);
  struct ParamNames {
    std::string scale, zero_point;
  };
  const ParamNames& ActivationParams(int32_t range_source);
  void WriteQuantizeDequantize(int32_t v);
  std::string WriteChannelsLastTranspose(int32_t x);

  // Nodes.
  onnx::NodeProto OriginalNode(const Node& node) const;
  void CheckOpsetUpgrade(const Node& node) const;
  void WriteNode(int32_t n);
  void WriteCopiedNode(int32_t n);
  void WriteWeightedNode(int32_t n);
  std::string WriteConvWeight(const std::string& base, const EffectiveLayer& layer,
                              const ChannelQuantizedWeights& quantized, WeightedLayerReport* report);
  std::string WriteGemmWeight(const std::string& base, const EffectiveLayer& layer,
                              const ChannelQuantizedWeights& quantized, WeightedLayerReport* report);
  std::string WriteWeight(const std::string& base, const EffectiveLayer& layer,
                          const ChannelQuantizedWeights& quantized, WeightedLayerReport* report);
  std::string WriteBias(const std::string& base, const EffectiveLayer& layer, float input_scale,
                        const std::vector<float>& weight_scales, WeightedLayerReport* report);
  void PermuteForChannelsLastFlatten(int32_t x, EffectiveLayer* layer, WeightedLayerReport* report) const;
  void CheckClampIsPerformedByRange(const Node& node, const EffectiveLayer& layer, int32_t y) const;
  void WriteGraphInputs();
  void WriteGraphOutputs();
  void FixInterfaceShapes();

  const Graph& graph_;
  const QuantPlan& plan_;
  const std::vector<ActivationQuant>& activation_;
  const onnx::GraphProto& original_;
  int64_t original_opset_;
  QdqModel& out_;
  onnx::GraphProto& proto_;
  std::set<std::string> tensor_names_;
  std::set<std::string> node_names_;
  std::vector<std::string> value_name_;        // per value, once assigned
  std::vector<std::string> produced_name_;     // per quantized value: what its producer writes
  std::vector<std::string> dequantized_name_;  // per quantized value: what its readers read
  std::vector<uint8_t> constant_written_;
  std::map<int32_t, ParamNames> activation_params_;
  std::map<int32_t, std::string> channels_last_input_;  // Flatten node -> its transposed input
};

std::string QdqGraphWriter::UniqueTensorName(const std::string& wanted) {
  std::string name = wanted;
  for (int k = 1; tensor_names_.count(name) != 0; ++k) name = wanted + "_" + std::to_string(k);
  tensor_names_.insert(name);
  return name;
}

std::string QdqGraphWriter::UniqueNodeName(const std::string& wanted) {
  std::string name = wanted;
  for (int k = 1; node_names_.count(name) != 0; ++k) name = wanted + "_" + std::to_string(k);
  node_names_.insert(name);
  return name;
}

const std::string& QdqGraphWriter::NameOf(int32_t v) {
  if (value_name_[v].empty()) {
    std::string wanted = ToString(graph_.values[v].name);
    value_name_[v] = UniqueTensorName(wanted.empty() ? "value_" + std::to_string(v) : wanted);
  }
  return value_name_[v];
}

// The name a node reads for value v: the dequantized tensor of a quantized
// value, else the value itself (constants are written on first use).
std::string QdqGraphWriter::ReadName(int32_t v) {
  if (v < 0) return "";
  if (plan_.quantized[v]) {
    if (dequantized_name_[v].empty()) {
      throw QuantizeError("internal: '" + ToString(graph_.values[v].name) + "' is read before it is quantized");
    }
    return dequantized_name_[v];
  }
  if (graph_.values[v].is_constant()) WriteConstant(v);
  return NameOf(v);
}

void QdqGraphWriter::ReserveGraphInterfaceNames() {
  for (uint32_t i = 0; i < graph_.input_count; ++i) {
    const int32_t v = graph_.inputs[i];
    value_name_[v] = ToString(graph_.values[v].name);
    tensor_names_.insert(value_name_[v]);
  }
  for (uint32_t o = 0; o < graph_.output_count; ++o) {
    const std::string name = ToString(graph_.outputs[o].name);
    if (!tensor_names_.insert(name).second) continue;  // the same tensor twice, or an input
    const int32_t v = graph_.outputs[o].value;
    if (value_name_[v].empty()) value_name_[v] = name;
  }
}

onnx::NodeProto* QdqGraphWriter::AddNode(const std::string& op_type, const std::string& name,
                                         const std::vector<std::string>& inputs,
                                         const std::vector<std::string>& outputs) {
  onnx::NodeProto* node = proto_.add_node();
  node->set_op_type(op_type);
  node->set_name(UniqueNodeName(name));
  for (const std::string& i : inputs) node->add_input(i);
  for (const std::string& o : outputs) node->add_output(o);
  return node;
}

int64_t QdqGraphWriter::AddInitializer(const std::string& name, DType dtype, const std::vector<int64_t>& dims,
                                       const void* data, size_t bytes) {
  onnx::TensorProto* t = proto_.add_initializer();
  t->set_name(name);
  t->set_data_type(OnnxType(dtype));
  for (int64_t d : dims) t->add_dims(d);
  t->set_raw_data(data, bytes);
  return static_cast<int64_t>(bytes);
}

void QdqGraphWriter::WriteConstant(int32_t v) {
  if (constant_written_[v]) return;
  constant_written_[v] = 1;
  const Value& value = graph_.values[v];
  const size_t bytes = static_cast<size_t>(value.ByteSize());
  if (DTypeSize(value.dtype) == 0 || (bytes > 0 && value.data == nullptr)) {
    throw QuantizeError("constant '" + ToString(value.name) + "' of type " + DTypeName(value.dtype) +
                        " cannot be written");
  }
  std::vector<int64_t> dims(value.shape.dims, value.shape.dims + value.shape.rank);
  out_.other_constant_bytes += AddInitializer(NameOf(v), value.dtype, dims, value.data, bytes);
  // Computed at prepare time (a folded shape chain) for the calibration
  // input's shape, which the written model then needs.
  if (value.producer >= 0 && graph_.nodes[value.producer].View().op_type != "Constant") {
    out_.fixed_input_shapes = true;
  }
}

const QdqGraphWriter::ParamNames& QdqGraphWriter::ActivationParams(int32_t source) {
  auto found = activation_params_.find(source);
  if (found != activation_params_.end()) return found->second;
  const ActivationQuant& q = activation_[source];
  ParamNames names{UniqueTensorName(NameOf(source) + "_scale"), UniqueTensorName(NameOf(source) + "_zero_point")};
  const int8_t zero_point = static_cast<int8_t>(q.zero_point);
  out_.activation_param_bytes += AddInitializer(names.scale, DType::kFloat, {}, &q.scale, sizeof(float));
  out_.activation_param_bytes += AddInitializer(names.zero_point, DType::kInt8, {}, &zero_point, 1);
  return activation_params_.emplace(source, names).first->second;
}

// value (float) -> QuantizeLinear -> int8 -> DequantizeLinear -> float for readers.
void QdqGraphWriter::WriteQuantizeDequantize(int32_t v) {
  const ParamNames& params = ActivationParams(plan_.range_source[v]);
  const std::string& name = NameOf(v);
  const std::string quantized = UniqueTensorName(name + "_quantized");
  AddNode("QuantizeLinear", name + "_QuantizeLinear", {produced_name_[v], params.scale, params.zero_point},
          {quantized});
  AddNode("DequantizeLinear", name + "_DequantizeLinear", {quantized, params.scale, params.zero_point},
          {dequantized_name_[v]});
}

// x (rank 4, NCHW in ONNX terms) -> Transpose(0,2,3,1) -> Q -> DQ, with x's
// quantization: the channels-last bytes tinyonnx already holds.
std::string QdqGraphWriter::WriteChannelsLastTranspose(int32_t x) {
  const ParamNames& params = ActivationParams(plan_.range_source[x]);
  const std::string& name = NameOf(x);
  const std::string nhwc = UniqueTensorName(name + "_nhwc");
  onnx::NodeProto* transpose = AddNode("Transpose", name + "_to_nhwc", {ReadName(x)}, {nhwc});
  SetIntsAttribute(transpose, "perm", {0, 2, 3, 1});
  const std::string quantized = UniqueTensorName(nhwc + "_quantized");
  const std::string dequantized = UniqueTensorName(nhwc + "_dequantized");
  AddNode("QuantizeLinear", nhwc + "_QuantizeLinear", {nhwc, params.scale, params.zero_point}, {quantized});
  AddNode("DequantizeLinear", nhwc + "_DequantizeLinear", {quantized, params.scale, params.zero_point},
          {dequantized});
  return dequantized;
}

onnx::NodeProto QdqGraphWriter::OriginalNode(const Node& node) const {
  onnx::NodeProto proto;
  if (!proto.ParseFromArray(node.message.data, static_cast<int>(node.message.size))) {
    throw QuantizeError("cannot parse the NodeProto of " + NodeLabel(node));
  }
  return proto;
}

void QdqGraphWriter::CheckOpsetUpgrade(const Node& node) const {
  if (original_opset_ >= kQdqOpset || !IsDefaultDomain(ToString(node.View().domain))) return;
  const std::string op_type = ToString(node.View().op_type);
  const std::string why = NodeLabel(node) + ": the model imports opset " + std::to_string(original_opset_) +
                          " and the QDQ model needs " + std::to_string(kQdqOpset) + ", where this op is defined "
                          "differently; convert the model first (onnx.version_converter.convert_version(model, 13))";
  if (original_opset_ < LastIncompatibleChange(op_type)) throw QuantizeError(why);
  if (op_type == "Softmax" || op_type == "LogSoftmax" || op_type == "Hardmax") {
    // Identical in both opsets only on a matrix along its last axis.
    AttributeView axis;
    const char* problem = nullptr;
    bool has_axis = node.View().FindAttribute("axis", &axis, &problem);
    bool last_axis = !has_axis || axis.i == 1 || axis.i == -1;
    if (graph_.values[node.inputs[0]].shape.rank != 2 || !last_axis) throw QuantizeError(why);
  }
}

void QdqGraphWriter::WriteCopiedNode(int32_t n) {
  const Node& node = graph_.nodes[n];
  CheckOpsetUpgrade(node);
  onnx::NodeProto original = OriginalNode(node);
  std::vector<std::string> inputs, outputs;
  for (uint16_t k = 0; k < node.input_count; ++k) inputs.push_back(ReadName(node.inputs[k]));
  auto transposed = channels_last_input_.find(n);
  if (transposed != channels_last_input_.end()) inputs[0] = transposed->second;
  for (uint16_t o = 0; o < node.output_count; ++o) {
    const int32_t v = node.outputs[o];
    outputs.push_back(v < 0 ? "" : plan_.quantized[v] ? produced_name_[v] : NameOf(v));
  }
  const std::string name = original.name().empty() ? original.op_type() : original.name();
  onnx::NodeProto* written = AddNode(original.op_type(), name, inputs, outputs);
  written->set_domain(original.domain());
  *written->mutable_attribute() = original.attribute();
  written->set_doc_string(original.doc_string());
}

void QdqGraphWriter::CheckClampIsPerformedByRange(const Node& node, const EffectiveLayer& layer, int32_t y) const {
  const ActivationQuant& q = activation_[plan_.range_source[y]];
  const float tolerance = 0.5f * q.scale;
  if (layer.clamp_min > q.RepresentableMin() + tolerance || layer.clamp_max < q.RepresentableMax() - tolerance) {
    throw QuantizeError(NodeLabel(node) + ": the fused activation clamps to [" + std::to_string(layer.clamp_min) +
                        ", " + std::to_string(layer.clamp_max) + "], which the output range [" +
                        std::to_string(q.RepresentableMin()) + ", " + std::to_string(q.RepresentableMax()) +
                        "] does not enforce (a clamp that excludes 0 is not supported)");
  }
}

std::string QdqGraphWriter::WriteConvWeight(const std::string& base, const EffectiveLayer& layer,
                                            const ChannelQuantizedWeights& quantized, WeightedLayerReport* report) {
  StoredConvWeight stored = StoreConvWeightChannelsLast(quantized.values, layer.weight_dims, layer.depthwise);
  const std::string stored_name = UniqueTensorName(base + (layer.depthwise ? "_int8_1hwc" : "_int8_ohwi"));
  report->int8_weight_bytes +=
      AddInitializer(stored_name, DType::kInt8, stored.dims, stored.values.data(), stored.values.size());
  report->weight_name = stored_name;
  const std::string onnx_layout = UniqueTensorName(base + "_int8");
  onnx::NodeProto* transpose = AddNode("Transpose", base + "_to_oihw", {stored_name}, {onnx_layout});
  SetIntsAttribute(transpose, "perm", stored.perm_to_onnx);
  return onnx_layout;
}

std::string QdqGraphWriter::WriteGemmWeight(const std::string& base, const EffectiveLayer& layer,
                                            const ChannelQuantizedWeights& quantized, WeightedLayerReport* report) {
  const std::string name = UniqueTensorName(base + "_int8");
  report->int8_weight_bytes +=
      AddInitializer(name, DType::kInt8, layer.weight_dims, quantized.values.data(), quantized.values.size());
  report->weight_name = name;
  return name;
}

std::string QdqGraphWriter::WriteBias(const std::string& base, const EffectiveLayer& layer, float input_scale,
                                      const std::vector<float>& weight_scales, WeightedLayerReport* report) {
  const int64_t channels = layer.output_channels();
  std::vector<int32_t> quantized = QuantizeBias(layer.bias, input_scale, weight_scales, &report->bias_saturated);
  std::vector<float> scales = BiasScales(input_scale, weight_scales);
  for (int64_t c = 0; c < channels; ++c) {
    report->bias_noise.Add(layer.bias[c], scales[c] * static_cast<double>(quantized[c]));
  }
  std::tie(report->bias_scale_min, report->bias_scale_max) = MinMax(scales);
  const std::string name = UniqueTensorName(base + "_int32");
  const std::string scale = UniqueTensorName(base + "_scale");
  const std::string zero_point = UniqueTensorName(base + "_zero_point");
  const std::string dequantized = UniqueTensorName(base + "_dequantized");
  const std::vector<int32_t> zeros(static_cast<size_t>(channels), 0);
  report->int32_bias_bytes += AddInitializer(name, DType::kInt32, {channels}, quantized.data(), channels * 4);
  report->quant_param_bytes += AddInitializer(scale, DType::kFloat, {channels}, scales.data(), channels * 4);
  report->quant_param_bytes += AddInitializer(zero_point, DType::kInt32, {channels}, zeros.data(), channels * 4);
  report->bias_name = name;
  report->float_bias_bytes = channels * 4;
  onnx::NodeProto* dq = AddNode("DequantizeLinear", base + "_DequantizeLinear", {name, scale, zero_point}, {dequantized});
  SetIntAttribute(dq, "axis", 0);
  return dequantized;
}

// A Gemm reading a channels-last Flatten gets its weight columns in that order.
void QdqGraphWriter::PermuteForChannelsLastFlatten(int32_t x, EffectiveLayer* layer, WeightedLayerReport* report) const {
  const int32_t flatten = graph_.values[x].producer;
  if (layer->conv || flatten < 0 || !plan_.flatten_channels_last[flatten]) return;
  const Shape& map = graph_.values[graph_.nodes[flatten].inputs[0]].shape;
  layer->weights =
      PermuteColumnsToChannelsLast(layer->weights, layer->weight_dims[0], map.dims[1], map.dims[2], map.dims[3]);
  report->channels_last_columns = true;
}

ChannelQuantizedWeights QuantizeLayerWeights(const EffectiveLayer& layer, WeightedLayerReport* report) {
  const int64_t channels = layer.output_channels();
  ChannelQuantizedWeights quantized = QuantizeWeightsPerChannel(layer.weights, channels);
  const size_t per_channel = layer.weights.size() / static_cast<size_t>(channels);
  for (size_t i = 0; i < layer.weights.size(); ++i) {
    const double dequantized = quantized.scales[i / per_channel] * static_cast<double>(quantized.values[i]);
    report->weight_noise.Add(layer.weights[i], dequantized);
  }
  std::tie(report->weight_scale_min, report->weight_scale_max) = MinMax(quantized.scales);
  report->float_weight_bytes = static_cast<int64_t>(layer.weights.size() * sizeof(float));
  return quantized;
}

// int8 weights (Conv: stored channels-last, then Transpose) -> DequantizeLinear(axis 0).
std::string QdqGraphWriter::WriteWeight(const std::string& base, const EffectiveLayer& layer,
                                        const ChannelQuantizedWeights& quantized, WeightedLayerReport* report) {
  const int64_t channels = layer.output_channels();
  const std::string weight_int8 = layer.conv ? WriteConvWeight(base, layer, quantized, report)
                                             : WriteGemmWeight(base, layer, quantized, report);
  const std::string scale = UniqueTensorName(base + "_scale");
  const std::string zero_point = UniqueTensorName(base + "_zero_point");
  const std::string dequantized = UniqueTensorName(base + "_dequantized");
  const std::vector<int8_t> zeros(static_cast<size_t>(channels), 0);
  report->quant_param_bytes += AddInitializer(scale, DType::kFloat, {channels}, quantized.scales.data(), channels * 4);
  report->quant_param_bytes += AddInitializer(zero_point, DType::kInt8, {channels}, zeros.data(), channels);
  onnx::NodeProto* dq =
      AddNode("DequantizeLinear", base + "_DequantizeLinear", {weight_int8, scale, zero_point}, {dequantized});
  SetIntAttribute(dq, "axis", 0);
  return dequantized;
}

void QdqGraphWriter::WriteWeightedNode(int32_t n) {
  const Node& node = graph_.nodes[n];
  const int32_t x = node.inputs[0], y = node.outputs[0];
  EffectiveLayer layer = ReadEffectiveLayer(graph_, n);
  CheckClampIsPerformedByRange(node, layer, y);
  WeightedLayerReport report;
  report.layer = ToString(node.View().name).empty() ? NameOf(y) : ToString(node.View().name);
  report.op_type = layer.conv ? "Conv" : "Gemm";
  report.weight_dims = layer.weight_dims;
  PermuteForChannelsLastFlatten(x, &layer, &report);
  const ChannelQuantizedWeights quantized = QuantizeLayerWeights(layer, &report);

  const std::string base = NameOf(node.inputs[1]);
  std::vector<std::string> inputs = {ReadName(x), WriteWeight(base, layer, quantized, &report)};
  if (!layer.bias.empty()) {
    const bool has_bias_input = node.input_count > 2 && node.inputs[2] >= 0;
    const std::string bias_base = has_bias_input ? NameOf(node.inputs[2]) : base + "_bias";
    const float input_scale = activation_[plan_.range_source[x]].scale;
    inputs.push_back(WriteBias(bias_base, layer, input_scale, quantized.scales, &report));
  }
  const onnx::NodeProto original = OriginalNode(node);
  onnx::NodeProto* written = AddNode(report.op_type, original.name().empty() ? report.op_type : original.name(),
                                     inputs, {produced_name_[y]});
  if (layer.conv) {
    *written->mutable_attribute() = original.attribute();
  } else {  // alpha = beta = 1 (the epilogue requires them)
    if (layer.trans_a) SetIntAttribute(written, "transA", 1);
    SetIntAttribute(written, "transB", 1);
  }
  out_.layers.push_back(report);
}

void QdqGraphWriter::WriteNode(int32_t n) {
  const Node& node = graph_.nodes[n];
  // Names of quantized outputs: the op writes the float tensor, readers get
  // the dequantized one; a graph output keeps its name on the latter.
  for (uint16_t o = 0; o < node.output_count; ++o) {
    const int32_t v = node.outputs[o];
    if (v < 0 || !plan_.quantized[v]) continue;
    const std::string& name = NameOf(v);
    const bool graph_output = graph_.values[v].is_graph_output;
    produced_name_[v] = graph_output ? UniqueTensorName(name + "_float") : name;
    dequantized_name_[v] = graph_output ? name : UniqueTensorName(name + "_dequantized");
  }
  if (plan_.flatten_channels_last[n]) channels_last_input_[n] = WriteChannelsLastTranspose(node.inputs[0]);
  if (plan_.role[n] == NodeRole::kWeighted) {
    WriteWeightedNode(n);
  } else {
    WriteCopiedNode(n);
  }
  for (uint16_t o = 0; o < node.output_count; ++o) {
    const int32_t v = node.outputs[o];
    if (v >= 0 && plan_.quantized[v]) WriteQuantizeDequantize(v);
  }
}

void QdqGraphWriter::WriteGraphInputs() {
  for (uint32_t i = 0; i < graph_.input_count; ++i) {
    const int32_t v = graph_.inputs[i];
    const std::string& name = NameOf(v);
    bool copied = false;
    for (const onnx::ValueInfoProto& info : original_.input()) {
      if (info.name() == name) {
        *proto_.add_input() = info;
        copied = true;
        break;
      }
    }
    if (!copied) throw QuantizeError("internal: graph input '" + name + "' is not in the original model");
    if (plan_.quantized[v]) {
      produced_name_[v] = name;
      dequantized_name_[v] = UniqueTensorName(name + "_dequantized");
      WriteQuantizeDequantize(v);
    }
  }
}

void QdqGraphWriter::WriteGraphOutputs() {
  for (uint32_t o = 0; o < graph_.output_count; ++o) {
    const std::string name = ToString(graph_.outputs[o].name);
    const int32_t v = graph_.outputs[o].value;
    if (graph_.values[v].is_constant()) WriteConstant(v);
    const std::string written = plan_.quantized[v] ? dequantized_name_[v] : NameOf(v);
    if (written != name) AddNode("Identity", name + "_Identity", {written}, {name});
    bool copied = false;
    for (const onnx::ValueInfoProto& info : original_.output()) {
      if (info.name() == name) {
        *proto_.add_output() = info;
        copied = true;
        break;
      }
    }
    if (!copied) throw QuantizeError("internal: graph output '" + name + "' is not in the original model");
  }
}

void QdqGraphWriter::FixInterfaceShapes() {
  for (int i = 0; i < proto_.input_size(); ++i) FixDims(graph_.values[graph_.inputs[i]].shape, proto_.mutable_input(i));
  for (int o = 0; o < proto_.output_size(); ++o) {
    FixDims(graph_.values[graph_.outputs[o].value].shape, proto_.mutable_output(o));
  }
}

void QdqGraphWriter::Write() {
  proto_.set_name(original_.name());
  proto_.set_doc_string(original_.doc_string());
  ReserveGraphInterfaceNames();
  WriteGraphInputs();
  for (uint32_t i = 0; i < graph_.node_count; ++i) {
    const int32_t n = graph_.order[i];
    if (plan_.role[n] != NodeRole::kRemoved) WriteNode(n);
  }
  WriteGraphOutputs();
  if (out_.fixed_input_shapes) FixInterfaceShapes();
  out_.value_names = value_name_;
}

}  // namespace

QdqModel WriteQdqModel(const Graph& graph, const QuantPlan& plan, const std::vector<ActivationQuant>& activation,
                       const onnx::ModelProto& original, const QdqWriterOptions& options) {
  QdqModel result;
  onnx::ModelProto& model = result.model;
  model.set_ir_version(std::max<int64_t>(original.ir_version(), kMinIrVersion));
  model.set_producer_name("tinyonnx quantize");
  model.set_domain(original.domain());
  model.set_model_version(original.model_version());
  model.set_doc_string(options.doc_string);
  *model.mutable_metadata_props() = original.metadata_props();
  const int64_t original_opset = DefaultOpset(original);
  for (const onnx::OperatorSetIdProto& opset : original.opset_import()) {
    if (!IsDefaultDomain(opset.domain())) *model.add_opset_import() = opset;
  }
  onnx::OperatorSetIdProto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(std::max(original_opset, kQdqOpset));
  QdqGraphWriter writer(graph, plan, activation, original, original_opset, &result);
  writer.Write();
  return result;
}

}  // namespace tinyonnx::quantize
