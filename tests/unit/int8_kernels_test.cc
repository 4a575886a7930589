// The int8 reference kernels against naive implementations written here
// (plain loops with explicit bounds checks, one output element at a time),
// on random tensors with fixed seeds: results must be identical, bit for
// bit. The fixed-point helpers are checked against wide-integer arithmetic.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "tinyonnx/kernels/fixed_point.h"
#include "tinyonnx/kernels/quantized.h"

namespace tinyonnx {
namespace {

using Bytes8 = std::vector<int8_t>;

Bytes8 RandomInt8(size_t count, std::mt19937& rng, int lo = -128, int hi = 127) {
  std::uniform_int_distribution<int> dist(lo, hi);
  Bytes8 v(count);
  for (int8_t& x : v) x = static_cast<int8_t>(dist(rng));
  return v;
}

std::vector<int32_t> RandomInt32(size_t count, std::mt19937& rng, int32_t lo, int32_t hi) {
  std::uniform_int_distribution<int32_t> dist(lo, hi);
  std::vector<int32_t> v(count);
  for (int32_t& x : v) x = dist(rng);
  return v;
}

// Per-channel multipliers around `real` (x0.5 .. x2).
void RandomMultipliers(int32_t channels, double real, std::mt19937& rng, std::vector<int32_t>* m,
                       std::vector<int32_t>* s) {
  std::uniform_real_distribution<double> factor(0.5, 2.0);
  m->resize(channels);
  s->resize(channels);
  for (int32_t c = 0; c < channels; ++c) {
    ASSERT_TRUE(QuantizeMultiplier(real * factor(rng), &(*m)[c], &(*s)[c]));
  }
}

// ---- Fixed point, against 128-bit arithmetic.

int32_t WideHighMul(int32_t a, int32_t b) {
  if (a == kInt32Min && b == kInt32Min) return kInt32Max;
  const __int128 p = static_cast<__int128>(a) * b;
  // round(p / 2^31), ties up: floor((p + 2^30) / 2^31).
  __int128 num = p + (static_cast<__int128>(1) << 30);
  __int128 q = num / (static_cast<__int128>(1) << 31);
  if (num < 0 && q * (static_cast<__int128>(1) << 31) != num) q -= 1;  // floor
  return static_cast<int32_t>(q);
}

int32_t WideDivideByPOT(int32_t x, int e) {
  // round(x / 2^e), ties away from zero.
  const int64_t d = int64_t{1} << e;
  const int64_t magnitude = (std::llabs(x) + d / 2) / d;
  return static_cast<int32_t>(x < 0 ? -magnitude : magnitude);
}

TEST(FixedPoint, HighMulMatchesWideArithmetic) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> any(kInt32Min, kInt32Max);
  for (int i = 0; i < 200000; ++i) {
    const int32_t a = any(rng), b = any(rng);
    ASSERT_EQ(SaturatingRoundingDoublingHighMul(a, b), WideHighMul(a, b)) << a << " * " << b;
  }
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(kInt32Min, kInt32Min), kInt32Max);
  // Ties: 2^30 * 1 / 2^31 = 0.5 rounds up, -0.5 rounds up (to 0).
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1 << 30, 1), 1);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-(1 << 30), 1), 0);
}

TEST(FixedPoint, DivideByPOTRoundsHalfAwayFromZero) {
  std::mt19937 rng(2);
  std::uniform_int_distribution<int32_t> any(kInt32Min + 1, kInt32Max);
  for (int i = 0; i < 200000; ++i) {
    const int32_t x = any(rng);
    const int e = i % 32;
    ASSERT_EQ(RoundingDivideByPOT(x, e), WideDivideByPOT(x, e)) << x << " >> " << e;
  }
  EXPECT_EQ(RoundingDivideByPOT(5, 1), 3);
  EXPECT_EQ(RoundingDivideByPOT(-5, 1), -3);
  EXPECT_EQ(RoundingDivideByPOT(-6, 2), -2);
}

TEST(FixedPoint, QuantizeMultiplierRepresentsTheReal) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> exponent(-30.0, 20.0);
  for (int i = 0; i < 10000; ++i) {
    const double real = std::pow(2.0, exponent(rng));
    int32_t m, s;
    ASSERT_TRUE(QuantizeMultiplier(real, &m, &s));
    ASSERT_GE(m, 1 << 30);
    const double back = m * std::pow(2.0, s - 31);
    ASSERT_NEAR(back / real, 1.0, 1e-9);
  }
  int32_t m, s;
  EXPECT_TRUE(QuantizeMultiplier(0.0, &m, &s));
  EXPECT_EQ(m, 0);
  EXPECT_FALSE(QuantizeMultiplier(-1.0, &m, &s));
  EXPECT_FALSE(QuantizeMultiplier(NAN, &m, &s));
  EXPECT_FALSE(QuantizeMultiplier(std::ldexp(1.0, 31), &m, &s));
}

