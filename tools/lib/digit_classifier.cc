#include "digit_classifier.h"

#include <algorithm>
#include <cmath>

namespace tinyonnx::tools {

bool DigitClassifier::Load(const std::string& path, std::string* error) {
  if (!session_.Load(path, error)) {
    if (error->find(path) == std::string::npos) *error = path + ": " + *error;
    return false;
  }
  const std::vector<GraphInputInfo>& inputs = session_.declared_inputs();
  if (inputs.size() != 1) {
    *error = path + ": the model has " + std::to_string(inputs.size()) +
             " inputs; a digit classifier takes one image";
    return false;
  }
  const GraphInputInfo& info = inputs[0];
  if (info.dtype != DType::kFloat && info.dtype != DType::kUint8) {
    *error = path + ": input '" + info.name + "' is " + DTypeName(info.dtype) +
             "; a digit classifier takes float pixels in [0, 1] (or uint8)";
    return false;
  }
  // Symbolic dimensions are bound to 1 (one image at a time).
  HostTensor image;
  image.name = info.name;
  image.dtype = info.dtype;
  int64_t count = 1;
  std::string shape;
  for (size_t d = 0; d < info.dims.size(); ++d) {
    int64_t dim = info.dims[d] < 0 ? 1 : info.dims[d];
    image.dims.push_back(dim);
    count *= dim;
    shape += (d ? "x" : "") + (info.dims[d] < 0 ? (info.params[d].empty() ? "?" : info.params[d]) : std::to_string(dim));
  }
  if (count != 784) {
    *error = path + ": input '" + info.name + "' has shape " + shape +
             ", which is not one 28x28 image (784 values, e.g. 1x1x28x28)";
    return false;
  }
  image.data.assign(784 * DTypeSize(image.dtype), 0);
  if (!session_.Prepare({image}, {}, error)) {
    *error = path + ": " + *error;
    return false;
  }
  Interpreter& in = session_.interpreter();
  input_name_ = info.name;
  input_dtype_ = info.dtype;
  for (uint32_t o = 0; o < in.output_count(); ++o) {
    TensorRef out = in.output(o);
    if (out.ElementCount() == 10 && out.dtype == DType::kFloat) {
      output_index_ = o;
      output_name_.assign(out.name.data, out.name.size);
      return true;
    }
  }
  *error = path + ": no float output with 10 values (one score per digit)";
  return false;
}

bool DigitClassifier::Classify(const float* pixels, std::array<float, 10>* scores, std::string* error) {
  Interpreter& in = session_.interpreter();
  TensorRef input = in.input(0);
  if (input_dtype_ == DType::kFloat) {
    std::copy(pixels, pixels + 784, input.data<float>());
  } else {
    uint8_t* bytes = input.data<uint8_t>();
    for (int i = 0; i < 784; ++i) {
      bytes[i] = static_cast<uint8_t>(std::lround(std::clamp(pixels[i], 0.0f, 1.0f) * 255.0f));
    }
  }
  if (!session_.Invoke(error)) return false;
  const float* out = in.output(output_index_).data<float>();
  std::copy(out, out + 10, scores->begin());
  return true;
}

std::array<float, 10> AsProbabilities(const std::array<float, 10>& scores, bool* was_softmaxed) {
  double sum = 0;
  bool in_range = true;
  for (float s : scores) {
    sum += s;
    in_range = in_range && s >= 0.0f && s <= 1.0f;
  }
  if (in_range && std::fabs(sum - 1.0) < 1e-3) {
    if (was_softmaxed) *was_softmaxed = false;
    return scores;
  }
  float top = *std::max_element(scores.begin(), scores.end());
  std::array<float, 10> p;
  double total = 0;
  for (int i = 0; i < 10; ++i) total += p[i] = std::exp(scores[i] - top);
  for (float& v : p) v = static_cast<float>(v / total);
  if (was_softmaxed) *was_softmaxed = true;
  return p;
}

int ArgMax(const std::array<float, 10>& scores) {
  return static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

}  // namespace tinyonnx::tools
