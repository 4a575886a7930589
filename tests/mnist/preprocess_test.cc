// Unit tests of the IDX reader and of the MNIST-style digit preprocessing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "digit_image.h"
#include "idx.h"

namespace tinyonnx::tools {
namespace {

// --- IDX ---------------------------------------------------------------------

std::vector<uint8_t> IdxBytes(std::vector<uint32_t> dims, size_t data_bytes, uint8_t type = 0x08) {
  std::vector<uint8_t> b = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(d >> s));
  }
  for (size_t i = 0; i < data_bytes; ++i) b.push_back(static_cast<uint8_t>(i * 7));
  return b;
}

TEST(Idx, ParsesImagesAndLabels) {
  IdxArray a;
  std::string error;
  std::vector<uint8_t> images = IdxBytes({2, 3, 4}, 24);
  ASSERT_TRUE(ParseIdx(images.data(), images.size(), 3, "images", &a, &error)) << error;
  EXPECT_EQ(a.dims, (std::vector<uint32_t>{2, 3, 4}));
  ASSERT_EQ(a.data.size(), 24u);
  EXPECT_EQ(a.data[5], 35);
  std::vector<uint8_t> labels = IdxBytes({5}, 5);
  ASSERT_TRUE(ParseIdx(labels.data(), labels.size(), 1, "labels", &a, &error)) << error;
  EXPECT_EQ(a.dims, (std::vector<uint32_t>{5}));
}

TEST(Idx, RejectsWithClearErrors) {
  IdxArray a;
  std::string error;
  auto parse = [&](const std::vector<uint8_t>& b, int rank) {
    error.clear();
    return ParseIdx(b.data(), b.size(), rank, "f", &a, &error);
  };
  std::vector<uint8_t> b = IdxBytes({2, 3, 4}, 23);  // one byte short
  EXPECT_FALSE(parse(b, 3));
  EXPECT_NE(error.find("needs 24 bytes of data, the file has 23"), std::string::npos) << error;
  b = IdxBytes({2, 3, 4}, 25);
  EXPECT_FALSE(parse(b, 3));
  EXPECT_NE(error.find("trailing"), std::string::npos) << error;
  b = IdxBytes({2, 3, 4}, 24);
  EXPECT_FALSE(parse(b, 1));
  EXPECT_NE(error.find("has 3 dimensions, expected 1"), std::string::npos) << error;
  b[0] = 0x1f;
  b[1] = 0x8b;
  EXPECT_FALSE(parse(b, 3));
  EXPECT_NE(error.find("gzip"), std::string::npos) << error;
  b = IdxBytes({2, 3, 4}, 24);
  b[1] = 1;
  EXPECT_FALSE(parse(b, 3));
  EXPECT_NE(error.find("not an IDX file"), std::string::npos) << error;
  b = IdxBytes({2, 3, 4}, 96, 0x0D);  // float
  EXPECT_FALSE(parse(b, 3));
  EXPECT_NE(error.find("0x0d"), std::string::npos) << error;
  b = IdxBytes({2, 0, 4}, 0);
  EXPECT_FALSE(parse(b, 3));
  EXPECT_NE(error.find("dimension 1 is 0"), std::string::npos) << error;
  b = {0, 0, 8, 3, 0, 0};
  EXPECT_FALSE(parse(b, 3));
  EXPECT_NE(error.find("truncated header"), std::string::npos) << error;
}

TEST(Idx, MissingDirectoryNamesTheFiles) {
  MnistSet set;
  std::string error;
  EXPECT_FALSE(LoadMnist("/nonexistent-dir", "t10k", &set, &error));
  EXPECT_NE(error.find("t10k-images-idx3-ubyte"), std::string::npos) << error;
}

// --- Preprocessing -------------------------------------------------------------

// Draws an anti-aliased line of width `width` (distance-based coverage).
void Line(GrayImage* img, double x0, double y0, double x1, double y1, double width, uint8_t ink) {
  double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  for (int y = 0; y < img->height; ++y) {
    for (int x = 0; x < img->width; ++x) {
      double px = x + 0.5, py = y + 0.5;
      double t = std::clamp(((px - x0) * dx + (py - y0) * dy) / len2, 0.0, 1.0);
      double ex = x0 + t * dx - px, ey = y0 + t * dy - py;
      double coverage = std::clamp(width / 2 + 0.5 - std::sqrt(ex * ex + ey * ey), 0.0, 1.0);
      uint8_t& p = img->pixels[size_t(y) * img->width + x];
      p = static_cast<uint8_t>(std::lround(p + (ink - p) * coverage));
    }
  }
}

