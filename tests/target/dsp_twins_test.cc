// On-target test: every DSP kernel (src/tinyonnx/kernels/arm/) gives the
// bytes of its portable twin (kernels/reference/). Random shapes and
// quantizations, seeded: Conv (group 1), the one-input-channel Conv,
// depthwise Conv, each with and without a fused max-pool, and fully
// connected products. Each case goes through the prepare-time selection
// (SelectDspConvS8 / SelectDspFullyConnectedS8); a pooled case is compared
// with the portable Conv followed by the portable MaxPool, the contract of
// FusedMaxPool (window.h), and so is the portable pooled Conv. Pools larger
// than the DSP kernels walk (4x4) check their hand-over to the portable
// kernel. Each DSP kernel works in scratch of the size the selection asked
// for, poisoned before the call; the bytes after it must keep their poison.
// The requantization alone is checked against fixed_point.h on random and
// tie-making values.
//
//   dsp_twins_test_<board>.elf [CASES]
//
// Exit status 0 when every output byte matches and every DSP kernel ran on
// at least kMinCasesPerKernel cases, 1 otherwise.
#include <cstring>

#include "console.h"
#include "tinyonnx/kernels/arm/dsp_support.h"
#include "tinyonnx/kernels/reference/quantized_loops.h"

using tinyonnx::port::Print;

