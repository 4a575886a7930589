// Elementwise ops (unary, broadcasting binary, Max/Min, Cast) checked
// against naive implementations written here, on small models built with
// the test ONNX writer.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "onnx_writer.h"
#include "tinyonnx/kernels/elementwise.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {

extern const OpDef kReluOp, kLeakyReluOp, kPReluOp, kClipOp, kSigmoidOp, kTanhOp,
    kHardSigmoidOp, kHardSwishOp, kEluOp, kSqrtOp, kExpOp, kLogOp, kAbsOp, kNegOp,
    kReciprocalOp, kFloorOp, kCeilOp, kAddOp, kSubOp, kMulOp, kDivOp, kPowOp, kMaxOp, kMinOp,
    kCastOp, kConstantOp, kIdentityOp;

namespace {

const OpDef* const kOps[] = {
    &kReluOp,    &kLeakyReluOp, &kPReluOp, &kClipOp,       &kSigmoidOp, &kTanhOp,
    &kHardSigmoidOp, &kHardSwishOp, &kEluOp, &kSqrtOp,     &kExpOp,     &kLogOp,
    &kAbsOp,     &kNegOp,       &kReciprocalOp, &kFloorOp, &kCeilOp,    &kAddOp,
    &kSubOp,     &kMulOp,       &kDivOp,   &kPowOp,        &kMaxOp,     &kMinOp,
    &kCastOp,    &kConstantOp,  &kIdentityOp};
const OpResolver kResolver{kOps, sizeof(kOps) / sizeof(kOps[0])};

// A host tensor: graph input data, initializer, or output read back.
struct Tensor {
  std::string name;
  DType dtype = DType::kFloat;
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes;

  template <typename T>
  static Tensor Of(const std::string& name, DType dtype, std::vector<int64_t> dims,
                   const std::vector<T>& values) {
    Tensor t{name, dtype, std::move(dims), {}};
    t.bytes.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
    EXPECT_EQ(static_cast<int64_t>(values.size()), t.count()) << name;
    return t;
  }
  static Tensor Floats(const std::string& name, std::vector<int64_t> dims,
                       const std::vector<float>& values) {
    return Of(name, DType::kFloat, std::move(dims), values);
  }
  int64_t count() const {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
  }
  template <typename T>
  std::vector<T> values() const {
    std::vector<T> v(bytes.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), bytes.data(), bytes.size());
    return v;
  }
};

using testing::Attr;
Attr IntAttr(const std::string& name, int64_t v) { return Attr::Int(name, v); }
Attr FloatAttr(const std::string& name, float v) { return Attr::Float(name, v); }
Attr StringAttr(const std::string& name, const std::string& v) { return Attr::String(name, v); }

struct NodeSpec {
  std::string op;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<Attr> attributes;
};

struct ModelSpec {
  int64_t opset = 13;
  std::vector<NodeSpec> nodes;
  std::vector<Tensor> inputs;        // graph inputs with the data to run on
  std::vector<Tensor> initializers;  // constants
  std::vector<std::string> outputs;
};

std::string Serialize(const ModelSpec& spec) {
  testing::GraphWriter graph;
  for (const NodeSpec& node : spec.nodes) {
    graph.Node(node.op, node.inputs, node.outputs, node.attributes);
  }
  for (const Tensor& t : spec.initializers) {
    graph.RawInitializer(t.name, static_cast<int>(t.dtype), t.dims,
                         std::string(t.bytes.begin(), t.bytes.end()));
  }
  for (const Tensor& t : spec.inputs) graph.Input(t.name, static_cast<int>(t.dtype), t.dims);
  for (const std::string& name : spec.outputs) graph.Output(name);
  return graph.Model(spec.opset);
}

// Prepares a model and runs it on the data of its graph inputs.
class Harness {
 public:
  explicit Harness(const ModelSpec& spec) : spec_(spec), bytes_(Serialize(spec)) {
    interpreter_ = std::make_unique<Interpreter>(bytes_.data(), bytes_.size(), arena_.data(),
                                                 arena_.size(), kResolver);
    BuildOptions options;
    options.keep_graph = true;  // the tests inspect the prepared graph
    status_ = interpreter_->Prepare(options);
  }

  Status status() const { return status_; }
  std::string error() const { return interpreter_->error(); }
  const Interpreter& interpreter() const { return *interpreter_; }

  std::vector<Tensor> Run() {
    EXPECT_EQ(status_, Status::kOk) << error();
    if (status_ != Status::kOk) return {};
    for (const Tensor& in : spec_.inputs) {
      TensorRef ref = interpreter_->input(interpreter_->FindInput(in.name.c_str()));
      EXPECT_EQ(ref.ByteSize(), in.bytes.size()) << in.name;
      if (!in.bytes.empty()) std::memcpy(ref.raw, in.bytes.data(), in.bytes.size());
    }
    EXPECT_EQ(interpreter_->Invoke(), Status::kOk);
    std::vector<Tensor> outputs;
    for (uint32_t o = 0; o < interpreter_->output_count(); ++o) {
      TensorRef ref = interpreter_->output(o);
      Tensor t;
      t.name = std::string(ref.name.data, ref.name.length());
      t.dtype = ref.dtype;
      for (int d = 0; d < ref.shape.rank; ++d) t.dims.push_back(ref.shape.dims[d]);
      const uint8_t* raw = static_cast<const uint8_t*>(ref.raw);
      if (ref.ByteSize() != 0) t.bytes.assign(raw, raw + ref.ByteSize());
      outputs.push_back(t);
    }
    return outputs;
  }

  // The params of the first live node running `op`.
  const void* ParamsOf(const char* op) const {
    const Graph& graph = interpreter_->graph();
    for (uint32_t n = 0; n < graph.node_count; ++n) {
      if (!graph.nodes[n].removed && graph.nodes[n].View().op_type == op) {
        return graph.prepared[n].params;
      }
    }
    return nullptr;
  }