GrayImage Canvas(int w, int h, uint8_t background) {
  GrayImage img;
  img.width = w;
  img.height = h;
  img.pixels.assign(size_t(w) * h, background);
  return img;
}

// A "1": a long vertical stroke with a short flag, off-center.
void DrawOne(GrayImage* img, double width, uint8_t ink) {
  Line(img, 260, 60, 260, 250, width, ink);
  Line(img, 260, 60, 235, 90, width, ink);
}

void ExpectMnistLike(const DigitPixels& px, const PreprocessInfo& info, bool empty_border = true) {
  float cx, cy;
  int bw, bh;
  ASSERT_TRUE(DigitGeometry(px, 0.0f, &cx, &cy, &bw, &bh));
  EXPECT_NEAR(cx, 14.0f, 1.0f);
  EXPECT_NEAR(cy, 14.0f, 1.0f);
  EXPECT_GE(std::max(bw, bh), 19);
  EXPECT_LE(std::max(bw, bh), 22);
  // The stroke is visible and bright, as in MNIST.
  float peak = 0, mass = 0;
  for (float v : px) {
    peak = std::max(peak, v);
    mass += v;
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 1.0f);
  }
  EXPECT_FLOAT_EQ(peak, 1.0f);
  EXPECT_GT(mass, 25.0f) << "strokes too thin";
  EXPECT_NEAR(info.center_x, cx, 1e-4);
  // The border of the 28x28 field stays empty (a "7", whose center of mass
  // is high, may reach the bottom, as in MNIST).
  for (int i = 0; i < 28 && empty_border; ++i) {
    EXPECT_EQ(px[i], 0.0f);
    EXPECT_EQ(px[27 * 28 + i], 0.0f);
  }
}

TEST(Preprocess, ThinWhiteStrokeOnLargeBlackCanvas) {
  GrayImage img = Canvas(400, 300, 0);
  DrawOne(&img, 1.0, 255);
  DigitPixels px;
  PreprocessInfo info;
  std::string error;
  ASSERT_TRUE(PreprocessDigit(img, PreprocessOptions(), &px, &info, &error)) << error;
  EXPECT_FALSE(info.inverted);
  EXPECT_GT(info.stroke_adjust, 0.0f) << "a 1 px stroke at 0.1 scale must be thickened";
  EXPECT_NEAR(info.box_height, 191, 2);
  ExpectMnistLike(px, info);
  // The stroke width at 28x28 scale is MNIST-like: the middle row of the "1"
  // holds about 2-4 pixels of ink.
  float row = 0;
  for (int x = 0; x < 28; ++x) row += px[16 * 28 + x];
  EXPECT_GT(row, 1.8f);
  EXPECT_LT(row, 4.0f);
}

TEST(Preprocess, LightBackgroundIsInverted) {
  GrayImage img = Canvas(400, 300, 235);
  DrawOne(&img, 14.0, 30);
  DigitPixels px;
  PreprocessInfo info;
  std::string error;
  ASSERT_TRUE(PreprocessDigit(img, PreprocessOptions(), &px, &info, &error)) << error;
  EXPECT_TRUE(info.inverted);
  EXPECT_NEAR(info.background, 235 / 255.0, 0.01);
  ExpectMnistLike(px, info);
  // Same digit white on black gives (nearly) the same input.
  GrayImage dark = Canvas(400, 300, 20);
  DrawOne(&dark, 14.0, 225);
  DigitPixels px2;
  ASSERT_TRUE(PreprocessDigit(dark, PreprocessOptions(), &px2, nullptr, &error)) << error;
  double diff = 0;
  for (int i = 0; i < 784; ++i) diff = std::max(diff, double(std::fabs(px[i] - px2[i])));
  EXPECT_LT(diff, 0.02);
}

