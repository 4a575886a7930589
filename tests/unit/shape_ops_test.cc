// Shape and data-movement ops (Flatten, Reshape, Transpose, Concat, Split,
// Slice, Squeeze, Unsqueeze, Pad, ReduceMean/Max/Sum, ArgMax, Dropout,
// Shape, Gather, ConstantOfShape) against naive implementations written
// here, on small random tensors with fixed seeds; and their error messages.
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

extern const OpDef kFlattenOp, kReshapeOp, kTransposeOp, kConcatOp, kSplitOp, kSliceOp, kSqueezeOp,
    kUnsqueezeOp, kPadOp, kReduceMeanOp, kReduceMaxOp, kReduceSumOp, kArgMaxOp, kIdentityOp,
    kDropoutOp, kConstantOp, kShapeOp, kGatherOp, kConstantOfShapeOp;

namespace {

using testing::Attr;
using testing::GraphWriter;

const OpDef* const kShapeOps[] = {
    &kFlattenOp,         &kReshapeOp,   &kTransposeOp, &kConcatOp,     &kSplitOp,     &kSliceOp,
    &kSqueezeOp,         &kUnsqueezeOp, &kPadOp,       &kReduceMeanOp, &kReduceMaxOp, &kReduceSumOp,
    &kArgMaxOp,          &kIdentityOp,  &kDropoutOp,   &kConstantOp,   &kShapeOp,     &kGatherOp,
    &kConstantOfShapeOp,
};
const OpResolver kResolver{kShapeOps, sizeof(kShapeOps) / sizeof(kShapeOps[0])};

using Dims = std::vector<int64_t>;

// A dense tensor of any dtype, its elements as raw bytes.
struct Tensor {
  DType dtype = DType::kFloat;
  Dims dims;
  std::vector<uint8_t> bytes;

