// Turns a picture of one handwritten or printed digit into the 28x28 input
// an MNIST model expects, the way MNIST itself was made: white ink on black,
// the ink's bounding box scaled so that its longer side is 20 px (aspect
// ratio kept, area-averaged), then placed so that its center of mass is at
// pixel (14, 14) of the 28x28 field.
//
// Before that, the picture is cleaned up: the background (which may be
// unevenly lit) is modelled by a robust quadratic surface fit and subtracted,
// dark ink on light paper is inverted, the noise level sets the ink
// threshold, small specks are removed, and strokes too thin or too bold for
// the 20 px box (a 1 px line on a 1000 px canvas) are brought to MNIST's
// stroke width by a distance-transform dilation or erosion at source
// resolution.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tinyonnx::tools {

struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height, row-major, 0 = black
};

// PNG, JPEG, BMP, PGM/PPM, GIF, TGA (anything stb_image reads), converted to
// 8-bit gray; an alpha channel is composited over white.
bool LoadGrayImage(const std::string& path, GrayImage* image, std::string* error);
// Images above `max_pixels` are refused before decoding (a few KiB of PNG
// or RLE TGA can declare a huge image).
constexpr double kMaxImagePixels = 64.0 * 1024 * 1024;
bool DecodeGrayImage(const uint8_t* bytes, size_t size, GrayImage* image, std::string* error,
                     double max_pixels = kMaxImagePixels);

constexpr int kDigitSide = 28;
using DigitPixels = std::array<float, kDigitSide * kDigitSide>;  // [0, 1], white ink on black

struct PreprocessOptions {
  float box = 20.0f;           // longer side of the ink's bounding box in the output
  // Stroke widths in output pixels, as this code measures them on MNIST's
  // test images: 5th percentile 1.5, median 2.25, 99th percentile 4.4.
  float min_stroke = 1.5f;     // thicken strokes thinner than this ...
  float max_stroke = 5.0f;     // ... and thin strokes bolder than this ...
  float target_stroke = 2.2f;  // ... to about this (thinning stops at max_stroke)
  bool adjust_stroke = true;
  // MNIST shifted the digit by whole pixels to center its mass (which keeps
  // the 20 px box on pixel boundaries); false shifts by fractions to put the
  // center of mass exactly at (14, 14).
  bool whole_pixel_shift = true;
};

// What preprocessing found and did; for --verbose output and tests.
struct PreprocessInfo {
  bool inverted = false;        // dark ink on a light background
  bool uneven_background = false;  // the background fit is not flat
  float background = 0;         // mean background level of the source, [0, 1]
  float contrast = 0;           // ink against background, [0, 1]
  float noise = 0;              // background noise (robust sigma), [0, 1]
  int removed_specks = 0;       // small ink components dropped
  int box_x = 0, box_y = 0, box_width = 0, box_height = 0;  // ink box in the source
  int upscale = 1;              // small crops are upsampled by this factor first
  float stroke_width = 0;       // estimated stroke width in source pixels
  float stroke_width_out = 0;   // the same at output scale, before adjusting
  float stroke_adjust = 0;      // source pixels added on each side (<0: removed)
  float scale = 0;              // output pixels per source pixel
  float center_x = 0, center_y = 0;  // center of mass of the output (pixel indices)
  int out_box_width = 0, out_box_height = 0;  // ink box in the output
};

// Returns false with *error set when there is no ink ("the image is blank").
bool PreprocessDigit(const GrayImage& image, const PreprocessOptions& options, DigitPixels* out,
                     PreprocessInfo* info, std::string* error);

// Center of mass (pixel indices) and ink bounding box of a 28x28 image;
// pixels above `threshold` count for the box. False if the image is empty.
bool DigitGeometry(const DigitPixels& pixels, float threshold, float* center_x, float* center_y,
                   int* box_width, int* box_height);

// 28 lines of 56 characters (two per pixel), " .:-=+*#%@" by intensity.
std::string AsciiArt(const DigitPixels& pixels);

}  // namespace tinyonnx::tools
