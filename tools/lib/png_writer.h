// Small raster pictures for the CLI: an RGB canvas with filled rectangles
// and text (stb_easy_font's bitmap font, scaled), written as PNG with
// stb_image_write; and the confusion-matrix heat map of `tinyonnx eval`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinyonnx::tools {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

class RgbCanvas {
 public:
  RgbCanvas(int width, int height, Rgb background);
  int width() const { return width_; }
  int height() const { return height_; }
  void FillRect(int x, int y, int w, int h, Rgb color);
  // Draws ASCII text with its top-left corner at (x, y); each font pixel is
  // scale x scale pixels. Capitals and digits are 7 font pixels high.
  void Text(int x, int y, const std::string& text, Rgb color, int scale);
  void TextCentered(int cx, int cy, const std::string& text, Rgb color, int scale);
  static int TextWidth(const std::string& text, int scale);
  static int TextHeight(int scale) { return 7 * scale; }
  bool WritePng(const std::string& path, std::string* error) const;

 private:
  int width_, height_;
  std::vector<uint8_t> rgb_;
};

// A grayscale image (values in [0, 1]) enlarged `zoom` times, as PNG.
bool WriteGrayPng(const std::string& path, const float* pixels, int width, int height, int zoom,
                  std::string* error);

// counts[true][predicted]; a heat map (log-scaled) with every count written
// in its cell, the per-class accuracy beside each row, and a title.
bool WriteConfusionPng(const std::string& path, const std::vector<std::vector<int64_t>>& counts,
                       const std::string& title, std::string* error);

}  // namespace tinyonnx::tools