  int64_t count() const {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
  }
  size_t element_size() const { return DTypeSize(dtype); }
  template <typename T>
  T at(int64_t i) const {
    T v;
    std::memcpy(&v, &bytes[i * sizeof(T)], sizeof(T));
    return v;
  }
  template <typename T>
  void set(int64_t i, T v) {
    std::memcpy(&bytes[i * sizeof(T)], &v, sizeof(T));
  }
  std::string raw() const { return std::string(bytes.begin(), bytes.end()); }
};

template <typename T>
Tensor Make(DType dtype, Dims dims, const std::vector<T>& values) {
  Tensor t{dtype, std::move(dims), {}};
  t.bytes.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

Tensor Floats(Dims dims, const std::vector<float>& v) { return Make(DType::kFloat, dims, v); }
Tensor Int64s(Dims dims, const std::vector<int64_t>& v) { return Make(DType::kInt64, dims, v); }
Tensor Int64Vector(const std::vector<int64_t>& v) {
  return Int64s({static_cast<int64_t>(v.size())}, v);
}

// Random elements; for floats small values, for integer types random bits.
Tensor Random(DType dtype, Dims dims, std::mt19937& rng) {
  Tensor t{dtype, std::move(dims), {}};
  t.bytes.resize(static_cast<size_t>(t.count()) * t.element_size());
  if (dtype == DType::kFloat) {
    std::uniform_real_distribution<float> dist(-4.0f, 4.0f);
    for (int64_t i = 0; i < t.count(); ++i) t.set<float>(i, dist(rng));
  } else {
    for (uint8_t& b : t.bytes) b = static_cast<uint8_t>(rng());
  }
  return t;
}

Dims RandomDims(int rank, int max_dim, std::mt19937& rng) {
  Dims dims(rank);
  for (int64_t& d : dims) d = 1 + static_cast<int64_t>(rng() % max_dim);
  return dims;
}

// Row-major index helpers for the naive implementations.
Dims Unravel(int64_t flat, const Dims& dims) {
  Dims index(dims.size());
  for (int k = static_cast<int>(dims.size()) - 1; k >= 0; --k) {
    index[k] = flat % dims[k];
    flat /= dims[k];
  }
  return index;
}

int64_t Ravel(const Dims& index, const Dims& dims) {
  int64_t flat = 0;
  for (size_t k = 0; k < dims.size(); ++k) flat = flat * dims[k] + index[k];
  return flat;
}

// out[i] = in[source(i)]: the naive form of every data-movement op.
template <typename SourceFn>
Tensor Gathered(const Tensor& in, const Dims& out_dims, SourceFn source) {
  Tensor out{in.dtype, out_dims, {}};
  const size_t es = in.element_size();
  out.bytes.resize(static_cast<size_t>(out.count()) * es);
  for (int64_t i = 0; i < out.count(); ++i) {
    std::memcpy(&out.bytes[i * es], &in.bytes[source(Unravel(i, out_dims)) * es], es);
  }
  return out;
}

Attr IntsAttr(const std::string& name, const Dims& values) {
  Attr a;
  a.proto.Bytes(1, name).Varint(20, 7);
  for (int64_t x : values) a.proto.Varint(8, static_cast<uint64_t>(x));
  return a;
}

Attr TensorAttr(const std::string& name, const Tensor& t) {
  testing::ProtoWriter tensor;
  for (int64_t d : t.dims) tensor.Varint(1, static_cast<uint64_t>(d));
  tensor.Varint(2, static_cast<uint64_t>(t.dtype)).Bytes(9, t.raw());
  Attr a;
  a.proto.Bytes(1, name).Varint(20, 4).Message(5, tensor);
  return a;
}

GraphWriter& AddInput(GraphWriter& g, const std::string& name, const Tensor& t) {
  return g.Input(name, static_cast<int>(t.dtype), t.dims);
}

GraphWriter& AddConstant(GraphWriter& g, const std::string& name, const Tensor& t) {
  return g.RawInitializer(name, static_cast<int>(t.dtype), t.dims, t.raw());
}

// Loads a model with only the ops above, fills the inputs, runs it.
class ShapeOpsTest : public ::testing::Test {
 protected:
  Status Load(const std::string& model) {
    model_ = model;
    interpreter_.reset(
        new Interpreter(model_.data(), model_.size(), arena_.get(), kArenaSize, kResolver));
    return interpreter_->Prepare();
  }

  // Runs and returns all outputs; fails the test when loading fails.
  std::vector<Tensor> Run(const std::string& model, const std::vector<Tensor>& inputs = {}) {
    Status status = Load(model);
    EXPECT_EQ(status, Status::kOk) << error();
    if (status != Status::kOk) return {};
    EXPECT_EQ(interpreter_->input_count(), inputs.size());
    for (size_t i = 0; i < inputs.size() && i < interpreter_->input_count(); ++i) {
      TensorRef ref = interpreter_->input(static_cast<uint32_t>(i));
      EXPECT_EQ(ref.ByteSize(), inputs[i].bytes.size());
      if (ref.ByteSize() == inputs[i].bytes.size() && !inputs[i].bytes.empty()) {
        std::memcpy(ref.raw, inputs[i].bytes.data(), ref.ByteSize());
      }
    }
    EXPECT_EQ(interpreter_->Invoke(), Status::kOk);
    std::vector<Tensor> outputs;
    for (uint32_t o = 0; o < interpreter_->output_count(); ++o) {
      TensorRef ref = interpreter_->output(o);
      Tensor t{ref.dtype, Dims(ref.shape.dims, ref.shape.dims + ref.shape.rank), {}};
      const uint8_t* data = static_cast<const uint8_t*>(ref.raw);
      if (ref.ByteSize() > 0) t.bytes.assign(data, data + ref.ByteSize());
      outputs.push_back(t);
    }
    return outputs;
  }

  // Runs a one-node model: `data` inputs as graph inputs, `constants` as
  // initializers, one output per name in `outputs`.
  std::vector<Tensor> RunNode(const std::string& op, const std::vector<Tensor>& data,
                              const std::vector<std::pair<std::string, Tensor>>& constants,
                              std::vector<Attr> attrs, int64_t opset, int outputs = 1,
                              std::vector<std::string> input_order = {}) {
    std::string model =
        NodeModel(op, data, constants, std::move(attrs), opset, outputs, std::move(input_order));
    return Run(model, data);
  }

  // The status of loading a one-node model (see RunNode).
  Status LoadNode(const std::string& op, const std::vector<Tensor>& data,
                  const std::vector<std::pair<std::string, Tensor>>& constants,
                  std::vector<Attr> attrs, int64_t opset, int outputs = 1,
                  std::vector<std::string> input_order = {}) {
    return Load(
        NodeModel(op, data, constants, std::move(attrs), opset, outputs, std::move(input_order)));
  }

  // Node inputs are x0, x1, ... for `data` then the constants' names, unless
  // input_order gives them ("" for an omitted optional input).
  static std::string NodeModel(const std::string& op, const std::vector<Tensor>& data,
                               const std::vector<std::pair<std::string, Tensor>>& constants,
                               std::vector<Attr> attrs, int64_t opset, int outputs,
                               std::vector<std::string> input_order) {
    GraphWriter g;
    std::vector<std::string> names;
    for (size_t i = 0; i < data.size(); ++i) {
      names.push_back("x" + std::to_string(i));
      AddInput(g, names.back(), data[i]);
    }
    for (const auto& c : constants) {
      names.push_back(c.first);
      AddConstant(g, c.first, c.second);
    }
    std::vector<std::string> outs;
    for (int o = 0; o < outputs; ++o) outs.push_back("y" + std::to_string(o));
    g.Node(op, input_order.empty() ? names : input_order, outs, std::move(attrs), "node");
    for (const std::string& o : outs) g.Output(o);
    return g.Model(opset);
  }

  std::string error() const { return interpreter_->error(); }
  uint32_t steps() const { return interpreter_->plan().step_count; }

  static constexpr size_t kArenaSize = 4 << 20;
  std::unique_ptr<uint8_t[]> arena_{new uint8_t[kArenaSize]};
  std::string model_;
  std::unique_ptr<Interpreter> interpreter_;
};

void ExpectSameTensor(const Tensor& expected, const Tensor& actual, const std::string& what) {
  EXPECT_EQ(expected.dtype, actual.dtype) << what;
  EXPECT_EQ(expected.dims, actual.dims) << what;
  EXPECT_EQ(expected.bytes, actual.bytes) << what;
}

void ExpectNear(const Tensor& expected, const Tensor& actual, const std::string& what) {
  ASSERT_EQ(expected.dims, actual.dims) << what;
  ASSERT_EQ(actual.dtype, DType::kFloat) << what;
  for (int64_t i = 0; i < expected.count(); ++i) {
    const float e = expected.at<float>(i), a = actual.at<float>(i);
    ASSERT_NEAR(e, a, 1e-5f + 1e-4f * std::fabs(e)) << what << " element " << i;
  }
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One configuration of a table-driven test.
struct NodeCase {
  const char* what;
  int64_t opset;
  std::vector<Attr> attrs;
  std::vector<std::pair<std::string, Tensor>> constants;
  Dims expected;  // what each test says
};

const DType kMovedTypes[] = {DType::kFloat, DType::kInt8, DType::kInt16,
                             DType::kInt64, DType::kBool, DType::kDouble};

// ---------------------------------------------------------------- Transpose

TEST_F(ShapeOpsTest, TransposeMatchesNaiveForRandomPermutationsAndTypes) {
  std::mt19937 rng(1);
  for (int trial = 0; trial < 60; ++trial) {
    const int rank = 1 + trial % 5;
    Tensor in = Random(kMovedTypes[trial % 6], RandomDims(rank, 5, rng), rng);
    Dims perm(rank);
    for (int k = 0; k < rank; ++k) perm[k] = k;
    std::shuffle(perm.begin(), perm.end(), rng);
    Dims out_dims(rank);
    for (int k = 0; k < rank; ++k) out_dims[k] = in.dims[perm[k]];
    Tensor expected = Gathered(in, out_dims, [&](const Dims& o) {
      Dims i(rank);
      for (int k = 0; k < rank; ++k) i[perm[k]] = o[k];
      return Ravel(i, in.dims);
    });
    auto out = RunNode("Transpose", {in}, {}, {IntsAttr("perm", perm)}, 13);
    ASSERT_EQ(out.size(), 1u);
    ExpectSameTensor(expected, out[0], "trial " + std::to_string(trial));
  }
}

TEST_F(ShapeOpsTest, TransposeLayoutChangesUseTheTiledPath) {
  std::mt19937 rng(2);
  const Dims nchw = {2, 3, 17, 19};
  for (DType dtype : {DType::kFloat, DType::kInt8}) {
    Tensor in = Random(dtype, nchw, rng);
    auto to_nhwc = RunNode("Transpose", {in}, {}, {IntsAttr("perm", {0, 2, 3, 1})}, 13);
    ASSERT_EQ(to_nhwc.size(), 1u);
    Tensor expected = Gathered(in, {2, 17, 19, 3}, [&](const Dims& o) {
      return Ravel({o[0], o[3], o[1], o[2]}, nchw);
    });
    ExpectSameTensor(expected, to_nhwc[0], "to NHWC");
    auto back = RunNode("Transpose", {to_nhwc[0]}, {}, {IntsAttr("perm", {0, 3, 1, 2})}, 13);
    ASSERT_EQ(back.size(), 1u);
    ExpectSameTensor(in, back[0], "back to NCHW");
  }
}

TEST_F(ShapeOpsTest, TransposeDefaultReversesAxes) {
  std::mt19937 rng(3);
  Tensor in = Random(DType::kFloat, {2, 3, 4}, rng);
  auto out = RunNode("Transpose", {in}, {}, {}, 13);
  ASSERT_EQ(out.size(), 1u);
  ExpectSameTensor(Gathered(in, {4, 3, 2},
                            [&](const Dims& o) {
                              return Ravel({o[2], o[1], o[0]}, in.dims);
                            }),
                   out[0], "reversed");
}

TEST_F(ShapeOpsTest, TransposeMovingOnlyUnitAxesSharesStorage) {
  std::mt19937 rng(4);
  Tensor in = Random(DType::kFloat, {1, 5, 1, 7}, rng);
  auto out = RunNode("Transpose", {in}, {}, {IntsAttr("perm", {2, 1, 3, 0})}, 13);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(steps(), 0u);
  EXPECT_EQ(out[0].dims, Dims({1, 5, 7, 1}));
  EXPECT_EQ(out[0].bytes, in.bytes);
}

TEST_F(ShapeOpsTest, TransposeRejectsBadPermutations) {
  Tensor in = Floats({2, 3}, std::vector<float>(6));
  EXPECT_EQ(LoadNode("Transpose", {in}, {}, {IntsAttr("perm", {0, 0})}, 13), Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "perm is not a permutation of 0..1")) << error();
  EXPECT_EQ(LoadNode("Transpose", {in}, {}, {IntsAttr("perm", {0, 1, 2})}, 13),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "perm has 3 entries but the input has rank 2")) << error();
}

// ---------------------------------------------------------------- Slice

// The positions one axis of a Slice reads, by the spec's words: negative
// starts and ends count from the end; then for positive steps both are
// clamped to [0, n], for negative steps starts to [0, n-1] and ends to
// [-1, n-1]. (This differs from Python slicing for starts below -n with a
// negative step, which the spec and ONNX Runtime clamp to 0.)
Dims SpecSlicePositions(int64_t n, int64_t start, int64_t end, int64_t step) {
  if (start < 0) start += n;
  if (end < 0) end += n;
  const int64_t start_lo = 0, start_hi = step > 0 ? n : n - 1;
  const int64_t end_lo = step > 0 ? 0 : -1, end_hi = step > 0 ? n : n - 1;
  start = std::min(std::max(start, start_lo), start_hi);
  end = std::min(std::max(end, end_lo), end_hi);
  Dims positions;
  // Walk in double to step by huge steps without overflow.
  for (double i = static_cast<double>(start); step > 0 ? i < end : i > end;
       i += static_cast<double>(step)) {
    positions.push_back(static_cast<int64_t>(i));
  }
  return positions;
}

TEST_F(ShapeOpsTest, SliceMatchesTheSpecIncludingClampsAndNegativeSteps) {
  std::mt19937 rng(5);
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t bounds[] = {kMin, -9223372036854775807LL, -100, -7, -3, -1, 0, 1, 2, 5, 100, kMax};
  const int64_t step_choices[] = {1, 1, 2, 3, -1, -1, -2, -4, kMax, kMin};
  for (int trial = 0; trial < 80; ++trial) {
    const int rank = 1 + trial % 4;
    Tensor in = Random(kMovedTypes[trial % 6], RandomDims(rank, 6, rng), rng);
    // Slice a random subset of axes, named with random signs, in random order.
    Dims axes_all(rank);
    for (int k = 0; k < rank; ++k) axes_all[k] = k;
    std::shuffle(axes_all.begin(), axes_all.end(), rng);
    const int count = 1 + static_cast<int>(rng() % rank);
    Dims starts, ends, axes, steps;
    std::vector<Dims> positions(rank);
    for (int k = 0; k < rank; ++k) {
      for (int64_t i = 0; i < in.dims[k]; ++i) positions[k].push_back(i);
    }
    for (int j = 0; j < count; ++j) {
      const int64_t axis = axes_all[j];
      starts.push_back(bounds[rng() % 12]);
      ends.push_back(bounds[rng() % 12]);
      steps.push_back(step_choices[rng() % 10]);
      axes.push_back(rng() % 2 ? axis : axis - rank);
      positions[axis] = SpecSlicePositions(in.dims[axis], starts.back(), ends.back(), steps.back());
    }
    Dims out_dims(rank);
    for (int k = 0; k < rank; ++k) out_dims[k] = static_cast<int64_t>(positions[k].size());
    Tensor expected = Gathered(in, out_dims, [&](const Dims& o) {
      Dims i(rank);
      for (int k = 0; k < rank; ++k) i[k] = positions[k][o[k]];
      return Ravel(i, in.dims);
    });
    auto out = RunNode("Slice", {in},
                       {{"starts", Int64Vector(starts)},
                        {"ends", Int64Vector(ends)},
                        {"axes", Int64Vector(axes)},
                        {"steps", Int64Vector(steps)}},
                       {}, 13);
    ASSERT_EQ(out.size(), 1u);
    ExpectSameTensor(expected, out[0], "trial " + std::to_string(trial));
  }
}

TEST_F(ShapeOpsTest, SliceBeforeOpset10ReadsAttributes) {
  std::mt19937 rng(6);
  Tensor in = Random(DType::kFloat, {4, 6}, rng);
  auto out = RunNode(
      "Slice", {in}, {},
      {IntsAttr("starts", {1, -4}), IntsAttr("ends", {1000, -1}), IntsAttr("axes", {0, 1})}, 9);
  ASSERT_EQ(out.size(), 1u);
  ExpectSameTensor(Gathered(in, {3, 3},
                            [&](const Dims& o) {
                              return Ravel({o[0] + 1, o[1] + 2}, in.dims);
                            }),
                   out[0], "opset 9");
}

TEST_F(ShapeOpsTest, SliceOfLeadingRowsSharesStorage) {
  std::mt19937 rng(7);
  Tensor in = Random(DType::kFloat, {5, 4}, rng);
  auto out =
      RunNode("Slice", {in}, {{"starts", Int64Vector({0})}, {"ends", Int64Vector({2})}}, {}, 13);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(steps(), 0u);
  EXPECT_EQ(out[0].bytes, std::vector<uint8_t>(in.bytes.begin(), in.bytes.begin() + 32));
}

TEST_F(ShapeOpsTest, SliceRejectsZeroStepsRepeatedAxesAndComputedStarts) {
  Tensor in = Floats({4}, std::vector<float>(4));
  EXPECT_EQ(LoadNode("Slice", {in},
                     {{"s", Int64Vector({0})},
                      {"e", Int64Vector({4})},
                      {"a", Int64Vector({0})},
                      {"st", Int64Vector({0})}},
                     {}, 13),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "steps must not be 0")) << error();
  Tensor in2 = Floats({4, 4}, std::vector<float>(16));
  EXPECT_EQ(
      LoadNode(
          "Slice", {in2},
          {{"s", Int64Vector({0, 0})}, {"e", Int64Vector({1, 1})}, {"a", Int64Vector({1, -1})}}, {},
          13),
      Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "axis -1 is listed twice")) << error();
  EXPECT_EQ(LoadNode("Slice", {in, Int64Vector({0})}, {{"e", Int64Vector({4})}}, {}, 13),
            Status::kUnsupported);
  EXPECT_TRUE(Contains(error(), "must be a constant")) << error();
}

