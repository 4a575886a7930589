// tinyonnx eval MODEL --mnist DIR [--json] [--count N] [--confusion-png OUT.png]
//               [--preprocess]
//
// Runs a digit classifier over the MNIST test set (pixels / 255 as float, one
// image per inference) and reports accuracy, the confusion matrix, per-class
// accuracy and throughput.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "commands.h"
#include "digit_classifier.h"
#include "digit_image.h"
#include "idx.h"
#include "json_writer.h"
#include "png_writer.h"

namespace tinyonnx::tools {
namespace {

struct EvalOptions {
  std::string model;
  std::string mnist;
  std::string split = "t10k";
  bool json = false;
  int64_t count = 0;  // 0: all
  std::string confusion_png;
  bool no_progress = false;
  bool preprocess = false;
};

struct EvalResult {
  int64_t total = 0, correct = 0;
  std::vector<std::vector<int64_t>> confusion = std::vector<std::vector<int64_t>>(10, std::vector<int64_t>(10, 0));
  std::vector<int64_t> misclassified;
  double seconds = 0;  // inference only: filling the input and Invoke (and preprocessing)
  int64_t preprocess_failures = 0;
};

class ProgressBar {
 public:
  ProgressBar(int64_t total, bool enabled) : total_(total), enabled_(enabled && isatty(2)) {
    start_ = std::chrono::steady_clock::now();
  }
  void Update(int64_t done) {
    if (!enabled_ || (done != total_ && done % std::max<int64_t>(1, total_ / 200) != 0)) return;
    const int width = 40;
    int filled = static_cast<int>(width * done / std::max<int64_t>(1, total_));
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "\r[%s%s] %lld/%lld %3d%%  %.0f images/s ", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), static_cast<long long>(done),
                 static_cast<long long>(total_), static_cast<int>(100 * done / std::max<int64_t>(1, total_)),
                 elapsed > 0 ? done / elapsed : 0.0);
    std::fflush(stderr);
  }
  void Finish() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  int64_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

std::string Percent(int64_t part, int64_t whole) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.2f", whole > 0 ? 100.0 * part / whole : 0.0);
  return buffer;
}

void PrintText(const EvalOptions& options, const EvalResult& r, const DigitClassifier& classifier) {
  std::printf("model      %s (input '%s', output '%s')\n", options.model.c_str(), classifier.input_name().c_str(),
              classifier.output_name().c_str());
  std::printf("data       %s, MNIST %s set, %lld images%s\n", options.mnist.c_str(), options.split.c_str(),
              static_cast<long long>(r.total), options.preprocess ? ", each preprocessed as a picture" : "");
  if (r.preprocess_failures > 0) {
    std::printf("           preprocessing found no ink in %lld images\n", static_cast<long long>(r.preprocess_failures));
  }
  std::printf("accuracy %s %% (%lld/%lld)\n\n", Percent(r.correct, r.total).c_str(),
              static_cast<long long>(r.correct), static_cast<long long>(r.total));
  std::printf("confusion matrix (rows: true digit, columns: predicted digit)\n      ");
  for (int p = 0; p < 10; ++p) std::printf("%6d", p);
  std::printf("\n");
  for (int t = 0; t < 10; ++t) {
    std::printf("  %d   ", t);
    for (int p = 0; p < 10; ++p) std::printf("%6lld", static_cast<long long>(r.confusion[t][p]));
    std::printf("\n");
  }
  std::printf("\nper-class accuracy\n");
  for (int t = 0; t < 10; ++t) {
    int64_t row = 0;
    for (int64_t c : r.confusion[t]) row += c;
    std::printf("  %d  %6s %%  (%lld/%lld)\n", t, Percent(r.confusion[t][t], row).c_str(),
                static_cast<long long>(r.confusion[t][t]), static_cast<long long>(row));
  }
  double per_second = r.seconds > 0 ? r.total / r.seconds : 0;
  std::printf("\nthroughput %s images/s, %.1f \xC2\xB5s per image (one image per inference)\n",
              Thousands(static_cast<int64_t>(per_second + 0.5)).c_str(), r.total > 0 ? 1e6 * r.seconds / r.total : 0.0);
  if (!options.confusion_png.empty()) std::printf("confusion matrix written to %s\n", options.confusion_png.c_str());
}