  // True if the plan step running `op` writes its output over one of its inputs.
  bool RunsInPlace(const char* op) const {
    const ExecutionPlan& plan = interpreter_->plan();
    const Graph& graph = interpreter_->graph();
    for (uint32_t s = 0; s < plan.step_count; ++s) {
      const Node& node = graph.nodes[plan.steps[s].node];
      if (!(node.View().op_type == op)) continue;
      for (uint16_t k = 0; k < node.input_count; ++k) {
        if (plan.steps[s].inputs[k] == plan.steps[s].outputs[0]) return true;
      }
    }
    return false;
  }

 private:
  ModelSpec spec_;
  std::string bytes_;
  std::vector<uint8_t> arena_ = std::vector<uint8_t>(1 << 20);
  std::unique_ptr<Interpreter> interpreter_;
  Status status_;
};

std::vector<float> RandomFloats(int64_t count, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = dist(rng);
  return v;
}

int64_t Count(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

void ExpectFloatsNear(const std::vector<float>& expected, const std::vector<float>& actual,
                      const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i])) << what << " element " << i;
    } else {
      EXPECT_NEAR(expected[i], actual[i], 1e-5 + 1e-5 * std::fabs(expected[i]))
          << what << " element " << i;
    }
  }
}

// One node `op` over graph inputs (all given with data), one output "y".
ModelSpec OneNode(const std::string& op, std::vector<Tensor> inputs,
                  std::vector<Attr> attributes = {}, int64_t opset = 13) {
  ModelSpec spec;
  spec.opset = opset;
  NodeSpec node{op, {}, {"y"}, std::move(attributes)};
  for (const Tensor& t : inputs) node.inputs.push_back(t.name);
  spec.nodes.push_back(node);
  spec.inputs = std::move(inputs);
  spec.outputs = {"y"};
  return spec;
}

// ---------------------------------------------------------------------------
// Unary ops.

struct UnaryCase {
  const char* op;
  std::vector<Attr> attributes;
  std::function<double(double)> naive;
  float lo, hi;  // input range
};

double ClampUnit(double v) { return std::min(1.0, std::max(0.0, v)); }

TEST(ElementwiseUnary, FloatOpsMatchNaive) {
  const UnaryCase cases[] = {
      {"Relu", {}, [](double x) { return x > 0 ? x : 0; }, -3, 3},
      {"LeakyRelu", {}, [](double x) { return x > 0 ? x : 0.01 * x; }, -3, 3},
      {"LeakyRelu", {FloatAttr("alpha", 0.3f)}, [](double x) { return x > 0 ? x : 0.3 * x; }, -3, 3},
      {"Elu", {}, [](double x) { return x > 0 ? x : std::exp(x) - 1; }, -3, 3},
      {"Elu", {FloatAttr("alpha", 0.5f)}, [](double x) { return x > 0 ? x : 0.5 * (std::exp(x) - 1); }, -3, 3},
      {"Sigmoid", {}, [](double x) { return 1 / (1 + std::exp(-x)); }, -8, 8},
      {"Tanh", {}, [](double x) { return std::tanh(x); }, -4, 4},
      {"HardSigmoid", {}, [](double x) { return ClampUnit(0.2 * x + 0.5); }, -4, 4},
      {"HardSigmoid", {FloatAttr("alpha", 0.5f), FloatAttr("beta", 0.6f)},
       [](double x) { return ClampUnit(0.5 * x + 0.6); }, -4, 4},
      {"HardSwish", {}, [](double x) { return x * ClampUnit(x / 6 + 0.5); }, -5, 5},
      {"Sqrt", {}, [](double x) { return std::sqrt(x); }, 0, 9},
      {"Exp", {}, [](double x) { return std::exp(x); }, -5, 5},
      {"Log", {}, [](double x) { return std::log(x); }, 0.01f, 9},
      {"Abs", {}, [](double x) { return std::fabs(x); }, -3, 3},
      {"Neg", {}, [](double x) { return -x; }, -3, 3},
      {"Reciprocal", {}, [](double x) { return 1 / x; }, 0.1f, 4},
      {"Floor", {}, [](double x) { return std::floor(x); }, -3, 3},
      {"Ceil", {}, [](double x) { return std::ceil(x); }, -3, 3},
  };
  uint32_t seed = 1;
  for (const UnaryCase& c : cases) {
    std::vector<int64_t> dims = {2, 3, 5};
    std::vector<float> x = RandomFloats(Count(dims), c.lo, c.hi, seed++);
    Harness h(OneNode(c.op, {Tensor::Floats("x", dims, x)}, c.attributes));
    ASSERT_EQ(h.status(), Status::kOk) << c.op << ": " << h.error();
    std::vector<Tensor> out = h.Run();
    std::vector<float> expected;
    for (float v : x) expected.push_back(static_cast<float>(c.naive(v)));
    ASSERT_EQ(out[0].dims, dims);
    ExpectFloatsNear(expected, out[0].values<float>(), c.op);
  }
}

TEST(ElementwiseUnary, SignedIntegersWrapAtTheLimits) {
  const int32_t lowest = std::numeric_limits<int32_t>::min();
  std::vector<int32_t> x = {lowest, -7, -1, 0, 5, std::numeric_limits<int32_t>::max()};
  struct {
    const char* op;
    std::vector<int32_t> expected;
  } cases[] = {
      {"Abs", {lowest, 7, 1, 0, 5, std::numeric_limits<int32_t>::max()}},
      {"Neg", {lowest, 7, 1, 0, -5, -std::numeric_limits<int32_t>::max()}},
      {"Relu", {0, 0, 0, 0, 5, std::numeric_limits<int32_t>::max()}},
  };
  for (const auto& c : cases) {
    Harness h(OneNode(c.op, {Tensor::Of("x", DType::kInt32, {6}, x)}));
    EXPECT_EQ(h.Run()[0].values<int32_t>(), c.expected) << c.op;
  }
  std::vector<int8_t> x8 = {-128, -3, 0, 3, 127};
  Harness h8(OneNode("Neg", {Tensor::Of("x", DType::kInt8, {5}, x8)}));
  EXPECT_EQ(h8.Run()[0].values<int8_t>(), (std::vector<int8_t>{-128, 3, 0, -3, -127}));
}