// ---------------------------------------------------------------- Concat / Split

TEST_F(ShapeOpsTest, ConcatMatchesNaiveWithConstantInputsAndNegativeAxes) {
  std::mt19937 rng(8);
  for (int trial = 0; trial < 30; ++trial) {
    const int rank = 1 + trial % 4;
    const int axis = static_cast<int>(rng() % rank);
    const DType dtype = kMovedTypes[trial % 6];
    Dims base = RandomDims(rank, 4, rng);
    std::vector<Tensor> parts;
    for (int p = 0; p < 3; ++p) {
      Dims dims = base;
      dims[axis] = static_cast<int64_t>(rng() % 4);  // includes empty parts
      parts.push_back(Random(dtype, dims, rng));
    }
    Dims out_dims = base;
    out_dims[axis] = parts[0].dims[axis] + parts[1].dims[axis] + parts[2].dims[axis];
    Tensor expected{dtype, out_dims, {}};
    const size_t es = DTypeSize(dtype);
    expected.bytes.resize(static_cast<size_t>(expected.count()) * es);
    for (int64_t i = 0; i < expected.count(); ++i) {
      Dims o = Unravel(i, out_dims);
      int p = 0;
      while (o[axis] >= parts[p].dims[axis]) o[axis] -= parts[p++].dims[axis];
      std::memcpy(&expected.bytes[i * es], &parts[p].bytes[Ravel(o, parts[p].dims) * es], es);
    }
    // Part 1 is a constant; the others are graph inputs.
    auto out =
        RunNode("Concat", {parts[0], parts[2]}, {{"c", parts[1]}},
                {Attr::Int("axis", trial % 2 ? axis : axis - rank)}, 13, 1, {"x0", "c", "x1"});
    ASSERT_EQ(out.size(), 1u);
    ExpectSameTensor(expected, out[0], "trial " + std::to_string(trial));
  }
}