// round_half_to_even(x * m / 2^(31 - s)) in 128-bit arithmetic.
int32_t WideRequantize(int32_t x, int32_t m, int32_t s) {
  const __int128 p = static_cast<__int128>(x) * m;
  const __int128 unit = static_cast<__int128>(1) << (31 - s);
  __int128 q = p / unit;
  if (p < 0 && q * unit != p) q -= 1;  // floor
  const __int128 r = p - q * unit;
  if (2 * r > unit || (2 * r == unit && (q & 1) != 0)) q += 1;
  return q > kInt32Max ? kInt32Max : q < kInt32Min ? kInt32Min : static_cast<int32_t>(q);
}

TEST(FixedPoint, MultiplyByQuantizedMultiplierRoundsOnceHalfToEven) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<int32_t> small(-70000, 70000), any(kInt32Min, kInt32Max);
  std::uniform_real_distribution<double> exponent(-30.0, 12.0);
  for (int i = 0; i < 200000; ++i) {
    int32_t m, s;
    ASSERT_TRUE(QuantizeMultiplier(std::pow(2.0, exponent(rng)), &m, &s));
    const int32_t x = i % 2 ? small(rng) : any(rng);
    ASSERT_EQ(MultiplyByQuantizedMultiplier(x, m, s), WideRequantize(x, m, s)) << x << " " << m << " " << s;
  }
  // Ties go to even: 0.5 * 5 = 2.5 -> 2, 0.5 * 7 = 3.5 -> 4, -2.5 -> -2.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(5, 1 << 30, 0), 2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(7, 1 << 30, 0), 4);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-5, 1 << 30, 0), -2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(kInt32Max, kInt32Max, 30), kInt32Max);  // saturates
}

// Why the requantization rounds once: TFLite's two roundings lose up to a
// quarter step on small products with a multiplier near 1 (Mul, Concat,
// AveragePool), the single rounding does not.
TEST(FixedPoint, SingleRoundingIsExactWhereTwoRoundingsAreNot) {
  int32_t m, s;
  ASSERT_TRUE(QuantizeMultiplier(0.297, &m, &s));  // shift -1
  int two_step_misses = 0;
  for (int32_t x = -3000; x <= 3000; ++x) {
    const double exact = std::nearbyint(x * (m * std::pow(2.0, s - 31)));
    ASSERT_EQ(MultiplyByQuantizedMultiplier(x, m, s), exact) << x;
    two_step_misses += RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, m), -s) != exact;
  }
  EXPECT_GT(two_step_misses, 100);
}

// ---- Accumulating kernels.

struct ConvCase {
  int n, c, h, w, oc, kh, kw, group, sh, sw, dh, dw, pt, pl, pb, pr;
  bool filter_offset, bias;
};

WindowGeometry Geometry2D(const ConvCase& k) {
  WindowGeometry g;
  g.input[1] = k.h;
  g.input[2] = k.w;
  g.kernel[1] = k.kh;
  g.kernel[2] = k.kw;
  g.stride[1] = k.sh;
  g.stride[2] = k.sw;
  g.dilation[1] = k.dh;
  g.dilation[2] = k.dw;
  g.pad_begin[1] = k.pt;
  g.pad_begin[2] = k.pl;
  g.pad_end[1] = k.pb;
  g.pad_end[2] = k.pr;
  g.output[1] = (k.h + k.pt + k.pb - ((k.kh - 1) * k.dh + 1)) / k.sh + 1;
  g.output[2] = (k.w + k.pl + k.pr - ((k.kw - 1) * k.dw + 1)) / k.sw + 1;
  return g;
}

struct ChannelData {
  std::vector<int32_t> multiplier, shift, bias, filter_offset;
  ChannelQuantization quant;
};

void MakeChannelData(int32_t channels, int32_t taps, bool filter_offset, bool bias, std::mt19937& rng,
                     ChannelData* d) {
  RandomMultipliers(channels, 40.0 / (128.0 * 64.0 * std::sqrt(static_cast<double>(taps))), rng,
                    &d->multiplier, &d->shift);
  d->bias = RandomInt32(channels, rng, -5000, 5000);
  d->filter_offset = RandomInt32(channels, rng, -20, 20);
  ChannelQuantization& q = d->quant;
  q.input_offset = std::uniform_int_distribution<int32_t>(-127, 128)(rng);
  q.output_offset = std::uniform_int_distribution<int32_t>(-20, 20)(rng);
  q.act_min = -120;
  q.act_max = 110;
  q.multiplier = d->multiplier.data();
  q.shift = d->shift.data();
  q.bias = bias ? d->bias.data() : nullptr;
  q.filter_offset = filter_offset ? d->filter_offset.data() : nullptr;
}

