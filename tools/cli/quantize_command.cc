// tinyonnx quantize MODEL --calibrate mnist:DIR|npy:DIR [--count 1000]
//                   [--method minmax|percentile|entropy] [--percentile 99.99] -o OUT.onnx
//
// Post-training static quantization: calibrates activation ranges by running
// the float model with tinyonnx's Interpreter, writes the standard QDQ ONNX
// model of docs/int8.md (opset 13) and prints a per-layer report.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "commands.h"
#include "quantizer.h"
#include "report.h"

namespace tinyonnx::tools {
namespace {

struct QuantizeCommandOptions {
  std::string model;
  std::string calibrate;
  std::string output;
  int64_t count = 1000;
  std::string method = "percentile";  // the best default on the MNIST models, see tests/quantize
  double percentile = 99.99;
  int64_t noise_samples = 16;
  bool no_progress = false;
  bool clip_inputs = false;
};

// A one-line bar on stderr (only when it is a terminal), redrawn per phase.
class CalibrationProgress {
 public:
  explicit CalibrationProgress(bool enabled) : enabled_(enabled && isatty(2)) {}
  void Update(const std::string& phase, int64_t done, int64_t total) {
    if (!enabled_) return;
    if (phase != phase_) {
      phase_ = phase;
      start_ = std::chrono::steady_clock::now();
    }
    if (done != total && done % std::max<int64_t>(1, total / 100) != 0) return;
    const int width = 30;
    const int filled = static_cast<int>(width * done / std::max<int64_t>(1, total));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "\r\033[K%-32s [%s%s] %lld/%lld  %.0f inputs/s", phase.c_str(),
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                 static_cast<long long>(done), static_cast<long long>(total), seconds > 0 ? done / seconds : 0.0);
    std::fflush(stderr);
  }
  void Finish() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  std::string phase_;
  std::chrono::steady_clock::time_point start_;
};

int RunQuantize(const QuantizeCommandOptions& options) {
  CalibrationProgress progress(!options.no_progress);
  try {
    quantize::QuantizeOptions q;
    q.model_path = options.model;
    q.output_path = options.output;
    q.calibration = quantize::ParseCalibrationSource(options.calibrate);
    q.count = options.count;
    q.ranges.method = quantize::ParseRangeMethod(options.method);
    q.ranges.percentile = options.percentile;
    q.ranges.graph_inputs_use_minmax = !options.clip_inputs;
    q.noise_samples = options.noise_samples;
    q.progress = [&](const std::string& phase, int64_t done, int64_t total) { progress.Update(phase, done, total); };
    quantize::QuantizeReport report = quantize::QuantizeModel(q);
    progress.Finish();
    quantize::PrintReport(report, stdout);
    return 0;
  } catch (const std::exception& e) {
    progress.Finish();
    std::fprintf(stderr, "tinyonnx quantize: %s\n", e.what());
    return 1;
  }
}

}  // namespace

void AddQuantizeCommand(CLI::App& app) {
  auto options = std::make_shared<QuantizeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "quantize", "Post-training int8 quantization: calibrate, then write a QDQ ONNX model (docs/int8.md)");
  cmd->add_option("model", options->model, "Float ONNX model")->required()->check(CLI::ExistingFile);
  cmd->add_option("--calibrate", options->calibrate,
                  "Calibration inputs: mnist:DIR (MNIST training images, pixels/255) or npy:DIR (each .npy file, "
                  "sorted, as input 0)")
      ->required();
  cmd->add_option("--count", options->count, "Use at most this many calibration inputs (default 1000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--method", options->method,
                  "Activation ranges: minmax, percentile (default; clips the tails) or entropy (KL divergence)")
      ->check(CLI::IsMember({"minmax", "percentile", "entropy"}));
  cmd->add_option("--percentile", options->percentile, "Percentile for --method percentile (default 99.99)")
      ->check(CLI::Range(50.0, 100.0));
  cmd->add_option("--sqnr-samples", options->noise_samples,
                  "Calibration inputs the activation SQNR of the report is measured over (default 16)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--clip-inputs", options->clip_inputs,
                "Let the method clip graph inputs too (by default they keep their full min/max range)");
  cmd->add_option("-o,--output", options->output, "Output QDQ ONNX model")->required();
  cmd->add_flag("--no-progress", options->no_progress, "No progress bar (shown on stderr when it is a terminal)");
  cmd->callback([options] { std::exit(RunQuantize(*options)); });
}

}  // namespace tinyonnx::tools
