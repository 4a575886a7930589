// Neural-network ops (Conv, pooling, Gemm, MatMul, BatchNormalization,
// Softmax, LogSoftmax) against naive implementations written here, on small
// random tensors with fixed seeds; plus the epilogue fusion they expose and
// the errors for malformed attributes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "onnx_writer.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {

extern const OpDef kConvOp, kMaxPoolOp, kAveragePoolOp, kGlobalAveragePoolOp, kGlobalMaxPoolOp,
    kGemmOp, kMatMulOp, kBatchNormalizationOp, kSoftmaxOp, kLogSoftmaxOp, kReluOp, kConstantOp;

namespace {

using testing::Attr;
using testing::GraphWriter;
using Dims = std::vector<int64_t>;

const OpDef* const kNnOps[] = {&kConvOp,    &kMaxPoolOp,          &kAveragePoolOp,
                               &kGlobalAveragePoolOp, &kGlobalMaxPoolOp, &kGemmOp,
                               &kMatMulOp,  &kBatchNormalizationOp, &kSoftmaxOp,
                               &kLogSoftmaxOp, &kReluOp,          &kConstantOp};
const OpResolver kResolver{kNnOps, sizeof(kNnOps) / sizeof(kNnOps[0])};

int64_t Count(const Dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::vector<float> Random(int64_t count, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = dist(rng);
  return v;
}

Attr IntsAttr(const std::string& name, const Dims& values) {
  Attr a;
  a.proto.Bytes(1, name).Varint(20, 7);
  for (int64_t x : values) a.proto.Varint(8, static_cast<uint64_t>(x));
  return a;
}

// Row-major offset of a multi-index.
int64_t Offset(const Dims& dims, const Dims& index) {
  int64_t offset = 0;
  for (size_t i = 0; i < dims.size(); ++i) offset = offset * dims[i] + index[i];
  return offset;
}

// Advances a multi-index over dims (row-major); false after the last one.
bool Next(const Dims& dims, Dims* index) {
  for (size_t i = dims.size(); i-- > 0;) {
    if (++(*index)[i] < dims[i]) return true;
    (*index)[i] = 0;
  }
  return false;
}

void ExpectNear(const std::vector<float>& expected, const float* actual, float tolerance = 1e-4f) {
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_NEAR(actual[i], expected[i], tolerance * (1.0f + std::fabs(expected[i])))
        << "element " << i;
  }
}

class NnOpsTest : public ::testing::Test {
 protected:
  Status Load(const std::string& model) {
    model_ = model;
    interpreter_.reset(new Interpreter(model_.data(), model_.size(), arena_.get(), kArenaBytes,
                                       kResolver));
    BuildOptions options;
    options.keep_graph = true;  // the tests inspect the prepared graph
    return interpreter_->Prepare(options);
  }
  std::string error() const { return interpreter_->error(); }

  // Fills the float inputs in order and runs the model.
  void Run(const std::vector<std::vector<float>>& inputs) {
    ASSERT_EQ(interpreter_->input_count(), inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      TensorRef in = interpreter_->input(static_cast<uint32_t>(i));
      ASSERT_EQ(in.ElementCount(), static_cast<int64_t>(inputs[i].size())) << "input " << i;
      std::memcpy(in.raw, inputs[i].data(), inputs[i].size() * sizeof(float));
    }
    ASSERT_EQ(interpreter_->Invoke(), Status::kOk) << error();
  }
  TensorRef output(uint32_t i = 0) const { return interpreter_->output(i); }
  Dims OutputDims(uint32_t i = 0) const {
    Shape s = output(i).shape;
    return Dims(s.dims, s.dims + s.rank);
  }
  uint32_t LiveNodes(const char* op) const {
    const Graph& g = interpreter_->graph();
    uint32_t n = 0;
    for (uint32_t i = 0; i < g.node_count; ++i) {
      n += !g.nodes[i].removed && g.nodes[i].View().op_type == op;
    }
    return n;
  }
  // What prepare set up for the first live node of this op.
  const PreparedNode* FirstLive(const char* op) const {
    const Graph& g = interpreter_->graph();
    for (uint32_t i = 0; i < g.node_count; ++i) {
      if (!g.nodes[i].removed && g.nodes[i].View().op_type == op) return &g.prepared[i];
    }
    return nullptr;
  }

  static constexpr size_t kArenaBytes = size_t{8} << 20;
  std::unique_ptr<uint8_t[]> arena_{new uint8_t[kArenaBytes]};
  std::string model_;
  std::unique_ptr<Interpreter> interpreter_;
};

// ---------------------------------------------------------------------------
// Sliding windows: the output size and padding ONNX defines, per axis.

struct AxisPlan {
  int64_t out, pad_begin, pad_end;
};

// Explicit pads, or auto_pad "SAME_UPPER" / "SAME_LOWER" / "VALID".
AxisPlan PlanAxis(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_begin,
                  int64_t pad_end, const std::string& auto_pad, bool ceil_mode) {
  const int64_t span = (kernel - 1) * dilation + 1;
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    int64_t out = (in + stride - 1) / stride;
    int64_t total = std::max<int64_t>(0, (out - 1) * stride + span - in);
    int64_t begin = auto_pad == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
    return {out, begin, total - begin};
  }
  if (auto_pad == "VALID") pad_begin = pad_end = 0;
  const double exact = static_cast<double>(in + pad_begin + pad_end - span) / stride;
  int64_t out = static_cast<int64_t>(ceil_mode ? std::ceil(exact) : std::floor(exact)) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;
  return {out, pad_begin, pad_end};
}

struct WindowCase {
  Dims x;  // [N, C, spatial...]
  Dims kernel;
  Dims strides, dilations, pads;  // empty: the ONNX defaults
  std::string auto_pad;           // empty: not set
  bool ceil_mode = false;

  size_t spatial() const { return x.size() - 2; }
  int64_t stride(size_t i) const { return strides.empty() ? 1 : strides[i]; }
  int64_t dilation(size_t i) const { return dilations.empty() ? 1 : dilations[i]; }
  std::vector<AxisPlan> Plan() const {
    std::vector<AxisPlan> plan;
    for (size_t i = 0; i < spatial(); ++i) {
      int64_t pb = pads.empty() ? 0 : pads[i];
      int64_t pe = pads.empty() ? 0 : pads[spatial() + i];
      plan.push_back(PlanAxis(x[2 + i], kernel[i], stride(i), dilation(i), pb, pe, auto_pad,
                              ceil_mode));
    }
    return plan;
  }
  std::vector<Attr> Attrs(bool with_kernel_shape = true) const {
    std::vector<Attr> attrs;
    if (with_kernel_shape) attrs.push_back(IntsAttr("kernel_shape", kernel));
    if (!strides.empty()) attrs.push_back(IntsAttr("strides", strides));
    if (!dilations.empty()) attrs.push_back(IntsAttr("dilations", dilations));
    if (!pads.empty()) attrs.push_back(IntsAttr("pads", pads));
    if (!auto_pad.empty()) attrs.push_back(Attr::String("auto_pad", auto_pad));
    if (ceil_mode) attrs.push_back(Attr::Int("ceil_mode", 1));
    return attrs;
  }
};

