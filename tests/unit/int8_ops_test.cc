// The quantized ops and the LowerQdq pass on small models written inline:
// a QDQ Conv group becomes one int8 kernel reading OHWI weights in place and
// agrees with a float simulation of the QDQ graph within one output step;
// the same group runs in float when the op resolver has no int8 ops; bad
// quantized models fail with clear errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "onnx_writer.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {

extern const OpDef kConvOp, kReluOp, kTransposeOp, kQuantizeLinearOp, kDequantizeLinearOp;

namespace {

using testing::Attr;
using testing::GraphWriter;

template <typename T>
std::string Raw(const std::vector<T>& values) {
  std::string raw(values.size() * sizeof(T), '\0');
  std::memcpy(&raw[0], values.data(), raw.size());
  return raw;
}

float RoundHalfEven(float v) { return std::nearbyint(v); }

// A QDQ Conv 3x3 (pad 1) + Relu on x [1, 2, 5, 5] with 4 output channels,
// per-channel int8 weights (OHWI behind a Transpose, or OIHW), int32 bias.
struct QdqConv {
  static constexpr int kC = 2, kH = 5, kW = 5, kO = 4;
  float xs = 0.02f, ys = 0.05f;
  int8_t xz = -3, yz = -128;
  std::vector<int8_t> w_oihw;  // [O, C, 3, 3]
  std::vector<float> ws;
  std::vector<int32_t> bias;

  QdqConv() {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> wd(-127, 127), bd(-300, 300);
    for (int i = 0; i < kO * kC * 9; ++i) w_oihw.push_back(static_cast<int8_t>(wd(rng)));
    for (int o = 0; o < kO; ++o) {
      ws.push_back(0.004f + 0.001f * o);
      bias.push_back(bd(rng));
    }
  }

  std::string Model(bool ohwi) const {
    GraphWriter g;
    g.Input("x", testing::kFloat, {1, kC, kH, kW});
    g.Initializer("xs", {}, {xs}).RawInitializer("xz", testing::kInt8, {}, Raw(std::vector<int8_t>{xz}));
    g.Initializer("ys", {}, {ys}).RawInitializer("yz", testing::kInt8, {}, Raw(std::vector<int8_t>{yz}));
    g.Initializer("ws", {kO}, ws).RawInitializer("wz", testing::kInt8, {kO}, Raw(std::vector<int8_t>(kO, 0)));
    std::vector<float> bs;
    for (float s : ws) bs.push_back(xs * s);
    g.Initializer("bs", {kO}, bs).RawInitializer("bz", testing::kInt32, {kO}, Raw(std::vector<int32_t>(kO, 0)));
    g.RawInitializer("b", testing::kInt32, {kO}, Raw(bias));
    if (ohwi) {
      std::vector<int8_t> stored(w_oihw.size());
      for (int o = 0; o < kO; ++o)
        for (int c = 0; c < kC; ++c)
          for (int k = 0; k < 9; ++k) stored[(o * 9 + k) * kC + c] = w_oihw[(o * kC + c) * 9 + k];
      g.RawInitializer("w_ohwi", testing::kInt8, {kO, 3, 3, kC}, Raw(stored));
      g.Node("Transpose", {"w_ohwi"}, {"w"}, {Attr::Ints("perm", {0, 3, 1, 2})});
    } else {
      g.RawInitializer("w", testing::kInt8, {kO, kC, 3, 3}, Raw(w_oihw));
    }
    g.Node("QuantizeLinear", {"x", "xs", "xz"}, {"xq"});
    g.Node("DequantizeLinear", {"xq", "xs", "xz"}, {"xd"});
    g.Node("DequantizeLinear", {"w", "ws", "wz"}, {"wd"}, {Attr::Int("axis", 0)});
    g.Node("DequantizeLinear", {"b", "bs", "bz"}, {"bd"}, {Attr::Int("axis", 0)});
    g.Node("Conv", {"xd", "wd", "bd"}, {"c"}, {Attr::Ints("pads", {1, 1, 1, 1})});
    g.Node("Relu", {"c"}, {"r"});
    g.Node("QuantizeLinear", {"r", "ys", "yz"}, {"yq"});
    g.Node("DequantizeLinear", {"yq", "ys", "yz"}, {"y"});
    g.Output("y");
    return g.Model(13);
  }

