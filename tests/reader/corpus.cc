#include "corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace tinyonnx_test {
namespace {

namespace fs = std::filesystem;

bool IsOnnxFile(const fs::path& path) {
  std::error_code error;
  return path.extension() == ".onnx" && fs::is_regular_file(path, error);
}

void AddNodeTestModels(const fs::path& node_test_dir, std::vector<std::string>* models) {
  std::error_code error;
  for (fs::directory_iterator it(node_test_dir, error), end; !error && it != end;
       it.increment(error)) {
    fs::path model = it->path() / "model.onnx";
    if (IsOnnxFile(model)) models->push_back(model.string());
  }
}

void AddOnnxFilesUnder(const fs::path& dir, std::vector<std::string>* models) {
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    if (IsOnnxFile(it->path())) models->push_back(it->path().string());
  }
}

}  // namespace

std::vector<std::string> FindCorpusModels() {
  std::vector<std::string> models;
  AddNodeTestModels(TINYONNX_NODE_TEST_DATA_DIR, &models);
  const fs::path root = TINYONNX_ROOT;
  AddOnnxFilesUnder(root / "models", &models);
  AddOnnxFilesUnder(root / "tests" / "data", &models);
  std::sort(models.begin(), models.end());
  return models;
}

bool ReadFileBytes(const std::string& path, std::string* bytes) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  bytes->assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

}  // namespace tinyonnx_test