// Calls visit(input_index) for every window tap inside the input, and
// visit_pad() for taps in the explicit padding.
template <typename Visit, typename VisitPad>
void ForEachTap(const WindowCase& c, const std::vector<AxisPlan>& plan, const Dims& out_position,
                Visit visit, VisitPad visit_pad) {
  Dims k(c.spatial(), 0);
  do {
    Dims in(c.spatial());
    bool inside = true, inside_padding = true;
    for (size_t i = 0; i < c.spatial(); ++i) {
      in[i] = out_position[i] * c.stride(i) - plan[i].pad_begin + k[i] * c.dilation(i);
      inside &= in[i] >= 0 && in[i] < c.x[2 + i];
      inside_padding &= in[i] >= -plan[i].pad_begin && in[i] < c.x[2 + i] + plan[i].pad_end;
    }
    if (inside) {
      visit(in);
    } else if (inside_padding) {
      visit_pad();
    }
  } while (Next(c.kernel, &k));
}

Dims OutputSpatial(const std::vector<AxisPlan>& plan) {
  Dims dims;
  for (const AxisPlan& a : plan) dims.push_back(a.out);
  return dims;
}

// ---------------------------------------------------------------------------
// Conv

struct ConvCase {
  WindowCase window;
  int64_t out_channels;
  int64_t group = 1;
  bool bias = true;
  bool constant_weights = true;
};

std::vector<float> NaiveConv(const ConvCase& c, const std::vector<float>& x,
                             const std::vector<float>& w, const std::vector<float>& b) {
  const WindowCase& win = c.window;
  const auto plan = win.Plan();
  const Dims out_spatial = OutputSpatial(plan);
  const Dims in_spatial(win.x.begin() + 2, win.x.end());
  const int64_t n_batch = win.x[0], in_channels = win.x[1];
  const int64_t group_in = in_channels / c.group, group_out = c.out_channels / c.group;
  Dims w_dims = {c.out_channels, group_in};
  w_dims.insert(w_dims.end(), win.kernel.begin(), win.kernel.end());
  std::vector<float> y;
  for (int64_t n = 0; n < n_batch; ++n) {
    for (int64_t m = 0; m < c.out_channels; ++m) {
      Dims o(out_spatial.size(), 0);
      do {
        double acc = c.bias ? b[m] : 0.0;
        for (int64_t ic = 0; ic < group_in; ++ic) {
          const int64_t channel = (m / group_out) * group_in + ic;
          Dims k(win.spatial(), 0);
          do {
            Dims in(win.spatial());
            bool inside = true;
            for (size_t i = 0; i < win.spatial(); ++i) {
              in[i] = o[i] * win.stride(i) - plan[i].pad_begin + k[i] * win.dilation(i);
              inside &= in[i] >= 0 && in[i] < in_spatial[i];
            }
            if (!inside) continue;
            const int64_t x_at = (n * in_channels + channel) * Count(in_spatial) + Offset(in_spatial, in);
            const int64_t w_at = (m * group_in + ic) * Count(win.kernel) + Offset(win.kernel, k);
            acc += static_cast<double>(x[x_at]) * w[w_at];
          } while (Next(win.kernel, &k));
        }
        y.push_back(static_cast<float>(acc));
      } while (Next(out_spatial, &o));
    }
  }
  return y;
}

std::string ConvModel(const ConvCase& c, const std::vector<float>& w, const std::vector<float>& b,
                      int64_t opset = 13) {
  const WindowCase& win = c.window;
  Dims w_dims = {c.out_channels, win.x[1] / c.group};
  w_dims.insert(w_dims.end(), win.kernel.begin(), win.kernel.end());
  GraphWriter g;
  g.Input("x", testing::kFloat, win.x);
  if (c.constant_weights) {
    g.Initializer("w", w_dims, w);
    if (c.bias) g.Initializer("b", {c.out_channels}, b);
  } else {
    g.Input("w", testing::kFloat, w_dims);
    if (c.bias) g.Input("b", testing::kFloat, {c.out_channels});
  }
  std::vector<Attr> attrs = win.Attrs();
  if (c.group != 1) attrs.push_back(Attr::Int("group", c.group));
  std::vector<std::string> inputs = {"x", "w"};
  if (c.bias) inputs.push_back("b");
  g.Node("Conv", inputs, {"y"}, attrs).Output("y");
  return g.Model(opset);
}

class ConvTest : public NnOpsTest, public ::testing::WithParamInterface<ConvCase> {};

TEST_P(ConvTest, MatchesNaiveConvolution) {
  const ConvCase& c = GetParam();
  const WindowCase& win = c.window;
  const int64_t w_count = c.out_channels * (win.x[1] / c.group) * Count(win.kernel);
  std::vector<float> x = Random(Count(win.x), 1);
  std::vector<float> w = Random(w_count, 2);
  std::vector<float> b = Random(c.out_channels, 3);
  ASSERT_EQ(Load(ConvModel(c, w, b)), Status::kOk) << error();
  std::vector<std::vector<float>> inputs = {x};
  if (!c.constant_weights) {
    inputs.push_back(w);
    if (c.bias) inputs.push_back(b);
  }
  Run(inputs);
  Dims expected_dims = {win.x[0], c.out_channels};
  for (const AxisPlan& a : win.Plan()) expected_dims.push_back(a.out);
  ASSERT_EQ(OutputDims(), expected_dims);
  ExpectNear(NaiveConv(c, x, w, b), output().data<float>());
}

ConvCase Conv(Dims x, int64_t out_channels, Dims kernel) {
  ConvCase c;
  c.window.x = x;
  c.window.kernel = kernel;
  c.out_channels = out_channels;
  return c;
}

