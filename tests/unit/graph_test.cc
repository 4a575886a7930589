// Graph building and preparation: errors for malformed graphs, the passes
// (identity removal, transpose cancellation, folding, fusion), and the arena.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "onnx_writer.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {
namespace {

using testing::Attr;
using testing::GraphWriter;

class GraphTest : public ::testing::Test {
 protected:
  Status Load(const std::string& model, size_t arena_size = sizeof(arena_)) {
    model_ = model;
    interpreter_.reset(new Interpreter(model_.data(), model_.size(), arena_, arena_size));
    BuildOptions options;
    options.keep_graph = true;  // the tests inspect the prepared graph
    return interpreter_->Prepare(options);
  }
  std::string error() const { return interpreter_->error(); }
  uint32_t LiveNodes(const char* op) const {
    const Graph& g = interpreter_->graph();
    uint32_t n = 0;
    for (uint32_t i = 0; i < g.node_count; ++i) n += !g.nodes[i].removed && g.nodes[i].View().op_type == op;
    return n;
  }

  alignas(16) uint8_t arena_[1 << 20];
  std::string model_;
  std::unique_ptr<Interpreter> interpreter_;
};

TEST_F(GraphTest, RejectsCycleNamingANodeOnIt) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 4})
      .Node("Add", {"x", "b"}, {"a"}, {}, "first")
      .Node("Relu", {"a"}, {"b"}, {}, "second")
      .Output("b");
  EXPECT_EQ(Load(g.Model()), Status::kInvalidModel);
  EXPECT_NE(error().find("cycle through node"), std::string::npos) << error();
}

TEST_F(GraphTest, RejectsDanglingInput) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 4}).Node("Relu", {"missing"}, {"y"}, {}, "r").Output("y");
  EXPECT_EQ(Load(g.Model()), Status::kInvalidModel);
  EXPECT_EQ(error(), "node 'r' (Relu) reads 'missing', which nothing defines");
}

TEST_F(GraphTest, RejectsDuplicateNames) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 4}).Node("Relu", {"x"}, {"x"}).Output("x");
  EXPECT_EQ(Load(g.Model()), Status::kInvalidModel);
  EXPECT_EQ(error(), "the name 'x' is defined twice");
}

TEST_F(GraphTest, ListsAllUnsupportedOpsAtOnce) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 4})
      .Node("Foo", {"x"}, {"a"})
      .Node("Relu", {"a"}, {"b"})
      .Node("Bar", {"b"}, {"c"})
      .Node("Foo", {"c"}, {"y"})
      .Output("y");
  EXPECT_EQ(Load(g.Model()), Status::kUnsupported);
  EXPECT_EQ(error(), "unsupported ops: Foo, Bar");
}

TEST_F(GraphTest, RejectsUnknownOpset) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 4}).Node("Relu", {"x"}, {"y"}).Output("y");
  EXPECT_EQ(Load(g.Model(/*opset=*/99)), Status::kUnsupported);
  EXPECT_NE(error().find("opset 99 is not supported"), std::string::npos) << error();
}

TEST_F(GraphTest, RejectsExternalData) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {4})
      .ExternalInitializer("w", testing::kFloat, {4}, "weights.bin")
      .Node("Add", {"x", "w"}, {"y"})
      .Output("y");
  EXPECT_EQ(Load(g.Model()), Status::kUnsupported);
  EXPECT_NE(error().find("tensor 'w' keeps its data in an external file"), std::string::npos) << error();
}

TEST_F(GraphTest, SymbolicBatchBecomesOne) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {-1, 3}).Node("Relu", {"x"}, {"y"}).Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  EXPECT_EQ(interpreter_->input(0).shape, Shape::Of({1, 3}));
  EXPECT_EQ(interpreter_->output(0).shape, Shape::Of({1, 3}));
}

TEST_F(GraphTest, UnresolvableSymbolicDimensionIsAnError) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, -1}, "width").Node("Relu", {"x"}, {"y"}).Output("y");
  EXPECT_EQ(Load(g.Model()), Status::kUnsupported);
  EXPECT_EQ(error(), "dimension 1 of input 'x' is symbolic ('width'); give its value (tinyonnx run --dim width=N)");
}

TEST_F(GraphTest, IdentityAndDropoutDisappear) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 4})
      .Node("Identity", {"x"}, {"a"})
      .Node("Dropout", {"a"}, {"b"})
      .Node("Relu", {"b"}, {"y"})
      .Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  EXPECT_EQ(interpreter_->plan().step_count, 1u);
  EXPECT_EQ(LiveNodes("Identity") + LiveNodes("Dropout"), 0u);
}