TEST_F(ShapeOpsTest, ConcatRejectsMismatchedShapes) {
  Tensor a = Floats({2, 3}, std::vector<float>(6)), b = Floats({3, 3}, std::vector<float>(9));
  EXPECT_EQ(LoadNode("Concat", {a, b}, {}, {Attr::Int("axis", 1)}, 13), Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(),
                       "input 1 has shape [3, 3], which does not match input 0's [2, 3] "
                       "except on axis 1"))
      << error();
}

// The parts Split should produce: consecutive pieces of `sizes` along axis.
std::vector<Tensor> NaiveSplit(const Tensor& in, int axis, const Dims& sizes) {
  std::vector<Tensor> parts;
  int64_t offset = 0;
  for (int64_t size : sizes) {
    Dims dims = in.dims;
    dims[axis] = size;
    parts.push_back(Gathered(in, dims, [&](const Dims& o) {
      Dims i = o;
      i[axis] += offset;
      return Ravel(i, in.dims);
    }));
    offset += size;
  }
  return parts;
}

TEST_F(ShapeOpsTest, SplitAcrossOpsets) {
  std::mt19937 rng(9);
  Tensor in = Random(DType::kInt16, {3, 7, 2}, rng);
  // `expected` holds the part sizes along axis 1.
  const std::vector<NodeCase> cases = {
      {"split input", 13, {Attr::Int("axis", 1)}, {{"split", Int64Vector({2, 0, 5})}}, {2, 0, 5}},
      {"split attribute", 11, {Attr::Int("axis", -2), IntsAttr("split", {4, 3})}, {}, {4, 3}},
      {"num_outputs, last smaller",
       18,
       {Attr::Int("axis", 1), Attr::Int("num_outputs", 3)},
       {},
       {3, 3, 1}},
      {"num_outputs, even", 18, {Attr::Int("axis", -2), Attr::Int("num_outputs", 1)}, {}, {7}},
  };
  for (const NodeCase& c : cases) {
    auto out =
        RunNode("Split", {in}, c.constants, c.attrs, c.opset, static_cast<int>(c.expected.size()));
    auto expected = NaiveSplit(in, 1, c.expected);
    ASSERT_EQ(out.size(), expected.size()) << c.what;
    for (size_t p = 0; p < out.size(); ++p) ExpectSameTensor(expected[p], out[p], c.what);
  }
  // Equal parts by default.
  auto thirds = RunNode("Split", {in}, {}, {}, 13, 3);
  auto expected = NaiveSplit(in, 0, {1, 1, 1});
  ASSERT_EQ(thirds.size(), 3u);
  for (size_t p = 0; p < 3; ++p) ExpectSameTensor(expected[p], thirds[p], "thirds");
}

TEST_F(ShapeOpsTest, SplitRejectsSizesThatDoNotAddUp) {
  Tensor in = Floats({7}, std::vector<float>(7));
  EXPECT_EQ(LoadNode("Split", {in}, {}, {}, 13, 2), Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "cannot split an axis of 7 into 2 equal parts")) << error();
  EXPECT_EQ(LoadNode("Split", {in}, {{"s", Int64Vector({3, 3})}}, {}, 13, 2),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "split sums to 6 but the axis has 7")) << error();
  EXPECT_EQ(LoadNode("Split", {Floats({2}, {0, 0})}, {}, {Attr::Int("num_outputs", 3)}, 18, 3),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "cannot split an axis of 2 into 3 parts")) << error();
}

// ---------------------------------------------------------------- Pad

// numpy.pad after cropping by the negative pads; -1 means the constant.
int64_t NaivePadSource(int64_t o, int64_t n, int64_t before, int64_t after,
                       const std::string& mode) {
  const int64_t crop_front = before < 0 ? -before : 0;
  const int64_t window = n - crop_front - (after < 0 ? -after : 0);
  int64_t s = o - (before > 0 ? before : 0);
  if (s < 0 || s >= window) {
    if (mode == "constant") return -1;
    if (mode == "edge") {
      s = s < 0 ? 0 : window - 1;
    } else {  // reflect, bouncing between the ends
      while (window > 1 && (s < 0 || s >= window)) s = s < 0 ? -s : 2 * (window - 1) - s;
      if (window == 1) s = 0;
    }
  }
  return s + crop_front;
}

TEST_F(ShapeOpsTest, PadMatchesNumpyForEveryModeAndNegativePads) {
  std::mt19937 rng(10);
  const char* modes[] = {"constant", "reflect", "edge"};
  for (int trial = 0; trial < 60; ++trial) {
    const int rank = 1 + trial % 4;
    const std::string mode = modes[trial % 3];
    const DType dtype = trial % 2 ? DType::kFloat : DType::kInt32;
    Tensor in = Random(dtype, RandomDims(rank, 5, rng), rng);
    for (int64_t& d : in.dims) d += 1;  // at least 2 so that cropping leaves something
    in = Random(dtype, in.dims, rng);
    Dims pads(2 * rank);
    Dims out_dims(rank);
    for (int k = 0; k < rank; ++k) {
      // Crops leave at least one element; reflect pads may exceed the window.
      pads[k] = static_cast<int64_t>(rng() % 6) - 1;
      pads[k + rank] = static_cast<int64_t>(rng() % 6) - 1;
      out_dims[k] = in.dims[k] + pads[k] + pads[k + rank];
    }
    Tensor value = Random(dtype, {}, rng);
    Tensor expected{dtype, out_dims, {}};
    const size_t es = DTypeSize(dtype);
    expected.bytes.resize(static_cast<size_t>(expected.count()) * es);
    for (int64_t i = 0; i < expected.count(); ++i) {
      Dims o = Unravel(i, out_dims);
      bool constant = false;
      for (int k = 0; k < rank; ++k) {
        o[k] = NaivePadSource(o[k], in.dims[k], pads[k], pads[k + rank], mode);
        constant = constant || o[k] < 0;
      }
      const uint8_t* src = constant ? value.bytes.data() : &in.bytes[Ravel(o, in.dims) * es];
      std::memcpy(&expected.bytes[i * es], src, es);
    }
    auto out = RunNode("Pad", {in}, {{"pads", Int64Vector(pads)}, {"value", value}},
                       {Attr::String("mode", mode)}, 13);
    ASSERT_EQ(out.size(), 1u);
    ExpectSameTensor(expected, out[0], "trial " + std::to_string(trial) + " " + mode);
  }
}

