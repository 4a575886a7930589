// The models the reader is cross-checked on.
#pragma once

#include <string>
#include <vector>

namespace tinyonnx_test {

// Every ONNX backend node test model (<node test dir>/*/model.onnx) and every
// *.onnx under the project's models/ and tests/data/, sorted. Directories
// that do not exist contribute nothing.
std::vector<std::string> FindCorpusModels();

// Reads a whole file; false if it cannot be read.
bool ReadFileBytes(const std::string& path, std::string* bytes);

}  // namespace tinyonnx_test
