#include "report.h"

#include <algorithm>
#include <cmath>

#include "number_text.h"

namespace tinyonnx::quantize {
namespace {

using tools::Thousands;

constexpr int kClippingWarningPercent = 1;

std::string Format(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

std::string ShapeText(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

std::string RangeText(float lo, float hi) { return "[" + Format("%.4g", lo) + ", " + Format("%.4g", hi) + "]"; }

std::string ScaleText(float lo, float hi) {
  return lo == hi ? Format("%.4g", lo) : Format("%.3g", lo) + ".." + Format("%.3g", hi);
}

std::string Percent(int64_t part, int64_t whole) {
  return Format("%.3f %%", whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
}

int Width(size_t wanted, size_t at_most) { return static_cast<int>(std::min(wanted, at_most)); }

void PrintActivations(const QuantizeReport& r, std::FILE* out) {
  size_t name_width = 6, producer_width = 8;
  for (const ActivationReport& a : r.activations) {
    name_width = std::max(name_width, a.name.size());
    producer_width = std::max(producer_width, a.producer.size());
  }
  const int nw = Width(name_width, 44), pw = Width(producer_width, 32);
  std::fprintf(out, "activations: int8 per tensor (real = scale * (q - zero point))\n");
  std::fprintf(out, "  %-*s  %-*s  %-14s %-10s %5s  %-20s %-20s %9s  %7s\n", nw, "tensor", pw, "producer", "shape",
               "scale", "zp", "range", "observed", "clipped", "SQNR dB");
  for (const ActivationReport& a : r.activations) {
    std::string range = a.shares_range_of.empty() ? RangeText(a.quant.RepresentableMin(), a.quant.RepresentableMax())
                                                  : "as its input";
    std::fprintf(out, "  %-*s  %-*s  %-14s %-10s %5d  %-20s %-20s %9s  %7s\n", nw, a.name.c_str(), pw,
                 a.producer.c_str(), ShapeText(a.shape).c_str(), Format("%.4g", a.quant.scale).c_str(),
                 a.quant.zero_point, range.c_str(), RangeText(a.range.observed_min, a.range.observed_max).c_str(),
                 Percent(a.noise.clipped, a.noise.count).c_str(), FormatSqnr(a.noise.SqnrDb()).c_str());
  }
  for (const ActivationReport& a : r.activations) {
    if (a.noise.count > 0 && a.noise.clipped * 100 > a.noise.count * kClippingWarningPercent) {
      std::fprintf(out, "  note: a range clips more than %d %% of a tensor's values; that usually costs accuracy "
                   "(try --method percentile or minmax)\n", kClippingWarningPercent);
      break;
    }
  }
}

void PrintWeights(const QuantizeReport& r, std::FILE* out) {
  size_t layer_width = 5, tensor_width = 6;
  for (const WeightedLayerReport& l : r.layers) {
    layer_width = std::max(layer_width, l.layer.size());
    tensor_width = std::max({tensor_width, l.weight_name.size(), l.bias_name.size()});
  }
  const int lw = Width(layer_width, 32), tw = Width(tensor_width, 44);
  std::fprintf(out, "weights: int8 symmetric per output channel (zero point 0), bias int32 (scale s_in * s_w)\n");
  std::fprintf(out, "  %-*s  %-*s  %-7s  %-14s %-20s %7s\n", lw, "layer", tw, "tensor", "kind", "shape", "scale",
               "SQNR dB");
  for (const WeightedLayerReport& l : r.layers) {
    std::string kind = l.channels_last_columns ? "weight*" : "weight";
    std::fprintf(out, "  %-*s  %-*s  %-7s  %-14s %-20s %7s\n", lw, l.layer.c_str(), tw, l.weight_name.c_str(),
                 kind.c_str(), ShapeText(l.weight_dims).c_str(),
                 ScaleText(l.weight_scale_min, l.weight_scale_max).c_str(), FormatSqnr(l.weight_noise.SqnrDb()).c_str());
    if (l.bias_name.empty()) continue;
    std::string note = l.bias_saturated > 0 ? "  (" + std::to_string(l.bias_saturated) + " saturated)" : "";
    std::fprintf(out, "  %-*s  %-*s  %-7s  %-14s %-20s %7s%s\n", lw, "", tw, l.bias_name.c_str(), "bias",
                 ShapeText({l.weight_dims[0]}).c_str(), ScaleText(l.bias_scale_min, l.bias_scale_max).c_str(),
                 FormatSqnr(l.bias_noise.SqnrDb()).c_str(), note.c_str());
  }
  for (const WeightedLayerReport& l : r.layers) {
    if (l.channels_last_columns) {
      std::fprintf(out, "  * columns reordered for the channels-last Flatten (Transpose 0,2,3,1 before it)\n");
      break;
    }
  }
}

void PrintSummary(const QuantizeReport& r, std::FILE* out) {
  int64_t int8_weights = 0, int32_biases = 0, params = r.activation_param_bytes, float_weights = 0, float_biases = 0;
  for (const WeightedLayerReport& l : r.layers) {
    int8_weights += l.int8_weight_bytes;
    int32_biases += l.int32_bias_bytes;
    params += l.quant_param_bytes;
    float_weights += l.float_weight_bytes;
    float_biases += l.float_bias_bytes;
  }
  const int64_t int8_total = int8_weights + int32_biases + params;
  const int64_t float_total = float_weights + float_biases;
  std::fprintf(out, "summary\n");
  std::fprintf(out, "  weights       %10s bytes int8     (float %s bytes)\n", Thousands(int8_weights).c_str(),
               Thousands(float_weights).c_str());
  std::fprintf(out, "  biases        %10s bytes int32    (float %s bytes)\n", Thousands(int32_biases).c_str(),
               Thousands(float_biases).c_str());
  std::fprintf(out, "  scales, zero points %4s bytes\n", Thousands(params).c_str());
  std::fprintf(out, "  in all        %10s bytes          (float %s bytes, %.2fx smaller)\n",
               Thousands(int8_total).c_str(), Thousands(float_total).c_str(),
               int8_total > 0 ? static_cast<double>(float_total) / static_cast<double>(int8_total) : 0.0);
  if (r.other_constant_bytes > 0) {
    std::fprintf(out, "  other constants %8s bytes, written as they were\n", Thousands(r.other_constant_bytes).c_str());
  }
  std::fprintf(out, "  file          %10s bytes          (float model %s bytes); %zu initializers, raw_data aligned\n",
               Thousands(r.output_file_bytes).c_str(), Thousands(r.input_file_bytes).c_str(), r.placements.size());
  std::fprintf(out, "  nodes         %lld quantized, %zu float%s", static_cast<long long>(r.quantized_nodes),
               r.float_nodes.size(), r.float_nodes.empty() ? "" : ":");
  for (const std::string& n : r.float_nodes) std::fprintf(out, " %s", n.c_str());
  std::fprintf(out, "\n");
  if (r.fixed_input_shapes) {
    std::fprintf(out, "  note: shape computations were folded for the calibration input's shape, so the model's "
                 "symbolic input and output dimensions are fixed to it\n");
  }
}

}  // namespace

std::string FormatSqnr(double db) {
  if (std::isinf(db)) return db > 0 ? "exact" : "-inf";
  return Format("%.1f", db);
}

void PrintReport(const QuantizeReport& r, std::FILE* out) {
  std::string method = RangeMethodName(r.ranges.method);
  if (r.ranges.method == RangeMethod::kPercentile) method += Format(" %g %%", r.ranges.percentile);
  std::fprintf(out, "quantized %s -> %s\n", r.model_path.c_str(), r.output_path.c_str());
  std::fprintf(out, "calibration %lld inputs, ranges by %s%s; SQNR of activations over the first %lld inputs\n\n",
               static_cast<long long>(r.calibration_inputs), method.c_str(),
               r.ranges.graph_inputs_use_minmax && r.ranges.method != RangeMethod::kMinMax ? " (graph inputs: min/max)"
                                                                                            : "",
               static_cast<long long>(r.noise_samples));
  PrintActivations(r, out);
  std::fprintf(out, "\n");
  PrintWeights(r, out);
  std::fprintf(out, "\n");
  PrintSummary(r, out);
}

}  // namespace tinyonnx::quantize
