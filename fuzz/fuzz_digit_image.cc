// libFuzzer target: the image path of `tinyonnx digit` from bytes: decode
// (stb_image: PNG, JPEG, BMP, PGM/PPM, GIF, TGA) and MNIST preprocessing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "digit_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinyonnx::tools;
  GrayImage image;
  std::string error;
  // Decoding and preprocessing are linear in the pixels; images up to the
  // decoder's 64 megapixels (a few KiB of RLE TGA or PNG can declare that)
  // are correct but take seconds under ASan and coverage, so the fuzzer
  // keeps to 4 megapixels.
  if (!DecodeGrayImage(data, size, &image, &error, 4.0 * 1024 * 1024)) return 0;
  PreprocessOptions options;
  DigitPixels pixels;
  PreprocessInfo info;
  if (!PreprocessDigit(image, options, &pixels, &info, &error)) return 0;
  float cx, cy;
  int bw, bh;
  DigitGeometry(pixels, 0.5f, &cx, &cy, &bw, &bh);
  (void)AsciiArt(pixels);
  return 0;
}