TEST(ElementwiseUnary, UnsupportedDtypeNamesTheSupportedOnes) {
  Harness h(OneNode("Sigmoid", {Tensor::Of("x", DType::kInt32, {2}, std::vector<int32_t>{1, 2})}));
  EXPECT_EQ(h.status(), Status::kUnsupported);
  EXPECT_NE(h.error().find("Sigmoid on int32 tensors is not supported (supported: float32)"),
            std::string::npos)
      << h.error();
  Harness relu(OneNode("Relu", {Tensor::Of("x", DType::kUint16, {1}, std::vector<uint16_t>{1})}));
  EXPECT_EQ(relu.status(), Status::kUnsupported);
  EXPECT_NE(relu.error().find("supported: float32, int8, int16, int32, int64"), std::string::npos)
      << relu.error();
}

TEST(ElementwiseUnary, AttributeOfWrongTypeIsInvalid) {
  Harness h(OneNode("LeakyRelu", {Tensor::Floats("x", {1}, {1})}, {IntAttr("alpha", 2)}));
  EXPECT_EQ(h.status(), Status::kInvalidModel);
  EXPECT_NE(h.error().find("alpha"), std::string::npos) << h.error();
}

// ---------------------------------------------------------------------------
// Clip.

std::vector<float> NaiveClip(const std::vector<float>& x, float lo, float hi) {
  std::vector<float> y;
  for (float v : x) y.push_back(std::min(std::max(v, lo), hi));
  return y;
}

TEST(Clip, AttributeBoundsBeforeOpset11) {
  std::vector<float> x = RandomFloats(24, -5, 5, 7);
  Harness h(OneNode("Clip", {Tensor::Floats("x", {4, 6}, x)},
                    {FloatAttr("min", -1.5f), FloatAttr("max", 2.0f)}, /*opset=*/6));
  ExpectFloatsNear(NaiveClip(x, -1.5f, 2.0f), h.Run()[0].values<float>(), "Clip-6");
  Harness only_min(OneNode("Clip", {Tensor::Floats("x", {4, 6}, x)}, {FloatAttr("min", 0.5f)}, 6));
  ExpectFloatsNear(NaiveClip(x, 0.5f, 1e30f), only_min.Run()[0].values<float>(), "Clip-6 min");
}

TEST(Clip, ConstantAndRunTimeBounds) {
  std::vector<float> x = RandomFloats(20, -5, 5, 8);
  // Bounds as initializers.
  ModelSpec constant = OneNode("Clip", {Tensor::Floats("x", {20}, x)});
  constant.nodes[0].inputs = {"x", "lo", "hi"};
  constant.initializers = {Tensor::Floats("lo", {}, {-1}), Tensor::Floats("hi", {}, {3})};
  ExpectFloatsNear(NaiveClip(x, -1, 3), Harness(constant).Run()[0].values<float>(), "constant");
  // Bounds as graph inputs, read when the model runs; min omitted ("").
  ModelSpec runtime = OneNode("Clip", {Tensor::Floats("x", {20}, x), Tensor::Floats("hi", {}, {0.25f})});
  runtime.nodes[0].inputs = {"x", "", "hi"};
  ExpectFloatsNear(NaiveClip(x, -1e30f, 0.25f), Harness(runtime).Run()[0].values<float>(),
                   "run time");
}

TEST(Clip, MinAboveMaxGivesMax) {
  ModelSpec spec = OneNode("Clip", {Tensor::Floats("x", {3}, {-2, 0, 2})});
  spec.nodes[0].inputs = {"x", "lo", "hi"};
  spec.initializers = {Tensor::Floats("lo", {}, {1}), Tensor::Floats("hi", {}, {-1})};
  EXPECT_EQ(Harness(spec).Run()[0].values<float>(), (std::vector<float>{-1, -1, -1}));
}

TEST(Clip, IntegerTensorsDefaultToTheirTypeRange) {
  std::vector<int8_t> x = {-128, -50, 0, 50, 127};
  ModelSpec spec = OneNode("Clip", {Tensor::Of("x", DType::kInt8, {5}, x)});
  spec.nodes[0].inputs = {"x", "lo"};
  spec.initializers = {Tensor::Of("lo", DType::kInt8, {}, std::vector<int8_t>{-10})};
  EXPECT_EQ(Harness(spec).Run()[0].values<int8_t>(), (std::vector<int8_t>{-10, -10, 0, 50, 127}));
  std::vector<int64_t> big = {std::numeric_limits<int64_t>::min(), 0,
                              std::numeric_limits<int64_t>::max()};
  Harness none(OneNode("Clip", {Tensor::Of("x", DType::kInt64, {3}, big)}));
  EXPECT_EQ(none.Run()[0].values<int64_t>(), big);
}

TEST(Clip, BoundsMustBeScalarsOfTheInputDtype) {
  ModelSpec vector_bound = OneNode("Clip", {Tensor::Floats("x", {3}, {1, 2, 3})});
  vector_bound.nodes[0].inputs = {"x", "lo"};
  vector_bound.initializers = {Tensor::Floats("lo", {2}, {0, 1})};
  Harness h(vector_bound);
  EXPECT_EQ(h.status(), Status::kInvalidModel);
  EXPECT_NE(h.error().find("must be a scalar"), std::string::npos) << h.error();
  ModelSpec wrong_type = vector_bound;
  wrong_type.initializers = {Tensor::Of("lo", DType::kInt32, {}, std::vector<int32_t>{0})};
  EXPECT_EQ(Harness(wrong_type).status(), Status::kInvalidModel);
}

