#include "idx.h"

#include <cstdio>
#include <fstream>
#include <iterator>

namespace tinyonnx::tools {
namespace {

uint32_t BigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

std::string Hex4(const uint8_t* p, size_t size) {
  char buffer[32];
  std::string out;
  for (size_t i = 0; i < 4 && i < size; ++i) {
    std::snprintf(buffer, sizeof(buffer), "%s%02x", i ? " " : "", p[i]);
    out += buffer;
  }
  return out;
}

bool Exists(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return f.good();
}

}  // namespace

bool ParseIdx(const uint8_t* bytes, size_t size, int expected_rank, const std::string& name,
              IdxArray* array, std::string* error) {
  auto fail = [&](const std::string& what) {
    *error = name + ": " + what;
    return false;
  };
  if (size < 4) return fail("not an IDX file: " + std::to_string(size) + " bytes, the header alone has at least 8");
  if (bytes[0] == 0x1f && bytes[1] == 0x8b) return fail("gzip-compressed; gunzip it first");
  if (bytes[0] != 0 || bytes[1] != 0) {
    return fail("not an IDX file: it starts with bytes " + Hex4(bytes, size) + ", an IDX file with 00 00");
  }
  if (bytes[2] != 0x08) {
    char code[8];
    std::snprintf(code, sizeof(code), "0x%02x", bytes[2]);
    return fail(std::string("IDX element type ") + code + " is not supported (only unsigned bytes, 0x08)");
  }
  int rank = bytes[3];
  if (rank == 0) return fail("IDX header declares 0 dimensions");
  if (expected_rank != 0 && rank != expected_rank) {
    return fail("has " + std::to_string(rank) + " dimensions, expected " + std::to_string(expected_rank) +
                (expected_rank == 3 ? " (an idx3 image file)" : expected_rank == 1 ? " (an idx1 label file)" : ""));
  }
  size_t header = 4 + 4 * size_t(rank);
  if (size < header) {
    return fail("truncated header: " + std::to_string(size) + " bytes, " + std::to_string(rank) +
                " dimensions need " + std::to_string(header));
  }
  array->dims.clear();
  uint64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    uint32_t dim = BigEndian32(bytes + 4 + 4 * d);
    if (dim == 0) return fail("dimension " + std::to_string(d) + " is 0");
    count *= dim;
    if (count > (uint64_t{1} << 40)) return fail("implausible dimensions (more than 2^40 elements)");
    array->dims.push_back(dim);
  }
  std::string shape;
  for (size_t d = 0; d < array->dims.size(); ++d) shape += (d ? "x" : "") + std::to_string(array->dims[d]);
  if (size - header != count) {
    return fail("size mismatch: shape " + shape + " needs " + std::to_string(count) + " bytes of data, the file has " +
                std::to_string(size - header) + (size - header < count ? " (truncated?)" : " (trailing bytes)"));
  }
  array->data.assign(bytes + header, bytes + size);
  return true;
}

bool ReadIdx(const std::string& path, int expected_rank, IdxArray* array, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = path + ": cannot open";
    return false;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) {
    *error = path + ": read error";
    return false;
  }
  return ParseIdx(bytes.data(), bytes.size(), expected_rank, path, array, error);
}

bool ReadIdxImages(const std::string& path, IdxImages* images, std::string* error) {
  IdxArray array;
  if (!ReadIdx(path, 3, &array, error)) return false;
  images->count = array.dims[0];
  images->rows = array.dims[1];
  images->cols = array.dims[2];
  images->pixels = std::move(array.data);
  return true;
}

bool ReadIdxLabels(const std::string& path, std::vector<uint8_t>* labels, std::string* error) {
  IdxArray array;
  if (!ReadIdx(path, 1, &array, error)) return false;
  *labels = std::move(array.data);
  return true;
}

bool LoadMnist(const std::string& dir, const std::string& split, MnistSet* set, std::string* error) {
  std::string base = dir.empty() ? "." : dir;
  if (base.back() != '/') base += '/';
  auto find = [&](const std::string& kind, const std::string& idx) {
    for (const std::string& name : {split + "-" + kind + "-" + idx + "-ubyte", split + "-" + kind + "." + idx + "-ubyte"}) {
      if (Exists(base + name)) return base + name;
    }
    return std::string();
  };
  std::string images_path = find("images", "idx3");
  std::string labels_path = find("labels", "idx1");
  if (images_path.empty() || labels_path.empty()) {
    *error = "no MNIST " + split + " set in " + dir + ": expected " + split + "-images-idx3-ubyte and " + split +
             "-labels-idx1-ubyte (scripts/fetch_mnist.sh fetches them)";
    return false;
  }
  if (!ReadIdxImages(images_path, &set->images, error)) return false;
  if (!ReadIdxLabels(labels_path, &set->labels, error)) return false;
  if (set->images.rows != 28 || set->images.cols != 28) {
    *error = images_path + ": images are " + std::to_string(set->images.rows) + "x" +
             std::to_string(set->images.cols) + ", MNIST's are 28x28";
    return false;
  }
  if (set->labels.size() != set->images.count) {
    *error = labels_path + ": " + std::to_string(set->labels.size()) + " labels for " +
             std::to_string(set->images.count) + " images in " + images_path;
    return false;
  }
  for (size_t i = 0; i < set->labels.size(); ++i) {
    if (set->labels[i] > 9) {
      *error = labels_path + ": label " + std::to_string(i) + " is " + std::to_string(set->labels[i]) +
               ", not a digit 0..9";
      return false;
    }
  }
  return true;
}

}  // namespace tinyonnx::tools