TEST(Preprocess, PenOnUnevenNoisyPaper) {
  const int w = 500, h = 400;
  GrayImage img = Canvas(w, h, 0);
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 6.0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      double light = 1.0 - 0.3 * x / w - 0.1 * y / h;  // lit from the top left
      img.pixels[size_t(y) * w + x] = static_cast<uint8_t>(std::clamp(235 * light + noise(rng), 0.0, 255.0));
    }
  }
  // A "7" in dark gray pen, and a few specks of dust far from it.
  Line(&img, 150, 100, 330, 100, 9, 70);
  Line(&img, 330, 100, 220, 330, 9, 70);
  for (int k = 0; k < 6; ++k) Line(&img, 30 + 70 * k, 370, 31 + 70 * k, 371, 2, 40);
  DigitPixels px;
  PreprocessInfo info;
  std::string error;
  ASSERT_TRUE(PreprocessDigit(img, PreprocessOptions(), &px, &info, &error)) << error;
  EXPECT_TRUE(info.inverted);
  EXPECT_TRUE(info.uneven_background);
  EXPECT_GE(info.removed_specks, 6);
  EXPECT_NEAR(info.box_x, 145, 3);
  EXPECT_NEAR(info.box_width, 190, 4);
  EXPECT_NEAR(info.box_height, 240, 4);
  ExpectMnistLike(px, info, false);
}

TEST(Preprocess, SmallMnistLikeImageKeepsItsShape) {
  // A 28x28 image already in MNIST form comes back nearly unchanged.
  GrayImage img = Canvas(28, 28, 0);
  Line(&img, 10, 5, 17, 5, 2.5, 255);
  Line(&img, 17, 5, 12, 24, 2.5, 255);
  DigitPixels px;
  PreprocessInfo info;
  std::string error;
  ASSERT_TRUE(PreprocessDigit(img, PreprocessOptions(), &px, &info, &error)) << error;
  EXPECT_FALSE(info.inverted);
  EXPECT_EQ(info.stroke_adjust, 0.0f);
  ExpectMnistLike(px, info, false);
}

TEST(Preprocess, HugePhotoIsReducedFirst) {
  // 4000x3000, dark pen on light paper: reduced 2x before anything else.
  GrayImage img = Canvas(4000, 3000, 220);
  for (int y = 600; y < 2400; ++y) {
    for (int x = 2100; x < 2112; ++x) img.pixels[size_t(y) * 4000 + x] = 40;
  }
  DigitPixels px;
  PreprocessInfo info;
  std::string error;
  ASSERT_TRUE(PreprocessDigit(img, PreprocessOptions(), &px, &info, &error)) << error;
  EXPECT_TRUE(info.inverted);
  EXPECT_NEAR(info.box_x, 2100, 2);
  EXPECT_NEAR(info.box_height, 1800, 2);
  EXPECT_NEAR(info.stroke_width, 12, 2);
  ExpectMnistLike(px, info);
}

TEST(Preprocess, BlankImagesAreErrors) {
  DigitPixels px;
  std::string error;
  GrayImage white = Canvas(100, 80, 255);
  EXPECT_FALSE(PreprocessDigit(white, PreprocessOptions(), &px, nullptr, &error));
  EXPECT_NE(error.find("no ink"), std::string::npos) << error;
  GrayImage noisy = Canvas(200, 200, 0);
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(128.0, 4.0);
  for (uint8_t& p : noisy.pixels) p = static_cast<uint8_t>(std::clamp(noise(rng), 0.0, 255.0));
  EXPECT_FALSE(PreprocessDigit(noisy, PreprocessOptions(), &px, nullptr, &error));
  EXPECT_NE(error.find("no ink"), std::string::npos) << error;
  GrayImage empty;
  EXPECT_FALSE(PreprocessDigit(empty, PreprocessOptions(), &px, nullptr, &error));
}