// ---------------------------------------------------------------------------
// Broadcasting binary ops.

// The flat index into a tensor of `in` dims read for output element `flat`
// of `out` dims under numpy broadcasting.
int64_t BroadcastIndex(const std::vector<int64_t>& in, const std::vector<int64_t>& out,
                       int64_t flat) {
  int64_t index = 0;
  int64_t in_stride = 1;
  for (int d = static_cast<int>(out.size()) - 1; d >= 0; --d) {
    int64_t coordinate = flat % out[d];
    flat /= out[d];
    int in_d = d - static_cast<int>(out.size() - in.size());
    if (in_d < 0) continue;
    if (in[in_d] != 1) index += coordinate * in_stride;
    in_stride *= in[in_d];
  }
  return index;
}

std::vector<int64_t> BroadcastDims(std::vector<int64_t> a, std::vector<int64_t> b) {
  while (a.size() < b.size()) a.insert(a.begin(), 1);
  while (b.size() < a.size()) b.insert(b.begin(), 1);
  for (size_t i = 0; i < a.size(); ++i) a[i] = a[i] == 1 ? b[i] : a[i];
  return a;
}

template <typename T>
std::vector<T> NaiveBinary(const Tensor& a, const Tensor& b, const std::function<T(T, T)>& op) {
  std::vector<int64_t> out = BroadcastDims(a.dims, b.dims);
  std::vector<T> av = a.values<T>(), bv = b.values<T>(), result;
  for (int64_t i = 0; i < Count(out); ++i) {
    result.push_back(op(av[BroadcastIndex(a.dims, out, i)], bv[BroadcastIndex(b.dims, out, i)]));
  }
  return result;
}

struct ShapePair {
  std::vector<int64_t> a, b;
};

const ShapePair kShapePairs[] = {
    {{2, 3, 4}, {2, 3, 4}},        // same shape
    {{2, 3, 4}, {}},               // scalar
    {{}, {2, 3, 4}},               // scalar first
    {{2, 3, 4}, {1}},              // one element
    {{2, 3, 4}, {4}},              // trailing dim
    {{2, 3, 4, 5}, {3, 1, 1}},     // per-channel bias on NCHW
    {{1, 3, 1, 1}, {2, 3, 4, 5}},  // per-channel, operand first
    {{4, 1, 5}, {3, 1}},           // both broadcast
    {{1, 2, 1, 3}, {2, 1, 4, 1}},  // alternating
    {{2, 1}, {1, 1}},
    {{1, 1}, {1}},                 // everything of size 1
    {{3, 0, 2}, {2}},              // empty
};

TEST(Broadcast, FloatArithmeticMatchesNaive) {
  struct Op {
    const char* name;
    std::function<float(float, float)> fn;
  } ops[] = {
      {"Add", [](float a, float b) { return a + b; }},
      {"Sub", [](float a, float b) { return a - b; }},
      {"Mul", [](float a, float b) { return a * b; }},
      {"Div", [](float a, float b) { return a / b; }},
      {"Pow", [](float a, float b) { return std::pow(a, b); }},
      {"Max", [](float a, float b) { return std::max(a, b); }},
      {"Min", [](float a, float b) { return std::min(a, b); }},
  };
  uint32_t seed = 100;
  for (const Op& op : ops) {
    for (const ShapePair& shapes : kShapePairs) {
      // Positive operands keep Pow real and Div finite.
      Tensor a = Tensor::Floats("a", shapes.a, RandomFloats(Count(shapes.a), 0.5f, 3, seed++));
      Tensor b = Tensor::Floats("b", shapes.b, RandomFloats(Count(shapes.b), 0.5f, 3, seed++));
      Harness h(OneNode(op.name, {a, b}));
      ASSERT_EQ(h.status(), Status::kOk) << op.name << ": " << h.error();
      std::vector<Tensor> out = h.Run();
      std::string what = std::string(op.name) + " of shapes " + std::to_string(shapes.a.size()) +
                         "-d and " + std::to_string(shapes.b.size()) + "-d";
      EXPECT_EQ(out[0].dims, BroadcastDims(shapes.a, shapes.b)) << what;
      ExpectFloatsNear(NaiveBinary<float>(a, b, op.fn), out[0].values<float>(), what);
    }
  }
}

TEST(Broadcast, CollapsesIntoContiguousRuns) {
  struct {
    ShapePair shapes;
    int rank;
    std::vector<int32_t> dims;
    std::vector<int32_t> a_strides, b_strides;
  } cases[] = {
      // Same shape: one run over everything.
      {{{2, 3, 4}, {2, 3, 4}}, 1, {24}, {1}, {1}},
      // Scalar: one run, the scalar stays put.
      {{{2, 3, 4}, {}}, 1, {24}, {1}, {0}},
      // Conv-style bias: N*C runs of H*W, the bias fixed within a run.
      {{{2, 8, 4, 4}, {8, 1, 1}}, 3, {2, 8, 16}, {128, 16, 1}, {0, 1, 0}},
      // Batch 1 drops out: C runs.
      {{{1, 8, 4, 4}, {1, 8, 1, 1}}, 2, {8, 16}, {16, 1}, {1, 0}},
      // Trailing vector: rows of the vector.
      {{{6, 5}, {5}}, 2, {6, 5}, {5, 1}, {0, 1}},
  };
  for (const auto& c : cases) {
    Tensor a = Tensor::Floats("a", c.shapes.a, std::vector<float>(Count(c.shapes.a), 1));
    Tensor b = Tensor::Floats("b", c.shapes.b, std::vector<float>(Count(c.shapes.b), 2));
    Harness h(OneNode("Add", {a, b}));
    ASSERT_EQ(h.status(), Status::kOk) << h.error();
    const auto* params = static_cast<const BroadcastParams*>(h.ParamsOf("Add"));
    ASSERT_NE(params, nullptr);
    ASSERT_EQ(params->step_count, 1);
    const BroadcastStep& step = params->steps[0];
    ASSERT_EQ(step.rank, c.rank);
    int32_t runs = 1;
    for (int d = 0; d < c.rank; ++d) {
      EXPECT_EQ(step.dims[d], c.dims[d]) << d;
      EXPECT_EQ(step.a_strides[d], c.a_strides[d]) << d;
      EXPECT_EQ(step.b_strides[d], c.b_strides[d]) << d;
      if (d < c.rank - 1) runs *= c.dims[d];
    }
    EXPECT_EQ(step.run_count, runs);
  }
}