namespace tinyonnx {
namespace {

constexpr int32_t kMinCasesPerKernel = 20;

// xorshift32: the same cases on every run.
struct Random {
  uint32_t state = 0x2545F491u;
  uint32_t Next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  }
  int32_t Range(int32_t lo, int32_t hi) {  // [lo, hi]
    return lo + static_cast<int32_t>(Next() % static_cast<uint32_t>(hi - lo + 1));
  }
  bool OneIn(int32_t n) { return Next() % static_cast<uint32_t>(n) == 0; }
};

constexpr int32_t kMaxChannels = 48;
int8_t g_input[16384];
int8_t g_weights[24576];
int8_t g_expected[16384];
int8_t g_actual[16384];
int8_t g_unpooled[32768];
int32_t g_multiplier[kMaxChannels];
int32_t g_shift[kMaxChannels];
int32_t g_bias[kMaxChannels];

// A DSP kernel's scratch at the start, the rest (at least kGuardBytes) a
// guard.
constexpr uint8_t kPoison = 0xA5;
constexpr size_t kGuardBytes = 64;
alignas(16) uint8_t g_scratch[6144];

int g_failures = 0;

void Fill(Random& rng, int8_t* data, int32_t count) {
  for (int32_t i = 0; i < count; ++i) data[i] = static_cast<int8_t>(rng.Next());
}

// Per-channel multipliers in [2^30, 2^31) and shifts (negative: real
// multipliers below 0.5, the usual case; or >= 0); an int8 output
// offset and activation range; sometimes a bias at the int32 limits.
ChannelQuantization RandomQuantization(Random& rng, int32_t channels, int32_t accumulate) {
  ChannelQuantization q;
  q.input_offset = rng.Range(-128, 127);
  q.output_offset = rng.Range(-128, 127);
  q.act_min = rng.OneIn(3) ? rng.Range(-128, 0) : -128;
  q.act_max = rng.OneIn(3) ? rng.Range(q.act_min, 127) : 127;
  // Accumulators grow with the terms summed; aim the product near the int8 range.
  int32_t bits = 16;
  while (bits < 30 && (1 << (bits - 14)) < accumulate) ++bits;
  // Shifts all negative, all >= 0 (sometimes beyond the fast range), or mixed.
  const int32_t mode = rng.Range(0, 2);
  for (int32_t c = 0; c < channels; ++c) {
    g_multiplier[c] = static_cast<int32_t>((1u << 30) | (rng.Next() >> 2));
    const bool left = mode == 1 || (mode == 2 && rng.OneIn(4));
    g_shift[c] = left ? (rng.OneIn(30) ? rng.Range(19, 22) : rng.Range(0, 2))
                      : -rng.Range(bits - 12, bits - 4);
    g_bias[c] = rng.OneIn(40) ? (rng.OneIn(2) ? kInt32Max - rng.Range(0, 1000)
                                              : kInt32Min + rng.Range(0, 1000))
                              : rng.Range(-20000, 20000);
  }
  q.multiplier = g_multiplier;
  q.shift = g_shift;
  q.bias = rng.OneIn(5) ? nullptr : g_bias;
  return q;
}

bool SameBytes(const char* what, int32_t index, int32_t count) {
  for (int32_t i = 0; i < count; ++i) {
    if (g_expected[i] != g_actual[i]) {
      Print("FAIL %s case %ld: byte %ld of %ld is %d, the portable kernel's %d\n", what,
            static_cast<long>(index), static_cast<long>(i), static_cast<long>(count), g_actual[i],
            g_expected[i]);
      ++g_failures;
      return false;
    }
  }
  return true;
}

// Poisons g_scratch and returns the kernel's part of it, or nullptr (a
// failure) when the kernel asks for more than the test holds.
void* PoisonedScratch(const char* what, int32_t index, const DspKernel& kernel) {
  if (kernel.scratch_bytes + kGuardBytes > sizeof(g_scratch)) {
    Print("FAIL %s case %ld: %lu bytes of scratch, the test has %lu and a guard\n", what,
          static_cast<long>(index), static_cast<unsigned long>(kernel.scratch_bytes),
          static_cast<unsigned long>(sizeof(g_scratch) - kGuardBytes));
    ++g_failures;
    return nullptr;
  }
  std::memset(g_scratch, kPoison, sizeof(g_scratch));
  return g_scratch;
}

// The bytes after the kernel's scratch still hold the poison.
bool ScratchKept(const char* what, int32_t index, const DspKernel& kernel) {
  for (size_t i = kernel.scratch_bytes; i < sizeof(g_scratch); ++i) {
    if (g_scratch[i] != kPoison) {
      Print("FAIL %s case %ld: wrote byte %lu after its %lu bytes of scratch\n", what,
            static_cast<long>(index), static_cast<unsigned long>(i),
            static_cast<unsigned long>(kernel.scratch_bytes));
      ++g_failures;
      return false;
    }
  }
  return true;
}

// ---- Requantization ----

void CheckRequantization(Random& rng) {
  int32_t checked = 0;
  for (int32_t i = 0; i < 20000; ++i) {
    ChannelQuantization q;
    int32_t multiplier = static_cast<int32_t>((1u << 30) | (rng.Next() >> 2));
    int32_t shift = rng.Range(-31, 30);
    int32_t x = static_cast<int32_t>(rng.Next());
    if (i % 4 == 1) x >>= rng.Range(0, 31);
    if (i % 4 == 2) {  // ties: x * 2^30 / 2^(31 - shift) lands on a half
      multiplier = 1 << 30;
      shift = rng.Range(-20, -1);
      x = static_cast<int32_t>(((rng.Next() >> 12) | 1u) << (-shift));
      if (rng.OneIn(2)) x = -x;
    }
    if (i % 97 == 3) x = rng.OneIn(2) ? kInt32Max : kInt32Min;
    if (i % 101 == 5) {  // QuantizeMultiplier's zero, for real multipliers below 2^-32
      multiplier = 0;
      shift = 0;
    }
    if (i % 4 == 3) shift = rng.Range(0, 30);  // multipliers >= 0.5
    const int32_t bias = rng.OneIn(10) ? kInt32Max - rng.Range(0, 5) : rng.Range(-1000, 1000);
    q.output_offset = rng.Range(-128, 127);
    q.act_min = rng.OneIn(4) ? rng.Range(-128, 0) : -128;
    q.act_max = rng.OneIn(4) ? rng.Range(q.act_min, 127) : 127;
    q.multiplier = &multiplier;
    q.shift = &shift;
    q.bias = &bias;
    int8_t expected;
    StoreRequantized::Store(&expected, x, q, 0);
    const int8_t actual = dsp::ChannelRequantizer(q, 0)(x, q);
    if (actual != expected) {
      Print("FAIL requantize x %ld multiplier %ld shift %ld bias %ld: %d, portable %d\n",
            static_cast<long>(x), static_cast<long>(multiplier), static_cast<long>(shift),
            static_cast<long>(bias), actual, expected);
      ++g_failures;
      return;
    }
    ++checked;
  }
  Print("requantization: %ld values equal\n", static_cast<long>(checked));
}

// ---- Conv ----

enum class ConvKind { kRegular, kSingleChannel, kDepthwise };

struct ConvCase {
  ConvS8Params p;
  ConvKind kind;
};

// One spatial axis of a random window (a 2-D Conv uses axes 1 and 2).
void RandomAxis(Random& rng, WindowGeometry& g, int axis, int32_t kernel) {
  g.kernel[axis] = kernel;
  g.stride[axis] = rng.Range(1, 2);
  g.dilation[axis] = rng.OneIn(6) ? 2 : 1;
  const int32_t reach = (kernel - 1) * g.dilation[axis] + 1;
  g.pad_begin[axis] = rng.Range(0, reach / 2);
  g.pad_end[axis] = rng.Range(0, reach / 2);
  g.input[axis] = rng.Range(reach > 2 ? reach - 2 : 1, 14);
  const int32_t span = g.input[axis] + g.pad_begin[axis] + g.pad_end[axis] - reach;
  if (span < 0) g.input[axis] += -span;
  g.output[axis] =
      (g.input[axis] + g.pad_begin[axis] + g.pad_end[axis] - reach) / g.stride[axis] + 1;
}

ConvCase RandomConv(Random& rng, ConvKind kind) {
  ConvCase c;
  c.kind = kind;
  ConvS8Params& p = c.p;
  const int32_t kernels[] = {1, 3, 3, 3, 5};
  const int32_t kh = kernels[rng.Range(0, 4)];
  const int32_t kw = rng.OneIn(5) ? kernels[rng.Range(0, 4)] : kh;
  RandomAxis(rng, p.window, 1, kh);
  RandomAxis(rng, p.window, 2, kw);
  p.batch = rng.Range(1, 2);
  switch (kind) {
    case ConvKind::kRegular:
      p.in_channels = rng.Range(1, 40);
      p.out_channels = rng.OneIn(5) ? rng.Range(33, 40) : rng.Range(1, 20);  // 2 channel blocks
      break;
    case ConvKind::kSingleChannel:
      p.in_channels = 1;
      p.out_channels = rng.Range(1, kMaxChannels);
      break;
    case ConvKind::kDepthwise:
      p.in_channels = rng.Range(1, kMaxChannels);
      p.out_channels = p.in_channels;
      p.group = p.in_channels;
      break;
  }
  if (!rng.OneIn(3)) {  // a fused max-pool where the output allows one
    for (int axis = 1; axis < kWindowAxes; ++axis) {
      // 4: more pixels than the DSP kernels walk, run by the portable twin
      const int32_t k = rng.OneIn(10) ? 4 : rng.Range(2, 3);
      p.pool.kernel[axis] = k <= p.window.output[axis] ? k : 1;
      p.pool.output[axis] = p.window.output[axis] / p.pool.kernel[axis];
    }
  }
  const int32_t taps = p.window.KernelSize() * (kind == ConvKind::kRegular ? p.in_channels : 1);
  p.quant = RandomQuantization(rng, p.out_channels, taps);
  p.weights = g_weights;
  return c;
}

int32_t WeightCount(const ConvCase& c) {
  const ConvS8Params& p = c.p;
  return p.out_channels * p.window.KernelSize() *
         (c.kind == ConvKind::kRegular ? p.in_channels : 1);
}

bool Fits(const ConvCase& c) {
  const ConvS8Params& p = c.p;
  const int32_t unpooled = p.batch * p.window.OutputSize() * p.out_channels;
  return p.batch * p.window.InputSize() * p.in_channels <= static_cast<int32_t>(sizeof(g_input)) &&
         WeightCount(c) <= static_cast<int32_t>(sizeof(g_weights)) &&
         unpooled <= static_cast<int32_t>(sizeof(g_unpooled)) &&
         unpooled <= static_cast<int32_t>(sizeof(g_expected));
}

// The portable answer: Conv, then (pooled) MaxPool into g_expected.
int32_t RunPortableConv(const ConvCase& c) {
  ConvS8Params unpooled = c.p;
  unpooled.pool = FusedMaxPool();
  const void* in[1] = {g_input};
  const bool pooled = c.p.pool.Active();
  void* out[1] = {pooled ? g_unpooled : g_expected};
  if (c.kind == ConvKind::kRegular) {
    ConvS8(&unpooled, in, out);
  } else {
    DepthwiseConvS8(&unpooled, in, out);
  }
  const int32_t channels = c.p.out_channels;
  if (!pooled) return c.p.batch * c.p.window.OutputSize() * channels;
  PoolS8Params pool;
  pool.batch = c.p.batch;
  pool.channels = channels;
  for (int axis = 0; axis < kWindowAxes; ++axis) {
    pool.window.input[axis] = c.p.window.output[axis];
    pool.window.output[axis] = c.p.pool.output[axis];
    pool.window.kernel[axis] = c.p.pool.kernel[axis];
    pool.window.stride[axis] = c.p.pool.kernel[axis];
  }
  const void* pool_in[1] = {g_unpooled};
  void* pool_out[1] = {g_expected};
  MaxPoolS8(&pool, pool_in, pool_out);
  return c.p.batch * c.p.pool.OutputSize() * channels;
}

void Describe(const ConvCase& c) {
  const ConvS8Params& p = c.p;
  const WindowGeometry& g = p.window;
  Print(
      "  kind %d batch %ld C_in %ld C_out %ld input %ldx%ld kernel %ldx%ld stride %ldx%ld "
      "dilation %ldx%ld pad %ld,%ld,%ld,%ld pool %ldx%ld input_offset %ld bias %s\n",
      static_cast<int>(c.kind), static_cast<long>(p.batch), static_cast<long>(p.in_channels),
      static_cast<long>(p.out_channels), static_cast<long>(g.input[1]),
      static_cast<long>(g.input[2]), static_cast<long>(g.kernel[1]), static_cast<long>(g.kernel[2]),
      static_cast<long>(g.stride[1]), static_cast<long>(g.stride[2]),
      static_cast<long>(g.dilation[1]), static_cast<long>(g.dilation[2]),
      static_cast<long>(g.pad_begin[1]), static_cast<long>(g.pad_begin[2]),
      static_cast<long>(g.pad_end[1]), static_cast<long>(g.pad_end[2]),
      static_cast<long>(p.pool.kernel[1]), static_cast<long>(p.pool.kernel[2]),
      static_cast<long>(p.quant.input_offset), p.quant.bias != nullptr ? "yes" : "no");
}

// Cases run per DSP kernel, by the function the selection returned.
struct KernelCount {
  const char* name;
  KernelFn fn;
  int32_t cases;
};
KernelCount g_counts[] = {{"ConvS8Dsp", ConvS8Dsp, 0},
                          {"SingleChannelConvS8Dsp", SingleChannelConvS8Dsp, 0},
                          {"DepthwiseConvS8Dsp", DepthwiseConvS8Dsp, 0},
                          {"FullyConnectedS8Dsp", FullyConnectedS8Dsp, 0}};

void Count(KernelFn fn) {
  for (KernelCount& k : g_counts) {
    if (k.fn == fn) ++k.cases;
  }
}

void CheckConvCase(Random& rng, int32_t index, ConvCase c) {
  if (!Fits(c)) return;
  const DspKernel dsp = SelectDspConvS8(c.p, c.kind != ConvKind::kRegular);
  if (dsp.fn == nullptr) return;
  Count(dsp.fn);
  Fill(rng, g_input, c.p.batch * c.p.window.InputSize() * c.p.in_channels);
  Fill(rng, g_weights, WeightCount(c));
  const int32_t count = RunPortableConv(c);
  const void* in[1] = {g_input};
  void* out[1] = {g_actual};
  if (c.p.pool.Active()) {  // the portable pooled Conv keeps the same contract
    std::memset(g_actual, 0x5A, static_cast<size_t>(count));
    (c.kind == ConvKind::kRegular ? ConvS8 : DepthwiseConvS8)(&c.p, in, out);
    if (!SameBytes("portable pooled conv", index, count)) Describe(c);
  }
  std::memset(g_actual, 0x5A, static_cast<size_t>(count));
  c.p.scratch = PoisonedScratch("conv", index, dsp);
  if (c.p.scratch == nullptr) {
    Describe(c);
    return;
  }
  dsp.fn(&c.p, in, out);
  if (!SameBytes("conv", index, count) || !ScratchKept("conv", index, dsp)) Describe(c);
}

void CheckConv(Random& rng, int32_t index, ConvKind kind) {
  CheckConvCase(rng, index, RandomConv(rng, kind));
}

// An unpooled 3x3 depthwise Conv of the given shape, random data and
// quantization; sometimes an input offset at an end of its range (128:
// the padding, -input_offset, is no input byte).
ConvCase Depthwise3x3(Random& rng, int32_t height, int32_t width, int32_t stride, int32_t pad,
                      int32_t channels) {
  ConvCase c;
  c.kind = ConvKind::kDepthwise;
  ConvS8Params& p = c.p;
  const int32_t sizes[kWindowAxes] = {1, height, width};
  for (int axis = 1; axis < kWindowAxes; ++axis) {
    WindowGeometry& g = p.window;
    g.kernel[axis] = 3;
    g.stride[axis] = stride;
    g.pad_begin[axis] = pad;
    g.pad_end[axis] = pad;
    g.input[axis] = sizes[axis];
    g.output[axis] = (g.input[axis] + 2 * pad - 3) / stride + 1;
  }
  p.in_channels = p.out_channels = p.group = channels;
  p.quant = RandomQuantization(rng, channels, 9);
  if (rng.OneIn(4)) p.quant.input_offset = rng.OneIn(2) ? 128 : -128;
  p.weights = g_weights;
  return c;
}

// Unpooled 3x3 depthwise Convs over every small height and width (1 to 5
// with the padding: windows touching the padding on one side, both or
// none), strides 1 and 2, pads 0 and 1, channel counts around the
// 4-channel quads and the 32-channel block; and rows too wide for the row
// walk's scratch (the pixel walk).
void CheckDepthwise3x3Shapes(Random& rng) {
  const int32_t channel_counts[] = {1, 3, 4, 5, 8, 31, 32, 33};
  int32_t index = 0;
  for (int32_t height = 1; height <= 5; ++height) {
    for (int32_t stride = 1; stride <= 2; ++stride) {
      for (int32_t pad = 0; pad <= 1; ++pad) {
        const int32_t width = 6 - height;
        if (height + 2 * pad < 3 || width + 2 * pad < 3) continue;
        for (int32_t channels : channel_counts) {
          CheckConvCase(rng, index++, Depthwise3x3(rng, height, width, stride, pad, channels));
        }
      }
    }
  }
  for (int32_t stride = 1; stride <= 2; ++stride) {
    CheckConvCase(rng, index++, Depthwise3x3(rng, 3, 60, stride, 1, 32));
  }
}

// ---- Fully connected ----

void CheckFullyConnected(Random& rng, int32_t index) {
  FullyConnectedS8Params p;
  p.rows = rng.Range(1, 3);
  p.input_depth = rng.OneIn(4) ? rng.Range(500, 1400) : rng.Range(1, 300);
  p.output_depth = rng.Range(1, kMaxChannels);
  if (p.rows * p.input_depth > static_cast<int32_t>(sizeof(g_input)) ||
      p.output_depth * p.input_depth > static_cast<int32_t>(sizeof(g_weights))) {
    return;
  }
  p.quant = RandomQuantization(rng, p.output_depth, p.input_depth);
  p.weights = g_weights;
  const DspKernel dsp = SelectDspFullyConnectedS8(p);
  if (dsp.fn == nullptr) return;
  Count(dsp.fn);
  Fill(rng, g_input, p.rows * p.input_depth);
  Fill(rng, g_weights, p.output_depth * p.input_depth);
  const int32_t count = p.rows * p.output_depth;
  const void* in[1] = {g_input};
  void* expected[1] = {g_expected};
  void* actual[1] = {g_actual};
  FullyConnectedS8(&p, in, expected);
  std::memset(g_actual, 0x5A, static_cast<size_t>(count));
  p.scratch = PoisonedScratch("fully connected", index, dsp);
  if (p.scratch == nullptr) return;
  dsp.fn(&p, in, actual);
  if (SameBytes("fully connected", index, count)) ScratchKept("fully connected", index, dsp);
}

}  // namespace
}  // namespace tinyonnx

int main(int argc, char** argv) {
  using namespace tinyonnx;
  int32_t cases = 1000;
  if (argc > 1 && argv[1][0] >= '1' && argv[1][0] <= '9') {
    cases = 0;
    for (const char* s = argv[1]; *s >= '0' && *s <= '9'; ++s) cases = cases * 10 + (*s - '0');
  }
  Random rng;
  CheckRequantization(rng);
  CheckDepthwise3x3Shapes(rng);
  for (int32_t i = 0; i < cases && g_failures == 0; ++i) {
    CheckConv(rng, i, ConvKind::kRegular);
    CheckConv(rng, i, ConvKind::kSingleChannel);
    CheckConv(rng, i, ConvKind::kDepthwise);
    CheckFullyConnected(rng, i);
  }
  for (const KernelCount& k : g_counts) {
    Print("%s: %ld cases equal\n", k.name, static_cast<long>(k.cases));
    if (k.cases < kMinCasesPerKernel) {
      Print("FAIL %s ran on fewer than %ld cases\n", k.name, static_cast<long>(kMinCasesPerKernel));
      ++g_failures;
    }
  }
  if (g_failures == 0) Print("all DSP twins equal\n");
  return g_failures == 0 ? 0 : 1;
}
