// Where calibration inputs come from:
//   mnist:DIR  the first N MNIST training images (DIR/train-images-idx3-ubyte),
//              pixels / 255 as float [1, 1, 28, 28] (or the model input's own
//              shape when it also has 784 elements, e.g. [1, 784]);
//   npy:DIR    every .npy file in DIR, sorted by name, as input 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host_tensor.h"
#include "session.h"

namespace tinyonnx::quantize {

struct CalibrationSource {
  enum class Kind { kMnist, kNpy };
  Kind kind = Kind::kMnist;
  std::string dir;
  std::string text;  // as the user wrote it, for messages and the model's doc string
};

// Parses "mnist:DIR" or "npy:DIR"; throws QuantizeError on anything else.
CalibrationSource ParseCalibrationSource(const std::string& text);

// Loads at most `max_count` inputs for the model input `input` (its declared
// shape; -1 for symbolic dimensions, taken as 1 in the first place).
// Throws QuantizeError when nothing usable is found.
std::vector<tools::HostTensor> LoadCalibrationInputs(const CalibrationSource& source, int64_t max_count,
                                                     const tools::GraphInputInfo& input);

}  // namespace tinyonnx::quantize
