// Calibration: runs the float model with tinyonnx's own Interpreter one
// plan step at a time and collects statistics of chosen values right after
// the step that writes them (their buffers are reused by later steps).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "histogram.h"
#include "host_tensor.h"
#include "quant_math.h"
#include "session.h"

namespace tinyonnx::quantize {

// Shows each observed value (float data, element count) once per input.
using ValueObserver = std::function<void(int32_t value, const float* data, int64_t count)>;
// Progress of a calibration phase: `done` of `total` inputs.
using ProgressFn = std::function<void(const std::string& phase, int64_t done, int64_t total)>;

class StepwiseRunner {
 public:
  // `session` must be prepared; every observed value must be a float.
  StepwiseRunner(tools::Session& session, const std::vector<int32_t>& observed_values);

  // Sets the input, runs every step and calls `observe` for each observed
  // value right after its data is written.
  void Run(const tools::HostTensor& input, const ValueObserver& observe);

 private:
  void Observe(const std::vector<int32_t>& values, const ValueObserver& observe) const;

  tools::Session& session_;
  std::vector<int32_t> before_first_step_;           // graph inputs and their aliases
  std::vector<std::vector<int32_t>> after_step_;     // per plan step
};

enum class RangeMethod { kMinMax, kPercentile, kEntropy };
const char* RangeMethodName(RangeMethod method);
RangeMethod ParseRangeMethod(const std::string& name);  // throws QuantizeError

struct CalibrationOptions {
  RangeMethod method = RangeMethod::kPercentile;
  double percentile = 99.99;
  int histogram_bins = 2048;
  // Graph inputs keep their full observed range whatever the method: input
  // data usually has a fixed, meaningful range (pixels in [0, 1]) that
  // clipping only distorts.
  bool graph_inputs_use_minmax = true;
};

struct CalibratedRange {
  float observed_min = 0.0f;
  float observed_max = 0.0f;
  ValueRange chosen;  // before widening to contain 0
  RangeMethod method = RangeMethod::kMinMax;
};

// Ranges of `values` (indexed by value; others left default) over all
// inputs: one pass for min/max, a second for histograms when the method
// needs them.
std::vector<CalibratedRange> CalibrateRanges(tools::Session& session, const std::vector<int32_t>& values,
                                             const std::vector<tools::HostTensor>& inputs,
                                             const CalibrationOptions& options, const ProgressFn& progress);

// Quantization noise of each of `values` (indexed by value) under its
// quantization `params[value]`, over `inputs`.
std::vector<NoiseMeter> MeasureActivationNoise(tools::Session& session, const std::vector<int32_t>& values,
                                               const std::vector<ActivationQuant>& params,
                                               const std::vector<tools::HostTensor>& inputs,
                                               const ProgressFn& progress);

}  // namespace tinyonnx::quantize