TEST(Broadcast, IncompatibleShapesAreInvalid) {
  Harness h(OneNode("Add", {Tensor::Floats("a", {2, 3}, std::vector<float>(6)),
                            Tensor::Floats("b", {2}, std::vector<float>(2))}));
  EXPECT_EQ(h.status(), Status::kInvalidModel);
  EXPECT_NE(h.error().find("shapes [2, 3] and [2] cannot be broadcast together"),
            std::string::npos)
      << h.error();
}

TEST(Broadcast, MixedDtypesAreInvalid) {
  Harness h(OneNode("Mul", {Tensor::Floats("a", {2}, {1, 2}),
                            Tensor::Of("b", DType::kInt64, {2}, std::vector<int64_t>{1, 2})}));
  EXPECT_EQ(h.status(), Status::kInvalidModel);
  EXPECT_NE(h.error().find("input 1 has dtype int64 but input 0 has float32"), std::string::npos)
      << h.error();
}

TEST(Broadcast, LegacyAxisAttributeBeforeOpset7) {
  std::vector<int64_t> a_dims = {2, 3, 4, 5};
  Tensor a = Tensor::Floats("a", a_dims, RandomFloats(Count(a_dims), -1, 1, 3));
  Tensor b = Tensor::Floats("b", {3}, {10, 20, 30});
  Harness h(OneNode("Add", {a, b}, {IntAttr("broadcast", 1), IntAttr("axis", 1)}, /*opset=*/6));
  ASSERT_EQ(h.status(), Status::kOk) << h.error();
  Tensor b_aligned = Tensor::Floats("b", {3, 1, 1}, {10, 20, 30});
  ExpectFloatsNear(NaiveBinary<float>(a, b_aligned, [](float x, float y) { return x + y; }),
                   h.Run()[0].values<float>(), "legacy axis");
  // Without axis, B aligns with A's trailing dims as in numpy.
  Tensor c = Tensor::Floats("b", {5}, {1, 2, 3, 4, 5});
  Harness trailing(OneNode("Mul", {a, c}, {IntAttr("broadcast", 1)}, 6));
  ExpectFloatsNear(NaiveBinary<float>(a, c, [](float x, float y) { return x * y; }),
                   trailing.Run()[0].values<float>(), "legacy trailing");
  // broadcast = 0 (the default) needs equal shapes.
  Harness strict(OneNode("Add", {a, c}, {}, 6));
  EXPECT_EQ(strict.status(), Status::kInvalidModel);
  EXPECT_NE(strict.error().find("attribute broadcast is 0"), std::string::npos) << strict.error();
  Harness misfit(OneNode("Add", {a, b}, {IntAttr("broadcast", 1), IntAttr("axis", 3)}, 6));
  EXPECT_EQ(misfit.status(), Status::kInvalidModel);
}

// ---------------------------------------------------------------------------
// Integer arithmetic.

TEST(IntegerArithmetic, DivTruncatesTowardZero) {
  const int64_t lowest = std::numeric_limits<int64_t>::min();
  std::vector<int64_t> a = {7, -7, 7, -7, 5, lowest, 9};
  std::vector<int64_t> b = {2, 2, -2, -2, 0, -1, 3};
  Harness h(OneNode("Div", {Tensor::Of("a", DType::kInt64, {7}, a),
                            Tensor::Of("b", DType::kInt64, {7}, b)}));
  // Division by zero is undefined in ONNX; tinyonnx gives 0 instead of trapping.
  EXPECT_EQ(h.Run()[0].values<int64_t>(), (std::vector<int64_t>{3, -3, -3, 3, 0, lowest, 3}));
  Harness h32(OneNode("Div", {Tensor::Of("a", DType::kInt32, {3}, std::vector<int32_t>{-9, 9, 1}),
                              Tensor::Of("b", DType::kInt32, {}, std::vector<int32_t>{4})}));
  EXPECT_EQ(h32.Run()[0].values<int32_t>(), (std::vector<int32_t>{-2, 2, 0}));
}

TEST(IntegerArithmetic, OverflowWrapsAround) {
  const int32_t top = std::numeric_limits<int32_t>::max();
  Harness add(OneNode("Add", {Tensor::Of("a", DType::kInt32, {2}, std::vector<int32_t>{top, -5}),
                              Tensor::Of("b", DType::kInt32, {2}, std::vector<int32_t>{1, 3})}));
  EXPECT_EQ(add.Run()[0].values<int32_t>(),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::min(), -2}));
  Harness mul(OneNode("Mul", {Tensor::Of("a", DType::kUint8, {3}, std::vector<uint8_t>{16, 3, 255}),
                              Tensor::Of("b", DType::kUint8, {3}, std::vector<uint8_t>{16, 5, 2})}));
  EXPECT_EQ(mul.Run()[0].values<uint8_t>(), (std::vector<uint8_t>{0, 15, 254}));
  Harness sub(OneNode("Sub", {Tensor::Of("a", DType::kUint8, {2}, std::vector<uint8_t>{1, 200}),
                              Tensor::Of("b", DType::kUint8, {}, std::vector<uint8_t>{2})}));
  EXPECT_EQ(sub.Run()[0].values<uint8_t>(), (std::vector<uint8_t>{255, 198}));
}