  // The QDQ graph simulated in float (double accumulation).
  std::vector<float> Simulate(const std::vector<float>& x) const {
    std::vector<float> xd(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
      float q = std::min(127.0f, std::max(-128.0f, RoundHalfEven(x[i] / xs) + xz));
      xd[i] = (q - xz) * xs;
    }
    std::vector<float> y(kO * kH * kW);
    for (int o = 0; o < kO; ++o) {
      for (int oy = 0; oy < kH; ++oy) {
        for (int ox = 0; ox < kW; ++ox) {
          double acc = bias[o] * static_cast<double>(xs * ws[o]);
          for (int c = 0; c < kC; ++c)
            for (int ky = 0; ky < 3; ++ky)
              for (int kx = 0; kx < 3; ++kx) {
                int iy = oy - 1 + ky, ix = ox - 1 + kx;
                if (iy < 0 || iy >= kH || ix < 0 || ix >= kW) continue;
                acc += xd[(c * kH + iy) * kW + ix] * static_cast<double>(w_oihw[(o * kC + c) * 9 + ky * 3 + kx] * ws[o]);
              }
          float r = std::max(0.0f, static_cast<float>(acc));
          float q = std::min(127.0f, std::max(-128.0f, RoundHalfEven(r / ys) + yz));
          y[(o * kH + oy) * kW + ox] = (q - yz) * ys;
        }
      }
    }
    return y;
  }
};

class Int8OpsTest : public ::testing::Test {
 protected:
  Status Load(const std::string& model, const OpResolver& resolver = AllOps()) {
    model_ = model;
    interpreter_.reset(new Interpreter(model_.data(), model_.size(), arena_.get(), kArenaBytes, resolver));
    BuildOptions options;
    options.keep_graph = true;  // the tests inspect the prepared graph
    return interpreter_->Prepare(options);
  }
  std::vector<float> RunFloat(const std::vector<float>& x) {
    TensorRef in = interpreter_->input(0);
    std::memcpy(in.raw, x.data(), x.size() * sizeof(float));
    EXPECT_EQ(interpreter_->Invoke(), Status::kOk);
    TensorRef out = interpreter_->output(0);
    return std::vector<float>(out.data<float>(), out.data<float>() + out.ElementCount());
  }
  int LiveOps(const char* op_type, const char* domain = "") const {
    const Graph& g = interpreter_->graph();
    int n = 0;
    for (uint32_t i = 0; i < g.node_count; ++i) {
      const Node& node = g.nodes[i];
      n += !node.removed && Str::FromCString(node.op->op_type) == op_type &&
           Str::FromCString(node.op->domain) == domain;
    }
    return n;
  }
  std::string error() const { return interpreter_->error(); }

  static constexpr size_t kArenaBytes = size_t{4} << 20;
  std::unique_ptr<uint8_t[]> arena_{new uint8_t[kArenaBytes]};
  std::string model_;
  std::unique_ptr<Interpreter> interpreter_;
};

std::vector<float> RandomInput(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.5f);
  std::vector<float> v(count);
  for (float& x : v) x = d(rng);
  return v;
}

TEST_F(Int8OpsTest, QdqConvBecomesOneInt8KernelReadingOhwiWeightsInPlace) {
  QdqConv conv;
  ASSERT_EQ(Load(conv.Model(true)), Status::kOk) << error();
  EXPECT_EQ(LiveOps("QLinearConv"), 1);
  EXPECT_EQ(LiveOps("Conv"), 0);
  EXPECT_EQ(LiveOps("Relu"), 0);
  EXPECT_EQ(LiveOps("Transpose"), 0);
  EXPECT_EQ(interpreter_->plan().step_count, 3u);  // QuantizeLinear, conv, DequantizeLinear
  EXPECT_EQ(interpreter_->graph().repacked_bytes, 0u);
  const std::vector<float> x = RandomInput(2 * 25, 3);
  const std::vector<float> y = RunFloat(x);
  const std::vector<float> expected = conv.Simulate(x);
  ASSERT_EQ(y.size(), expected.size());
  int differ = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    ASSERT_NEAR(y[i], expected[i], conv.ys * 1.001f) << i;
    differ += y[i] != expected[i];
    ASSERT_GE(y[i], 0.0f);  // the folded Relu
  }
  EXPECT_LE(differ, 3);
}