TEST(Preprocess, DecodesPgmAndRejectsGarbage) {
  std::string pgm = "P5\n3 2\n255\n";
  pgm += std::string("\x00\x10\x20\x30\x40\xff", 6);
  GrayImage img;
  std::string error;
  ASSERT_TRUE(DecodeGrayImage(reinterpret_cast<const uint8_t*>(pgm.data()), pgm.size(), &img, &error)) << error;
  EXPECT_EQ(img.width, 3);
  EXPECT_EQ(img.height, 2);
  EXPECT_EQ(img.pixels[5], 255);
  std::string garbage = "not an image";
  EXPECT_FALSE(DecodeGrayImage(reinterpret_cast<const uint8_t*>(garbage.data()), garbage.size(), &img, &error));
  EXPECT_NE(error.find("cannot decode"), std::string::npos) << error;
  EXPECT_FALSE(LoadGrayImage("/nonexistent.png", &img, &error));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

// Found by fuzz_digit_image: stb_image 2.27 parses PGM header numbers into
// an int without an overflow check; such a header is refused before stb.
TEST(Preprocess, RejectsPgmHeaderNumbersBeyondInt) {
  GrayImage img;
  std::string error;
  for (const std::string header : {"P5\n16 11\n8255888888\n", "P6 # comment\n99999999999 2 255\n",
                                   "P5\n3\n#x\n4294967299 255\n"}) {
    const std::string pgm = header + std::string(64, '\x10');
    EXPECT_FALSE(DecodeGrayImage(reinterpret_cast<const uint8_t*>(pgm.data()), pgm.size(), &img, &error))
        << header;
    EXPECT_EQ(error, "cannot decode the image: corrupt PGM/PPM header (a size is larger than 2147483647)");
  }
  const std::string fits = "P5\n2 1\n0000000000255\n\x01\x02";  // leading zeros: 255
  ASSERT_TRUE(DecodeGrayImage(reinterpret_cast<const uint8_t*>(fits.data()), fits.size(), &img, &error))
      << error;
  EXPECT_EQ(img.width, 2);
}

// Found by fuzz_digit_image: a scan selecting a Huffman table that no DHT
// segment defined makes stb_image 2.27 decode with uninitialized tables.
TEST(Preprocess, RejectsJpegScanWithUndefinedHuffmanTable) {
  const auto jpeg = [](uint8_t scan_tables) {
    const uint8_t one_code_table[17] = {0, 1};  // one 2-bit code, value 0
    std::string j("\xFF\xD8\xFF\xC4\x00\x26", 6);  // SOI, DHT of two tables
    for (uint8_t table : {0x00, 0x10}) {                // DC 0, AC 0
      j += static_cast<char>(table);
      j.append(reinterpret_cast<const char*>(one_code_table + 1), 16);
      j += '\0';
    }
    j += std::string("\xFF\xC0\x00\x0B\x08\x00\x08\x00\x08\x01\x01\x11\x00", 13);  // SOF0 8x8 gray
    j += std::string("\xFF\xDA\x00\x08\x01\x01", 6) + static_cast<char>(scan_tables) +
         std::string("\x00\x3F\x00", 3);  // SOS: component 1, Ss 0, Se 63
    return j + std::string(16, '\0') + "\xFF\xD9";
  };
  GrayImage img;
  std::string error;
  const std::string undefined_dc = jpeg(0x30), undefined_ac = jpeg(0x02), defined = jpeg(0x00);
  for (const std::string* bad : {&undefined_dc, &undefined_ac}) {
    EXPECT_FALSE(DecodeGrayImage(reinterpret_cast<const uint8_t*>(bad->data()), bad->size(), &img, &error));
    EXPECT_EQ(error,
              "cannot decode the image: corrupt JPEG (a scan uses a Huffman table no DHT segment defines)");
  }
  // With tables 0 selected the scan passes the check (what stb then makes of
  // the made-up data does not matter here).
  error.clear();
  DecodeGrayImage(reinterpret_cast<const uint8_t*>(defined.data()), defined.size(), &img, &error);
  EXPECT_EQ(error.find("Huffman"), std::string::npos) << error;
}

// Found by fuzz_digit_image (UBSan: index 257 out of bounds in stb_image's
// stbi__build_huffman): a DHT segment of more than 256 codes, also when the
// SOI marker follows 0xFF fill bytes, which stb skips.
TEST(Preprocess, RejectsJpegHuffmanTableOfMoreThan256Codes) {
  std::string dht("\xFF\xC4\x00\x13\x00", 5);  // DHT, one DC table 0
  dht += std::string(16, '\x11');                  // 16 x 17 = 272 codes
  for (const std::string prefix : {std::string("\xFF\xD8", 2), std::string("\xFF\xFF\xFF\xD8", 4)}) {
    const std::string jpeg = prefix + dht + std::string(272, '\0') + "\xFF\xD9";
    GrayImage img;
    std::string error;
    EXPECT_FALSE(DecodeGrayImage(reinterpret_cast<const uint8_t*>(jpeg.data()), jpeg.size(), &img, &error));
    EXPECT_EQ(error, "cannot decode the image: corrupt JPEG (a Huffman table has more than 256 codes)");
  }
}

TEST(Preprocess, AsciiArtHas28Lines) {
  DigitPixels px{};
  px[14 * 28 + 14] = 1.0f;
  std::string art = AsciiArt(px);
  EXPECT_EQ(std::count(art.begin(), art.end(), '\n'), 28);
  EXPECT_EQ(art.find('@'), 14u * 57 + 28);
}

}  // namespace
}  // namespace tinyonnx::tools