TEST(IntegerArithmetic, BroadcastMatchesNaive) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int64_t> dist(-1000, 1000);
  for (const ShapePair& shapes : kShapePairs) {
    std::vector<int64_t> av(Count(shapes.a)), bv(Count(shapes.b));
    for (int64_t& v : av) v = dist(rng);
    for (int64_t& v : bv) v = dist(rng) | 1;  // odd, so never 0
    Tensor a = Tensor::Of("a", DType::kInt64, shapes.a, av);
    Tensor b = Tensor::Of("b", DType::kInt64, shapes.b, bv);
    EXPECT_EQ(Harness(OneNode("Sub", {a, b})).Run()[0].values<int64_t>(),
              NaiveBinary<int64_t>(a, b, [](int64_t x, int64_t y) { return x - y; }));
    EXPECT_EQ(Harness(OneNode("Div", {a, b})).Run()[0].values<int64_t>(),
              NaiveBinary<int64_t>(a, b, [](int64_t x, int64_t y) { return x / y; }));
  }
}

TEST(IntegerArithmetic, UnsupportedDtypeIsClear) {
  Harness h(OneNode("Add", {Tensor::Of("a", DType::kUint16, {1}, std::vector<uint16_t>{1}),
                            Tensor::Of("b", DType::kUint16, {1}, std::vector<uint16_t>{1})}));
  EXPECT_EQ(h.status(), Status::kUnsupported);
  EXPECT_NE(h.error().find("Add on uint16 tensors is not supported"), std::string::npos)
      << h.error();
}

// ---------------------------------------------------------------------------
// Pow, PRelu.

TEST(Pow, ExponentTypesMayDiffer) {
  Tensor base = Tensor::Floats("x", {2, 3}, {1.5f, -2, 3, 0.5f, -1, 4});
  Tensor exponent = Tensor::Of("e", DType::kInt64, {3}, std::vector<int64_t>{2, 3, -1});
  Harness h(OneNode("Pow", {base, exponent}));
  ExpectFloatsNear({2.25f, -8, 1.0f / 3, 0.25f, -1, 0.25f}, h.Run()[0].values<float>(), "f^i64");
  Harness ints(OneNode("Pow", {Tensor::Of("x", DType::kInt32, {5}, std::vector<int32_t>{3, -2, 2, -1, 7}),
                               Tensor::Of("e", DType::kInt32, {5}, std::vector<int32_t>{4, 3, -1, -3, 0})}));
  EXPECT_EQ(ints.Run()[0].values<int32_t>(), (std::vector<int32_t>{81, -8, 0, -1, 1}));
  Harness int_float(OneNode("Pow", {Tensor::Of("x", DType::kInt64, {2}, std::vector<int64_t>{2, 9}),
                                    Tensor::Floats("e", {2}, {10, 0.5f})}));
  EXPECT_EQ(int_float.Run()[0].values<int64_t>(), (std::vector<int64_t>{1024, 3}));
  Harness bad(OneNode("Pow", {Tensor::Of("b", DType::kInt8, {1}, std::vector<int8_t>{2}),
                              Tensor::Floats("e", {1}, {2})}));
  EXPECT_EQ(bad.status(), Status::kUnsupported);
  EXPECT_NE(bad.error().find("base dtype int8 with exponent dtype float32 is not supported"),
            std::string::npos)
      << bad.error();
}

TEST(PRelu, SlopeBroadcastsToX) {
  std::vector<int64_t> dims = {2, 3, 2, 2};
  Tensor x = Tensor::Floats("x", dims, RandomFloats(Count(dims), -2, 2, 11));
  auto prelu = [](float v, float s) { return v < 0 ? s * v : v; };
  for (std::vector<int64_t> slope_dims : {std::vector<int64_t>{3, 1, 1}, {2}, {1}, dims}) {
    Tensor slope = Tensor::Floats("s", slope_dims, RandomFloats(Count(slope_dims), 0, 1, 12));
    Harness h(OneNode("PRelu", {x, slope}));
    ASSERT_EQ(h.status(), Status::kOk) << h.error();
    ExpectFloatsNear(NaiveBinary<float>(x, slope, prelu), h.Run()[0].values<float>(), "PRelu");
  }
  Harness bigger(OneNode("PRelu", {Tensor::Floats("x", {3}, {1, 2, 3}),
                                   Tensor::Floats("s", {2, 3}, std::vector<float>(6))}));
  EXPECT_EQ(bigger.status(), Status::kInvalidModel);
  EXPECT_NE(bigger.error().find("slope [2, 3] does not broadcast to x [3]"), std::string::npos)
      << bigger.error();
}

// ---------------------------------------------------------------------------
// Max, Min.

TEST(MaxMin, VariadicInputsBroadcastTogether) {
  Tensor a = Tensor::Floats("a", {3, 1}, RandomFloats(3, -1, 1, 21));
  Tensor b = Tensor::Floats("b", {1, 4}, RandomFloats(4, -1, 1, 22));
  Tensor c = Tensor::Floats("c", {4}, RandomFloats(4, -1, 1, 23));
  auto max = [](float x, float y) { return std::max(x, y); };
  auto min = [](float x, float y) { return std::min(x, y); };
  Tensor ab = Tensor::Floats("ab", {3, 4}, NaiveBinary<float>(a, b, max));
  Harness h(OneNode("Max", {a, b, c}));
  ASSERT_EQ(h.status(), Status::kOk) << h.error();
  ExpectFloatsNear(NaiveBinary<float>(ab, c, max), h.Run()[0].values<float>(), "Max");
  Tensor ab_min = Tensor::Floats("ab", {3, 4}, NaiveBinary<float>(a, b, min));
  ExpectFloatsNear(NaiveBinary<float>(ab_min, c, min),
                   Harness(OneNode("Min", {a, b, c})).Run()[0].values<float>(), "Min");
}