TEST_F(ShapeOpsTest, PadOldOpsetsAttributesAndOpset18Axes) {
  std::mt19937 rng(11);
  Tensor in = Random(DType::kFloat, {2, 3}, rng);
  auto expected_for = [&](Dims pads, float value) {
    Dims out_dims = {2 + pads[0] + pads[2], 3 + pads[1] + pads[3]};
    Tensor e = Floats(out_dims, std::vector<float>(out_dims[0] * out_dims[1], value));
    for (int64_t r = 0; r < 2; ++r) {
      for (int64_t c = 0; c < 3; ++c) {
        e.set<float>((r + pads[0]) * out_dims[1] + c + pads[1], in.at<float>(r * 3 + c));
      }
    }
    return e;
  };
  auto v2 =
      RunNode("Pad", {in}, {}, {IntsAttr("pads", {1, 0, 0, 2}), Attr::Float("value", 1.5f)}, 2);
  ASSERT_EQ(v2.size(), 1u);
  ExpectSameTensor(expected_for({1, 0, 0, 2}, 1.5f), v2[0], "opset 2");
  auto v1 = RunNode("Pad", {in}, {}, {IntsAttr("paddings", {0, 1, 1, 0})}, 1);
  ASSERT_EQ(v1.size(), 1u);
  ExpectSameTensor(expected_for({0, 1, 1, 0}, 0.0f), v1[0], "opset 1");
  // Opset 18: pads only for axis 1 (named -1); no constant_value: zero.
  auto v18 = RunNode("Pad", {in}, {{"pads", Int64Vector({2, 1})}, {"axes", Int64Vector({-1})}}, {},
                     18, 1, {"x0", "pads", "", "axes"});
  ASSERT_EQ(v18.size(), 1u);
  ExpectSameTensor(expected_for({0, 2, 0, 1}, 0.0f), v18[0], "opset 18 axes");
}

TEST_F(ShapeOpsTest, PadConstantValueMayBeComputedAtRunTime) {
  std::mt19937 rng(12);
  Tensor in = Random(DType::kFloat, {3}, rng);
  Tensor value = Floats({}, {-7.0f});
  auto out =
      RunNode("Pad", {in, value}, {{"pads", Int64Vector({1, 1})}}, {}, 13, 1, {"x0", "pads", "x1"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].at<float>(0), -7.0f);
  EXPECT_EQ(out[0].at<float>(1), in.at<float>(0));
  EXPECT_EQ(out[0].at<float>(4), -7.0f);
}

TEST_F(ShapeOpsTest, PadRejectsBadModesAndOvercropping) {
  Tensor in = Floats({2, 2}, std::vector<float>(4));
  EXPECT_EQ(
      LoadNode("Pad", {in}, {{"p", Int64Vector({0, 0, 0, 0})}}, {Attr::String("mode", "wrap")}, 13),
      Status::kUnsupported);
  EXPECT_TRUE(Contains(error(), "mode 'wrap' is not supported (constant, reflect, edge)"))
      << error();
  EXPECT_EQ(LoadNode("Pad", {in}, {{"p", Int64Vector({-2, 0, -1, 0})}}, {}, 13),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "pads of axis 0 crop 3 of its 2 elements")) << error();
  EXPECT_EQ(LoadNode("Pad", {in}, {{"p", Int64Vector({1, 1})}}, {}, 13), Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "pads has 2 values; 2 axes need 4")) << error();
}

// ---------------------------------------------------------------- Reductions

enum class Reduction { kSum, kMean, kMax };

template <typename T>
Tensor NaiveReduce(const Tensor& in, const std::vector<bool>& reduced, bool keepdims,
                   Reduction op) {
  const int rank = static_cast<int>(in.dims.size());
  Dims kept_dims, out_dims;
  for (int k = 0; k < rank; ++k) {
    if (!reduced[k]) kept_dims.push_back(in.dims[k]);
    if (!reduced[k] || keepdims) out_dims.push_back(reduced[k] ? 1 : in.dims[k]);
  }
  int64_t out_count = 1;
  for (int64_t d : kept_dims) out_count *= d;
  std::vector<double> acc(out_count, op == Reduction::kMax ? -INFINITY : 0.0);
  std::vector<int64_t> n(out_count, 0);
  for (int64_t i = 0; i < in.count(); ++i) {
    Dims idx = Unravel(i, in.dims), kept;
    for (int k = 0; k < rank; ++k) {
      if (!reduced[k]) kept.push_back(idx[k]);
    }
    const int64_t o = Ravel(kept, kept_dims);
    const double v = static_cast<double>(in.at<T>(i));
    acc[o] = op == Reduction::kMax ? std::max(acc[o], v) : acc[o] + v;
    n[o]++;
  }
  std::vector<T> values(out_count);
  for (int64_t o = 0; o < out_count; ++o) {
    double v = op == Reduction::kMean ? acc[o] / static_cast<double>(n[o]) : acc[o];
    values[o] = static_cast<T>(std::is_integral<T>::value ? std::trunc(v) : v);
  }
  return Make(in.dtype, out_dims, values);
}

struct ReduceOp {
  const char* op;
  Reduction reduction;
  int64_t axes_input_opset;
};
const ReduceOp kReduceOps[] = {{"ReduceSum", Reduction::kSum, 13},
                               {"ReduceMean", Reduction::kMean, 18},
                               {"ReduceMax", Reduction::kMax, 18}};

