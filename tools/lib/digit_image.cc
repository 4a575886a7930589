#include "digit_image.h"

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include "stb_image.h"

namespace tinyonnx::tools {
namespace {

// A float image, row-major.
struct Plane {
  int w = 0, h = 0;
  std::vector<float> v;
  Plane() = default;
  Plane(int width, int height, float fill = 0.0f) : w(width), h(height), v(size_t(width) * height, fill) {}
  float& at(int x, int y) { return v[size_t(y) * w + x]; }
  float at(int x, int y) const { return v[size_t(y) * w + x]; }
};

float Quantile(std::vector<float> values, double q) {
  if (values.empty()) return 0.0f;
  size_t k = std::min(values.size() - 1, static_cast<size_t>(q * double(values.size() - 1) + 0.5));
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[k];
}

// Robust sigma: 1.4826 times the median absolute deviation from `center`.
float RobustSigma(const std::vector<float>& values, float center) {
  std::vector<float> deviations(values.size());
  for (size_t i = 0; i < values.size(); ++i) deviations[i] = std::fabs(values[i] - center);
  return 1.4826f * Quantile(std::move(deviations), 0.5);
}

// The background as a quadratic surface a + bX + cY + dX^2 + eXY + fY^2 over
// normalized coordinates X, Y in [-1, 1], fitted by iteratively re-weighted
// least squares that drop outliers (the ink, whichever its polarity).
struct Background {
  double c[6] = {0, 0, 0, 0, 0, 0};
  int w = 1, h = 1;
  float sigma = 0;

