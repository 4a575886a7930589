// Writes the seed images of fuzz_digit_image into a directory: a digit-like
// stroke drawn on small canvases, saved as PNG, JPEG, BMP, TGA (stb) and
// binary/ASCII PGM and PPM, so no binary seeds are committed.
//   make_image_seeds DIR
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include "stb_image_write.h"

namespace {

std::vector<unsigned char> Draw(int w, int h, int channels, bool dark_ink, int digit) {
  std::vector<unsigned char> px(static_cast<size_t>(w) * h * channels, dark_ink ? 230 : 10);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float u = (x + 0.5f) / w - 0.5f, v = (y + 0.5f) / h - 0.5f;
      bool ink;
      if (digit == 0) ink = std::fabs(std::sqrt(u * u / 0.06f + v * v / 0.12f) - 1.0f) < 0.15f;
      else if (digit == 1) ink = std::fabs(u - 0.1f * v) < 0.05f && std::fabs(v) < 0.35f;
      else ink = (std::fabs(v + 0.3f) < 0.05f && std::fabs(u) < 0.25f) || std::fabs(u + v * 0.7f) < 0.05f;
      if (!ink) continue;
      for (int c = 0; c < channels; ++c) px[(static_cast<size_t>(y) * w + x) * channels + c] = dark_ink ? 20 : 240;
    }
  }
  return px;
}

void WritePnm(const std::string& path, int w, int h, int channels, const std::vector<unsigned char>& px, bool ascii) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  std::fprintf(f, "P%d\n%d %d\n255\n", (channels == 1 ? 2 : 3) + (ascii ? 0 : 3), w, h);
  if (ascii) {
    for (unsigned char p : px) std::fprintf(f, "%d ", p);
  } else {
    std::fwrite(px.data(), 1, px.size(), f);
  }
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_image_seeds DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  int n = 0;
  for (int digit = 0; digit < 3; ++digit) {
    const int w = 16 + 12 * digit, h = 20 + 10 * digit;
    const bool dark = digit != 1;
    auto gray = Draw(w, h, 1, dark, digit);
    auto rgb = Draw(w, h, 3, dark, digit);
    auto rgba = Draw(w, h, 4, dark, digit);
    const std::string base = dir + "/seed" + std::to_string(digit);
    n += stbi_write_png((base + "_gray.png").c_str(), w, h, 1, gray.data(), w) != 0;
    n += stbi_write_png((base + "_rgba.png").c_str(), w, h, 4, rgba.data(), w * 4) != 0;
    n += stbi_write_jpg((base + ".jpg").c_str(), w, h, 3, rgb.data(), 80) != 0;
    n += stbi_write_bmp((base + ".bmp").c_str(), w, h, 3, rgb.data()) != 0;
    n += stbi_write_tga((base + ".tga").c_str(), w, h, 1, gray.data()) != 0;
    WritePnm(base + ".pgm", w, h, 1, gray, false);
    WritePnm(base + "_ascii.pgm", w, h, 1, gray, true);
    WritePnm(base + ".ppm", w, h, 3, rgb, false);
    n += 3;
  }
  std::printf("%d seed images in %s\n", n, dir.c_str());
  return 0;
}