TEST(MaxMin, IntegerTypesAndNaN) {
  Harness h(OneNode("Min", {Tensor::Of("a", DType::kUint64, {2}, std::vector<uint64_t>{~0ull, 3}),
                            Tensor::Of("b", DType::kUint64, {2}, std::vector<uint64_t>{5, ~0ull})}));
  EXPECT_EQ(h.Run()[0].values<uint64_t>(), (std::vector<uint64_t>{5, 3}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Harness f(OneNode("Max", {Tensor::Floats("a", {2}, {nan, 1}), Tensor::Floats("b", {2}, {1, nan})}));
  std::vector<float> y = f.Run()[0].values<float>();
  EXPECT_TRUE(std::isnan(y[0]) && std::isnan(y[1]));
}

TEST(MaxMin, OneInputIsItself) {
  Harness h(OneNode("Max", {Tensor::Floats("a", {3}, {1, -2, 3})}));
  EXPECT_EQ(h.Run()[0].values<float>(), (std::vector<float>{1, -2, 3}));
}

// ---------------------------------------------------------------------------
// Writing in place.

TEST(InPlace, ChainedOpsReuseTheirInputBuffers) {
  std::vector<int64_t> dims = {2, 4, 3};
  std::vector<float> x = RandomFloats(Count(dims), -2, 2, 31);
  std::vector<float> bias = RandomFloats(4 * 3, -1, 1, 32);
  ModelSpec spec;
  spec.nodes = {{"Exp", {"x"}, {"e"}, {}},
                {"Add", {"e", "bias"}, {"s"}, {}},
                {"Mul", {"s", "s"}, {"m"}, {}},
                {"Relu", {"m"}, {"y"}, {}}};
  spec.inputs = {Tensor::Floats("x", dims, x)};
  spec.initializers = {Tensor::Floats("bias", {4, 3}, bias)};
  spec.outputs = {"y"};
  Harness h(spec);
  ASSERT_EQ(h.status(), Status::kOk) << h.error();
  std::vector<float> expected;
  for (size_t i = 0; i < x.size(); ++i) {
    float s = std::exp(x[i]) + bias[i % 12];
    expected.push_back(std::max(0.0f, s * s));
  }
  ExpectFloatsNear(expected, h.Run()[0].values<float>(), "chain");
  EXPECT_TRUE(h.RunsInPlace("Add"));
  EXPECT_TRUE(h.RunsInPlace("Mul"));
  EXPECT_TRUE(h.RunsInPlace("Relu"));
}

TEST(InPlace, BroadcastOutputOverwritesTheFullSizeOperand) {
  // Input 0 is the small one; input 1 has the output's shape and dies here.
  ModelSpec spec;
  spec.nodes = {{"Neg", {"x"}, {"n"}, {}}, {"Sub", {"c", "n"}, {"y"}, {}}};
  spec.inputs = {Tensor::Floats("x", {2, 3}, {1, 2, 3, 4, 5, 6})};
  spec.initializers = {Tensor::Floats("c", {3}, {10, 20, 30})};
  spec.outputs = {"y"};
  Harness h(spec);
  EXPECT_EQ(h.Run()[0].values<float>(), (std::vector<float>{11, 22, 33, 14, 25, 36}));
  EXPECT_TRUE(h.RunsInPlace("Sub"));
}

TEST(InPlace, AnInputReadAgainLaterIsNotOverwritten) {
  // Max(a, b, a): the third input is read after the output is first
  // written, so the output must not overwrite a.
  ModelSpec spec;
  spec.nodes = {{"Neg", {"x"}, {"a"}, {}}, {"Max", {"a", "b", "a"}, {"y"}, {}}};
  spec.inputs = {Tensor::Floats("x", {4}, {1, -2, 3, -4}), Tensor::Floats("b", {}, {0.5f})};
  spec.outputs = {"y"};
  Harness h(spec);
  ASSERT_EQ(h.status(), Status::kOk) << h.error();
  EXPECT_EQ(h.Run()[0].values<float>(), (std::vector<float>{0.5f, 2, 0.5f, 4}));
  EXPECT_FALSE(h.RunsInPlace("Max"));
}

// ---------------------------------------------------------------------------
// Cast.

// What Cast should give, derived independently of the kernel: through long
// double, truncating and saturating float to integer.
template <typename To>
To ExpectedCast(long double v, bool from_float) {
  if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(v);
  } else {
    if (std::isnan(v)) return 0;
    if (from_float) v = std::trunc(v);
    long double lo = static_cast<long double>(std::numeric_limits<To>::min());
    long double hi = static_cast<long double>(std::numeric_limits<To>::max());
    if (from_float) return v <= lo ? std::numeric_limits<To>::min()
                                   : v >= hi ? std::numeric_limits<To>::max() : static_cast<To>(v);
    return static_cast<To>(static_cast<int64_t>(v));  // integer to integer wraps
  }
}

template <typename From>
Tensor SourceValues(DType dtype, std::vector<long double>* as_long_double) {
  std::vector<From> values;
  if constexpr (std::is_floating_point_v<From>) {
    values = {0, 1, -1, 2.7f, -2.7f, 100.5f, 300, -300, 1e10f, -1e10f, 4e9f,
              std::numeric_limits<From>::quiet_NaN()};
  } else {
    values = {0, 1, static_cast<From>(-1), 100, static_cast<From>(200),
              std::numeric_limits<From>::max(), std::numeric_limits<From>::min()};
  }
  for (From v : values) as_long_double->push_back(static_cast<long double>(v));
  return Tensor::Of("x", dtype, {static_cast<int64_t>(values.size())}, values);
}

template <typename From, typename To>
void CheckCast(DType from, DType to) {
  std::vector<long double> source;
  Tensor x = SourceValues<From>(from, &source);
  Harness h(OneNode("Cast", {x}, {IntAttr("to", static_cast<int64_t>(to))}));
  ASSERT_EQ(h.status(), Status::kOk) << h.error();
  std::vector<Tensor> out = h.Run();
  ASSERT_EQ(out[0].dtype, to);
  std::vector<To> y = out[0].values<To>();
  for (size_t i = 0; i < source.size(); ++i) {
    To expected = ExpectedCast<To>(source[i], std::is_floating_point_v<From>);
    if constexpr (std::is_floating_point_v<To>) {
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(y[i]));
        continue;
      }
    }
    EXPECT_EQ(y[i], expected) << DTypeName(from) << " -> " << DTypeName(to) << " element " << i
                              << " (" << static_cast<double>(source[i]) << ")";
  }
}