TEST_F(GraphTest, KerasTransposePairsCancelAroundElementwiseOps) {
  // NHWC -> NCHW -> Relu in NHWC -> back: all four Transposes cancel.
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 2, 3, 4})
      .Node("Transpose", {"x"}, {"t1"}, {Attr::Ints("perm", {0, 2, 3, 1})})
      .Node("Relu", {"t1"}, {"r"})
      .Node("Transpose", {"r"}, {"t2"}, {Attr::Ints("perm", {0, 3, 1, 2})})
      .Node("Transpose", {"t2"}, {"t3"}, {Attr::Ints("perm", {0, 2, 3, 1})})
      .Node("Transpose", {"t3"}, {"y"}, {Attr::Ints("perm", {0, 3, 1, 2})})
      .Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  EXPECT_EQ(LiveNodes("Transpose"), 0u);
  EXPECT_EQ(interpreter_->prepare_stats().removed_transposes, 4u);
  TensorRef in = interpreter_->input(0);
  for (int i = 0; i < 24; ++i) in.data<float>()[i] = static_cast<float>(i % 5) - 2.0f;
  ASSERT_EQ(interpreter_->Invoke(), Status::kOk);
  TensorRef out = interpreter_->output(0);
  EXPECT_EQ(out.shape, Shape::Of({1, 2, 3, 4}));
  for (int i = 0; i < 24; ++i) EXPECT_EQ(out.data<float>()[i], std::fmax(0.0f, static_cast<float>(i % 5) - 2.0f));
}

TEST_F(GraphTest, KerasTransposePairCancelsAroundAddOfAChannelConstant) {
  // NCHW -> NHWC, + a per-channel bias, -> NCHW: the bias is relaid for NCHW
  // (a value the pass adds) and both Transposes go.
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 2, 3, 4})
      .Initializer("bias", {2}, {10.0f, -20.0f})
      .Node("Transpose", {"x"}, {"t1"}, {Attr::Ints("perm", {0, 2, 3, 1})})
      .Node("Add", {"t1", "bias"}, {"a"})
      .Node("Transpose", {"a"}, {"y"}, {Attr::Ints("perm", {0, 3, 1, 2})})
      .Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  EXPECT_EQ(LiveNodes("Transpose"), 0u);
  EXPECT_EQ(interpreter_->prepare_stats().removed_transposes, 2u);
  TensorRef in = interpreter_->input(0);
  for (int i = 0; i < 24; ++i) in.data<float>()[i] = static_cast<float>(i);
  ASSERT_EQ(interpreter_->Invoke(), Status::kOk);
  TensorRef out = interpreter_->output(0);
  EXPECT_EQ(out.shape, Shape::Of({1, 2, 3, 4}));
  for (int i = 0; i < 24; ++i) EXPECT_EQ(out.data<float>()[i], static_cast<float>(i) + (i < 12 ? 10.0f : -20.0f));
}

TEST_F(GraphTest, ShapeChainFoldsIntoConstantReshape) {
  // The PyTorch x.view(x.size(0), -1) pattern.
  GraphWriter g;
  g.Input("x", testing::kFloat, {-1, 2, 3})
      .Int64Initializer("zero", {}, {0})
      .Int64Initializer("minus_one", {1}, {-1})
      .Node("Shape", {"x"}, {"s"})
      .Node("Gather", {"s", "zero"}, {"n"}, {Attr::Int("axis", 0)})
      .Node("Unsqueeze", {"n", "axes"}, {"n1"})
      .Int64Initializer("axes", {1}, {0})
      .Node("Concat", {"n1", "minus_one"}, {"shape"}, {Attr::Int("axis", 0)})
      .Node("Reshape", {"x", "shape"}, {"y"})
      .Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  EXPECT_EQ(interpreter_->output(0).shape, Shape::Of({1, 6}));
  EXPECT_EQ(interpreter_->plan().step_count, 0u);  // Reshape is an alias; the rest folded
  EXPECT_EQ(interpreter_->graph().LiveNodeCount(), 1u);
}

TEST_F(GraphTest, TooSmallArenaStatesBytesNeeded) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 1000}).Node("Relu", {"x"}, {"a"}).Node("Exp", {"a"}, {"y"}).Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk);
  size_t needed = interpreter_->memory().required_bytes;
  EXPECT_EQ(Load(g.Model(), 4096), Status::kOutOfMemory);
  EXPECT_NE(error().find("arena too small: this model needs"), std::string::npos) << error();
  EXPECT_EQ(Load(g.Model(), needed), Status::kOk) << error();
}

TEST_F(GraphTest, ElementwiseChainRunsInPlace) {
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, 1000})
      .Node("Relu", {"x"}, {"a"})
      .Node("Exp", {"a"}, {"b"})
      .Node("Neg", {"b"}, {"y"})
      .Output("y");
  ASSERT_EQ(Load(g.Model()), Status::kOk) << error();
  EXPECT_EQ(interpreter_->memory().activation_bytes, 4000u);
  EXPECT_EQ(interpreter_->memory().lower_bound, 4000u);  // in place: one buffer throughout
}

}  // namespace
}  // namespace tinyonnx