std::vector<ConvCase> ConvCases() {
  std::vector<ConvCase> cases;
  cases.push_back(Conv({1, 1, 28, 28}, 8, {3, 3}));  // MNIST first layer, no padding
  ConvCase c = Conv({2, 3, 11, 19}, 5, {3, 3});
  c.window.pads = {1, 1, 1, 1};
  cases.push_back(c);
  c = Conv({1, 4, 9, 13}, 6, {3, 5});
  c.window.pads = {2, 0, 1, 3};  // asymmetric
  c.window.strides = {2, 3};
  cases.push_back(c);
  c = Conv({1, 2, 12, 12}, 3, {3, 3});
  c.window.dilations = {2, 3};
  c.window.pads = {2, 3, 2, 3};
  cases.push_back(c);
  c = Conv({1, 6, 10, 10}, 6, {3, 3});  // depthwise
  c.group = 6;
  c.window.pads = {1, 1, 1, 1};
  cases.push_back(c);
  c = Conv({1, 4, 8, 9}, 8, {3, 3});  // depthwise, multiplier 2, strided
  c.group = 4;
  c.window.strides = {2, 2};
  c.window.pads = {1, 1, 1, 1};
  cases.push_back(c);
  c = Conv({1, 4, 9, 12}, 8, {3, 3});  // 3-wide rows without horizontal padding: fused taps
  c.group = 2;
  c.window.pads = {1, 0, 2, 0};
  c.window.dilations = {1, 2};
  cases.push_back(c);
  c = Conv({1, 4, 9, 10}, 10, {3, 2});  // two groups of 5: a block of 4, then 1
  c.group = 2;
  c.window.pads = {0, 1, 2, 0};
  cases.push_back(c);
  c = Conv({1, 6, 7, 7}, 4, {1, 1});  // grouped pointwise
  c.group = 2;
  c.bias = false;
  cases.push_back(c);
  c = Conv({1, 2, 4, 3}, 2, {5, 5});  // kernel wider than the input
  c.window.pads = {2, 2, 2, 2};
  cases.push_back(c);
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER", "VALID"}) {
    c = Conv({1, 2, 10, 11}, 3, {4, 3});
    c.window.auto_pad = mode;
    c.window.strides = {3, 2};
    cases.push_back(c);
  }
  c = Conv({1, 3, 16, 30}, 4, {3, 3});  // weights and bias as graph inputs
  c.constant_weights = false;
  c.window.pads = {0, 1, 0, 1};
  cases.push_back(c);
  c = Conv({2, 3, 25}, 4, {3});  // 1-D
  c.window.strides = {2};
  c.window.pads = {1, 2};
  cases.push_back(c);
  c = Conv({1, 2, 5, 6, 7}, 3, {2, 3, 2});  // 3-D
  c.window.pads = {1, 0, 1, 0, 1, 1};
  c.window.dilations = {1, 2, 1};
  cases.push_back(c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, ConvTest, ::testing::ValuesIn(ConvCases()));

TEST_F(NnOpsTest, ConvExposesEpilogueOnlyForConstantBias) {
  ConvCase c = Conv({1, 2, 6, 6}, 3, {3, 3});
  std::vector<float> w = Random(3 * 2 * 9, 2), b = Random(3, 3);
  ASSERT_EQ(Load(ConvModel(c, w, b)), Status::kOk) << error();
  const PreparedNode* conv = FirstLive("Conv");
  ASSERT_NE(conv, nullptr);
  ASSERT_NE(conv->epilogue, nullptr);
  EXPECT_EQ(conv->epilogue->channels, 3);
  EXPECT_NE(conv->epilogue->bias, nullptr);

  c.constant_weights = false;  // bias fed at run time: nothing to fold into
  ASSERT_EQ(Load(ConvModel(c, w, b)), Status::kOk) << error();
  conv = FirstLive("Conv");
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->epilogue, nullptr);
}

TEST_F(NnOpsTest, BatchNormAndReluFoldIntoConv) {
  const Dims x_dims = {1, 3, 7, 8};
  std::vector<float> w = Random(4 * 3 * 9, 2), b = Random(4, 3);
  std::vector<float> gamma = Random(4, 4), beta = Random(4, 5), mean = Random(4, 6);
  std::vector<float> var = Random(4, 7, 0.5f, 2.0f);
  GraphWriter g;
  g.Input("x", testing::kFloat, x_dims)
      .Initializer("w", {4, 3, 3, 3}, w)
      .Initializer("b", {4}, b)
      .Initializer("gamma", {4}, gamma)
      .Initializer("beta", {4}, beta)
      .Initializer("mean", {4}, mean)
      .Initializer("var", {4}, var)
      .Node("Conv", {"x", "w", "b"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})})
      .Node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"n"},
            {Attr::Float("epsilon", 1e-3f)})
      .Node("Relu", {"n"}, {"y"})
      .Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  EXPECT_EQ(LiveNodes("BatchNormalization") + LiveNodes("Relu"), 0u);
  EXPECT_EQ(interpreter_->plan().step_count, 1u);
  std::vector<float> x = Random(Count(x_dims), 1);
  Run({x});

  ConvCase c = Conv(x_dims, 4, {3, 3});
  c.window.pads = {1, 1, 1, 1};
  std::vector<float> expected = NaiveConv(c, x, w, b);
  const int64_t plane = 7 * 8;
  for (size_t i = 0; i < expected.size(); ++i) {
    const size_t ch = (i / plane) % 4;
    float v = (expected[i] - mean[ch]) / std::sqrt(var[ch] + 1e-3f) * gamma[ch] + beta[ch];
    expected[i] = std::max(v, 0.0f);
  }
  ExpectNear(expected, output().data<float>());
}

class ConvErrorTest : public NnOpsTest {
 protected:
  void Expect(const GraphWriter& g, Status status, const std::string& message) {
    EXPECT_EQ(Load(g.Model()), status) << error();
    EXPECT_NE(error().find(message), std::string::npos) << error();
  }
  static GraphWriter ConvGraph(Dims x, Dims w, std::vector<Attr> attrs, bool bias = false,
                               Dims b = {}) {
    GraphWriter g;
    g.Input("x", testing::kFloat, x).Input("w", testing::kFloat, w);
    std::vector<std::string> inputs = {"x", "w"};
    if (bias) {
      g.Input("b", testing::kFloat, b);
      inputs.push_back("b");
    }
    g.Node("Conv", inputs, {"y"}, attrs, "conv").Output("y");
    return g;
  }
};