TEST_F(Int8OpsTest, OihwWeightsAreRearrangedOnceAndCounted) {
  QdqConv conv;
  ASSERT_EQ(Load(conv.Model(false)), Status::kOk) << error();
  EXPECT_EQ(LiveOps("QLinearConv"), 1);
  EXPECT_EQ(interpreter_->graph().repacked_bytes, conv.w_oihw.size());
  EXPECT_GE(interpreter_->memory().copied_constant_bytes, conv.w_oihw.size());
  const std::vector<float> x = RandomInput(2 * 25, 4);
  const std::vector<float> y = RunFloat(x);
  const std::vector<float> expected = conv.Simulate(x);
  for (size_t i = 0; i < y.size(); ++i) ASSERT_NEAR(y[i], expected[i], conv.ys * 1.001f) << i;
}

TEST_F(Int8OpsTest, WithoutInt8OpsTheGroupRunsInFloat) {
  static const OpDef* const kOps[] = {&kConvOp, &kReluOp, &kTransposeOp, &kQuantizeLinearOp,
                                      &kDequantizeLinearOp};
  static const OpResolver kFloatOnly{kOps, sizeof(kOps) / sizeof(kOps[0])};
  QdqConv conv;
  ASSERT_EQ(Load(conv.Model(true), kFloatOnly), Status::kOk) << error();
  EXPECT_EQ(LiveOps("Conv"), 1);
  const std::vector<float> x = RandomInput(2 * 25, 5);
  const std::vector<float> y = RunFloat(x);
  const std::vector<float> expected = conv.Simulate(x);
  for (size_t i = 0; i < y.size(); ++i) ASSERT_NEAR(y[i], expected[i], conv.ys * 1.001f) << i;
}

// A uint8 graph input read by QLinearConv: converted to int8 channels-last
// on the way in, the uint8 output converted back.
TEST_F(Int8OpsTest, QLinearConvOnUint8GraphInputMatchesNaive) {
  GraphWriter g;
  g.Input("x", testing::kUint8, {1, 3, 4, 4});
  std::vector<uint8_t> w(2 * 3 * 2 * 2);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<uint8_t>((i * 37) % 256);
  g.Initializer("xs", {}, {0.05f}).RawInitializer("xz", testing::kUint8, {}, Raw(std::vector<uint8_t>{100}));
  g.RawInitializer("w", testing::kUint8, {2, 3, 2, 2}, Raw(w));
  g.Initializer("ws", {}, {0.01f}).RawInitializer("wz", testing::kUint8, {}, Raw(std::vector<uint8_t>{120}));
  g.Initializer("ys", {}, {0.3f}).RawInitializer("yz", testing::kUint8, {}, Raw(std::vector<uint8_t>{128}));
  g.Node("QLinearConv", {"x", "xs", "xz", "w", "ws", "wz", "ys", "yz"}, {"y"}, {Attr::Ints("strides", {2, 2})});
  g.Output("y", testing::kUint8);
  ASSERT_EQ(Load(g.Model(10)), Status::kOk) << error();
  std::vector<uint8_t> x(48);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<uint8_t>((i * 91 + 7) % 256);
  std::memcpy(interpreter_->input(0).raw, x.data(), x.size());
  ASSERT_EQ(interpreter_->Invoke(), Status::kOk);
  TensorRef out = interpreter_->output(0);
  ASSERT_EQ(out.dtype, DType::kUint8);
  ASSERT_EQ(out.ElementCount(), 2 * 2 * 2);
  for (int o = 0; o < 2; ++o) {
    for (int oy = 0; oy < 2; ++oy) {
      for (int ox = 0; ox < 2; ++ox) {
        int32_t acc = 0;
        for (int c = 0; c < 3; ++c)
          for (int ky = 0; ky < 2; ++ky)
            for (int kx = 0; kx < 2; ++kx)
              acc += (x[(c * 4 + oy * 2 + ky) * 4 + ox * 2 + kx] - 100) * (w[((o * 3 + c) * 2 + ky) * 2 + kx] - 120);
        const double exact = acc * 0.05 * 0.01 / 0.3 + 128;
        const int v = out.data<uint8_t>()[(o * 2 + oy) * 2 + ox];
        ASSERT_LE(std::fabs(v - std::min(255.0, std::max(0.0, exact))), 0.5 + 1e-6) << o << oy << ox;
      }
    }
  }
}

// ---- Errors

std::string QLinearConvModel(const std::vector<int64_t>& w_dims, int64_t group) {
  GraphWriter g;
  g.Input("x", testing::kInt8, {1, 4, 5, 5});
  int64_t count = 1;
  for (int64_t d : w_dims) count *= d;
  g.Initializer("s", {}, {0.1f}).RawInitializer("z", testing::kInt8, {}, Raw(std::vector<int8_t>{0}));
  g.RawInitializer("w", testing::kInt8, w_dims, Raw(std::vector<int8_t>(static_cast<size_t>(count), 1)));
  g.Node("QLinearConv", {"x", "s", "z", "w", "s", "z", "s", "z"}, {"y"}, {Attr::Int("group", group)});
  g.Output("y", testing::kInt8);
  return g.Model(10);
}

