#include "calibration_inputs.h"

#include <algorithm>
#include <filesystem>

#include "idx.h"
#include "quant_math.h"

namespace tinyonnx::quantize {
namespace {

constexpr int64_t kMnistPixels = 28 * 28;

// The shape an MNIST image takes for this input: [1, 1, 28, 28], unless the
// declared shape has 784 elements in another arrangement.
std::vector<int64_t> MnistInputShape(const tools::GraphInputInfo& input) {
  std::vector<int64_t> dims;
  int64_t elements = 1;
  for (size_t d = 0; d < input.dims.size(); ++d) {
    int64_t dim = input.dims[d] >= 0 ? input.dims[d] : 1;
    dims.push_back(dim);
    elements *= dim;
  }
  if (input.dims.empty() || elements != kMnistPixels) {
    std::string shape;
    for (size_t d = 0; d < input.dims.size(); ++d) {
      shape += (d ? ", " : "") + (input.dims[d] >= 0 ? std::to_string(input.dims[d]) : input.params[d]);
    }
    throw QuantizeError("mnist calibration feeds 28x28 images (784 floats), but input '" + input.name +
                        "' has shape [" + shape + "]");
  }
  return dims;
}

std::vector<tools::HostTensor> LoadMnistImages(const CalibrationSource& source, int64_t max_count,
                                               const tools::GraphInputInfo& input) {
  if (input.dtype != DType::kFloat) {
    throw QuantizeError("mnist calibration feeds float pixels, but input '" + input.name + "' is " +
                        DTypeName(input.dtype));
  }
  const std::vector<int64_t> dims = MnistInputShape(input);
  tools::MnistSet set;
  std::string error;
  if (!tools::LoadMnist(source.dir, "train", &set, &error)) throw QuantizeError(error);
  const int64_t count = std::min<int64_t>(max_count, set.images.count);
  std::vector<tools::HostTensor> inputs(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    tools::HostTensor& t = inputs[static_cast<size_t>(i)];
    t.name = input.name;
    t.dtype = DType::kFloat;
    t.dims = dims;
    t.data.resize(kMnistPixels * sizeof(float));
    const uint8_t* pixels = set.images.image(static_cast<uint32_t>(i));
    float* values = t.as<float>();
    for (int64_t k = 0; k < kMnistPixels; ++k) values[k] = pixels[k] / 255.0f;
  }
  return inputs;
}

std::vector<tools::HostTensor> LoadNpyFiles(const CalibrationSource& source, int64_t max_count,
                                            const tools::GraphInputInfo& input) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(source.dir, ec)) throw QuantizeError("npy calibration: " + source.dir + " is not a directory");
  std::vector<std::string> paths;
  for (const fs::directory_entry& entry : fs::directory_iterator(source.dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".npy") paths.push_back(entry.path().string());
  }
  if (ec) throw QuantizeError("npy calibration: cannot list " + source.dir + ": " + ec.message());
  if (paths.empty()) throw QuantizeError("npy calibration: no .npy files in " + source.dir);
  std::sort(paths.begin(), paths.end());
  if (static_cast<int64_t>(paths.size()) > max_count) paths.resize(static_cast<size_t>(max_count));
  std::vector<tools::HostTensor> inputs(paths.size());
  std::string error;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!tools::ReadNpy(paths[i], &inputs[i], &error)) throw QuantizeError("npy calibration: " + error);
    if (inputs[i].dtype != input.dtype) {
      throw QuantizeError(paths[i] + " holds " + DTypeName(inputs[i].dtype) + ", input '" + input.name +
                          "' is " + DTypeName(input.dtype));
    }
    if (i > 0 && inputs[i].dims != inputs[0].dims) {
      throw QuantizeError(paths[i] + " has shape " + inputs[i].ShapeString() + ", " + paths[0] + " has " +
                          inputs[0].ShapeString() + ": calibration inputs must all have one shape");
    }
    inputs[i].name = input.name;
  }
  return inputs;
}

}  // namespace

CalibrationSource ParseCalibrationSource(const std::string& text) {
  CalibrationSource source;
  source.text = text;
  size_t colon = text.find(':');
  std::string kind = colon == std::string::npos ? "" : text.substr(0, colon);
  if (kind == "mnist") {
    source.kind = CalibrationSource::Kind::kMnist;
  } else if (kind == "npy") {
    source.kind = CalibrationSource::Kind::kNpy;
  } else {
    throw QuantizeError("--calibrate expects mnist:DIR or npy:DIR, got '" + text + "'");
  }
  source.dir = text.substr(colon + 1);
  if (source.dir.empty()) throw QuantizeError("--calibrate " + text + ": the directory is missing");
  return source;
}

std::vector<tools::HostTensor> LoadCalibrationInputs(const CalibrationSource& source, int64_t max_count,
                                                     const tools::GraphInputInfo& input) {
  if (max_count <= 0) throw QuantizeError("the calibration count must be positive");
  std::vector<tools::HostTensor> inputs = source.kind == CalibrationSource::Kind::kMnist
                                              ? LoadMnistImages(source, max_count, input)
                                              : LoadNpyFiles(source, max_count, input);
  if (inputs.empty()) throw QuantizeError(source.text + ": no calibration inputs");
  return inputs;
}

}  // namespace tinyonnx::quantize
