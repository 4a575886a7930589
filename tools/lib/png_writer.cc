#include "png_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include "stb_easy_font.h"
#include "stb_image_write.h"

namespace tinyonnx::tools {
namespace {

std::string Printable(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) c = '?';
  }
  return out;
}

Rgb Lerp(Rgb a, Rgb b, double t) {
  auto mix = [t](uint8_t x, uint8_t y) { return static_cast<uint8_t>(std::lround(x + (y - x) * t)); };
  return Rgb{mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

// A sequential blue scale (light to dark) through a few stops.
Rgb Blues(double t) {
  static const Rgb kStops[] = {{247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}};
  t = std::clamp(t, 0.0, 1.0) * 4.0;
  int i = std::min(3, static_cast<int>(t));
  return Lerp(kStops[i], kStops[i + 1], t - i);
}

// Errors in a red scale, so that they stand out from the diagonal.
Rgb Reds(double t) {
  static const Rgb kStops[] = {{255, 245, 240}, {252, 187, 161}, {251, 106, 74}, {203, 24, 29}, {103, 0, 13}};
  t = std::clamp(t, 0.0, 1.0) * 4.0;
  int i = std::min(3, static_cast<int>(t));
  return Lerp(kStops[i], kStops[i + 1], t - i);
}

bool Dark(Rgb c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b < 128; }

}  // namespace

RgbCanvas::RgbCanvas(int width, int height, Rgb background)
    : width_(width), height_(height), rgb_(size_t(width) * height * 3) {
  FillRect(0, 0, width, height, background);
}

void RgbCanvas::FillRect(int x, int y, int w, int h, Rgb color) {
  int x0 = std::max(0, x), y0 = std::max(0, y);
  int x1 = std::min(width_, x + w), y1 = std::min(height_, y + h);
  for (int yy = y0; yy < y1; ++yy) {
    uint8_t* p = &rgb_[(size_t(yy) * width_ + x0) * 3];
    for (int xx = x0; xx < x1; ++xx, p += 3) {
      p[0] = color.r;
      p[1] = color.g;
      p[2] = color.b;
    }
  }
}

void RgbCanvas::Text(int x, int y, const std::string& text, Rgb color, int scale) {
  std::string s = Printable(text);
  std::vector<char> quads(s.size() * 1024 + 1024);  // up to 16 quads of 64 bytes per character
  int count = stb_easy_font_print(0, 0, s.data(), nullptr, quads.data(), static_cast<int>(quads.size()));
  for (int q = 0; q < count; ++q) {
    const float* v0 = reinterpret_cast<const float*>(quads.data() + q * 64);
    const float* v2 = reinterpret_cast<const float*>(quads.data() + q * 64 + 32);
    int qx0 = static_cast<int>(v0[0]), qy0 = static_cast<int>(v0[1]);
    int qx1 = static_cast<int>(v2[0]), qy1 = static_cast<int>(v2[1]);
    FillRect(x + qx0 * scale, y + qy0 * scale, (qx1 - qx0) * scale, (qy1 - qy0) * scale, color);
  }
}

void RgbCanvas::TextCentered(int cx, int cy, const std::string& text, Rgb color, int scale) {
  Text(cx - TextWidth(text, scale) / 2, cy - TextHeight(scale) / 2, text, color, scale);
}

int RgbCanvas::TextWidth(const std::string& text, int scale) {
  std::string s = Printable(text);
  // The advance includes one pixel of spacing after the last character.
  return s.empty() ? 0 : (stb_easy_font_width(s.data()) - 1) * scale;
}

bool RgbCanvas::WritePng(const std::string& path, std::string* error) const {
  if (!stbi_write_png(path.c_str(), width_, height_, 3, rgb_.data(), width_ * 3)) {
    *error = path + ": cannot write the PNG";
    return false;
  }
  return true;
}

bool WriteGrayPng(const std::string& path, const float* pixels, int width, int height, int zoom,
                  std::string* error) {
  zoom = std::max(1, zoom);
  int w = width * zoom, h = height * zoom;
  std::vector<uint8_t> gray(size_t(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float v = std::clamp(pixels[(y / zoom) * width + x / zoom], 0.0f, 1.0f);
      gray[size_t(y) * w + x] = static_cast<uint8_t>(std::lround(v * 255.0f));
    }
  }
  if (!stbi_write_png(path.c_str(), w, h, 1, gray.data(), w)) {
    *error = path + ": cannot write the PNG";
    return false;
  }
  return true;
}

bool WriteConfusionPng(const std::string& path, const std::vector<std::vector<int64_t>>& counts,
                       const std::string& title, std::string* error) {
  const int n = static_cast<int>(counts.size());
  const int cell = 56, left = 84, top = 92, right = 112, bottom = 24;
  const Rgb white{255, 255, 255}, black{0, 0, 0}, gray{120, 120, 120}, light{190, 190, 190};
  RgbCanvas canvas(left + n * cell + right, top + n * cell + bottom, white);
  int64_t max_diagonal = 1, max_error = 1;
  for (int t = 0; t < n; ++t) {
    for (int p = 0; p < n; ++p) {
      if (t == p) max_diagonal = std::max(max_diagonal, counts[t][p]);
      else max_error = std::max(max_error, counts[t][p]);
    }
  }
  canvas.Text(12, 12, title, black, 2);
  canvas.TextCentered(left + n * cell / 2, top - 46, "predicted", gray, 2);
  canvas.Text(12, top - 26, "true", gray, 2);
  canvas.TextCentered(left + n * cell + right / 2, top - 18, "accuracy", gray, 2);
  for (int i = 0; i < n; ++i) {
    canvas.TextCentered(left + i * cell + cell / 2, top - 18, std::to_string(i), black, 2);
    canvas.TextCentered(left - 20, top + i * cell + cell / 2, std::to_string(i), black, 2);
  }
  for (int t = 0; t < n; ++t) {
    int64_t row = 0;
    for (int p = 0; p < n; ++p) row += counts[t][p];
    for (int p = 0; p < n; ++p) {
      int64_t c = counts[t][p];
      Rgb color = white;
      if (c > 0) {
        // Log scale, so that single errors are visible next to thousands.
        double v = t == p ? std::log1p(double(c)) / std::log1p(double(max_diagonal))
                          : std::log1p(double(c)) / std::log1p(double(max_error));
        color = t == p ? Blues(0.25 + 0.75 * v) : Reds(0.15 + 0.7 * v);
      }
      int x = left + p * cell, y = top + t * cell;
      canvas.FillRect(x, y, cell, cell, color);
      canvas.TextCentered(x + cell / 2, y + cell / 2, std::to_string(c), c == 0 ? light : Dark(color) ? white : black, 2);
    }
    char accuracy[32];
    std::snprintf(accuracy, sizeof(accuracy), "%.2f%%", row > 0 ? 100.0 * counts[t][t] / row : 0.0);
    canvas.TextCentered(left + n * cell + right / 2, top + t * cell + cell / 2, accuracy, black, 2);
  }
  // Grid lines.
  for (int i = 0; i <= n; ++i) {
    canvas.FillRect(left + i * cell, top, 1, n * cell, light);
    canvas.FillRect(left, top + i * cell, n * cell + 1, 1, light);
  }
  return canvas.WritePng(path, error);
}

}  // namespace tinyonnx::tools