int32_t NaiveRequantize(int32_t acc, const ChannelQuantization& q, int32_t c) {
  if (q.bias != nullptr) acc += q.bias[c];
  int32_t v = q.output_offset + MultiplyByQuantizedMultiplier(acc, q.multiplier[c], q.shift[c]);
  return v < q.act_min ? q.act_min : v > q.act_max ? q.act_max : v;
}

// Conv (and depthwise, with depthwise-layout weights) one output at a time.
std::vector<int32_t> NaiveConv(const ConvCase& k, const Bytes8& x, const Bytes8& w,
                               const ChannelQuantization& q, bool depthwise_layout, bool raw) {
  const WindowGeometry g = Geometry2D(k);
  const int oh = g.output[1], ow = g.output[2];
  const int icg = k.c / k.group, ocg = k.oc / k.group;
  std::vector<int32_t> y(static_cast<size_t>(k.n) * oh * ow * k.oc);
  for (int n = 0; n < k.n; ++n) {
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        for (int o = 0; o < k.oc; ++o) {
          const int group = o / ocg;
          const int32_t foff = q.filter_offset ? q.filter_offset[o] : 0;
          int32_t acc = 0;
          for (int ky = 0; ky < k.kh; ++ky) {
            for (int kx = 0; kx < k.kw; ++kx) {
              const int iy = oy * k.sh - k.pt + ky * k.dh;
              const int ix = ox * k.sw - k.pl + kx * k.dw;
              if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
              for (int i = 0; i < icg; ++i) {
                const int32_t xv = x[((n * k.h + iy) * k.w + ix) * k.c + group * icg + i];
                const int32_t wv = depthwise_layout ? w[(ky * k.kw + kx) * k.oc + o]
                                                    : w[((o * k.kh + ky) * k.kw + kx) * icg + i];
                acc += (xv + q.input_offset) * (wv + foff);
              }
            }
          }
          y[((n * oh + oy) * ow + ox) * k.oc + o] =
              raw ? (q.bias ? acc + q.bias[o] : acc) : NaiveRequantize(acc, q, o);
        }
      }
    }
  }
  return y;
}