  static void Terms(double X, double Y, double t[6]) {
    t[0] = 1;
    t[1] = X;
    t[2] = Y;
    t[3] = X * X;
    t[4] = X * Y;
    t[5] = Y * Y;
  }
  double X(double x) const { return (x + 0.5) / w * 2.0 - 1.0; }
  double Y(double y) const { return (y + 0.5) / h * 2.0 - 1.0; }
  float Eval(int x, int y) const {
    double t[6];
    Terms(X(x), Y(y), t);
    double s = 0;
    for (int i = 0; i < 6; ++i) s += c[i] * t[i];
    return static_cast<float>(s);
  }
};

// Solves the n x n system a x = b in place (Gaussian elimination with partial
// pivoting); false if singular.
bool Solve(int n, double a[6][6], double b[6]) {
  for (int col = 0; col < n; ++col) {
    int pivot = col;
    for (int r = col + 1; r < n; ++r) {
      if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
    }
    if (std::fabs(a[pivot][col]) < 1e-9) return false;
    for (int k = 0; k < n; ++k) std::swap(a[col][k], a[pivot][k]);
    std::swap(b[col], b[pivot]);
    for (int r = col + 1; r < n; ++r) {
      double f = a[r][col] / a[col][col];
      for (int k = col; k < n; ++k) a[r][k] -= f * a[col][k];
      b[r] -= f * b[col];
    }
  }
  for (int r = n - 1; r >= 0; --r) {
    double s = b[r];
    for (int k = r + 1; k < n; ++k) s -= a[r][k] * b[k];
    b[r] = s / a[r][r];
  }
  return true;
}

Background FitBackground(const Plane& f) {
  Background bg;
  bg.w = f.w;
  bg.h = f.h;
  // Start from the border ring, which is nearly always background.
  int ring = std::max(1, std::min(f.w, f.h) / 32);
  std::vector<float> border;
  for (int y = 0; y < f.h; ++y) {
    bool edge_row = y < ring || y >= f.h - ring;
    for (int x = 0; x < f.w; ++x) {
      if (edge_row || x < ring || x >= f.w - ring) border.push_back(f.at(x, y));
    }
  }
  float level = Quantile(border, 0.5);
  float threshold = std::max(3.0f * RobustSigma(border, level), 0.08f);
  bg.c[0] = level;

  // A grid of samples over the whole image (about 20k).
  int step = std::max(1, static_cast<int>(std::ceil(std::sqrt(double(f.w) * f.h / 20000.0))));
  struct Sample {
    float x, y, value;
  };
  std::vector<Sample> samples;
  for (int y = step / 2; y < f.h; y += step) {
    for (int x = step / 2; x < f.w; x += step) samples.push_back({float(x), float(y), f.at(x, y)});
  }
  bool quadratic = std::min(f.w, f.h) >= 48;
  std::vector<float> residuals;
  for (int iteration = 0; iteration < 6; ++iteration) {
    double a[6][6] = {}, b[6] = {};
    size_t inliers = 0;
    residuals.clear();
    for (const Sample& s : samples) {
      float r = s.value - bg.Eval(int(s.x), int(s.y));
      if (std::fabs(r) >= threshold) continue;
      residuals.push_back(r);
      ++inliers;
      double t[6];
      Background::Terms(bg.X(s.x), bg.Y(s.y), t);
      for (int i = 0; i < 6; ++i) {
        for (int k = 0; k < 6; ++k) a[i][k] += t[i] * t[k];
        b[i] += t[i] * s.value;
      }
    }
    if (inliers < 12) break;  // keep the previous estimate
    Background next = bg;
    int terms = quadratic && inliers >= 200 ? 6 : 1;
    if (!Solve(terms, a, b)) break;
    for (int i = 0; i < 6; ++i) next.c[i] = i < terms ? b[i] : 0.0;
    bg = next;
    float sigma = RobustSigma(residuals, 0.0f);
    bg.sigma = sigma;
    threshold = std::max(3.0f * sigma, 0.03f);
  }
  return bg;
}

// Squared Euclidean distance transform (Felzenszwalb & Huttenlocher): for
// every pixel, the squared distance to the nearest pixel where `feature` is
// true (pixel centers); +inf-like when there is none.
std::vector<float> DistanceTransform(int w, int h, const std::vector<uint8_t>& feature) {
  const double kFar = 1e20;
  const double kInfinity = std::numeric_limits<double>::infinity();
  std::vector<double> d(size_t(w) * h);
  for (size_t i = 0; i < d.size(); ++i) d[i] = feature[i] ? 0.0 : kFar;
  int n = std::max(w, h);
  std::vector<double> f(n), out(n), z(n + 1);
  std::vector<int> v(n);
  // One dimension: the lower envelope of the parabolas (q - p)^2 + f(p).
  auto pass = [&](int len) {
    int k = 0;
    v[0] = 0;
    z[0] = -kInfinity;
    z[1] = kInfinity;
    for (int q = 1; q < len; ++q) {
      double s;
      while (true) {
        s = ((f[q] + double(q) * q) - (f[v[k]] + double(v[k]) * v[k])) / (2.0 * (q - v[k]));
        if (s > z[k]) break;
        --k;
      }
      ++k;
      v[k] = q;
      z[k] = s;
      z[k + 1] = kInfinity;
    }
    k = 0;
    for (int q = 0; q < len; ++q) {
      while (z[k + 1] < q) ++k;
      double dq = q - v[k];
      out[q] = dq * dq + f[v[k]];
    }
  };
  for (int x = 0; x < w; ++x) {
    for (int y = 0; y < h; ++y) f[y] = d[size_t(y) * w + x];
    pass(h);
    for (int y = 0; y < h; ++y) d[size_t(y) * w + x] = out[y];
  }
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) f[x] = d[size_t(y) * w + x];
    pass(w);
    for (int x = 0; x < w; ++x) d[size_t(y) * w + x] = out[x];
  }
  std::vector<float> result(d.size());
  for (size_t i = 0; i < d.size(); ++i) result[i] = static_cast<float>(std::min(d[i], 1e18));
  return result;
}