TEST_F(ConvErrorTest, ReportsBadModels) {
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3, 3}, {Attr::Int("group", 2)}), Status::kInvalidModel,
         "node 'conv' (Conv): the input has 4 channels and group is 2, so the weights need 2 "
         "input channels, they have 4");
  Expect(ConvGraph({1, 4, 8, 8}, {3, 2, 3, 3}, {Attr::Int("group", 2)}), Status::kInvalidModel,
         "3 output channels do not divide into 2 groups");
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3, 3}, {Attr::Int("group", 0)}), Status::kInvalidModel,
         "group must be between 1 and the input's 4 channels, is 0");
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3, 3}, {}, true, {3}), Status::kInvalidModel,
         "bias has shape [3], expected [2]");
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3, 3}, {Attr::String("auto_pad", "SAME")}),
         Status::kInvalidModel, "auto_pad 'SAME' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3, 3}, {IntsAttr("kernel_shape", {3, 5})}),
         Status::kInvalidModel, "kernel_shape[1] = 5 does not match the weights' size 3");
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3, 3}, {IntsAttr("strides", {1})}), Status::kInvalidModel,
         "attribute 'strides' has 1 values, expected 2");
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3, 3}, {IntsAttr("strides", {1, 0})}),
         Status::kInvalidModel, "attribute 'strides' value 0 is out of range");
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3, 3}, {IntsAttr("pads", {0, -1, 0, 0})}),
         Status::kInvalidModel, "attribute 'pads' value -1 is out of range");
  Expect(ConvGraph({1, 4, 2, 8}, {2, 4, 3, 3}, {}), Status::kInvalidModel,
         "the window (3 with dilation) is larger than the padded input (2) along spatial axis 0");
  Expect(ConvGraph({1, 4, 8, 8}, {2, 4, 3}, {}), Status::kInvalidModel,
         "the weights have rank 3, the input rank 4");
  Expect(ConvGraph({1, 1, 2, 2, 2, 2}, {1, 1, 1, 1, 1, 1}, {}), Status::kUnsupported,
         "input has rank 6; 1-D to 3-D windows (input rank 3 to 5) are supported");
}

// ---------------------------------------------------------------------------
// Pooling

enum class PoolKind { kMax, kAverage };

struct PoolCase {
  WindowCase window;
  PoolKind kind = PoolKind::kMax;
  bool count_include_pad = false;
  bool indices = false;
  int64_t storage_order = 0;
};

// Values and (for max) the flat index of each maximum.
void NaivePool(const PoolCase& c, const std::vector<float>& x, std::vector<float>* y,
               std::vector<int64_t>* indices) {
  const WindowCase& win = c.window;
  const auto plan = win.Plan();
  const Dims out_spatial = OutputSpatial(plan);
  const Dims in_spatial(win.x.begin() + 2, win.x.end());
  const int64_t planes = win.x[0] * win.x[1];
  for (int64_t p = 0; p < planes; ++p) {
    Dims o(out_spatial.size(), 0);
    do {
      float best = -std::numeric_limits<float>::infinity();
      int64_t best_index = -1;
      double sum = 0.0;
      int64_t inside = 0, padded = 0;
      ForEachTap(
          win, plan, o,
          [&](const Dims& in) {
            float v = x[p * Count(in_spatial) + Offset(in_spatial, in)];
            if (best_index < 0 || v > best) {
              best = v;
              // Column-major: the first spatial axis varies fastest.
              int64_t flat = 0;
              if (c.storage_order == 1) {
                for (size_t i = in.size(); i-- > 0;) flat = flat * in_spatial[i] + in[i];
              } else {
                flat = Offset(in_spatial, in);
              }
              best_index = p * Count(in_spatial) + flat;
            }
            sum += v;
            ++inside;
            ++padded;
          },
          [&] { ++padded; });
      if (c.kind == PoolKind::kMax) {
        y->push_back(best);
        indices->push_back(best_index);
      } else {
        y->push_back(static_cast<float>(sum / (c.count_include_pad ? padded : inside)));
      }
    } while (Next(out_spatial, &o));
  }
}

class PoolTest : public NnOpsTest, public ::testing::WithParamInterface<PoolCase> {};

TEST_P(PoolTest, MatchesNaivePooling) {
  const PoolCase& c = GetParam();
  std::vector<float> x = Random(Count(c.window.x), 11);
  std::vector<Attr> attrs = c.window.Attrs();
  if (c.count_include_pad) attrs.push_back(Attr::Int("count_include_pad", 1));
  if (c.storage_order != 0) attrs.push_back(Attr::Int("storage_order", c.storage_order));
  std::vector<std::string> outputs = {"y"};
  if (c.indices) outputs.push_back("i");
  GraphWriter g;
  g.Input("x", testing::kFloat, c.window.x)
      .Node(c.kind == PoolKind::kMax ? "MaxPool" : "AveragePool", {"x"}, outputs, attrs)
      .Output("y");
  if (c.indices) g.Output("i", testing::kInt64);
  ASSERT_EQ(Load(g.Model(12)), Status::kOk) << error();
  Run({x});
  std::vector<float> expected;
  std::vector<int64_t> expected_indices;
  NaivePool(c, x, &expected, &expected_indices);
  Dims expected_dims = {c.window.x[0], c.window.x[1]};
  for (const AxisPlan& a : c.window.Plan()) expected_dims.push_back(a.out);
  ASSERT_EQ(OutputDims(), expected_dims);
  ExpectNear(expected, output().data<float>());
  if (c.indices) {
    ASSERT_EQ(OutputDims(1), expected_dims);
    const int64_t* actual = output(1).data<int64_t>();
    for (size_t i = 0; i < expected_indices.size(); ++i) {
      EXPECT_EQ(actual[i], expected_indices[i]) << "element " << i;
    }
  }
}

PoolCase Pool(PoolKind kind, Dims x, Dims kernel) {
  PoolCase c;
  c.kind = kind;
  c.window.x = x;
  c.window.kernel = kernel;
  return c;
}