template <typename From>
void CheckCastsFrom(DType from) {
  CheckCast<From, float>(from, DType::kFloat);
  CheckCast<From, double>(from, DType::kDouble);
  CheckCast<From, int8_t>(from, DType::kInt8);
  CheckCast<From, uint8_t>(from, DType::kUint8);
  CheckCast<From, int16_t>(from, DType::kInt16);
  CheckCast<From, uint16_t>(from, DType::kUint16);
  CheckCast<From, int32_t>(from, DType::kInt32);
  CheckCast<From, uint32_t>(from, DType::kUint32);
  CheckCast<From, int64_t>(from, DType::kInt64);
}

TEST(Cast, NumericPairsMatchNaive) {
  CheckCastsFrom<float>(DType::kFloat);
  CheckCastsFrom<double>(DType::kDouble);
  CheckCastsFrom<int8_t>(DType::kInt8);
  CheckCastsFrom<uint8_t>(DType::kUint8);
  CheckCastsFrom<int16_t>(DType::kInt16);
  CheckCastsFrom<uint16_t>(DType::kUint16);
  CheckCastsFrom<int32_t>(DType::kInt32);
  CheckCastsFrom<uint32_t>(DType::kUint32);
  CheckCastsFrom<int64_t>(DType::kInt64);
}

TEST(Cast, Uint64AndBool) {
  Tensor x = Tensor::Floats("x", {5}, {0, -0.0f, 0.25f, -3, std::numeric_limits<float>::quiet_NaN()});
  Harness to_bool(OneNode("Cast", {x}, {IntAttr("to", 9)}));
  EXPECT_EQ(to_bool.Run()[0].values<uint8_t>(), (std::vector<uint8_t>{0, 0, 1, 1, 1}));
  Tensor flags = Tensor::Of("x", DType::kBool, {3}, std::vector<uint8_t>{0, 1, 1});
  Harness from_bool(OneNode("Cast", {flags}, {IntAttr("to", 1)}));
  EXPECT_EQ(from_bool.Run()[0].values<float>(), (std::vector<float>{0, 1, 1}));
  Tensor big = Tensor::Floats("x", {4}, {-5, 1e19f, 1e20f, 7.9f});
  Harness to_u64(OneNode("Cast", {big}, {IntAttr("to", 13)}));
  EXPECT_EQ(to_u64.Run()[0].values<uint64_t>(),
            (std::vector<uint64_t>{0, 9999999980506447872ull, ~0ull, 7}));
  Tensor u = Tensor::Of("x", DType::kUint64, {2}, std::vector<uint64_t>{~0ull, 3});
  Harness from_u64(OneNode("Cast", {u}, {IntAttr("to", 7)}));
  EXPECT_EQ(from_u64.Run()[0].values<int64_t>(), (std::vector<int64_t>{-1, 3}));
}

TEST(Cast, TypeNameBeforeOpset6) {
  Harness h(OneNode("Cast", {Tensor::Floats("x", {2}, {-1.5f, 2.5f})}, {StringAttr("to", "INT32")},
                    /*opset=*/1));
  ASSERT_EQ(h.status(), Status::kOk) << h.error();
  EXPECT_EQ(h.Run()[0].values<int32_t>(), (std::vector<int32_t>{-1, 2}));
}

TEST(Cast, SameTypeIsACopy) {
  Harness h(OneNode("Cast", {Tensor::Floats("x", {2}, {1, 2})}, {IntAttr("to", 1)}));
  EXPECT_EQ(h.Run()[0].values<float>(), (std::vector<float>{1, 2}));
}

TEST(Cast, UnsupportedTypesAreClear) {
  Harness half(OneNode("Cast", {Tensor::Floats("x", {1}, {1})}, {IntAttr("to", 10)}));
  EXPECT_EQ(half.status(), Status::kUnsupported);
  EXPECT_NE(half.error().find("Cast to float16 is not supported"), std::string::npos)
      << half.error();
  Harness string(OneNode("Cast", {Tensor::Floats("x", {1}, {1})}, {IntAttr("to", 8)}));
  EXPECT_EQ(string.status(), Status::kUnsupported);
  Harness bogus(OneNode("Cast", {Tensor::Floats("x", {1}, {1})}, {IntAttr("to", 99)}));
  EXPECT_EQ(bogus.status(), Status::kInvalidModel);
  EXPECT_NE(bogus.error().find("'to'"), std::string::npos) << bogus.error();
}

}  // namespace
}  // namespace tinyonnx
