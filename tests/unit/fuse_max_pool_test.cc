// FuseMaxPool: a MaxPool whose windows tile its input runs inside the Conv
// before it (float and int8, after QDQ lowering). Each model runs twice,
// with the op set as it is and with MaxPool brought without the pass, and
// the outputs must be the same bytes: on random shapes (odd sizes whose
// last row or column no pool window covers, 1-D to 3-D), 2x2 and 3x3 pools,
// with and without Relu/Clip, BatchNormalization with negative gamma folded
// into the Conv, depthwise and grouped Convs. The pass must leave the
// MaxPool alone when the fused kernel could not give the same result.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "onnx_writer.h"
#include "resolver_without_pass.h"
#include "tinyonnx/graph/passes.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {
namespace {

using testing::Attr;
using testing::GraphWriter;
using Dims = std::vector<int64_t>;

int64_t Count(const Dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::vector<float> Random(int64_t count, std::mt19937& rng, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = dist(rng);
  return v;
}

struct Result {
  std::string bytes;  // output 0
  uint32_t max_pools = 0;  // live MaxPool nodes after Prepare
  size_t activation_bytes = 0;  // planned
};

// Fills the float inputs in order, runs the model.
Result RunModel(const std::string& model, const OpResolver& resolver,
                const std::vector<std::vector<float>>& inputs) {
  constexpr size_t kArenaBytes = size_t{4} << 20;
  std::unique_ptr<uint8_t[]> arena(new uint8_t[kArenaBytes]);
  Interpreter interpreter(model.data(), model.size(), arena.get(), kArenaBytes, resolver);
  BuildOptions options;
  options.keep_graph = true;  // to count the MaxPool nodes left
  Result result;
  Status status = interpreter.Prepare(options);
  EXPECT_EQ(status, Status::kOk) << interpreter.error();
  if (status != Status::kOk) return result;
  EXPECT_EQ(interpreter.input_count(), inputs.size());
  for (uint32_t i = 0; i < interpreter.input_count() && i < inputs.size(); ++i) {
    TensorRef in = interpreter.input(i);
    EXPECT_EQ(in.ElementCount(), static_cast<int64_t>(inputs[i].size()));
    std::memcpy(in.raw, inputs[i].data(), inputs[i].size() * sizeof(float));
  }
  result.activation_bytes = interpreter.memory().activation_bytes;
  EXPECT_EQ(interpreter.Invoke(), Status::kOk) << interpreter.error();
  TensorRef out = interpreter.output(0);
  result.bytes.assign(static_cast<const char*>(out.raw), out.ByteSize());
  const Graph& g = interpreter.graph();
  for (uint32_t i = 0; i < g.node_count; ++i) {
    result.max_pools += !g.nodes[i].removed && g.nodes[i].View().op_type == "MaxPool";
  }
  return result;
}

// Conv [-> BatchNormalization] [-> Relu or Clip] -> MaxPool, and the
// variations the pass must not fuse.
struct Case {
  Dims x;  // [N, C, spatial...]
  int64_t out_channels = 4;
  Dims kernel;  // per spatial axis
  int64_t group = 1;
  Dims conv_strides, conv_pads;  // empty: defaults
  Dims pool;                     // kernel_shape
  const char* activation = "";   // "", "Relu" or "Clip"
  bool batch_norm = false;       // gamma of both signs (float only)
  bool bias_is_input = false;    // the bias is graph input 1 (float only)
  // MaxPool attributes beyond kernel_shape = strides = pool.
  Dims pool_strides, pool_pads;
  int64_t ceil_mode = 0;
  bool pool_indices = false;  // MaxPool's second output, a graph output
  bool conv_output_read_twice = false;  // also by a Relu that is a graph output
  bool conv_output_is_graph_output = false;
  bool fusable = true;
};

Case MakeCase(const Dims& x, const Dims& kernel, const Dims& pool, const char* activation = "") {
  Case c;
  c.x = x;
  c.kernel = kernel;
  c.pool = pool;
  c.activation = activation;
  return c;
}

std::vector<Attr> ConvAttrs(const Case& c) {
  std::vector<Attr> attrs = {Attr::Int("group", c.group)};
  if (!c.conv_strides.empty()) attrs.push_back(Attr::Ints("strides", c.conv_strides));
  if (!c.conv_pads.empty()) attrs.push_back(Attr::Ints("pads", c.conv_pads));
  return attrs;
}

std::vector<Attr> PoolAttrs(const Case& c) {
  const Dims& strides = c.pool_strides.empty() ? c.pool : c.pool_strides;
  std::vector<Attr> attrs = {Attr::Ints("kernel_shape", c.pool), Attr::Ints("strides", strides)};
  if (!c.pool_pads.empty()) attrs.push_back(Attr::Ints("pads", c.pool_pads));
  if (c.ceil_mode != 0) attrs.push_back(Attr::Int("ceil_mode", c.ceil_mode));
  return attrs;
}

Dims WeightDims(const Case& c) {
  Dims w = {c.out_channels, c.x[1] / c.group};
  w.insert(w.end(), c.kernel.begin(), c.kernel.end());
  return w;
}

std::vector<std::string> PoolOutputs(const Case& c, const std::string& y) {
  if (!c.pool_indices) return {y};
  return {y, "indices"};
}

// The readers of the Conv's output `conv` besides the MaxPool that some
// cases add, and the MaxPool's Indices (graph outputs after "y").
void AddOtherReaders(const Case& c, GraphWriter& g, const std::string& conv) {
  if (c.conv_output_read_twice) g.Node("Relu", {conv}, {"other"}).Output("other");
  if (c.conv_output_is_graph_output) g.Output(conv);
  if (c.pool_indices) g.Output("indices", testing::kInt64);
}

std::string FloatModel(const Case& c, std::mt19937& rng) {
  const Dims w_dims = WeightDims(c);
  const int64_t o = c.out_channels;
  GraphWriter g;
  g.Input("x", testing::kFloat, c.x);
  g.Initializer("w", w_dims, Random(Count(w_dims), rng, -1.0f, 1.0f));
  if (c.bias_is_input) {
    g.Input("b", testing::kFloat, {o});
  } else {
    g.Initializer("b", {o}, Random(o, rng, -0.5f, 0.5f));
  }
  g.Node("Conv", {"x", "w", "b"}, {"c"}, ConvAttrs(c));
  std::string last = "c";
  if (c.batch_norm) {
    std::vector<float> gamma = Random(o, rng, 0.5f, 2.0f);
    for (size_t k = 0; k < gamma.size(); k += 2) gamma[k] = -gamma[k];
    g.Initializer("gamma", {o}, gamma)
        .Initializer("beta", {o}, Random(o, rng, -0.5f, 0.5f))
        .Initializer("mean", {o}, Random(o, rng, -0.5f, 0.5f))
        .Initializer("var", {o}, Random(o, rng, 0.5f, 2.0f))
        .Node("BatchNormalization", {last, "gamma", "beta", "mean", "var"}, {"n"});
    last = "n";
  }
  if (std::string(c.activation) == "Relu") {
    g.Node("Relu", {last}, {"a"});
    last = "a";
  } else if (std::string(c.activation) == "Clip") {
    g.Initializer("lo", {}, {-0.25f}).Initializer("hi", {}, {1.5f});
    g.Node("Clip", {last, "lo", "hi"}, {"a"});
    last = "a";
  }
  g.Node("MaxPool", {last}, PoolOutputs(c, "y"), PoolAttrs(c)).Output("y");
  AddOtherReaders(c, g, last);
  return g.Model(13);
}

// The QDQ form: Q -> DQ -> Conv (int8 weights per channel, int32 bias)
// [-> Relu] -> Q -> DQ -> MaxPool -> Q -> DQ. LowerQdq makes it a
// QLinearConv and an int8 MaxPool.
std::string Int8Model(const Case& c, std::mt19937& rng) {
  const Dims w_dims = WeightDims(c);
  const int64_t o = c.out_channels;
  const float xs = 1.0f / 64, ys = 0.02f;
  std::uniform_int_distribution<int> weight(-127, 127), bias(-400, 400), zero(-20, 20);
  std::vector<int8_t> w(static_cast<size_t>(Count(w_dims)));
  for (int8_t& v : w) v = static_cast<int8_t>(weight(rng));
  std::vector<float> ws = Random(o, rng, 0.001f, 0.004f), bs;
  const size_t channels = static_cast<size_t>(o);
  std::vector<int32_t> b(channels);
  for (size_t k = 0; k < ws.size(); ++k) {
    bs.push_back(xs * ws[k]);
    b[k] = bias(rng);
  }
  const int8_t xz = static_cast<int8_t>(zero(rng)), yz = static_cast<int8_t>(zero(rng));
  GraphWriter g;
  g.Input("x", testing::kFloat, c.x)
      .Initializer("xs", {}, {xs})
      .RawInitializer("xz", testing::kInt8, {}, testing::RawBytes(std::vector<int8_t>{xz}))
      .Initializer("ys", {}, {ys})
      .RawInitializer("yz", testing::kInt8, {}, testing::RawBytes(std::vector<int8_t>{yz}))
      .RawInitializer("w", testing::kInt8, w_dims, testing::RawBytes(w))
      .Initializer("ws", {o}, ws)
      .RawInitializer("wz", testing::kInt8, {o}, testing::RawBytes(std::vector<int8_t>(channels, 0)))
      .RawInitializer("b", testing::kInt32, {o}, testing::RawBytes(b))
      .Initializer("bs", {o}, bs)
      .RawInitializer("bz", testing::kInt32, {o}, testing::RawBytes(std::vector<int32_t>(channels, 0)))
      .Node("QuantizeLinear", {"x", "xs", "xz"}, {"xq"})
      .Node("DequantizeLinear", {"xq", "xs", "xz"}, {"xd"})
      .Node("DequantizeLinear", {"w", "ws", "wz"}, {"wd"}, {Attr::Int("axis", 0)})
      .Node("DequantizeLinear", {"b", "bs", "bz"}, {"bd"}, {Attr::Int("axis", 0)})
      .Node("Conv", {"xd", "wd", "bd"}, {"c"}, ConvAttrs(c));
  std::string last = "c";
  if (std::string(c.activation) == "Relu") {
    g.Node("Relu", {last}, {"a"});
    last = "a";
  }
  g.Node("QuantizeLinear", {last, "ys", "yz"}, {"cq"})
      .Node("DequantizeLinear", {"cq", "ys", "yz"}, {"cd"});
  g.Node("MaxPool", {"cd"}, PoolOutputs(c, "p"), PoolAttrs(c))
      .Node("QuantizeLinear", {"p", "ys", "yz"}, {"pq"})
      .Node("DequantizeLinear", {"pq", "ys", "yz"}, {"y"})
      .Output("y");
  AddOtherReaders(c, g, "cd");
  return g.Model(13);
}

// Runs the case fused (if it is fusable) and unfused: same bytes.
void ExpectSameAsUnfused(const Case& c, bool int8, uint32_t seed) {
  std::mt19937 rng(seed);
  const std::string model = int8 ? Int8Model(c, rng) : FloatModel(c, rng);
  std::vector<std::vector<float>> inputs = {Random(Count(c.x), rng, -1.0f, 1.0f)};
  if (c.bias_is_input) inputs.push_back(Random(c.out_channels, rng, -0.5f, 0.5f));
  static const tools::ResolverWithoutPass unfused(AllOps(), &kFuseMaxPoolPass);
  const Result plain = RunModel(model, unfused.resolver(), inputs);
  const Result fused = RunModel(model, AllOps(), inputs);
  EXPECT_EQ(plain.max_pools, 1u);
  EXPECT_EQ(fused.max_pools, c.fusable ? 0u : 1u);
  ASSERT_FALSE(plain.bytes.empty());
  EXPECT_TRUE(fused.bytes == plain.bytes) << "outputs differ";
}

// Random 2-D cases: odd and even sizes, pools of 2 and 3, Conv strides and
// padding, groups, activations.
std::vector<Case> RandomCases(uint32_t seed, int count, bool int8) {
  std::mt19937 rng(seed);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::vector<Case> cases;
  for (int i = 0; i < count; ++i) {
    Case c;
    const int64_t channels = pick(1, 5);
    const int64_t kind = pick(0, 2);  // 0: group 1, 1: depthwise, 2: depthwise with multiplier 2
    c.group = kind == 0 ? 1 : channels;
    c.out_channels = kind == 0 ? pick(1, 9) : channels * kind;
    c.kernel = {pick(1, 3), pick(2, 3)};
    const int64_t pool = pick(2, 3);
    c.pool = {pool, pick(0, 3) == 0 ? 5 - pool : pool};
    c.x = {pick(1, 2), channels, pick(8, 15), pick(8, 15)};
    if (pick(0, 2) == 0) c.conv_strides = {pick(1, 2), pick(1, 2)};
    if (pick(0, 2) == 0) c.conv_pads = {pick(0, 1), pick(0, 1), pick(0, 1), pick(0, 1)};
    // At least one pool window per axis: 8 - 3 + 1 = 6 Conv outputs, 3
    // after a stride of 2.
    const char* activations[] = {"", "Relu", "Clip"};
    c.activation = activations[pick(0, int8 ? 1 : 2)];
    c.batch_norm = !int8 && pick(0, 1) == 1;
    cases.push_back(c);
  }
  return cases;
}

TEST(FuseMaxPoolTest, FloatRandomShapesGiveTheUnfusedBytes) {
  uint32_t seed = 100;
  for (const Case& c : RandomCases(1, 40, false)) {
    SCOPED_TRACE(seed);
    ExpectSameAsUnfused(c, false, seed++);
  }
}

TEST(FuseMaxPoolTest, Int8RandomShapesGiveTheUnfusedBytes) {
  uint32_t seed = 200;
  for (const Case& c : RandomCases(2, 40, true)) {
    SCOPED_TRACE(seed);
    ExpectSameAsUnfused(c, true, seed++);
  }
}

TEST(FuseMaxPoolTest, OneAndThreeSpatialAxes) {
  const Case c1 = MakeCase({1, 3, 17}, {3}, {2}, "Relu");
  Case c3 = MakeCase({1, 2, 5, 6, 7}, {2, 2, 3}, {2, 2, 2});
  c3.conv_pads = {1, 0, 1, 0, 1, 1};
  for (bool int8 : {false, true}) {
    ExpectSameAsUnfused(c1, int8, 3);
    ExpectSameAsUnfused(c3, int8, 4);
  }
}

TEST(FuseMaxPoolTest, BatchNormWithNegativeGammaStaysExact) {
  // Negative scale reverses the order of the Conv's sums: the maximum must
  // be taken after the epilogue.
  Case c = MakeCase({1, 3, 12, 12}, {3, 3}, {2, 2});
  c.out_channels = 6;
  c.batch_norm = true;
  ExpectSameAsUnfused(c, false, 5);
  c.activation = "Relu";
  ExpectSameAsUnfused(c, false, 6);
}

TEST(FuseMaxPoolTest, BiasReadAtRunTime) {
  // No epilogue to fold into (the bias comes from input 1), but the pool.
  Case c = MakeCase({1, 3, 11, 10}, {3, 3}, {2, 2});
  c.bias_is_input = true;
  ExpectSameAsUnfused(c, false, 11);
}

// The demo CNN's layers: a 26x26 Conv output pooled to 13x13, and an 11x11
// one whose last row and column no window covers.
TEST(FuseMaxPoolTest, DemoLayers) {
  const Case first = MakeCase({1, 1, 28, 28}, {3, 3}, {2, 2}, "Relu");
  Case second = MakeCase({1, 4, 13, 13}, {3, 3}, {2, 2}, "Relu");
  second.out_channels = 8;
  for (bool int8 : {false, true}) {
    ExpectSameAsUnfused(first, int8, 7);
    ExpectSameAsUnfused(second, int8, 8);
  }
}

// The fused float Conv writes its pooled planes over the input rows it has
// read for the last time (ConvFloatOverlapGap): the demo's first layer
// needs less than its input and output side by side, and gives the
// unfused bytes.
TEST(FuseMaxPoolTest, PooledFloatConvWritesOverItsInput) {
  const Case c = MakeCase({1, 1, 28, 28}, {3, 3}, {2, 2}, "Relu");
  std::mt19937 rng(9);
  const std::string model = FloatModel(c, rng);
  const std::vector<std::vector<float>> inputs = {Random(Count(c.x), rng, -1.0f, 1.0f)};
  static const tools::ResolverWithoutPass unfused(AllOps(), &kFuseMaxPoolPass);
  const Result plain = RunModel(model, unfused.resolver(), inputs);
  const Result fused = RunModel(model, AllOps(), inputs);
  const size_t side_by_side = (28 * 28 + 4 * 13 * 13) * sizeof(float);
  EXPECT_LT(fused.activation_bytes, side_by_side);
  EXPECT_TRUE(fused.bytes == plain.bytes) << "outputs differ";
}

TEST(FuseMaxPoolTest, LeavesMaxPoolsItCannotFuse) {
  Case base = MakeCase({1, 2, 9, 9}, {3, 3}, {2, 2}, "Relu");
  base.fusable = false;
  std::vector<Case> cases;
  Case c = base;
  c.conv_output_read_twice = true;
  cases.push_back(c);
  c = base;
  c.conv_output_is_graph_output = true;
  cases.push_back(c);
  c = base;
  c.pool_pads = {0, 0, 1, 1};
  cases.push_back(c);
  c = base;
  c.pool_strides = {1, 1};
  cases.push_back(c);
  c = base;
  c.ceil_mode = 1;  // 7 / 2: a partial last window
  cases.push_back(c);
  c = base;
  c.pool_indices = true;
  cases.push_back(c);
  for (const Case& unfusable : cases) {
    for (bool int8 : {false, true}) ExpectSameAsUnfused(unfusable, int8, 9);
  }
  // With an input the windows tile exactly, ceil_mode changes nothing.
  c = base;
  c.x = {1, 2, 10, 10};
  c.ceil_mode = 1;
  c.fusable = true;
  for (bool int8 : {false, true}) ExpectSameAsUnfused(c, int8, 10);
}

}  // namespace
}  // namespace tinyonnx