std::vector<PoolCase> PoolCases() {
  std::vector<PoolCase> cases;
  for (PoolKind kind : {PoolKind::kMax, PoolKind::kAverage}) {
    PoolCase c = Pool(kind, {1, 2, 8, 8}, {2, 2});
    c.window.strides = {2, 2};
    cases.push_back(c);
    c = Pool(kind, {2, 3, 9, 10}, {3, 3});
    c.window.pads = {1, 0, 2, 1};
    c.window.strides = {2, 2};
    cases.push_back(c);
    c.count_include_pad = true;
    cases.push_back(c);
    c = Pool(kind, {1, 2, 7, 8}, {3, 2});
    c.window.strides = {2, 3};
    c.window.ceil_mode = true;
    cases.push_back(c);
    c.window.pads = {1, 1, 1, 1};
    c.count_include_pad = true;  // the ceil overflow past the end pad never counts
    cases.push_back(c);
    for (const char* mode : {"SAME_UPPER", "SAME_LOWER", "VALID"}) {
      c = Pool(kind, {1, 2, 7, 6}, {3, 2});
      c.window.auto_pad = mode;
      c.window.strides = {2, 2};
      cases.push_back(c);
    }
    c = Pool(kind, {1, 3, 20}, {4});  // 1-D
    c.window.strides = {3};
    c.window.pads = {2, 1};
    cases.push_back(c);
    c = Pool(kind, {1, 2, 4, 5, 6}, {2, 2, 3});  // 3-D
    c.window.strides = {2, 1, 2};
    cases.push_back(c);
    c = Pool(kind, {1, 1, 9, 9}, {2, 3});
    c.window.dilations = {2, 2};
    c.window.pads = {1, 1, 1, 1};
    cases.push_back(c);
  }
  PoolCase c = Pool(PoolKind::kMax, {2, 2, 7, 5}, {3, 2});
  c.window.pads = {1, 1, 1, 0};
  c.indices = true;
  cases.push_back(c);
  c.storage_order = 1;
  cases.push_back(c);
  c = Pool(PoolKind::kMax, {1, 2, 3, 4, 5}, {2, 2, 2});
  c.indices = true;
  c.storage_order = 1;
  cases.push_back(c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, PoolTest, ::testing::ValuesIn(PoolCases()));

TEST_F(NnOpsTest, MaxPoolOnInt8AndUint8) {
  const int8_t x_signed[] = {-100, 5, -3, 7, 0, -128, 127, 1, 2, -5, 9, -9};
  GraphWriter g;
  g.Input("x", testing::kInt8, {1, 1, 3, 4})
      .Node("MaxPool", {"x"}, {"y"}, {IntsAttr("kernel_shape", {2, 2}), IntsAttr("strides", {1, 2}),
                                     IntsAttr("pads", {0, 0, 1, 0})})
      .Output("y", testing::kInt8);
  ASSERT_EQ(Load(g.Model(12)), Status::kOk) << error();
  std::memcpy(interpreter_->input(0).raw, x_signed, sizeof(x_signed));
  ASSERT_EQ(interpreter_->Invoke(), Status::kOk);
  const int8_t expected_signed[] = {5, 127, 2, 127, 2, 9};
  ASSERT_EQ(output().ElementCount(), 6);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(output().data<int8_t>()[i], expected_signed[i]);

  const uint8_t x_unsigned[] = {200, 5, 3, 7, 0, 128, 255, 1, 2, 50, 9, 9};
  GraphWriter u;
  u.Input("x", testing::kUint8, {1, 1, 3, 4})
      .Node("GlobalMaxPool", {"x"}, {"y"})
      .Output("y", testing::kUint8);
  ASSERT_EQ(Load(u.Model(12)), Status::kOk) << error();
  std::memcpy(interpreter_->input(0).raw, x_unsigned, sizeof(x_unsigned));
  ASSERT_EQ(interpreter_->Invoke(), Status::kOk);
  EXPECT_EQ(output().data<uint8_t>()[0], 255);
}

TEST_F(NnOpsTest, GlobalPoolsReduceAllSpatialAxes) {
  for (const Dims& dims : {Dims{2, 3, 7}, Dims{1, 4, 5, 6}, Dims{2, 2, 3, 4, 5}, Dims{1, 2, 2, 2, 2, 3}}) {
    const int64_t planes = dims[0] * dims[1];
    const int64_t plane = Count(dims) / planes;
    std::vector<float> x = Random(Count(dims), 21);
    std::vector<float> mean, max;
    for (int64_t p = 0; p < planes; ++p) {
      double sum = 0;
      float best = -std::numeric_limits<float>::infinity();
      for (int64_t i = 0; i < plane; ++i) {
        sum += x[p * plane + i];
        best = std::max(best, x[p * plane + i]);
      }
      mean.push_back(static_cast<float>(sum / plane));
      max.push_back(best);
    }
    Dims expected_dims = dims;
    std::fill(expected_dims.begin() + 2, expected_dims.end(), 1);
    for (const char* op : {"GlobalAveragePool", "GlobalMaxPool"}) {
      GraphWriter g;
      g.Input("x", testing::kFloat, dims).Node(op, {"x"}, {"y"}).Output("y");
      ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
      Run({x});
      EXPECT_EQ(OutputDims(), expected_dims) << op;
      ExpectNear(std::string(op) == "GlobalMaxPool" ? max : mean, output().data<float>());
    }
  }
}

TEST_F(NnOpsTest, PoolingReportsBadAttributes) {
  struct Bad {
    const char* op;
    std::vector<Attr> attrs;
    Status status;
    const char* message;
  };
  const std::vector<Bad> cases = {
      {"MaxPool", {}, Status::kInvalidModel, "node 'pool' (MaxPool): attribute 'kernel_shape' is required"},
      {"MaxPool", {IntsAttr("kernel_shape", {2, 2}), Attr::Int("storage_order", 2)},
       Status::kInvalidModel, "storage_order must be 0 or 1, is 2"},
      {"MaxPool", {IntsAttr("kernel_shape", {2, 2}), Attr::Int("ceil_mode", 3)},
       Status::kInvalidModel, "ceil_mode must be 0 or 1, is 3"},
      {"MaxPool", {IntsAttr("kernel_shape", {2, 2, 2})}, Status::kInvalidModel,
       "attribute 'kernel_shape' has 3 values, expected 2"},
      {"AveragePool", {IntsAttr("kernel_shape", {2, 2}), Attr::Int("count_include_pad", 7)},
       Status::kInvalidModel, "count_include_pad must be 0 or 1, is 7"},
      {"AveragePool", {IntsAttr("kernel_shape", {9, 2})}, Status::kInvalidModel,
       "the window (9 with dilation) is larger than the padded input (6) along spatial axis 0"},
  };
  for (const Bad& bad : cases) {
    GraphWriter g;
    g.Input("x", testing::kFloat, {1, 2, 6, 6}).Node(bad.op, {"x"}, {"y"}, bad.attrs, "pool").Output("y");
    EXPECT_EQ(Load(g.Model()), bad.status) << error();
    EXPECT_NE(error().find(bad.message), std::string::npos) << error();
  }
  GraphWriter g;
  g.Input("x", testing::kInt32, {1, 2, 6, 6})
      .Node("MaxPool", {"x"}, {"y"}, {IntsAttr("kernel_shape", {2, 2})}, "pool")
      .Output("y", testing::kInt32);
  EXPECT_EQ(Load(g.Model()), Status::kUnsupported);
  EXPECT_NE(error().find("has dtype int32, which this op does not support"), std::string::npos) << error();
}

// ---------------------------------------------------------------------------
// Gemm

struct GemmCase {
  int64_t m, n, k;
  bool trans_a = false, trans_b = false;
  float alpha = 1.0f, beta = 1.0f;
  bool has_c = true;
  Dims c_dims;
  bool constant_b_and_c = true;
  bool expect_epilogue = false;
};

class GemmTest : public NnOpsTest, public ::testing::WithParamInterface<GemmCase> {};

TEST_P(GemmTest, MatchesNaiveGemm) {
  const GemmCase& c = GetParam();
  const Dims a_dims = c.trans_a ? Dims{c.k, c.m} : Dims{c.m, c.k};
  const Dims b_dims = c.trans_b ? Dims{c.n, c.k} : Dims{c.k, c.n};
  std::vector<float> a = Random(Count(a_dims), 31), b = Random(Count(b_dims), 32);
  std::vector<float> cv = Random(Count(c.c_dims), 33);
  GraphWriter g;
  g.Input("a", testing::kFloat, a_dims);
  std::vector<std::vector<float>> inputs = {a};
  if (c.constant_b_and_c) {
    g.Initializer("b", b_dims, b);
    if (c.has_c) g.Initializer("c", c.c_dims, cv);
  } else {
    g.Input("b", testing::kFloat, b_dims);
    inputs.push_back(b);
    if (c.has_c) {
      g.Input("c", testing::kFloat, c.c_dims);
      inputs.push_back(cv);
    }
  }
  std::vector<std::string> names = {"a", "b"};
  if (c.has_c) names.push_back("c");
  g.Node("Gemm", names, {"y"},
         {Attr::Int("transA", c.trans_a), Attr::Int("transB", c.trans_b),
          Attr::Float("alpha", c.alpha), Attr::Float("beta", c.beta)})
      .Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  const PreparedNode* gemm = FirstLive("Gemm");
  ASSERT_NE(gemm, nullptr);
  EXPECT_EQ(gemm->epilogue != nullptr, c.expect_epilogue);
  Run(inputs);
  ASSERT_EQ(OutputDims(), (Dims{c.m, c.n}));

  // C broadcast from the right to [m, n].
  const int64_t c_rows = c.c_dims.size() == 2 ? c.c_dims[0] : 1;
  const int64_t c_cols = c.c_dims.empty() ? 1 : c.c_dims.back();
  std::vector<float> expected;
  for (int64_t i = 0; i < c.m; ++i) {
    for (int64_t j = 0; j < c.n; ++j) {
      double acc = 0;
      for (int64_t p = 0; p < c.k; ++p) {
        float av = c.trans_a ? a[p * c.m + i] : a[i * c.k + p];
        float bv = c.trans_b ? b[j * c.k + p] : b[p * c.n + j];
        acc += static_cast<double>(av) * bv;
      }
      double y = c.alpha * acc;
      if (c.has_c) y += c.beta * cv[(c_rows == 1 ? 0 : i) * c_cols + (c_cols == 1 ? 0 : j)];
      expected.push_back(static_cast<float>(y));
    }
  }
  ExpectNear(expected, output().data<float>());
}

std::vector<GemmCase> GemmCases() {
  std::vector<GemmCase> cases;
  GemmCase c{3, 5, 7};
  c.c_dims = {5};
  c.expect_epilogue = true;  // Linear layer: bias per column
  cases.push_back(c);
  c.trans_b = true;
  c.c_dims = {1, 5};
  cases.push_back(c);
  c.has_c = false;
  c.c_dims = {};
  c.alpha = 1.0f;
  cases.push_back(c);
  for (bool trans_a : {false, true}) {
    for (bool trans_b : {false, true}) {
      GemmCase t{4, 6, 9};
      t.trans_a = trans_a;
      t.trans_b = trans_b;
      t.alpha = 0.5f;
      t.beta = -1.5f;
      t.c_dims = {4, 6};
      cases.push_back(t);
    }
  }
  for (const Dims& c_dims : {Dims{}, Dims{1}, Dims{4, 1}, Dims{1, 1}, Dims{4, 6}}) {
    GemmCase t{4, 6, 3};
    t.c_dims = c_dims;
    cases.push_back(t);
  }
  c = GemmCase{2, 3, 4};
  c.c_dims = {3};
  c.beta = 2.0f;  // beta != 1: applied generically
  cases.push_back(c);
  c.beta = 1.0f;
  c.constant_b_and_c = false;  // C fed at run time
  cases.push_back(c);
  c = GemmCase{1, 10, 37};
  c.trans_b = true;
  c.c_dims = {10};
  c.expect_epilogue = true;
  cases.push_back(c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, GemmTest, ::testing::ValuesIn(GemmCases()));

TEST_F(NnOpsTest, GemmReportsBadShapes) {
  auto expect = [&](Dims a, Dims b, Dims c, std::vector<Attr> attrs, const char* message) {
    GraphWriter g;
    g.Input("a", testing::kFloat, a).Input("b", testing::kFloat, b);
    std::vector<std::string> names = {"a", "b"};
    if (!c.empty()) {
      g.Input("c", testing::kFloat, c);
      names.push_back("c");
    }
    g.Node("Gemm", names, {"y"}, attrs, "fc").Output("y");
    EXPECT_EQ(Load(g.Model()), Status::kInvalidModel) << error();
    EXPECT_NE(error().find(message), std::string::npos) << error();
  };
  expect({2, 3}, {4, 5}, {}, {}, "node 'fc' (Gemm): A' has 3 columns but B' has 4 rows");
  expect({2, 3}, {3, 5}, {3, 5}, {}, "C has shape [3, 5], which does not broadcast to [2, 5]");
  expect({2, 3}, {3, 5}, {2}, {}, "C has shape [2], which does not broadcast to [2, 5]");
  expect({2, 3, 1}, {3, 5}, {}, {}, "A and B must be matrices, have ranks 3 and 2");
  expect({2, 3}, {3, 5}, {}, {Attr::Int("transA", 2)}, "transA must be 0 or 1, is 2");
}

TEST_F(NnOpsTest, BatchNormFoldsIntoGemm) {
  std::vector<float> w = Random(6 * 5, 41), bias = Random(6, 42), gamma = Random(6, 43),
                     beta = Random(6, 44), mean = Random(6, 45), var = Random(6, 46, 0.5f, 2.0f);
  GraphWriter g;
  g.Input("x", testing::kFloat, {2, 5})
      .Initializer("w", {6, 5}, w)
      .Initializer("bias", {6}, bias)
      .Initializer("gamma", {6}, gamma)
      .Initializer("beta", {6}, beta)
      .Initializer("mean", {6}, mean)
      .Initializer("var", {6}, var)
      .Node("Gemm", {"x", "w", "bias"}, {"f"}, {Attr::Int("transB", 1)})
      .Node("BatchNormalization", {"f", "gamma", "beta", "mean", "var"}, {"y"})
      .Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  EXPECT_EQ(LiveNodes("BatchNormalization"), 0u);
  std::vector<float> x = Random(10, 47);
  Run({x});
  std::vector<float> expected;
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 6; ++j) {
      float acc = bias[j];
      for (int p = 0; p < 5; ++p) acc += x[i * 5 + p] * w[j * 5 + p];
      expected.push_back((acc - mean[j]) / std::sqrt(var[j] + 1e-5f) * gamma[j] + beta[j]);
    }
  }
  ExpectNear(expected, output().data<float>());
}