TEST_F(ShapeOpsTest, ReductionsMatchNaiveForRandomAxesKeepdimsAndOpsets) {
  std::mt19937 rng(13);
  for (int trial = 0; trial < 90; ++trial) {
    const ReduceOp& r = kReduceOps[trial % 3];
    const int rank = 1 + (trial / 3) % 4;
    const bool keepdims = rng() % 2;
    const bool as_input = rng() % 2;  // axes as input (new opset) or attribute (older)
    const bool ints = trial % 5 == 0;
    Tensor in = Random(DType::kFloat, RandomDims(rank, 5, rng), rng);
    if (ints) {  // small int32 values keep sums exact
      Tensor i32 = Make(DType::kInt32, in.dims, std::vector<int32_t>(in.count()));
      for (int64_t i = 0; i < in.count(); ++i)
        i32.set<int32_t>(i, static_cast<int32_t>(rng() % 201) - 100);
      in = i32;
    }
    Dims axes;
    std::vector<bool> reduced(rank, false);
    for (int k = 0; k < rank; ++k) {
      if (rng() % 2) {
        axes.push_back(rng() % 2 ? k : k - rank);
        reduced[k] = true;
      }
    }
    std::shuffle(axes.begin(), axes.end(), rng);
    if (axes.empty()) reduced.assign(rank, true);  // no axes: all
    std::vector<Attr> attrs = {Attr::Int("keepdims", keepdims)};
    std::vector<std::pair<std::string, Tensor>> constants;
    const int64_t opset = as_input ? r.axes_input_opset : r.axes_input_opset - 2;
    if (as_input && !axes.empty()) constants.push_back({"axes", Int64Vector(axes)});
    if (!as_input && !axes.empty()) attrs.push_back(IntsAttr("axes", axes));
    auto out = RunNode(r.op, {in}, constants, attrs, opset);
    ASSERT_EQ(out.size(), 1u);
    const std::string what = std::string(r.op) + " trial " + std::to_string(trial);
    if (ints) {
      ExpectSameTensor(NaiveReduce<int32_t>(in, reduced, keepdims, r.reduction), out[0], what);
    } else {
      ExpectNear(NaiveReduce<float>(in, reduced, keepdims, r.reduction), out[0], what);
    }
  }
}

TEST_F(ShapeOpsTest, ReduceWithNoopForEmptyAxesIsIdentity) {
  std::mt19937 rng(14);
  Tensor in = Random(DType::kFloat, {2, 3}, rng);
  auto out = RunNode("ReduceSum", {in}, {{"axes", Int64s({0}, {})}},
                     {Attr::Int("noop_with_empty_axes", 1)}, 13);
  ASSERT_EQ(out.size(), 1u);
  ExpectSameTensor(in, out[0], "noop");
  EXPECT_EQ(steps(), 0u);
  auto all =
      RunNode("ReduceSum", {in}, {{"axes", Int64s({0}, {})}}, {Attr::Int("keepdims", 0)}, 13);
  ASSERT_EQ(all.size(), 1u);
  ExpectNear(NaiveReduce<float>(in, {true, true}, false, Reduction::kSum), all[0], "empty axes");
}

TEST_F(ShapeOpsTest, ReduceInt64AndErrors) {
  Tensor in = Int64s({2, 2}, {5, -3, 1LL << 40, 7});
  auto out = RunNode("ReduceMax", {in}, {}, {IntsAttr("axes", {1}), Attr::Int("keepdims", 0)}, 13);
  ASSERT_EQ(out.size(), 1u);
  ExpectSameTensor(Int64s({2}, {5, 1LL << 40}), out[0], "int64 max");
  Tensor u8 = Make(DType::kUint8, {2}, std::vector<uint8_t>{1, 2});
  EXPECT_EQ(LoadNode("ReduceSum", {u8}, {}, {}, 13), Status::kUnsupported);
  EXPECT_TRUE(Contains(error(), "input 0 has dtype uint8; supported: float32, int32, int64"))
      << error();
  EXPECT_EQ(LoadNode("ReduceMean", {in}, {}, {IntsAttr("axes", {2})}, 13), Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "axis 2 is out of range for rank 2 (allowed: -2 to 1)")) << error();
  EXPECT_EQ(LoadNode("ReduceMean", {in}, {}, {IntsAttr("axes", {1})}, 18), Status::kUnsupported);
  EXPECT_TRUE(Contains(error(), "the axes are an input")) << error();
}

// ---------------------------------------------------------------- ArgMax

TEST_F(ShapeOpsTest, ArgMaxMatchesNaiveWithTies) {
  std::mt19937 rng(15);
  for (int trial = 0; trial < 40; ++trial) {
    const int rank = 1 + trial % 4;
    Dims dims = RandomDims(rank, 5, rng);
    int64_t count = 1;
    for (int64_t d : dims) count *= d;
    std::vector<float> values(count);
    for (float& v : values) v = static_cast<float>(rng() % 4);  // many ties
    Tensor in = trial % 3 == 0 ? Int64s(dims, std::vector<int64_t>(values.begin(), values.end()))
                               : Floats(dims, values);
    const int axis = static_cast<int>(rng() % rank);
    const bool keepdims = rng() % 2, last = rng() % 2;
    Dims out_dims;
    for (int k = 0; k < rank; ++k) {
      if (k != axis || keepdims) out_dims.push_back(k == axis ? 1 : dims[k]);
    }
    std::vector<int64_t> expected_values;
    Dims reduced_dims = dims;
    reduced_dims[axis] = 1;
    for (int64_t o = 0; o < count / dims[axis]; ++o) {
      Dims idx = Unravel(o, reduced_dims);
      int64_t best = 0;
      for (int64_t a = 1; a < dims[axis]; ++a) {
        Dims i = idx, b = idx;
        i[axis] = a;
        b[axis] = best;
        const float v = values[Ravel(i, dims)], bv = values[Ravel(b, dims)];
        if (v > bv || (last && v == bv)) best = a;
      }
      expected_values.push_back(best);
    }
    auto out = RunNode("ArgMax", {in}, {},
                       {Attr::Int("axis", trial % 2 ? axis : axis - rank),
                        Attr::Int("keepdims", keepdims), Attr::Int("select_last_index", last)},
                       13);
    ASSERT_EQ(out.size(), 1u);
    ExpectSameTensor(Int64s(out_dims, expected_values), out[0], "trial " + std::to_string(trial));
  }
}

// ---------------------------------------------------------------- Gather

TEST_F(ShapeOpsTest, GatherMatchesNaiveForAxesIndexTypesAndNegativeIndices) {
  std::mt19937 rng(16);
  for (int trial = 0; trial < 40; ++trial) {
    const int rank = 1 + trial % 3;
    Tensor data = Random(kMovedTypes[trial % 6], RandomDims(rank, 5, rng), rng);
    const int axis = static_cast<int>(rng() % rank);
    const int64_t n = data.dims[axis];
    Dims index_dims = RandomDims(static_cast<int>(rng() % 3), 3, rng);
    int64_t index_count = 1;
    for (int64_t d : index_dims) index_count *= d;
    std::vector<int64_t> indices(index_count);
    for (int64_t& i : indices) i = static_cast<int64_t>(rng() % (2 * n)) - n;  // [-n, n)
    Tensor index_tensor = Int64s(index_dims, indices);
    if (trial % 2) {
      index_tensor =
          Make(DType::kInt32, index_dims, std::vector<int32_t>(indices.begin(), indices.end()));
    }
    Dims out_dims(data.dims.begin(), data.dims.begin() + axis);
    out_dims.insert(out_dims.end(), index_dims.begin(), index_dims.end());
    out_dims.insert(out_dims.end(), data.dims.begin() + axis + 1, data.dims.end());
    const int q = static_cast<int>(index_dims.size());
    Tensor expected = Gathered(data, out_dims, [&](const Dims& o) {
      Dims i(o.begin(), o.begin() + axis);
      Dims j(o.begin() + axis, o.begin() + axis + q);
      int64_t index = indices[Ravel(j, index_dims)];
      i.push_back(index < 0 ? index + n : index);
      i.insert(i.end(), o.begin() + axis + q, o.end());
      return Ravel(i, data.dims);
    });
    const std::string what = "trial " + std::to_string(trial);
    // Indices as a graph input (checked at run time) and as a constant.
    auto out = RunNode("Gather", {data, index_tensor}, {}, {Attr::Int("axis", axis)}, 13);
    ASSERT_EQ(out.size(), 1u);
    ExpectSameTensor(expected, out[0], what + " computed indices");
    out = RunNode("Gather", {data}, {{"i", index_tensor}}, {Attr::Int("axis", axis - rank)}, 13);
    ASSERT_EQ(out.size(), 1u);
    ExpectSameTensor(expected, out[0], what + " constant indices");
  }
}