struct Box {
  int x0 = std::numeric_limits<int>::max(), y0 = std::numeric_limits<int>::max(), x1 = -1, y1 = -1;
  bool empty() const { return x1 < x0; }
  int width() const { return x1 - x0 + 1; }
  int height() const { return y1 - y0 + 1; }
  void Add(int x, int y) {
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
  void Add(const Box& b) {
    if (b.empty()) return;
    Add(b.x0, b.y0);
    Add(b.x1, b.y1);
  }
  bool Intersects(const Box& b) const { return !(b.x1 < x0 || b.x0 > x1 || b.y1 < y0 || b.y0 > y1); }
};

Box InkBox(const Plane& p, float threshold) {
  Box box;
  for (int y = 0; y < p.h; ++y) {
    for (int x = 0; x < p.w; ++x) {
      if (p.at(x, y) > threshold) box.Add(x, y);
    }
  }
  return box;
}

// Drops 8-connected ink components that are specks: tiny next to the largest
// one, or small and away from the digit. Returns how many were dropped.
int RemoveSpecks(Plane* ink) {
  const int w = ink->w, h = ink->h;
  std::vector<int32_t> label(size_t(w) * h, -1);
  struct Component {
    double mass = 0;
    Box box;
  };
  std::vector<Component> components;
  std::vector<int> stack;
  for (int start = 0; start < w * h; ++start) {
    if (ink->v[start] <= 0.0f || label[start] >= 0) continue;
    int id = static_cast<int>(components.size());
    components.emplace_back();
    Component& c = components.back();
    stack.push_back(start);
    label[start] = id;
    while (!stack.empty()) {
      int p = stack.back();
      stack.pop_back();
      int x = p % w, y = p / w;
      c.mass += ink->v[p];
      c.box.Add(x, y);
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          int nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          int q = ny * w + nx;
          if (ink->v[q] > 0.0f && label[q] < 0) {
            label[q] = id;
            stack.push_back(q);
          }
        }
      }
    }
  }
  if (components.size() <= 1) return 0;
  size_t main = 0;
  for (size_t i = 1; i < components.size(); ++i) {
    if (components[i].mass > components[main].mass) main = i;
  }
  // The digit: the largest component and every sizeable one.
  const double largest = components[main].mass;
  Box digit;
  std::vector<uint8_t> keep(components.size(), 0);
  for (size_t i = 0; i < components.size(); ++i) {
    if (components[i].mass >= 0.15 * largest) {
      keep[i] = 1;
      digit.Add(components[i].box);
    }
  }
  // Smaller pieces stay if they are near the digit (a broken stroke).
  int margin = std::max(2, std::max(digit.width(), digit.height()) / 10);
  Box near = digit;
  near.x0 -= margin;
  near.y0 -= margin;
  near.x1 += margin;
  near.y1 += margin;
  int removed = 0;
  for (size_t i = 0; i < components.size(); ++i) {
    if (keep[i]) continue;
    keep[i] = components[i].mass >= 0.02 * largest && near.Intersects(components[i].box);
    removed += !keep[i];
  }
  for (size_t p = 0; p < label.size(); ++p) {
    if (label[p] >= 0 && !keep[label[p]]) ink->v[p] = 0.0f;
  }
  return removed;
}

// Crops `box` plus `margin` (zero beyond the image) and upsamples by `k`
// with bilinear interpolation.
Plane CropUpsample(const Plane& src, const Box& box, int margin, int k) {
  int cw = box.width() + 2 * margin, ch = box.height() + 2 * margin;
  int ox = box.x0 - margin, oy = box.y0 - margin;
  auto sample = [&](int x, int y) {
    x += ox;
    y += oy;
    return x < 0 || y < 0 || x >= src.w || y >= src.h ? 0.0f : src.at(x, y);
  };
  Plane out(cw * k, ch * k);
  for (int y = 0; y < out.h; ++y) {
    float sy = (y + 0.5f) / k - 0.5f;
    int y0 = static_cast<int>(std::floor(sy));
    float fy = sy - y0;
    for (int x = 0; x < out.w; ++x) {
      float sx = (x + 0.5f) / k - 0.5f;
      int x0 = static_cast<int>(std::floor(sx));
      float fx = sx - x0;
      out.at(x, y) = (1 - fy) * ((1 - fx) * sample(x0, y0) + fx * sample(x0 + 1, y0)) +
                     fy * ((1 - fx) * sample(x0, y0 + 1) + fx * sample(x0 + 1, y0 + 1));
    }
  }
  return out;
}