// ---------------------------------------------------------------------------
// MatMul

struct MatMulCase {
  Dims a, b, y;
};

class MatMulTest : public NnOpsTest, public ::testing::WithParamInterface<MatMulCase> {};

// numpy matmul by the definition: promote 1-D operands, broadcast the batch
// axes, multiply each pair of matrices.
std::vector<float> NaiveMatMul(Dims a_dims, Dims b_dims, const std::vector<float>& a,
                               const std::vector<float>& b) {
  if (a_dims.size() == 1) a_dims.insert(a_dims.begin(), 1);
  if (b_dims.size() == 1) b_dims.push_back(1);
  const int64_t m = a_dims[a_dims.size() - 2], k = a_dims.back(), n = b_dims.back();
  const size_t rank = std::max(a_dims.size(), b_dims.size()) - 2;
  Dims a_batch(rank, 1), b_batch(rank, 1), batch(rank);
  for (size_t i = 0; i < a_dims.size() - 2; ++i) a_batch[rank - (a_dims.size() - 2) + i] = a_dims[i];
  for (size_t i = 0; i < b_dims.size() - 2; ++i) b_batch[rank - (b_dims.size() - 2) + i] = b_dims[i];
  for (size_t i = 0; i < rank; ++i) batch[i] = std::max(a_batch[i], b_batch[i]);
  std::vector<float> y;
  Dims index(rank, 0);
  do {
    Dims ai(rank), bi(rank);
    for (size_t i = 0; i < rank; ++i) {
      ai[i] = a_batch[i] == 1 ? 0 : index[i];
      bi[i] = b_batch[i] == 1 ? 0 : index[i];
    }
    const int64_t a0 = Offset(a_batch, ai) * m * k, b0 = Offset(b_batch, bi) * k * n;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < k; ++p) acc += static_cast<double>(a[a0 + i * k + p]) * b[b0 + p * n + j];
        y.push_back(static_cast<float>(acc));
      }
    }
  } while (Next(batch, &index));
  return y;
}