TEST_F(ShapeOpsTest, GatherChecksConstantIndicesAndClampsComputedOnes) {
  Tensor data = Floats({4}, {10, 11, 12, 13});
  EXPECT_EQ(LoadNode("Gather", {data}, {{"i", Int64Vector({1, 4})}}, {}, 13),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(),
                       "index 4 (element 1 of the indices) is out of range for an axis "
                       "of 4 (allowed: -4 to 3)"))
      << error();
  // At run time: -5 wraps once to -1 and clamps to 0; 9 clamps to 3.
  auto out = RunNode("Gather", {data, Int64Vector({-5, 9, -1, 2})}, {}, {}, 13);
  ASSERT_EQ(out.size(), 1u);
  ExpectSameTensor(Floats({4}, {10, 13, 13, 12}), out[0], "clamped");
}

// ---------------------------------------------------------------- Aliasing ops

TEST_F(ShapeOpsTest, ReshapeResolvesZeroAndMinusOneAndSharesStorage) {
  std::mt19937 rng(17);
  Tensor in = Random(DType::kInt8, {2, 3, 4}, rng);
  struct Case {
    Dims shape;
    int64_t allowzero;
    Dims expected;
  };
  const Case cases[] = {{{0, -1}, 0, {2, 12}},
                        {{-1, 4, 1}, 0, {6, 4, 1}},
                        {{4, 0, 2}, 0, {4, 3, 2}},
                        {{24}, 1, {24}},
                        {{2, 0, -1, 2}, 0, {2, 3, 2, 2}}};
  for (const Case& c : cases) {
    auto out = RunNode("Reshape", {in}, {{"shape", Int64Vector(c.shape)}},
                       {Attr::Int("allowzero", c.allowzero)}, 14);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].dims, c.expected);
    EXPECT_EQ(out[0].bytes, in.bytes);
    EXPECT_EQ(steps(), 0u);
  }
  auto old = RunNode("Reshape", {in}, {}, {IntsAttr("shape", {-1})}, 4);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].dims, Dims({24}));
}

TEST_F(ShapeOpsTest, ReshapeErrorsSayWhatDoesNotFit) {
  Tensor in = Floats({2, 3, 4}, std::vector<float>(24));
  EXPECT_EQ(LoadNode("Reshape", {in}, {{"s", Int64Vector({5, 5})}}, {}, 13), Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "cannot reshape [2, 3, 4] (24 elements) into [5, 5] (25 elements)"))
      << error();
  EXPECT_EQ(LoadNode("Reshape", {in}, {{"s", Int64Vector({-1, 5})}}, {}, 13),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "cannot infer the -1")) << error();
  EXPECT_EQ(LoadNode("Reshape", {in}, {{"s", Int64Vector({-1, -1})}}, {}, 13),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "more than one -1")) << error();
  EXPECT_EQ(
      LoadNode("Reshape", {in}, {{"s", Int64Vector({0, 12})}}, {Attr::Int("allowzero", 1)}, 14),
      Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "into [0, 12] (0 elements)")) << error();
  EXPECT_EQ(LoadNode("Reshape", {in, Int64Vector({24})}, {}, {}, 13), Status::kUnsupported);
  EXPECT_TRUE(Contains(error(), "must be a constant")) << error();
}

TEST_F(ShapeOpsTest, FlattenSqueezeUnsqueezeShapes) {
  std::mt19937 rng(18);
  Tensor in = Random(DType::kFloat, {2, 1, 3, 1}, rng);
  // `what` is the op; `expected` the output dims.
  const std::vector<NodeCase> cases = {
      {"Flatten", 13, {}, {}, {2, 3}},
      {"Flatten", 13, {Attr::Int("axis", 0)}, {}, {1, 6}},
      {"Flatten", 13, {Attr::Int("axis", 4)}, {}, {6, 1}},
      {"Flatten", 13, {Attr::Int("axis", -2)}, {}, {2, 3}},
      {"Squeeze", 13, {}, {}, {2, 3}},
      {"Squeeze", 13, {}, {{"axes", Int64Vector({-1})}}, {2, 1, 3}},
      {"Squeeze", 11, {IntsAttr("axes", {1})}, {}, {2, 3, 1}},
      {"Unsqueeze", 13, {}, {{"axes", Int64Vector({0, -1})}}, {1, 2, 1, 3, 1, 1}},
      {"Unsqueeze", 11, {IntsAttr("axes", {2})}, {}, {2, 1, 1, 3, 1}},
  };
  for (const NodeCase& c : cases) {
    auto out = RunNode(c.what, {in}, c.constants, c.attrs, c.opset);
    ASSERT_EQ(out.size(), 1u) << c.what;
    EXPECT_EQ(out[0].dims, c.expected) << c.what;
    EXPECT_EQ(out[0].bytes, in.bytes) << c.what;
    EXPECT_EQ(steps(), 0u) << c.what;
  }
  EXPECT_EQ(LoadNode("Squeeze", {in}, {{"axes", Int64Vector({2})}}, {}, 13), Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "axis 2 has size 3; only axes of size 1 can be squeezed"))
      << error();
  EXPECT_EQ(LoadNode("Unsqueeze", {in}, {{"axes", Int64Vector({1, -5})}}, {}, 13),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "axis -5 is listed twice")) << error();
  EXPECT_EQ(LoadNode("Flatten", {in}, {}, {Attr::Int("axis", 5)}, 13), Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "axis 5 is out of range for rank 4 (allowed: -4 to 4)")) << error();
}

// ---------------------------------------------------------------- Shape chains

TEST_F(ShapeOpsTest, ShapeStartEnd) {
  Tensor in = Floats({3, 4, 5}, std::vector<float>(60));
  struct Case {
    std::vector<Attr> attrs;
    Dims expected;
  };
  const std::vector<Case> cases = {{{}, {3, 4, 5}},
                                   {{Attr::Int("start", 1)}, {4, 5}},
                                   {{Attr::Int("end", -1)}, {3, 4}},
                                   {{Attr::Int("start", -10), Attr::Int("end", 10)}, {3, 4, 5}},
                                   {{Attr::Int("start", 2), Attr::Int("end", 1)}, {}}};
  for (const Case& c : cases) {
    auto out = RunNode("Shape", {in}, {}, c.attrs, 15);
    ASSERT_EQ(out.size(), 1u);
    ExpectSameTensor(Int64Vector(c.expected), out[0], "shape");
  }
}