class ConvS8Test : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvS8Test, MatchesNaive) {
  const ConvCase k = GetParam();
  std::mt19937 rng(static_cast<uint32_t>(k.c * 131 + k.oc * 7 + k.kh + k.group));
  const bool depthwise = k.group == k.c && k.group > 1;
  const Bytes8 x = RandomInt8(static_cast<size_t>(k.n) * k.h * k.w * k.c, rng);
  const Bytes8 w = RandomInt8(static_cast<size_t>(k.oc) * k.kh * k.kw * (k.c / k.group), rng, -127, 127);
  ChannelData d;
  MakeChannelData(k.oc, k.kh * k.kw * (k.c / k.group), k.filter_offset, k.bias, rng, &d);
  ConvS8Params p;
  p.batch = k.n;
  p.in_channels = k.c;
  p.out_channels = k.oc;
  p.group = k.group;
  p.window = Geometry2D(k);
  p.quant = d.quant;
  p.weights = w.data();
  const size_t out_count = static_cast<size_t>(k.n) * p.window.OutputSize() * k.oc;
  for (bool raw : {false, true}) {
    const std::vector<int32_t> expected = NaiveConv(k, x, w, d.quant, depthwise, raw);
    const void* in[1] = {x.data()};
    if (raw) {
      std::vector<int32_t> y(out_count);
      void* out[1] = {y.data()};
      (depthwise ? DepthwiseConvS8ToS32 : ConvS8ToS32)(&p, in, out);
      ASSERT_EQ(y, expected);
    } else {
      Bytes8 y(out_count);
      void* out[1] = {y.data()};
      (depthwise ? DepthwiseConvS8 : ConvS8)(&p, in, out);
      for (size_t i = 0; i < out_count; ++i) ASSERT_EQ(y[i], expected[i]) << "element " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvS8Test,
    ::testing::Values(
        // n c  h  w  oc kh kw g sh sw dh dw pt pl pb pr foff  bias
        ConvCase{1, 3, 8, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, false, true},
        ConvCase{2, 4, 9, 9, 6, 3, 2, 2, 2, 1, 1, 2, 0, 1, 2, 0, true, true},
        ConvCase{1, 1, 6, 6, 4, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, false, false},
        ConvCase{1, 6, 7, 5, 6, 3, 3, 6, 1, 2, 1, 1, 1, 1, 1, 1, false, true},     // depthwise
        ConvCase{2, 4, 8, 8, 12, 3, 3, 4, 2, 2, 2, 1, 2, 1, 0, 2, true, true},     // multiplier 3
        ConvCase{1, 8, 5, 5, 4, 5, 5, 1, 1, 1, 1, 1, 2, 2, 2, 2, true, false}));

TEST(FullyConnectedS8, MatchesNaiveAndBatches) {
  std::mt19937 rng(11);
  for (bool offsets : {false, true}) {
    const int rows = 5, depth = 37, outs = 9;
    const Bytes8 x = RandomInt8(static_cast<size_t>(rows) * depth, rng);
    const Bytes8 w = RandomInt8(static_cast<size_t>(outs) * depth * 3, rng, -127, 127);  // 3 matrices
    ChannelData d;
    MakeChannelData(outs, depth, offsets, true, rng, &d);
    FullyConnectedS8Params p;
    p.rows = rows;
    p.input_depth = depth;
    p.output_depth = outs;
    p.quant = d.quant;
    p.weights = w.data();
    auto naive = [&](const int8_t* xs, const int8_t* ws, bool raw) {
      std::vector<int32_t> y(static_cast<size_t>(rows) * outs);
      for (int r = 0; r < rows; ++r) {
        for (int n = 0; n < outs; ++n) {
          int32_t acc = 0;
          for (int k = 0; k < depth; ++k) {
            acc += (xs[r * depth + k] + d.quant.input_offset) *
                   (ws[n * depth + k] + (offsets ? d.filter_offset[n] : 0));
          }
          y[r * outs + n] = raw ? acc + d.bias[n] : NaiveRequantize(acc, d.quant, n);
        }
      }
      return y;
    };
    Bytes8 y(static_cast<size_t>(rows) * outs);
    const void* in[1] = {x.data()};
    void* out[1] = {y.data()};
    FullyConnectedS8(&p, in, out);
    const std::vector<int32_t> expected = naive(x.data(), w.data(), false);
    for (size_t i = 0; i < y.size(); ++i) ASSERT_EQ(y[i], expected[i]);
    std::vector<int32_t> acc(y.size());
    out[0] = acc.data();
    FullyConnectedS8ToS32(&p, in, out);
    ASSERT_EQ(acc, naive(x.data(), w.data(), true));

    // Batches [2, 3]: X broadcast along the second axis (one X matrix per
    // first index), W along the first (3 matrices).
    BatchedFullyConnectedS8Params b;
    b.fc = p;
    b.batch_rank = 2;
    b.batch_dims[0] = 2;
    b.batch_dims[1] = 3;
    b.x_strides[0] = 1;
    b.x_strides[1] = 0;
    b.w_strides[0] = 0;
    b.w_strides[1] = 1;
    b.batch_count = 6;
    const Bytes8 xb = RandomInt8(static_cast<size_t>(2) * rows * depth, rng);
    Bytes8 yb(6 * y.size());
    const void* bin[1] = {xb.data()};
    void* bout[1] = {yb.data()};
    BatchedFullyConnectedS8(&b, bin, bout);
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 3; ++j) {
        const std::vector<int32_t> e =
            naive(xb.data() + i * rows * depth, w.data() + j * outs * depth, false);
        for (size_t k = 0; k < e.size(); ++k) ASSERT_EQ(yb[(i * 3 + j) * y.size() + k], e[k]);
      }
    }
  }
}

// ---- Pools.

struct PoolCase {
  int n, c, h, w, kh, kw, sh, sw, pt, pl, pb, pr;
  bool ceil, count_include_pad;
};

PoolS8Params PoolParams(const PoolCase& k) {
  PoolS8Params p;
  p.batch = k.n;
  p.channels = k.c;
  WindowGeometry& g = p.window;
  g.input[1] = k.h;
  g.input[2] = k.w;
  g.kernel[1] = k.kh;
  g.kernel[2] = k.kw;
  g.stride[1] = k.sh;
  g.stride[2] = k.sw;
  g.pad_begin[1] = k.pt;
  g.pad_begin[2] = k.pl;
  g.pad_end[1] = k.pb;
  g.pad_end[2] = k.pr;
  auto out = [&](int in, int kk, int s, int pad) {
    const int room = in + pad - kk;
    int o = (k.ceil ? (room + s - 1) / s : room / s) + 1;
    return o;
  };
  g.output[1] = out(k.h, k.kh, k.sh, k.pt + k.pb);
  g.output[2] = out(k.w, k.kw, k.sw, k.pl + k.pr);
  if (k.ceil && (g.output[1] - 1) * k.sh >= k.h + k.pt) g.output[1]--;
  if (k.ceil && (g.output[2] - 1) * k.sw >= k.w + k.pl) g.output[2]--;
  p.count_include_pad = k.count_include_pad;
  return p;
}