TEST_P(MatMulTest, MatchesNumpySemantics) {
  const MatMulCase& c = GetParam();
  std::vector<float> a = Random(Count(c.a), 51), b = Random(Count(c.b), 52);
  GraphWriter g;
  g.Input("a", testing::kFloat, c.a).Input("b", testing::kFloat, c.b).Node("MatMul", {"a", "b"}, {"y"}).Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  Run({a, b});
  ASSERT_EQ(OutputDims(), c.y);
  ExpectNear(NaiveMatMul(c.a, c.b, a, b), output().data<float>());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MatMulTest,
    ::testing::Values(MatMulCase{{3, 4}, {4, 5}, {3, 5}}, MatMulCase{{4}, {4}, {}},
                      MatMulCase{{4}, {4, 6}, {6}}, MatMulCase{{3, 4}, {4}, {3}},
                      MatMulCase{{4}, {2, 4, 3}, {2, 3}}, MatMulCase{{2, 3, 4}, {4}, {2, 3}},
                      MatMulCase{{2, 3, 4}, {2, 4, 5}, {2, 3, 5}},
                      MatMulCase{{2, 1, 3, 4}, {3, 4, 5}, {2, 3, 3, 5}},
                      MatMulCase{{1, 3, 4}, {2, 1, 4, 2}, {2, 1, 3, 2}},
                      MatMulCase{{5, 2, 3}, {3, 7}, {5, 2, 7}}));

TEST_F(NnOpsTest, MatMulReportsMismatchedShapes) {
  auto expect = [&](Dims a, Dims b, const char* message) {
    GraphWriter g;
    g.Input("a", testing::kFloat, a).Input("b", testing::kFloat, b).Node("MatMul", {"a", "b"}, {"y"}, {}, "mm").Output("y");
    EXPECT_EQ(Load(g.Model()), Status::kInvalidModel) << error();
    EXPECT_NE(error().find(message), std::string::npos) << error();
  };
  expect({3, 4}, {5, 6}, "node 'mm' (MatMul): A has 4 columns but B has 5 rows");
  expect({2, 3, 4}, {3, 4, 5}, "batch axes do not broadcast: 2 vs 3 at axis 0");
  expect({4}, {5}, "A has 4 columns but B has 5 rows");
}

// ---------------------------------------------------------------------------
// Weights read in place

// Conv, Gemm and MatMul read their weights (input 1) from the model bytes
// even when raw_data starts at an odd address. Lengthening the weight's name
// moves its raw_data one byte at a time.
TEST_F(NnOpsTest, UnalignedWeightsAreReadInPlace) {
  struct Case {
    const char* op;
    Dims x, w;
  };
  const Case cases[] = {
      {"Conv", {1, 2, 5, 6}, {3, 2, 3, 3}},
      {"Conv", {1, 6, 4, 5}, {3, 6, 1, 1}},  // pointwise: the matrix-product path
      {"Gemm", {2, 18}, {18, 3}},
      {"MatMul", {2, 18}, {18, 3}},
  };
  for (const Case& c : cases) {
    const std::vector<float> x = Random(Count(c.x), 81), w = Random(Count(c.w), 82);
    std::vector<float> expected;
    if (std::string(c.op) == "Conv") {
      ConvCase conv = Conv(c.x, c.w[0], Dims(c.w.begin() + 2, c.w.end()));
      conv.bias = false;
      expected = NaiveConv(conv, x, w, {});
    } else {
      expected = NaiveMatMul(c.x, c.w, x, w);
    }
    bool read_unaligned = false;
    for (int extra = 0; extra < 4; ++extra) {
      const std::string name = "w" + std::string(extra, '_');
      GraphWriter g;
      g.Input("x", testing::kFloat, c.x).Initializer(name, c.w, w).Node(c.op, {"x", name}, {"y"}).Output("y");
      ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
      const Graph& graph = interpreter_->graph();
      for (uint32_t v = 0; v < graph.value_count; ++v) {
        if (graph.values[v].name != name.c_str()) continue;
        EXPECT_TRUE(graph.values[v].data_in_model) << c.op << " copied its weights";
        read_unaligned |= graph.values[v].unaligned;
      }
      Run({x});
      ExpectNear(expected, output().data<float>());
    }
    EXPECT_TRUE(read_unaligned) << c.op;
  }
}

