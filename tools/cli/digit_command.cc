// tinyonnx digit MODEL IMAGE
// tinyonnx digit MODEL --mnist DIR --index N
//
// Recognizes one digit: a picture (PNG, JPEG, BMP, PGM, ...) is preprocessed
// the MNIST way (see tools/lib/digit_image.h), an MNIST test image is taken
// as it is. Prints the 28x28 input as ASCII art, the ten probabilities and,
// as the last line, "The number is N".
#include <cstdio>

#include "commands.h"
#include "digit_classifier.h"
#include "digit_image.h"
#include "idx.h"
#include "json_writer.h"
#include "png_writer.h"

namespace tinyonnx::tools {
namespace {

struct DigitOptions {
  std::string model;
  std::string image;
  std::string mnist;
  std::string split = "t10k";
  int64_t index = 0;
  bool has_index = false;
  bool json = false;
  bool verbose = false;
  std::string save;
};

void JsonInfo(JsonWriter& json, const PreprocessInfo& info) {
  json.BeginObject();
  json.Key("inverted").Bool(info.inverted).Key("uneven_background").Bool(info.uneven_background);
  json.Key("background").Number(info.background).Key("contrast").Number(info.contrast).Key("noise").Number(info.noise);
  json.Key("removed_specks").Int(info.removed_specks);
  json.Key("box").BeginArray().Int(info.box_x).Int(info.box_y).Int(info.box_width).Int(info.box_height).EndArray();
  json.Key("upscale").Int(info.upscale).Key("stroke_width").Number(info.stroke_width);
  json.Key("stroke_width_out").Number(info.stroke_width_out).Key("stroke_adjust").Number(info.stroke_adjust);
  json.Key("scale").Number(info.scale);
  json.Key("center").BeginArray().Number(info.center_x).Number(info.center_y).EndArray();
  json.Key("out_box").BeginArray().Int(info.out_box_width).Int(info.out_box_height).EndArray();
  json.EndObject();
}

void PrintInfo(const PreprocessInfo& info, const GrayImage& image) {
  std::printf("image       %dx%d, %s background (level %.2f%s), ink contrast %.2f, noise %.3f\n", image.width,
              image.height, info.inverted ? "light (inverted)" : "dark", info.background,
              info.uneven_background ? ", uneven" : "", info.contrast, info.noise);
  std::printf("ink box     %dx%d at (%d, %d)%s\n", info.box_width, info.box_height, info.box_x, info.box_y,
              info.removed_specks ? (", " + std::to_string(info.removed_specks) + " specks removed").c_str() : "");
  std::printf("strokes     %.1f px wide, %.2f px at 28x28 scale", info.stroke_width, info.stroke_width_out);
  if (info.stroke_adjust > 0) std::printf(", thickened by %.1f px per side", info.stroke_adjust);
  if (info.stroke_adjust < 0) std::printf(", thinned by %.1f px per side", -info.stroke_adjust);
  std::printf("\nplaced      box %dx%d, center of mass (%.2f, %.2f), scale %.4f\n\n", info.out_box_width,
              info.out_box_height, info.center_x, info.center_y, info.scale);
}

int RunDigit(const DigitOptions& options) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "tinyonnx digit: %s\n", what.c_str());
    return 1;
  };
  bool from_mnist = !options.mnist.empty() || options.has_index;
  if (from_mnist == !options.image.empty()) {
    return fail("give either an IMAGE or --mnist DIR --index N");
  }
  if (from_mnist && (options.mnist.empty() || !options.has_index)) {
    return fail("--mnist DIR and --index N go together");
  }
  std::string error;
  DigitPixels pixels;
  PreprocessInfo info;
  GrayImage image;
  int label = -1;
  if (from_mnist) {
    MnistSet set;
    if (!LoadMnist(options.mnist, options.split, &set, &error)) return fail(error);
    if (options.index < 0 || options.index >= static_cast<int64_t>(set.images.count)) {
      return fail("--index " + std::to_string(options.index) + " is out of range: the MNIST " + options.split +
                  " set has images 0.." + std::to_string(set.images.count - 1));
    }
    const uint8_t* p = set.images.image(static_cast<uint32_t>(options.index));
    for (int k = 0; k < 784; ++k) pixels[k] = p[k] / 255.0f;
    label = set.labels[options.index];
  } else {
    if (!LoadGrayImage(options.image, &image, &error)) return fail(error);
    if (!PreprocessDigit(image, PreprocessOptions(), &pixels, &info, &error)) {
      return fail(options.image + ": " + error);
    }
  }
  if (!options.save.empty() && !WriteGrayPng(options.save, pixels.data(), kDigitSide, kDigitSide, 1, &error)) {
    return fail(error);
  }
  DigitClassifier classifier;
  std::array<float, 10> scores;
  if (!classifier.Load(options.model, &error) || !classifier.Classify(pixels.data(), &scores, &error)) {
    return fail(error);
  }
  bool softmaxed = false;
  std::array<float, 10> probabilities = AsProbabilities(scores, &softmaxed);
  int digit = ArgMax(probabilities);

  if (options.json) {
    JsonWriter json;
    json.BeginObject();
    json.Key("model").String(options.model);
    if (from_mnist) {
      json.Key("mnist").String(options.mnist).Key("index").Int(options.index).Key("label").Int(label);
    } else {
      json.Key("image").String(options.image).Key("width").Int(image.width).Key("height").Int(image.height);
      json.Key("preprocessing");
      JsonInfo(json, info);
    }
    json.Key("digit").Int(digit).Key("confidence").Number(probabilities[digit]);
    json.Key("probabilities").BeginArray();
    for (float p : probabilities) json.Number(p);
    json.EndArray();
    json.Key("softmax_applied").Bool(softmaxed);
    if (options.verbose) {
      json.Key("pixels").BeginArray();
      for (float p : pixels) json.Number(p);
      json.EndArray();
    }
    json.EndObject();
    std::printf("%s\n", json.str().c_str());
    return 0;
  }
  if (from_mnist) {
    std::printf("MNIST %s image %lld (label %d)\n\n", options.split.c_str(), static_cast<long long>(options.index), label);
  } else if (options.verbose) {
    PrintInfo(info, image);
  }
  std::printf("%s\n", AsciiArt(pixels).c_str());
  std::printf("probabilities%s\n", softmaxed ? " (softmax of the model's scores)" : "");
  for (int d = 0; d < 10; ++d) {
    int bar = static_cast<int>(probabilities[d] * 40.0f + 0.5f);
    std::printf("  %d  %.4f  %s%s\n", d, probabilities[d], std::string(bar, '#').c_str(), d == digit ? "  <" : "");
  }
  std::printf("\nThe number is %d\n", digit);
  return 0;
}

}  // namespace

void AddDigitCommand(CLI::App& app) {
  auto options = std::make_shared<DigitOptions>();
  CLI::App* digit = app.add_subcommand("digit", "Recognize a handwritten digit in a picture or an MNIST image");
  digit->add_option("model", options->model, "ONNX model file (input 784 float pixels, output 10 scores)")
      ->required();
  digit->add_option("image", options->image, "Picture of one digit (PNG, JPEG, BMP, PGM, ...)");
  digit->add_option("--mnist", options->mnist, "Directory with the MNIST IDX files (use with --index)");
  CLI::Option* index = digit->add_option("--index", options->index, "Index of the MNIST image (0-based)");
  digit->add_option("--split", options->split, "t10k (the test set, default) or train")
      ->check(CLI::IsMember({"t10k", "train"}));
  digit->add_flag("--json", options->json, "Print the result as JSON");
  digit->add_flag("--verbose,-v", options->verbose,
                  "Also show what preprocessing found (with --json: the 784 input pixels)");
  digit->add_option("--save-input", options->save, "Write the 28x28 model input as a PNG");
  digit->callback([options, index] {
    options->has_index = index->count() > 0;
    std::exit(RunDigit(*options));
  });
}

}  // namespace tinyonnx::tools