Plane Pad(const Plane& p, int pad) {
  Plane out(p.w + 2 * pad, p.h + 2 * pad);
  for (int y = 0; y < p.h; ++y) std::memcpy(&out.at(pad, y + pad), p.v.data() + size_t(y) * p.w, sizeof(float) * p.w);
  return out;
}

// Mean stroke width of the ink (n >= 0.5), from the distance of each ink
// pixel to the nearest background pixel: across a stroke of width w those
// distances to the edge are spread evenly over [0, w/2], mean w/4.
float StrokeWidth(const Plane& p, std::vector<uint8_t>* ink_mask) {
  std::vector<uint8_t> background(p.v.size());
  ink_mask->assign(p.v.size(), 0);
  size_t count = 0;
  for (size_t i = 0; i < p.v.size(); ++i) {
    (*ink_mask)[i] = p.v[i] >= 0.5f;
    background[i] = !(*ink_mask)[i];
    count += (*ink_mask)[i];
  }
  if (count == 0) return 1.0f;
  std::vector<float> d2 = DistanceTransform(p.w, p.h, background);
  double sum = 0;
  for (size_t i = 0; i < p.v.size(); ++i) {
    if ((*ink_mask)[i]) sum += std::sqrt(d2[i]) - 0.5;
  }
  return static_cast<float>(4.0 * sum / count);
}