// ---------------------------------------------------------------------------
// BatchNormalization

TEST_F(NnOpsTest, BatchNormMatchesDefinitionForAnyRank) {
  for (const Dims& dims : {Dims{3, 4}, Dims{2, 4, 5}, Dims{2, 4, 3, 5}, Dims{1, 4, 2, 2, 3}}) {
    std::vector<float> x = Random(Count(dims), 61), gamma = Random(4, 62), beta = Random(4, 63),
                       mean = Random(4, 64), var = Random(4, 65, 0.1f, 2.0f);
    GraphWriter g;
    g.Input("x", testing::kFloat, dims);
    for (const char* name : {"s", "b", "m", "v"}) g.Input(name, testing::kFloat, {4});
    g.Node("BatchNormalization", {"x", "s", "b", "m", "v"}, {"y"}, {Attr::Float("epsilon", 0.01f)})
        .Output("y");
    ASSERT_EQ(Load(g.Model(15)), Status::kOk) << error();
    Run({x, gamma, beta, mean, var});
    const int64_t inner = Count(dims) / (dims[0] * 4);
    std::vector<float> expected;
    for (size_t i = 0; i < x.size(); ++i) {
      const size_t c = (i / inner) % 4;
      expected.push_back((x[i] - mean[c]) / std::sqrt(var[c] + 0.01f) * gamma[c] + beta[c]);
    }
    EXPECT_EQ(OutputDims(), dims);
    ExpectNear(expected, output().data<float>());
  }
}

TEST_F(NnOpsTest, BatchNormRejectsTrainingMode) {
  auto load = [&](std::vector<Attr> attrs, std::vector<std::string> outputs, Dims param = {3}) {
    GraphWriter g;
    g.Input("x", testing::kFloat, {2, 3, 4});
    for (const char* name : {"s", "b", "m", "v"}) g.Input(name, testing::kFloat, param);
    g.Node("BatchNormalization", {"x", "s", "b", "m", "v"}, outputs, attrs, "bn");
    for (const std::string& o : outputs) g.Output(o);
    return Load(g.Model(15));
  };
  EXPECT_EQ(load({Attr::Int("training_mode", 1)}, {"y"}), Status::kUnsupported);
  EXPECT_EQ(error(), "node 'bn' (BatchNormalization): training_mode=1 is not supported, only "
                     "inference (export the model in eval mode)");
  EXPECT_EQ(load({}, {"y", "running_mean", "running_var"}), Status::kUnsupported);
  EXPECT_NE(error().find("output 1 (training statistics) is requested; only Y is supported"),
            std::string::npos)
      << error();
  EXPECT_EQ(load({}, {"y"}, {4}), Status::kInvalidModel);
  EXPECT_NE(error().find("input 1 has 4 values, expected 3 (one per channel)"), std::string::npos)
      << error();
}

// ---------------------------------------------------------------------------
// Softmax and LogSoftmax

// Normalizes x viewed as [outer, axis, inner].
std::vector<float> NaiveSoftmax(const std::vector<float>& x, int64_t outer, int64_t axis,
                                int64_t inner, bool log) {
  std::vector<float> y(x.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t a) { return (o * axis + a) * inner + i; };
      double max = -INFINITY, sum = 0;
      for (int64_t a = 0; a < axis; ++a) max = std::max<double>(max, x[at(a)]);
      for (int64_t a = 0; a < axis; ++a) sum += std::exp(x[at(a)] - max);
      for (int64_t a = 0; a < axis; ++a) {
        y[at(a)] = static_cast<float>(log ? x[at(a)] - max - std::log(sum) : std::exp(x[at(a)] - max) / sum);
      }
    }
  }
  return y;
}

TEST_F(NnOpsTest, SoftmaxAxisSemanticsFollowTheOpset) {
  const Dims dims = {2, 3, 4, 5};
  std::vector<float> x = Random(Count(dims), 71, -50.0f, 50.0f);  // large values: needs the max
  struct Case {
    int64_t opset;
    bool has_axis;
    int64_t axis;
    int64_t outer, size, inner;
  };
  const Case cases[] = {
      {13, false, 0, 24, 5, 1},  // default -1
      {13, true, 1, 2, 3, 20},   // one axis
      {13, true, -3, 2, 3, 20},
      {13, true, 0, 1, 2, 60},
      {11, false, 0, 2, 60, 1},  // default 1, flattened trailing axes
      {11, true, 2, 6, 20, 1},
      {11, true, -1, 24, 5, 1},
      {11, true, 0, 1, 120, 1},
  };
  for (const Case& c : cases) {
    for (bool log : {false, true}) {
      GraphWriter g;
      std::vector<Attr> attrs;
      if (c.has_axis) attrs.push_back(Attr::Int("axis", c.axis));
      g.Input("x", testing::kFloat, dims).Node(log ? "LogSoftmax" : "Softmax", {"x"}, {"y"}, attrs).Output("y");
      ASSERT_EQ(Load(g.Model(c.opset)), Status::kOk) << error();
      Run({x});
      SCOPED_TRACE("opset " + std::to_string(c.opset) + " axis " + std::to_string(c.axis) +
                   (log ? " log" : ""));
      ExpectNear(NaiveSoftmax(x, c.outer, c.size, c.inner, log), output().data<float>(), 1e-5f);
    }
  }
}

TEST_F(NnOpsTest, SoftmaxRejectsAxisOutOfRange) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {2, 3}).Node("Softmax", {"x"}, {"y"}, {Attr::Int("axis", 2)}, "sm").Output("y");
  EXPECT_EQ(Load(g.Model()), Status::kInvalidModel);
  EXPECT_EQ(error(), "node 'sm' (Softmax): axis 2 is out of range for rank 2");
}

}  // namespace
}  // namespace tinyonnx