void PrintJson(const EvalOptions& options, const EvalResult& r) {
  JsonWriter json;
  json.BeginObject();
  json.Key("model").String(options.model).Key("data").String(options.mnist).Key("split").String(options.split);
  json.Key("preprocess").Bool(options.preprocess);
  if (options.preprocess) json.Key("preprocess_failures").Int(r.preprocess_failures);
  json.Key("count").Int(r.total).Key("correct").Int(r.correct);
  json.Key("accuracy").Number(r.total > 0 ? 100.0 * r.correct / r.total : 0.0);
  json.Key("confusion").BeginArray();
  for (const auto& row : r.confusion) {
    json.BeginArray();
    for (int64_t c : row) json.Int(c);
    json.EndArray();
  }
  json.EndArray();
  json.Key("per_class").BeginArray();
  for (int t = 0; t < 10; ++t) {
    int64_t row = 0;
    for (int64_t c : r.confusion[t]) row += c;
    json.BeginObject().Key("digit").Int(t).Key("correct").Int(r.confusion[t][t]).Key("total").Int(row);
    json.Key("accuracy").Number(row > 0 ? 100.0 * r.confusion[t][t] / row : 0.0).EndObject();
  }
  json.EndArray();
  json.Key("images_per_second").Number(r.seconds > 0 ? r.total / r.seconds : 0.0);
  json.Key("us_per_image").Number(r.total > 0 ? 1e6 * r.seconds / r.total : 0.0);
  json.Key("misclassified").BeginArray();
  for (int64_t i : r.misclassified) json.Int(i);
  json.EndArray();
  if (!options.confusion_png.empty()) json.Key("confusion_png").String(options.confusion_png);
  json.EndObject();
  std::printf("%s\n", json.str().c_str());
}

int RunEval(const EvalOptions& options) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "tinyonnx eval: %s\n", what.c_str());
    return 1;
  };
  std::string error;
  MnistSet set;
  if (!LoadMnist(options.mnist, options.split, &set, &error)) return fail(error);
  DigitClassifier classifier;
  if (!classifier.Load(options.model, &error)) return fail(error);

  EvalResult r;
  r.total = options.count > 0 ? std::min<int64_t>(options.count, set.images.count) : set.images.count;
  ProgressBar progress(r.total, !options.no_progress);
  std::vector<float> pixels(784);
  std::array<float, 10> scores;
  for (int64_t i = 0; i < r.total; ++i) {
    const uint8_t* image = set.images.image(static_cast<uint32_t>(i));
    auto start = std::chrono::steady_clock::now();
    if (options.preprocess) {
      // The MNIST image as if it were a picture: how much does preprocessing cost?
      GrayImage picture;
      picture.width = picture.height = 28;
      picture.pixels.assign(image, image + 784);
      DigitPixels prepared;
      if (!PreprocessDigit(picture, PreprocessOptions(), &prepared, nullptr, &error)) {
        prepared.fill(0.0f);  // counts as whatever the model makes of nothing
        ++r.preprocess_failures;
      }
      std::copy(prepared.begin(), prepared.end(), pixels.begin());
    } else {
      for (int k = 0; k < 784; ++k) pixels[k] = image[k] / 255.0f;
    }
    if (!classifier.Classify(pixels.data(), &scores, &error)) {
      progress.Finish();
      return fail("image " + std::to_string(i) + ": " + error);
    }
    r.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    int predicted = ArgMax(scores), truth = set.labels[i];
    ++r.confusion[truth][predicted];
    if (predicted == truth) ++r.correct;
    else r.misclassified.push_back(i);
    progress.Update(i + 1);
  }
  progress.Finish();
  if (!options.confusion_png.empty()) {
    std::string title = "MNIST " + options.split + ": accuracy " + Percent(r.correct, r.total) + "% (" +
                        std::to_string(r.correct) + "/" + std::to_string(r.total) + ")";
    if (!WriteConfusionPng(options.confusion_png, r.confusion, title, &error)) return fail(error);
  }
  if (options.json) PrintJson(options, r);
  else PrintText(options, r, classifier);
  return 0;
}

}  // namespace

void AddEvalCommand(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* eval = app.add_subcommand("eval", "Measure a digit classifier's accuracy on the MNIST test set");
  eval->add_option("model", options->model, "ONNX model file (input 784 float pixels, output 10 scores)")->required();
  eval->add_option("--mnist", options->mnist, "Directory with the MNIST IDX files (scripts/fetch_mnist.sh)")
      ->required();
  eval->add_option("--split", options->split, "t10k (the test set, default) or train")
      ->check(CLI::IsMember({"t10k", "train"}));
  eval->add_flag("--json", options->json, "Print the results as JSON");
  eval->add_option("--count", options->count, "Evaluate only the first N images")->check(CLI::PositiveNumber);
  eval->add_option("--confusion-png", options->confusion_png, "Draw the confusion matrix into this PNG");
  eval->add_flag("--preprocess", options->preprocess,
                 "Run each image through the picture preprocessing of `tinyonnx digit` first");
  eval->add_flag("--no-progress", options->no_progress, "No progress bar (shown on stderr when it is a terminal)");
  eval->callback([options] { std::exit(RunEval(*options)); });
}

}  // namespace tinyonnx::tools