class PoolS8Test : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolS8Test, MatchNaive) {
  const PoolCase k = GetParam();
  std::mt19937 rng(static_cast<uint32_t>(k.h * 17 + k.kh + k.pt));
  PoolS8Params p = PoolParams(k);
  const WindowGeometry& g = p.window;
  const Bytes8 x = RandomInt8(static_cast<size_t>(k.n) * k.h * k.w * k.c, rng);
  // Average: one multiplier per divisor 1 .. kh * kw.
  std::vector<int32_t> m, s;
  const double in_scale = 0.02, out_scale = 0.015;
  for (int count = 1; count <= k.kh * k.kw; ++count) {
    int32_t mm, ss;
    ASSERT_TRUE(QuantizeMultiplier(in_scale / (out_scale * count), &mm, &ss));
    m.push_back(mm);
    s.push_back(ss);
  }
  p.first_count = 1;
  p.last_count = k.kh * k.kw;
  p.multiplier = m.data();
  p.shift = s.data();
  p.input_offset = 7;
  p.output_offset = -3;
  p.act_min = -100;
  p.act_max = 120;
  const size_t out_count = static_cast<size_t>(k.n) * g.OutputSize() * k.c;
  Bytes8 max_out(out_count), avg_out(out_count);
  const void* in[1] = {x.data()};
  void* out[1] = {max_out.data()};
  MaxPoolS8(&p, in, out);
  out[0] = avg_out.data();
  AveragePoolS8(&p, in, out);
  for (int n = 0; n < k.n; ++n) {
    for (int oy = 0; oy < g.output[1]; ++oy) {
      for (int ox = 0; ox < g.output[2]; ++ox) {
        for (int c = 0; c < k.c; ++c) {
          int32_t best = -128, sum = 0, inside = 0, padded = 0;
          for (int ky = 0; ky < k.kh; ++ky) {
            for (int kx = 0; kx < k.kw; ++kx) {
              const int iy = oy * k.sh - k.pt + ky, ix = ox * k.sw - k.pl + kx;
              const bool in_pad = iy >= -k.pt && iy < k.h + k.pb && ix >= -k.pl && ix < k.w + k.pr;
              padded += in_pad;
              if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
              const int32_t v = x[((n * k.h + iy) * k.w + ix) * k.c + c];
              best = v > best ? v : best;
              sum += v + p.input_offset;
              ++inside;
            }
          }
          const size_t i = ((static_cast<size_t>(n) * g.output[1] + oy) * g.output[2] + ox) * k.c + c;
          const int32_t expected_max = best < p.act_min ? p.act_min : best > p.act_max ? p.act_max : best;
          ASSERT_EQ(max_out[i], expected_max) << "max element " << i;
          const int count = k.count_include_pad ? padded : inside;
          int32_t v = p.output_offset + MultiplyByQuantizedMultiplier(sum, m[count - 1], s[count - 1]);
          v = v < p.act_min ? p.act_min : v > p.act_max ? p.act_max : v;
          ASSERT_EQ(avg_out[i], v) << "average element " << i;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PoolS8Test,
    ::testing::Values(
        // n c h  w  kh kw sh sw pt pl pb pr ceil  include_pad
        PoolCase{1, 3, 8, 8, 2, 2, 2, 2, 0, 0, 0, 0, false, false},
        PoolCase{2, 5, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1, false, false},
        PoolCase{1, 4, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, false, true},
        PoolCase{1, 2, 6, 5, 3, 2, 2, 2, 0, 1, 1, 0, true, true},
        PoolCase{1, 2, 5, 5, 2, 2, 2, 2, 0, 0, 0, 0, true, true},    // ceil past the input
        PoolCase{1, 2, 5, 7, 2, 3, 2, 2, 0, 0, 0, 0, true, false},
        PoolCase{1, 3, 5, 5, 5, 5, 1, 1, 0, 0, 0, 0, false, false}));  // global

// ---- Elementwise.

TEST(BinaryS8, AddAndMulMatchNaive) {
  std::mt19937 rng(21);
  const int count = 300;
  const Bytes8 a = RandomInt8(count, rng), b = RandomInt8(count, rng);
  for (int scalar = 0; scalar < 3; ++scalar) {  // none, a, b
    BinaryS8Params p;
    p.count = count;
    p.a_scalar = scalar == 1;
    p.b_scalar = scalar == 2;
    p.a_offset = 5;
    p.b_offset = -17;
    p.output_offset = 3;
    p.left_shift = 20;
    ASSERT_TRUE(QuantizeMultiplier(0.5, &p.a_multiplier, &p.a_shift));
    ASSERT_TRUE(QuantizeMultiplier(0.31, &p.b_multiplier, &p.b_shift));
    ASSERT_TRUE(QuantizeMultiplier(0.04 / ((1 << 20) * 0.03), &p.output_multiplier, &p.output_shift));
    p.act_min = -110;
    p.act_max = 125;
    Bytes8 sum(count), product(count);
    const void* in[4] = {a.data(), nullptr, nullptr, b.data()};
    p.b_input = 3;
    void* out[1] = {sum.data()};
    AddS8(&p, in, out);
    BinaryS8Params mul = p;
    ASSERT_TRUE(QuantizeMultiplier(0.02 * 0.01 / 0.03, &mul.output_multiplier, &mul.output_shift));
    out[0] = product.data();
    MulS8(&mul, in, out);
    for (int i = 0; i < count; ++i) {
      const int32_t va = a[p.a_scalar ? 0 : i], vb = b[p.b_scalar ? 0 : i];
      const int32_t sa = MultiplyByQuantizedMultiplier((va + 5) * (1 << 20), p.a_multiplier, p.a_shift);
      const int32_t sb = MultiplyByQuantizedMultiplier((vb - 17) * (1 << 20), p.b_multiplier, p.b_shift);
      int32_t e = 3 + MultiplyByQuantizedMultiplier(sa + sb, p.output_multiplier, p.output_shift);
      ASSERT_EQ(sum[i], e < -110 ? -110 : e > 125 ? 125 : e) << i;
      e = 3 + MultiplyByQuantizedMultiplier((va + 5) * (vb - 17), mul.output_multiplier, mul.output_shift);
      ASSERT_EQ(product[i], e < -110 ? -110 : e > 125 ? 125 : e) << i;
    }
  }
}

TEST(ConcatS8, CopiesAndRequantizesParts) {
  std::mt19937 rng(31);
  const int outer = 4;
  const int blocks[3] = {3, 5, 2};
  ConcatS8Part parts[3];
  std::vector<Bytes8> data;
  for (int k = 0; k < 3; ++k) {
    parts[k].block_size = blocks[k];
    parts[k].requantize = k != 1;
    parts[k].input_offset = -k;
    parts[k].output_offset = 4;
    ASSERT_TRUE(QuantizeMultiplier(0.6 + k, &parts[k].multiplier, &parts[k].shift));
    data.push_back(RandomInt8(static_cast<size_t>(outer) * blocks[k], rng));
  }
  ConcatS8Kernel c;
  c.concat.outer = outer;
  c.concat.part_count = 3;
  c.concat.parts = parts;
  c.input_base = 1;
  c.input_step = 3;
  const void* in[10] = {nullptr, data[0].data(), nullptr, nullptr, data[1].data(),
                        nullptr, nullptr,        data[2].data()};
  Bytes8 y(static_cast<size_t>(outer) * 10);
  void* out[1] = {y.data()};
  ConcatS8(&c, in, out);
  size_t i = 0;
  for (int o = 0; o < outer; ++o) {
    for (int k = 0; k < 3; ++k) {
      for (int e = 0; e < blocks[k]; ++e, ++i) {
        const int32_t x = data[k][o * blocks[k] + e];
        int32_t expected = x;
        if (parts[k].requantize) {
          expected = 4 + MultiplyByQuantizedMultiplier(x - k, parts[k].multiplier, parts[k].shift);
          expected = expected < -128 ? -128 : expected > 127 ? 127 : expected;
        }
        ASSERT_EQ(y[i], expected);
      }
    }
  }
}

TEST(LookupS8, IndexesTheTable) {
  LookupS8Params p;
  for (int i = 0; i < 256; ++i) p.table[i] = static_cast<int8_t>(255 - i);
  std::mt19937 rng(41);
  const Bytes8 x = RandomInt8(1000, rng);
  p.count = 1000;
  Bytes8 y(1000);
  const void* in[1] = {x.data()};
  void* out[1] = {y.data()};
  LookupS8(&p, in, out);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(y[i], static_cast<int8_t>(255 - (x[i] + 128)));
}

TEST(SoftmaxS8, FloatAndInt8OutputsMatchNaive) {
  std::mt19937 rng(51);
  SoftmaxS8Params p;
  p.outer = 3;
  p.axis = 7;
  p.inner = 4;
  const float scale = 0.05f;
  for (int d = 0; d < 256; ++d) p.exp_table[d] = std::exp(-scale * d);
  const Bytes8 x = RandomInt8(3 * 7 * 4, rng);
  std::vector<float> yf(x.size());
  const void* in[1] = {x.data()};
  void* out[1] = {yf.data()};
  p.float_output = true;
  SoftmaxS8(&p, in, out);
  SoftmaxS8Params q = p;
  q.float_output = false;
  for (int d = 0; d < 256; ++d) {
    q.exp_fixed[d] = static_cast<int32_t>(
        std::nearbyint(std::exp(-static_cast<double>(scale) * d) * (1 << kSoftmaxExpBits)));
  }
  q.inverse_output_scale = 65536 * 256;  // output scale 1/256
  q.output_offset = -128;
  Bytes8 yq(x.size());
  out[0] = yq.data();
  SoftmaxS8(&q, in, out);
  for (int o = 0; o < 3; ++o) {
    for (int i = 0; i < 4; ++i) {
      double sum = 0.0;
      for (int a = 0; a < 7; ++a) sum += std::exp(scale * x[(o * 7 + a) * 4 + i]);
      for (int a = 0; a < 7; ++a) {
        const size_t k = (o * 7 + a) * 4 + i;
        const double expected = std::exp(scale * x[k]) / sum;
        ASSERT_NEAR(yf[k], expected, 1e-6);
        // int8 with scale 1/256, zero point -128: within one step of exact,
        // and bit-exact with the integer formula written out here.
        const double q_exact = expected * 256.0 - 128.0;
        ASSERT_LE(std::fabs(yq[k] - std::min(q_exact, 127.0)), 1.0) << k;
        int32_t max = -128;
        int64_t fixed_sum = 0;
        for (int b = 0; b < 7; ++b) max = std::max<int32_t>(max, x[(o * 7 + b) * 4 + i]);
        for (int b = 0; b < 7; ++b) fixed_sum += q.exp_fixed[max - x[(o * 7 + b) * 4 + i]];
        const int64_t reciprocal = (q.inverse_output_scale << 30) / fixed_sum;
        const int64_t scaled = q.exp_fixed[max - x[k]] * reciprocal;
        const int64_t naive = -128 + (scaled + (int64_t{1} << 45)) / (int64_t{1} << 46);
        ASSERT_EQ(yq[k], std::min<int64_t>(127, std::max<int64_t>(-128, naive))) << k;
      }
    }
  }
}

// ---- QuantizeLinear / DequantizeLinear.

TEST(QuantizeS8, RoundsHalfToEvenSaturatesAndWritesChannelsLast) {
  // [2, 3, 4] per channel (axis 1), written channels-last.
  const float scale[3] = {0.5f, 1.0f, 2.0f};
  const int8_t zero[3] = {0, -3, 100};
  std::vector<float> x(24);
  for (int i = 0; i < 24; ++i) x[i] = (i - 12) * 0.75f + ((i % 5 == 0) ? 1000.0f : 0.0f);
  x[3] = NAN;
  x[5] = 1.25f;  // 1.25 / 1.0 = 1.25; x[6]: 2.5 ties
  x[6] = 2.5f;
  QuantizeParams p;
  p.outer = 2;
  p.axis_size = 3;
  p.inner = 4;
  p.per_axis = true;
  p.zero_point_type = DType::kInt8;
  p.channels_last = true;
  std::vector<int8_t> y(24);
  const void* in[3] = {x.data(), scale, zero};
  void* out[1] = {y.data()};
  QuantizeLinearToS8(&p, in, out);
  // Back to float, reading channels-last.
  std::vector<float> back(24);
  const void* din[3] = {y.data(), scale, zero};
  void* dout[1] = {back.data()};
  DequantizeLinearS8(&p, din, dout);
  for (int n = 0; n < 2; ++n) {
    for (int c = 0; c < 3; ++c) {
      for (int s = 0; s < 4; ++s) {
        const float v = x[(n * 3 + c) * 4 + s];
        double q = std::isnan(v) ? zero[c] : std::nearbyint(v / scale[c]) + zero[c];
        q = q < -128 ? -128 : q > 127 ? 127 : q;
        const int8_t stored = y[(n * 4 + s) * 3 + c];
        ASSERT_EQ(stored, static_cast<int8_t>(q)) << n << c << s;
        ASSERT_EQ(back[(n * 3 + c) * 4 + s], (stored - zero[c]) * scale[c]);
      }
    }
  }
  EXPECT_EQ(y[(0 * 4 + 2) * 3 + 1], 2 - 3);  // 2.5 -> 2 (half to even)
}

TEST(QuantizeS8, Uint8StoredAsInt8IsShiftedBy128) {
  const float scale = 0.1f;
  const uint8_t zero = 130;
  const float x[4] = {-20.0f, 0.0f, 0.35f, 20.0f};
  QuantizeParams p;
  p.outer = 1;
  p.inner = 4;
  p.zero_point_type = DType::kUint8;
  std::vector<uint8_t> u(4);
  std::vector<int8_t> s(4);
  const void* in[3] = {x, &scale, &zero};
  void* out[1] = {u.data()};
  p.qmin = 0;
  p.qmax = 255;
  QuantizeLinearToU8(&p, in, out);
  QuantizeParams shifted = p;
  shifted.zero_point_adjust = 128;
  shifted.qmin = -128;
  shifted.qmax = 127;
  out[0] = s.data();
  QuantizeLinearToS8(&shifted, in, out);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(static_cast<uint8_t>(s[i] ^ 0x80), u[i]);
  EXPECT_EQ(u[0], 0);
  EXPECT_EQ(u[2], 134);  // 3.5 -> 4 (half to even)
  EXPECT_EQ(u[3], 255);
}

TEST(QuantizedAdapter, ConvertsLayoutAndTypeAroundTheCore) {
  // A uint8 NCHW input [1, 2, 2, 3] through a lookup core that works on
  // channels-last int8, written back as uint8 NCHW.
  std::vector<uint8_t> x(12);
  for (int i = 0; i < 12; ++i) x[i] = static_cast<uint8_t>(i * 20);
  LookupS8Params core;
  core.count = 12;
  for (int i = 0; i < 256; ++i) core.table[i] = static_cast<int8_t>(i - 128 == 127 ? 127 : i - 128 + 1);
  TensorConversion c[2];
  const int32_t nchw[4] = {1, 2, 2, 3};
  // Input: NCHW uint8 -> NHWC int8: dims [1, 2, 3, 2] reading strides (12, 3, 1, 6).
  const int32_t nhwc_dims[4] = {1, 2, 3, 2};
  const int64_t from_nchw[4] = {12, 3, 1, 6};
  PlanStridedCopy(4, nhwc_dims, from_nchw, 0, 1, &c[0].plan);
  c[0].flip = true;
  c[0].bytes = 12;
  c[0].scratch_offset = 0;
  // Output: NHWC int8 -> NCHW uint8: dims [1, 2, 2, 3] reading strides (12, 1, 6, 2).
  const int64_t from_nhwc[4] = {12, 1, 6, 2};
  PlanStridedCopy(4, nchw, from_nhwc, 0, 1, &c[1].plan);
  c[1].output = true;
  c[1].flip = true;
  c[1].bytes = 12;
  c[1].scratch_offset = 16;
  alignas(16) uint8_t scratch[64];
  QuantizedAdapterParams a;
  a.core = LookupS8;
  a.core_params = &core;
  a.scratch_memory = scratch;
  a.scratch = &a.scratch_memory;
  a.pointer_offset = 32;
  a.input_count = 1;
  a.output_count = 1;
  a.conversion_count = 2;
  a.conversions = c;
  std::vector<uint8_t> y(12);
  const void* in[1] = {x.data()};
  void* out[1] = {y.data()};
  QuantizedAdapter(&a, in, out);
  for (int i = 0; i < 12; ++i) ASSERT_EQ(y[i], x[i] == 255 ? 255 : x[i] + 1) << i;
}

TEST(WeightPacking, OihwToOhwiAndDepthwise) {
  // [O=2, I=3, taps=4] OIHW -> OHWI, and uint8 flipped.
  std::vector<uint8_t> w(24);
  for (int i = 0; i < 24; ++i) w[i] = static_cast<uint8_t>(i * 10);
  WeightPacking p;
  p.outer = 2, p.inner = 3, p.taps = 4;
  p.src_o = 12, p.src_i = 4, p.src_k = 1;
  p.dst_o = 12, p.dst_i = 1, p.dst_k = 3;
  p.flip = true;
  Bytes8 packed(24);
  PackWeightsS8(p, w.data(), packed.data());
  for (int o = 0; o < 2; ++o) {
    for (int i = 0; i < 3; ++i) {
      for (int k = 0; k < 4; ++k) {
        ASSERT_EQ(static_cast<uint8_t>(packed[(o * 4 + k) * 3 + i]) ^ 0x80, w[(o * 3 + i) * 4 + k]);
      }
    }
  }
  EXPECT_FALSE(IsIdentityPacking(p));
  p.flip = false;
  p.inner = 1;
  p.src_o = 4, p.src_k = 1;
  p.dst_o = 4, p.dst_k = 1;
  EXPECT_TRUE(IsIdentityPacking(p));
}

}  // namespace
}  // namespace tinyonnx
