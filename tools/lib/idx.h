// The IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/):
// a big-endian header (two zero bytes, a type code, the number of
// dimensions, one uint32 per dimension) followed by the data. Only unsigned
// bytes (type 0x08) are read: images as idx3 [count, rows, cols], labels as
// idx1 [count].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinyonnx::tools {

struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;  // row-major, the product of dims bytes
};

// Parses an unsigned-byte IDX file of `expected_rank` dimensions (0: any).
// Checks the magic, the type code, the rank, and that the data size is
// exactly the product of the dimensions. `name` prefixes error messages.
bool ParseIdx(const uint8_t* bytes, size_t size, int expected_rank, const std::string& name,
              IdxArray* array, std::string* error);
bool ReadIdx(const std::string& path, int expected_rank, IdxArray* array, std::string* error);

struct IdxImages {
  uint32_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols
  const uint8_t* image(uint32_t i) const { return pixels.data() + size_t{i} * rows * cols; }
};

bool ReadIdxImages(const std::string& path, IdxImages* images, std::string* error);
bool ReadIdxLabels(const std::string& path, std::vector<uint8_t>* labels, std::string* error);

// The MNIST test set (t10k) or training set from a directory holding the
// files as scripts/fetch_mnist.sh leaves them ("t10k-images-idx3-ubyte", or
// the dotted "t10k-images.idx3-ubyte"). Checks that images are 28x28, that
// the counts agree and that labels are 0..9.
struct MnistSet {
  IdxImages images;
  std::vector<uint8_t> labels;
};
bool LoadMnist(const std::string& dir, const std::string& split, MnistSet* set, std::string* error);

}  // namespace tinyonnx::tools
