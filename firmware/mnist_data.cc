#include "mnist_data.h"

#include <cstring>

#include "console.h"
#include "semihosting.h"

namespace mnist {

using tinyonnx::port::Print;

size_t LoadFile(const char* path, uint8_t* buffer, size_t capacity, size_t offset) {
  int32_t handle = sh_open(path, SH_MODE_READ_BINARY);
  if (handle < 0) {
    Print("cannot open %s (host errno %d)\n", path, static_cast<int>(sh_errno()));
    return 0;
  }
  int32_t length = sh_flen(handle);
  size_t room = capacity > offset ? capacity - offset : 0;
  if (length <= 0 || static_cast<size_t>(length) > room) {
    Print("%s: %d bytes do not fit the %u-byte model buffer (TINYONNX_FIRMWARE_MODEL_BUFFER)\n",
          path, static_cast<int>(length), static_cast<unsigned>(room));
    sh_close(handle);
    return 0;
  }
  int32_t got = sh_read(handle, buffer + offset, static_cast<size_t>(length));
  sh_close(handle);
  if (got != length) {
    Print("%s: read %d of %d bytes\n", path, static_cast<int>(got), static_cast<int>(length));
    return 0;
  }
  return static_cast<size_t>(length);
}

void Images::UseEmbedded() {
  first_ = tinyonnx_mnist_first;
  count_ = tinyonnx_mnist_count;
}

namespace {

uint32_t BigEndian(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

int32_t OpenIn(const char* dir, const char* name, char* path, size_t size) {
  size_t n = strlen(dir);
  size_t m = strlen(name);
  if (n + 1 + m + 1 > size) return -1;
  memcpy(path, dir, n);
  path[n] = '/';
  memcpy(path + n + 1, name, m + 1);
  return sh_open(path, SH_MODE_READ_BINARY);
}

}  // namespace

bool Images::OpenIdx(const char* dir) {
  char path[256];
  idx_images_ = OpenIn(dir, "t10k-images-idx3-ubyte", path, sizeof(path));
  if (idx_images_ < 0) {
    Print("cannot open %s (fetch MNIST with: sh scripts/fetch_mnist.sh)\n", path);
    return false;
  }
  idx_labels_ = OpenIn(dir, "t10k-labels-idx1-ubyte", path, sizeof(path));
  if (idx_labels_ < 0) {
    Print("cannot open %s\n", path);
    return false;
  }
  uint8_t header[16];
  if (sh_read(idx_images_, header, 16) != 16 || BigEndian(header) != 0x803 ||
      BigEndian(header + 8) != kSide || BigEndian(header + 12) != kSide) {
    Print("%s/t10k-images-idx3-ubyte is not an IDX file of 28x28 images\n", dir);
    return false;
  }
  uint32_t images = BigEndian(header + 4);
  if (sh_read(idx_labels_, header, 8) != 8 || BigEndian(header) != 0x801 ||
      BigEndian(header + 4) != images) {
    Print("%s/t10k-labels-idx1-ubyte does not match the images\n", dir);
    return false;
  }
  first_ = 0;
  count_ = images;
  return true;
}

Images::~Images() {
  if (idx_images_ >= 0) sh_close(idx_images_);
  if (idx_labels_ >= 0) sh_close(idx_labels_);
}

bool Images::Get(uint32_t index, uint8_t pixels[kPixels], int* label) {
  if (index < first_ || index - first_ >= count_) return false;
  uint32_t k = index - first_;
  if (idx_images_ < 0) {
    memcpy(pixels, tinyonnx_mnist_images + size_t{k} * kPixels, kPixels);
    *label = tinyonnx_mnist_labels[k];
    return true;
  }
  uint8_t byte;
  if (sh_seek(idx_images_, 16 + k * kPixels) != 0 || sh_read(idx_images_, pixels, kPixels) != kPixels ||
      sh_seek(idx_labels_, 8 + k) != 0 || sh_read(idx_labels_, &byte, 1) != 1) {
    Print("reading test image %u from the IDX files failed\n", static_cast<unsigned>(index));
    return false;
  }
  *label = byte;
  return true;
}

}  // namespace mnist
