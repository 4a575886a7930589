// Where the firmware gets its model and its test images.
//
// Model: linked into flash (model_data.cc, generated from the .onnx file at
// build time and read in place) or read at run time from a file through
// semihosting (a stand-in for an SD card) into one static buffer.
//
// Images: MNIST test images linked into flash (generated at build time from
// the t10k IDX files; the MNIST data is not committed), or read from the
// t10k IDX files through semihosting.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mnist_model.h"

// Generated at build time (firmware/cmake/embed_file.cmake and
// embed_mnist.cmake); present in the builds that link them.
extern "C" {
extern const uint8_t tinyonnx_model[];
extern const size_t tinyonnx_model_size;
extern const char tinyonnx_model_name[];
extern const uint32_t tinyonnx_mnist_first;  // t10k index of the first image
extern const uint32_t tinyonnx_mnist_count;
extern const uint8_t tinyonnx_mnist_images[];  // count x 784 pixels
extern const uint8_t tinyonnx_mnist_labels[];
}

namespace mnist {

// Reads a whole file through semihosting into buffer + offset (offset > 0
// shows that a model at an unaligned address still runs). Returns the size,
// or 0 after printing why it failed.
size_t LoadFile(const char* path, uint8_t* buffer, size_t capacity, size_t offset);

// MNIST test images, from flash or from the IDX files.
class Images {
 public:
  // The images linked into the firmware.
  void UseEmbedded();
  // The t10k IDX files in `dir` on the host; false after printing why.
  bool OpenIdx(const char* dir);
  ~Images();

  // Test-set indices first() .. first() + count() - 1 are available.
  uint32_t first() const { return first_; }
  uint32_t count() const { return count_; }
  bool Get(uint32_t index, uint8_t pixels[kPixels], int* label);
  const char* source() const { return idx_images_ >= 0 ? "t10k IDX file" : "flash"; }

 private:
  uint32_t first_ = 0;
  uint32_t count_ = 0;
  int32_t idx_images_ = -1;
  int32_t idx_labels_ = -1;
};

}  // namespace mnist