void CenterOfMass(const Plane& p, double* cx, double* cy, double* mass) {
  double m = 0, sx = 0, sy = 0;
  for (int y = 0; y < p.h; ++y) {
    for (int x = 0; x < p.w; ++x) {
      double v = p.at(x, y);
      m += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  *mass = m;
  *cx = m > 0 ? sx / m : p.w / 2.0;
  *cy = m > 0 ? sy / m : p.h / 2.0;
}

// Area-averaging resampling: source pixel x covers [x, x+1), which maps to
// [(x - origin) * scale + offset, ...) in the output, whose pixel j covers
// [j, j+1). Returns, per source index, the first output index it touches and
// the overlaps with it and the next two.
struct Spread {
  int first = 0;
  float weight[3] = {0, 0, 0};
};

std::vector<Spread> Spreads(int n, double origin, double scale, double offset) {
  std::vector<Spread> spreads(n);
  for (int x = 0; x < n; ++x) {
    double u0 = (x - origin) * scale + offset, u1 = (x + 1 - origin) * scale + offset;
    Spread& s = spreads[x];
    s.first = static_cast<int>(std::floor(u0));
    for (int k = 0; k < 3; ++k) {
      double lo = std::max(u0, double(s.first + k)), hi = std::min(u1, double(s.first + k + 1));
      s.weight[k] = hi > lo ? static_cast<float>(hi - lo) : 0.0f;
    }
  }
  return spreads;
}

}  // namespace

namespace {

// Two defects of stb_image 2.27 (Debian's libstb) on corrupt JPEG Huffman
// data: it writes past its size table when a DHT segment declares more than
// 256 codes (fixed upstream in 2.28), and it decodes a scan with a table no
// DHT segment defined (its tables are uninitialized memory; the decoder then
// reads past its maxcode array). Walks the JPEG's marker segments (and the
// entropy-coded data between them) as stb reads them and returns what is
// wrong, or nullptr.
const char* JpegHuffmanProblem(const uint8_t* p, size_t size) {
  // stb takes the SOI marker after any number of 0xFF fill bytes.
  size_t i = 0;
  while (i < size && p[i] == 0xFF) ++i;
  if (i == 0 || i >= size || p[i] != 0xD8) return nullptr;  // not a JPEG
  ++i;
  bool defined[2][4] = {};  // [DC, AC][table id] defined by a DHT segment so far
  while (i + 1 < size) {
    if (p[i] != 0xFF) {  // entropy-coded data: skip to the next marker
      ++i;
      continue;
    }
    const uint8_t marker = p[i + 1];
    if (marker == 0x00 || marker == 0xFF || (marker >= 0xD0 && marker <= 0xD9) || marker == 0x01) {
      i += marker == 0xFF ? 1 : 2;  // stuffed byte, fill, RSTn, SOI/EOI, TEM: no length
      continue;
    }
    if (i + 3 >= size) break;
    const size_t length = size_t{p[i + 2]} << 8 | p[i + 3];
    if (length < 2) return "a marker segment shorter than its length field";
    const size_t end = std::min(size, i + 2 + length);
    const auto at = [&](size_t k) -> uint8_t { return k < size ? p[k] : 0; };  // stb: 0 past the end
    if (marker == 0xC4) {
      // As stb reads it: table after table while the segment has bytes left,
      // each read whole even past the segment.
      size_t k = i + 4;
      long remaining = static_cast<long>(length) - 2;
      while (remaining > 0 && k < size) {
        size_t n = 0;
        for (size_t c = 0; c < 16; ++c) n += at(k + 1 + c);
        if (n > 256) return "a Huffman table has more than 256 codes";
        const uint8_t table_class = p[k] >> 4, id = p[k] & 15;
        if (table_class < 2 && id < 4) defined[table_class][id] = true;  // stb refuses others
        remaining -= static_cast<long>(17 + n);
        k += 17 + n;
      }
    } else if (marker == 0xDA) {
      // Start of scan: component count, then (component, DC << 4 | AC) pairs,
      // then the spectral selection Ss, Se. DC tables serve scans from
      // coefficient 0, AC tables scans that reach past it.
      const size_t count = at(i + 4);
      const bool dc = at(i + 5 + 2 * count) == 0, ac = at(i + 6 + 2 * count) > 0;
      for (size_t c = 0; c < count; ++c) {
        const uint8_t tables = at(i + 6 + 2 * c);
        if ((dc && (tables >> 4) < 4 && !defined[0][tables >> 4]) ||
            (ac && (tables & 15) < 4 && !defined[1][tables & 15])) {
          return "a scan uses a Huffman table no DHT segment defines";
        }
      }
    }
    i = end;
  }
  return nullptr;
}

// stb_image 2.27 reads the width, height and maximum value of a binary
// PGM/PPM header (P5, P6) into an int without an overflow check (signed
// overflow, undefined behaviour). Scans the header as stb does (whitespace,
// '#' comments to the end of the line) and returns false if one of the
// three numbers does not fit an int.
bool PnmHeaderNumbersFit(const uint8_t* p, size_t size) {
  if (size < 2 || p[0] != 'P' || (p[1] != '5' && p[1] != '6')) return true;  // not a PNM
  const auto is_space = [](uint8_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  size_t i = 2;
  for (int number = 0; number < 3; ++number) {
    for (;;) {
      while (i < size && is_space(p[i])) ++i;
      if (i >= size || p[i] != '#') break;
      while (i < size && p[i] != '\n' && p[i] != '\r') ++i;
    }
    int64_t value = 0;
    for (; i < size && p[i] >= '0' && p[i] <= '9'; ++i) {
      value = value * 10 + (p[i] - '0');
      if (value > std::numeric_limits<int>::max()) return false;
    }
  }
  return true;
}

}  // namespace

bool DecodeGrayImage(const uint8_t* bytes, size_t size, GrayImage* image, std::string* error,
                     double max_pixels) {
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
    *error = "cannot decode the image: the file is larger than 2 GiB";
    return false;
  }
  if (const char* problem = JpegHuffmanProblem(bytes, size)) {
    *error = std::string("cannot decode the image: corrupt JPEG (") + problem + ")";
    return false;
  }
  if (!PnmHeaderNumbersFit(bytes, size)) {
    *error = "cannot decode the image: corrupt PGM/PPM header (a size is larger than 2147483647)";
    return false;
  }
  int w = 0, h = 0, channels = 0;
  // A small compressed file can declare a huge image; refuse before decoding.
  // (stb_image's info and load disagree on some corrupt TGA headers; a file
  // whose size cannot be read first is not decoded.)
  if (!stbi_info_from_memory(bytes, static_cast<int>(size), &w, &h, &channels)) {
    *error = std::string("cannot decode the image: ") + stbi_failure_reason();
    return false;
  }
  if (static_cast<double>(w) * h > max_pixels) {
    *error = "cannot decode the image: it is " + std::to_string(w) + " x " + std::to_string(h) +
             " pixels (at most " + std::to_string(static_cast<long long>(max_pixels)) + ")";
    return false;
  }
  stbi_uc* data = stbi_load_from_memory(bytes, static_cast<int>(size), &w, &h, &channels, 0);
  if (data == nullptr) {
    *error = std::string("cannot decode the image: ") + stbi_failure_reason();
    return false;
  }
  image->width = w;
  image->height = h;
  image->pixels.resize(size_t(w) * h);
  for (size_t i = 0; i < image->pixels.size(); ++i) {
    const stbi_uc* p = data + i * channels;
    int gray = channels >= 3 ? (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000 : p[0];
    int alpha = channels == 2 ? p[1] : channels == 4 ? p[3] : 255;
    // Composite over white: transparent means paper.
    image->pixels[i] = static_cast<uint8_t>((gray * alpha + 255 * (255 - alpha) + 127) / 255);
  }
  stbi_image_free(data);
  return true;
}

bool LoadGrayImage(const std::string& path, GrayImage* image, std::string* error) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  std::vector<uint8_t> bytes;
  uint8_t buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) bytes.insert(bytes.end(), buffer, buffer + n);
  bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error) {
    *error = path + ": read error";
    return false;
  }
  if (bytes.empty()) {
    *error = path + ": the file is empty";
    return false;
  }
  if (!DecodeGrayImage(bytes.data(), bytes.size(), image, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

bool PreprocessDigit(const GrayImage& image, const PreprocessOptions& options, DigitPixels* out,
                     PreprocessInfo* info_out, std::string* error) {
  PreprocessInfo local;
  PreprocessInfo& info = info_out ? *info_out : local;
  info = PreprocessInfo();
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != size_t(image.width) * image.height) {
    *error = "the image is empty";
    return false;
  }
  // Photos larger than 2048 px are first reduced by a whole factor (area
  // average): the digit ends up 20 px high anyway.
  const int reduce = (std::max(image.width, image.height) + 2047) / 2048;
  Plane f((image.width + reduce - 1) / reduce, (image.height + reduce - 1) / reduce);
  if (reduce == 1) {
    for (size_t i = 0; i < f.v.size(); ++i) f.v[i] = image.pixels[i] / 255.0f;
  } else {
    std::vector<int> count(f.v.size(), 0);
    for (int y = 0; y < image.height; ++y) {
      for (int x = 0; x < image.width; ++x) {
        size_t i = size_t(y / reduce) * f.w + x / reduce;
        f.v[i] += image.pixels[size_t(y) * image.width + x] / 255.0f;
        ++count[i];
      }
    }
    for (size_t i = 0; i < f.v.size(); ++i) f.v[i] /= count[i];
  }

  // 1. Background (possibly uneven) and noise; the ink is the side that
  //    stands out from it more.
  Background bg = FitBackground(f);
  info.noise = bg.sigma;
  float t = std::max(4.0f * bg.sigma, 0.05f);
  Plane residual(f.w, f.h);
  double positive = 0, negative = 0, bg_sum = 0;
  float bg_min = 1e9f, bg_max = -1e9f;
  for (int y = 0; y < f.h; ++y) {
    for (int x = 0; x < f.w; ++x) {
      float b = bg.Eval(x, y);
      bg_sum += b;
      bg_min = std::min(bg_min, b);
      bg_max = std::max(bg_max, b);
      float r = f.at(x, y) - b;
      residual.at(x, y) = r;
      if (r > t) positive += r - t;
      if (-r > t) negative += -r - t;
    }
  }
  info.background = static_cast<float>(std::clamp(bg_sum / f.v.size(), 0.0, 1.0));
  info.uneven_background = bg_max - bg_min > 0.05f;
  info.inverted = negative > positive;
  if (positive == 0 && negative == 0) {
    *error = "no ink found: the image is blank (uniform at gray level " +
             std::to_string(static_cast<int>(std::lround(info.background * 255))) + ")";
    return false;
  }
  Plane ink(f.w, f.h);
  std::vector<float> candidates;
  for (size_t i = 0; i < f.v.size(); ++i) {
    float v = info.inverted ? -residual.v[i] : residual.v[i];
    ink.v[i] = std::max(v, 0.0f);
    if (v > t) candidates.push_back(v);
  }
  float contrast = Quantile(candidates, 0.95);
  info.contrast = contrast;
  if (contrast < std::max(0.08f, 1.5f * t)) {
    *error = "no ink found: the strongest marks differ from the background by " +
             std::to_string(static_cast<int>(std::lround(contrast * 255))) + " gray levels, at the noise level";
    return false;
  }
  // 2. Normalize the ink to [0, 1] above the noise threshold, drop specks.
  for (float& v : ink.v) v = std::clamp((v - t) / (contrast - t), 0.0f, 1.0f);
  info.removed_specks = RemoveSpecks(&ink);
  double total = 0, peak = 0;
  for (float v : ink.v) {
    total += v;
    peak = std::max<double>(peak, v);
  }
  if (total < 3.0 || peak < 0.5) {
    *error = "no ink found: only faint specks stand out from the background";
    return false;
  }
  Box box = InkBox(ink, 0.0f);
  info.box_x = box.x0 * reduce;
  info.box_y = box.y0 * reduce;
  info.box_width = box.width() * reduce;
  info.box_height = box.height() * reduce;

  // 3. Work on the crop, upsampled when small so that stroke widths and the
  //    final area averaging have sub-pixel resolution.
  int longer = std::max(box.width(), box.height());
  int k = longer < 80 ? (80 + longer - 1) / longer : 1;
  info.upscale = k;
  Plane work = CropUpsample(ink, box, 1, k);
  std::vector<uint8_t> mask;
  float stroke = StrokeWidth(work, &mask);
  info.stroke_width = stroke * reduce / k;
  Box work_box = InkBox(work, 0.3f);
  if (work_box.empty()) work_box = InkBox(work, 0.0f);
  double m = std::max(work_box.width(), work_box.height());
  info.stroke_width_out = static_cast<float>(stroke * options.box / m);

  // 4. Bring the stroke width into MNIST's range: solve for the radius r
  //    that gives (w + 2r) * box / (M + 2r) = target.
  if (options.adjust_stroke &&
      (info.stroke_width_out < options.min_stroke || info.stroke_width_out > options.max_stroke)) {
    double target = info.stroke_width_out < options.min_stroke ? options.target_stroke : options.max_stroke;
    double r = (target * m - options.box * stroke) / (2.0 * (options.box - target));
    if (r > 0) {
      int pad = static_cast<int>(std::ceil(r)) + 2;
      work = Pad(work, pad);
      std::vector<uint8_t> seed(work.v.size());
      for (size_t i = 0; i < work.v.size(); ++i) seed[i] = work.v[i] >= 0.25f;
      std::vector<float> d2 = DistanceTransform(work.w, work.h, seed);
      for (size_t i = 0; i < work.v.size(); ++i) {
        float coverage = std::clamp(static_cast<float>(r + 1.0 - std::sqrt(d2[i])), 0.0f, 1.0f);
        work.v[i] = std::max(work.v[i], coverage);
      }
    } else {
      // Erode, but never by more than a third of the mean width, so that
      // thin parts of a bold glyph survive.
      double e = std::min(-r, stroke / 3.0);
      std::vector<uint8_t> background(work.v.size());
      for (size_t i = 0; i < work.v.size(); ++i) background[i] = work.v[i] < 0.5f;
      std::vector<float> d2 = DistanceTransform(work.w, work.h, background);
      for (size_t i = 0; i < work.v.size(); ++i) {
        work.v[i] *= std::clamp(static_cast<float>(std::sqrt(d2[i]) - e), 0.0f, 1.0f);
      }
      r = -e;
    }
    info.stroke_adjust = static_cast<float>(r * reduce / k);
    work_box = InkBox(work, 0.3f);
    if (work_box.empty()) work_box = InkBox(work, 0.0f);
    m = std::max(work_box.width(), work_box.height());
  }

  // 5. As MNIST: scale the ink's box so that its longer side is 20 px, with
  //    its top-left corner on a pixel boundary, then shift it by whole
  //    pixels so that the center of mass lands on pixel (14, 14) (or by
  //    fractions of a pixel, to put it there exactly).
  double scale = options.box / m;
  info.scale = static_cast<float>(scale * k / reduce);
  double cx, cy, mass;
  CenterOfMass(work, &cx, &cy, &mass);
  const double mid = kDigitSide / 2 + 0.5;  // the center of pixel 14
  double offset_x = mid - (cx - work_box.x0) * scale;
  double offset_y = mid - (cy - work_box.y0) * scale;
  if (options.whole_pixel_shift) {
    offset_x = std::round(offset_x);
    offset_y = std::round(offset_y);
  }
  std::vector<Spread> xs = Spreads(work.w, work_box.x0, scale, offset_x);
  std::vector<Spread> ys = Spreads(work.h, work_box.y0, scale, offset_y);
  std::vector<float> rows(size_t(work.h) * kDigitSide, 0.0f);
  for (int y = 0; y < work.h; ++y) {
    float* row = &rows[size_t(y) * kDigitSide];
    for (int x = 0; x < work.w; ++x) {
      float v = work.at(x, y);
      if (v == 0.0f) continue;
      const Spread& s = xs[x];
      for (int j = 0; j < 3; ++j) {
        int col = s.first + j;
        if (s.weight[j] > 0 && col >= 0 && col < kDigitSide) row[col] += v * s.weight[j];
      }
    }
  }
  out->fill(0.0f);
  for (int y = 0; y < work.h; ++y) {
    const Spread& s = ys[y];
    for (int j = 0; j < 3; ++j) {
      int r = s.first + j;
      if (s.weight[j] <= 0 || r < 0 || r >= kDigitSide) continue;
      for (int c = 0; c < kDigitSide; ++c) (*out)[r * kDigitSide + c] += rows[size_t(y) * kDigitSide + c] * s.weight[j];
    }
  }
  // MNIST strokes reach full white.
  float max_value = *std::max_element(out->begin(), out->end());
  if (max_value <= 0.0f) {
    *error = "no ink found after scaling";
    return false;
  }
  for (float& v : *out) v = std::min(1.0f, v / max_value);
  DigitGeometry(*out, 0.0f, &info.center_x, &info.center_y, &info.out_box_width, &info.out_box_height);
  return true;
}

bool DigitGeometry(const DigitPixels& pixels, float threshold, float* center_x, float* center_y,
                   int* box_width, int* box_height) {
  double m = 0, sx = 0, sy = 0;
  Box box;
  for (int y = 0; y < kDigitSide; ++y) {
    for (int x = 0; x < kDigitSide; ++x) {
      float v = pixels[y * kDigitSide + x];
      m += v;
      sx += v * x;
      sy += v * y;
      if (v > threshold) box.Add(x, y);
    }
  }
  if (m <= 0 || box.empty()) return false;
  *center_x = static_cast<float>(sx / m);
  *center_y = static_cast<float>(sy / m);
  *box_width = box.width();
  *box_height = box.height();
  return true;
}

std::string AsciiArt(const DigitPixels& pixels) {
  static const char kLevels[] = " .:-=+*#%@";
  std::string out;
  for (int y = 0; y < kDigitSide; ++y) {
    for (int x = 0; x < kDigitSide; ++x) {
      float v = pixels[y * kDigitSide + x];
      int level = v <= 0.02f ? 0 : std::min(9, 1 + static_cast<int>(v * 9.0f));
      out += kLevels[level];
      out += kLevels[level];
    }
    out += '\n';
  }
  return out;
}

}  // namespace tinyonnx::tools