// PyTorch's x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze -> Concat ->
// Reshape, all folded at load time into a plain view of the input.
TEST_F(ShapeOpsTest, TorchShapeChainFoldsAway) {
  std::mt19937 rng(19);
  Tensor in = Random(DType::kFloat, {2, 3, 4}, rng);
  GraphWriter g;
  AddInput(g, "x", in);
  g.Int64Initializer("zero", {}, {0})
      .Int64Initializer("axes0", {1}, {0})
      .Int64Initializer("minus_one", {1}, {-1})
      .Node("Shape", {"x"}, {"s"})
      .Node("Gather", {"s", "zero"}, {"n"}, {Attr::Int("axis", 0)})
      .Node("Unsqueeze", {"n", "axes0"}, {"n1"})
      .Node("Concat", {"n1", "minus_one"}, {"shape"}, {Attr::Int("axis", 0)})
      .Node("Reshape", {"x", "shape"}, {"y"})
      .Output("y");
  auto out = Run(g.Model(13), {in});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dims, Dims({2, 12}));
  EXPECT_EQ(out[0].bytes, in.bytes);
  EXPECT_EQ(steps(), 0u);
}

// F.pad's pads chain: ConstantOfShape -> Concat -> Reshape -> Slice(step -1)
// -> Transpose -> Reshape, folded, then a reflect Pad.
TEST_F(ShapeOpsTest, TorchPadChainFolds) {
  std::mt19937 rng(20);
  Tensor in = Random(DType::kFloat, {1, 2, 3, 4}, rng);
  GraphWriter g;
  AddInput(g, "x", in);
  g.Int64Initializer("four", {1}, {4})
      .Int64Initializer("given", {4}, {1, 1, 2, 0})  // torch order: last dim first
      .Int64Initializer("pairs", {2}, {-1, 2})
      .Int64Initializer("start", {1}, {-1})
      .Int64Initializer("end", {1}, {-9223372036854775807LL})
      .Int64Initializer("axis0", {1}, {0})
      .Int64Initializer("step", {1}, {-1})
      .Int64Initializer("flat", {1}, {-1})
      .Node("ConstantOfShape", {"four"}, {"zeros"}, {TensorAttr("value", Int64s({1}, {0}))})
      .Node("Concat", {"given", "zeros"}, {"all"}, {Attr::Int("axis", 0)})
      .Node("Reshape", {"all", "pairs"}, {"p2"})
      .Node("Slice", {"p2", "start", "end", "axis0", "step"}, {"rev"})
      .Node("Transpose", {"rev"}, {"t"}, {IntsAttr("perm", {1, 0})})
      .Node("Reshape", {"t", "flat"}, {"pads"})
      .Node("Pad", {"x", "pads"}, {"y"}, {Attr::String("mode", "reflect")})
      .Output("y");
  auto out = Run(g.Model(13), {in});
  ASSERT_EQ(out.size(), 1u);
  // Torch pads (1, 1, 2, 0): W by 1 on both sides, H by 2 before.
  ASSERT_EQ(out[0].dims, Dims({1, 2, 5, 6}));
  EXPECT_EQ(steps(), 1u);  // only the Pad runs
  Tensor expected = Gathered(in, {1, 2, 5, 6}, [&](const Dims& o) {
    return Ravel({0, o[1], NaivePadSource(o[2], 3, 2, 0, "reflect"),
                  NaivePadSource(o[3], 4, 1, 1, "reflect")},
                 in.dims);
  });
  ExpectSameTensor(expected, out[0], "pad");
}

TEST_F(ShapeOpsTest, ConstantOfShapeTypesAndDefaults) {
  auto out = RunNode("ConstantOfShape", {}, {{"s", Int64Vector({2, 3})}},
                     {TensorAttr("value", Make(DType::kInt32, {1}, std::vector<int32_t>{7}))}, 13);
  ASSERT_EQ(out.size(), 1u);
  ExpectSameTensor(Make(DType::kInt32, {2, 3}, std::vector<int32_t>(6, 7)), out[0], "int32 7");
  out = RunNode("ConstantOfShape", {}, {{"s", Int64Vector({3})}}, {}, 13);
  ASSERT_EQ(out.size(), 1u);
  ExpectSameTensor(Floats({3}, {0, 0, 0}), out[0], "default");
  out = RunNode("ConstantOfShape", {}, {{"s", Int64Vector({0})}}, {}, 13);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dims, Dims({0}));
  EXPECT_EQ(LoadNode("ConstantOfShape", {}, {{"s", Int64Vector({2, -1})}}, {}, 13),
            Status::kInvalidModel);
  EXPECT_TRUE(Contains(error(), "dimension 1 would be -1")) << error();
}

// ---------------------------------------------------------------- Dropout

TEST_F(ShapeOpsTest, DropoutWithMaskKeepsEverything) {
  std::mt19937 rng(21);
  Tensor in = Random(DType::kFloat, {3, 4}, rng);
  auto out = RunNode("Dropout", {in}, {{"ratio", Floats({}, {0.3f})}}, {}, 13, 2);
  ASSERT_EQ(out.size(), 2u);
  ExpectSameTensor(in, out[0], "output");
  ExpectSameTensor(Make(DType::kBool, {3, 4}, std::vector<uint8_t>(12, 1)), out[1], "mask");
  // Before opset 10 the mask has the data's type.
  out = RunNode("Dropout", {in}, {}, {Attr::Float("ratio", 0.5f)}, 7, 2);
  ASSERT_EQ(out.size(), 2u);
  ExpectSameTensor(Floats({3, 4}, std::vector<float>(12, 1.0f)), out[1], "opset 7 mask");
  // Training with ratio 0 drops nothing.
  Tensor yes = Make(DType::kBool, {}, std::vector<uint8_t>{1});
  out = RunNode("Dropout", {in}, {{"r", Floats({}, {0.0f})}, {"t", yes}}, {}, 13, 2);
  ASSERT_EQ(out.size(), 2u);
  ExpectSameTensor(in, out[0], "zero ratio");
}

TEST_F(ShapeOpsTest, DropoutInTrainingModeIsRefused) {
  Tensor in = Floats({2}, {1, 2});
  Tensor yes = Make(DType::kBool, {}, std::vector<uint8_t>{1});
  EXPECT_EQ(LoadNode("Dropout", {in}, {{"r", Floats({}, {0.5f})}, {"t", yes}}, {}, 13, 2),
            Status::kUnsupported);
  EXPECT_TRUE(Contains(error(), "Dropout in training mode is not supported")) << error();
  EXPECT_EQ(
      LoadNode("Dropout", {in, yes}, {{"r", Floats({}, {0.5f})}}, {}, 13, 2, {"x0", "r", "x1"}),
      Status::kUnsupported);
  EXPECT_TRUE(Contains(error(), "training_mode must be a constant")) << error();
}

}  // namespace
}  // namespace tinyonnx
