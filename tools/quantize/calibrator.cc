#include "calibrator.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "quant_plan.h"

namespace tinyonnx::quantize {
namespace {

// Step index per node index (-1: the node runs no kernel).
std::vector<int32_t> StepOfNode(const Interpreter& interpreter) {
  std::vector<int32_t> step_of(interpreter.graph().node_count, -1);
  const ExecutionPlan& plan = interpreter.plan();
  for (uint32_t s = 0; s < plan.step_count; ++s) step_of[plan.steps[s].node] = static_cast<int32_t>(s);
  return step_of;
}

void RunInputs(StepwiseRunner& runner, const std::vector<tools::HostTensor>& inputs, const std::string& phase,
               const ProgressFn& progress, const ValueObserver& observe) {
  const int64_t total = static_cast<int64_t>(inputs.size());
  for (int64_t i = 0; i < total; ++i) {
    runner.Run(inputs[static_cast<size_t>(i)], observe);
    if (progress) progress(phase, i + 1, total);
  }
}

bool IsGraphInput(const Graph& graph, int32_t v) {
  return graph.values[graph.StorageRoot(v)].kind == ValueKind::kGraphInput;
}

}  // namespace

StepwiseRunner::StepwiseRunner(tools::Session& session, const std::vector<int32_t>& observed_values)
    : session_(session) {
  const Interpreter& interpreter = session.interpreter();
  const Graph& graph = interpreter.graph();
  after_step_.resize(interpreter.plan().step_count);
  const std::vector<int32_t> step_of = StepOfNode(interpreter);
  for (int32_t v : observed_values) {
    const Value& value = graph.values[v];
    if (value.dtype != DType::kFloat || value.is_constant()) {
      throw QuantizeError("internal: cannot observe value '" + ToString(value.name) + "' (not a float activation)");
    }
    const int32_t root = graph.StorageRoot(v);
    const Value& stored = graph.values[root];
    if (stored.kind == ValueKind::kGraphInput) {
      before_first_step_.push_back(v);
    } else if (stored.producer >= 0 && step_of[stored.producer] >= 0) {
      after_step_[step_of[stored.producer]].push_back(v);
    } else {
      throw QuantizeError("internal: no plan step writes value '" + ToString(value.name) + "'");
    }
  }
}

void StepwiseRunner::Observe(const std::vector<int32_t>& values, const ValueObserver& observe) const {
  const Interpreter& interpreter = session_.interpreter();
  for (int32_t v : values) {
    TensorRef ref = interpreter.value(v);
    observe(v, ref.data<const float>(), ref.ElementCount());
  }
}

void StepwiseRunner::Run(const tools::HostTensor& input, const ValueObserver& observe) {
  std::string error;
  if (!session_.SetInputs({input}, &error)) throw QuantizeError("calibration input: " + error);
  Observe(before_first_step_, observe);
  const Interpreter& interpreter = session_.interpreter();
  for (uint32_t s = 0; s < after_step_.size(); ++s) {
    interpreter.InvokeStep(s);
    Observe(after_step_[s], observe);
  }
}

const char* RangeMethodName(RangeMethod method) {
  switch (method) {
    case RangeMethod::kMinMax: return "minmax";
    case RangeMethod::kPercentile: return "percentile";
    case RangeMethod::kEntropy: return "entropy";
  }
  return "?";
}

RangeMethod ParseRangeMethod(const std::string& name) {
  for (RangeMethod m : {RangeMethod::kMinMax, RangeMethod::kPercentile, RangeMethod::kEntropy}) {
    if (name == RangeMethodName(m)) return m;
  }
  throw QuantizeError("unknown calibration method '" + name + "' (minmax, percentile or entropy)");
}

std::vector<CalibratedRange> CalibrateRanges(tools::Session& session, const std::vector<int32_t>& values,
                                             const std::vector<tools::HostTensor>& inputs,
                                             const CalibrationOptions& options, const ProgressFn& progress) {
  const Graph& graph = session.interpreter().graph();
  StepwiseRunner runner(session, values);
  std::vector<CalibratedRange> ranges(graph.value_count);
  for (int32_t v : values) {
    ranges[v].observed_min = std::numeric_limits<float>::infinity();
    ranges[v].observed_max = -std::numeric_limits<float>::infinity();
  }
  RunInputs(runner, inputs, "calibrating: min/max", progress,
            [&](int32_t v, const float* data, int64_t count) {
              CalibratedRange& r = ranges[v];
              for (int64_t i = 0; i < count; ++i) {
                if (!std::isfinite(data[i])) {
                  throw QuantizeError("value '" + ToString(graph.values[v].name) +
                                      "' is not finite for a calibration input");
                }
                r.observed_min = std::min(r.observed_min, data[i]);
                r.observed_max = std::max(r.observed_max, data[i]);
              }
            });
  std::vector<Histogram> histograms(graph.value_count);
  std::vector<int32_t> histogrammed;
  for (int32_t v : values) {
    CalibratedRange& r = ranges[v];
    r.chosen = ValueRange{r.observed_min, r.observed_max};
    r.method = RangeMethod::kMinMax;
    if (options.method == RangeMethod::kMinMax || (options.graph_inputs_use_minmax && IsGraphInput(graph, v))) {
      continue;
    }
    r.method = options.method;
    if (options.method == RangeMethod::kPercentile) {
      histograms[v] = Histogram(r.observed_min, r.observed_max, options.histogram_bins);
    } else {
      float magnitude = std::max(std::fabs(r.observed_min), std::fabs(r.observed_max));
      histograms[v] = Histogram(0.0f, magnitude, options.histogram_bins);
    }
    histogrammed.push_back(v);
  }
  if (histogrammed.empty()) return ranges;
  StepwiseRunner histogram_runner(session, histogrammed);
  RunInputs(histogram_runner, inputs, std::string("calibrating: ") + RangeMethodName(options.method),
            progress, [&](int32_t v, const float* data, int64_t count) {
              if (options.method == RangeMethod::kPercentile) histograms[v].Add(data, count);
              else histograms[v].AddMagnitudes(data, count);
            });
  for (int32_t v : histogrammed) {
    CalibratedRange& r = ranges[v];
    if (options.method == RangeMethod::kPercentile) {
      r.chosen = PercentileRange(histograms[v], options.percentile);
      continue;
    }
    // Entropy: a threshold on magnitudes; a tensor that is never negative
    // spends all 256 levels on [0, T], a signed one 128 on each side.
    const bool signed_values = r.observed_min < 0.0f;
    const float threshold = static_cast<float>(EntropyThreshold(histograms[v], signed_values ? 128 : 256));
    r.chosen = ValueRange{std::max(r.observed_min, -threshold), std::min(r.observed_max, threshold)};
  }
  return ranges;
}

std::vector<NoiseMeter> MeasureActivationNoise(tools::Session& session, const std::vector<int32_t>& values,
                                               const std::vector<ActivationQuant>& params,
                                               const std::vector<tools::HostTensor>& inputs,
                                               const ProgressFn& progress) {
  StepwiseRunner runner(session, values);
  std::vector<NoiseMeter> meters(session.interpreter().graph().value_count);
  RunInputs(runner, inputs, "measuring quantization noise", progress,
            [&](int32_t v, const float* data, int64_t count) {
              const ActivationQuant& q = params[v];
              // Beyond half a step outside the representable range a value is
              // clipped, not just rounded.
              const float lo = q.RepresentableMin() - 0.5f * q.scale, hi = q.RepresentableMax() + 0.5f * q.scale;
              NoiseMeter& meter = meters[v];
              for (int64_t i = 0; i < count; ++i) {
                meter.Add(data[i], QuantizeDequantize(data[i], q));
                meter.clipped += data[i] < lo || data[i] > hi;
              }
            });
  return meters;
}

}  // namespace tinyonnx::quantize