TEST_F(Int8OpsTest, MalformedModelsFailWithClearErrors) {
  EXPECT_EQ(Load(QLinearConvModel({6, 4, 3, 3}, 1)), Status::kOk) << error();
  EXPECT_EQ(Load(QLinearConvModel({6, 4, 3, 3}, 2)), Status::kInvalidModel);
  EXPECT_NE(error().find("group"), std::string::npos) << error();
  EXPECT_EQ(Load(QLinearConvModel({5, 2, 3, 3}, 2)), Status::kInvalidModel);  // 5 % 2
  EXPECT_EQ(Load(QLinearConvModel({6, 4, 9, 9}, 1)), Status::kInvalidModel);  // kernel > input
  EXPECT_NE(error().find("window"), std::string::npos) << error();

  {  // per-axis scale that does not fit the axis
    GraphWriter g;
    g.Input("x", testing::kFloat, {1, 2, 4});
    g.Initializer("s", {3}, {0.1f, 0.2f, 0.3f});
    g.Node("QuantizeLinear", {"x", "s"}, {"y"}, {Attr::Int("axis", 1)});
    g.Output("y", testing::kUint8);
    EXPECT_EQ(Load(g.Model(13)), Status::kInvalidModel);
    EXPECT_NE(error().find("axis 1 has size 2"), std::string::npos) << error();
  }
  {  // zero point type different from the data
    GraphWriter g;
    g.Input("x", testing::kInt8, {4});
    g.Initializer("s", {}, {0.1f}).RawInitializer("z", testing::kInt32, {}, Raw(std::vector<int32_t>{0}));
    g.Node("DequantizeLinear", {"x", "s", "z"}, {"y"});
    g.Output("y");
    EXPECT_EQ(Load(g.Model(13)), Status::kInvalidModel);
    EXPECT_NE(error().find("zero point is int32"), std::string::npos) << error();
  }
  {  // matrices that do not multiply
    GraphWriter g;
    g.Input("a", testing::kUint8, {2, 3});
    g.Input("b", testing::kUint8, {4, 5});
    g.Initializer("s", {}, {0.1f}).RawInitializer("z", testing::kUint8, {}, Raw(std::vector<uint8_t>{0}));
    g.Node("QLinearMatMul", {"a", "s", "z", "b", "s", "z", "s", "z"}, {"y"});
    g.Output("y", testing::kUint8);
    EXPECT_EQ(Load(g.Model(10)), Status::kInvalidModel);
    EXPECT_NE(error().find("cannot multiply"), std::string::npos) << error();
  }
  {  // float data where 8-bit data is expected
    GraphWriter g;
    g.Input("x", testing::kFloat, {1, 4, 5, 5});
    g.Initializer("s", {}, {0.1f}).RawInitializer("z", testing::kInt8, {}, Raw(std::vector<int8_t>{0}));
    g.RawInitializer("w", testing::kInt8, {2, 4, 1, 1}, Raw(std::vector<int8_t>(8, 1)));
    g.Node("QLinearConv", {"x", "s", "z", "w", "s", "z", "s", "z"}, {"y"});
    g.Output("y", testing::kInt8);
    EXPECT_EQ(Load(g.Model(10)), Status::kUnsupported);
    EXPECT_NE(error().find("float32"), std::string::npos) << error();
  }
  {  // a requantization factor far out of range
    GraphWriter g;
    g.Input("x", testing::kInt8, {1, 4});
    g.Initializer("s", {}, {1e10f}).Initializer("t", {}, {1e-10f});
    g.RawInitializer("z", testing::kInt8, {}, Raw(std::vector<int8_t>{0}));
    g.RawInitializer("w", testing::kInt8, {4, 2}, Raw(std::vector<int8_t>(8, 1)));
    g.Node("QLinearMatMul", {"x", "s", "z", "w", "s", "z", "t", "z"}, {"y"});
    g.Output("y", testing::kInt8);
    EXPECT_EQ(Load(g.Model(10)), Status::kUnsupported);
    EXPECT_NE(error().find("requantization"), std::string::npos) << error();
  }
}

}  // namespace
}  // namespace tinyonnx
