// Op variants that link fewer kernels (graph/ops/qdq_ops.cc, kMaxPoolFloatOp)
// and graph passes that come with the ops of the resolver (OpDef::pass):
// an int8-only resolver (the QDQ model's float ops as ...QdqOp) gives the
// same bytes as all ops; a node it cannot lower fails with a message saying
// why; MaxPoolFloat takes float only; a pass runs once when any op of the
// resolver brings it, and not without one.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "onnx_writer.h"
#include "tinyonnx/graph/passes.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {

extern const OpDef kConvQdqOp, kReluQdqOp, kTransposeQdqOp, kQuantizeLinearOp, kDequantizeLinearOp,
    kQLinearConvOp, kMaxPoolOp, kMaxPoolFloatOp;

namespace {

using testing::Attr;
using testing::GraphWriter;

// x [1, 3, 6, 6] -> Q/DQ -> Conv 3x3 (3 -> 4, pad 1; int8 weights per
// channel, stored OHWI behind a Transpose or OIHW; int32 bias) -> Relu ->
// Q/DQ -> y.
std::string QdqConvModel(bool ohwi_weights) {
  constexpr int kC = 3, kO = 4;
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> wd(-127, 127), bd(-200, 200);
  std::vector<int8_t> w(kO * 3 * 3 * kC);
  for (int8_t& v : w) v = static_cast<int8_t>(wd(rng));
  std::vector<int32_t> bias(kO);
  for (int32_t& v : bias) v = bd(rng);
  const float xs = 0.02f;
  const std::vector<float> ws = {0.004f, 0.005f, 0.006f, 0.007f};
  std::vector<float> bs;
  for (float s : ws) bs.push_back(xs * s);
  GraphWriter g;
  g.Input("x", testing::kFloat, {1, kC, 6, 6});
  g.Initializer("xs", {}, {xs}).RawInitializer("xz", testing::kInt8, {}, testing::RawBytes(std::vector<int8_t>{-5}));
  g.Initializer("ys", {}, {0.05f}).RawInitializer("yz", testing::kInt8, {}, testing::RawBytes(std::vector<int8_t>{-128}));
  g.Initializer("ws", {kO}, ws).RawInitializer("wz", testing::kInt8, {kO}, testing::RawBytes(std::vector<int8_t>(kO, 0)));
  g.Initializer("bs", {kO}, bs).RawInitializer("bz", testing::kInt32, {kO}, testing::RawBytes(std::vector<int32_t>(kO, 0)));
  g.RawInitializer("b", testing::kInt32, {kO}, testing::RawBytes(bias));
  if (ohwi_weights) {
    g.RawInitializer("w_ohwi", testing::kInt8, {kO, 3, 3, kC}, testing::RawBytes(w));
    g.Node("Transpose", {"w_ohwi"}, {"w"}, {Attr::Ints("perm", {0, 3, 1, 2})});
  } else {
    g.RawInitializer("w", testing::kInt8, {kO, kC, 3, 3}, testing::RawBytes(w));
  }
  g.Node("QuantizeLinear", {"x", "xs", "xz"}, {"xq"});
  g.Node("DequantizeLinear", {"xq", "xs", "xz"}, {"xd"});
  g.Node("DequantizeLinear", {"w", "ws", "wz"}, {"wd"}, {Attr::Int("axis", 0)});
  g.Node("DequantizeLinear", {"b", "bs", "bz"}, {"bd"}, {Attr::Int("axis", 0)});
  g.Node("Conv", {"xd", "wd", "bd"}, {"c"}, {Attr::Ints("pads", {1, 1, 1, 1})}, "conv");
  g.Node("Relu", {"c"}, {"r"});
  g.Node("QuantizeLinear", {"r", "ys", "yz"}, {"yq"});
  g.Node("DequantizeLinear", {"yq", "ys", "yz"}, {"y"});
  g.Output("y");
  return g.Model(13);
}

struct Outcome {
  Status status;
  std::string error;
  std::vector<float> y;
};

Outcome Prepare(const std::string& model, const OpResolver& resolver, const std::vector<float>* x) {
  constexpr size_t kArenaBytes = size_t{1} << 20;
  std::unique_ptr<uint8_t[]> arena(new uint8_t[kArenaBytes]);
  Interpreter interpreter(model.data(), model.size(), arena.get(), kArenaBytes, resolver);
  Outcome run{interpreter.Prepare(), interpreter.error(), {}};
  if (run.status != Status::kOk || x == nullptr) return run;
  std::memcpy(interpreter.input(0).raw, x->data(), x->size() * sizeof(float));
  run.status = interpreter.Invoke();
  const TensorRef out = interpreter.output(0);
  run.y.assign(out.data<float>(), out.data<float>() + out.ElementCount());
  return run;
}

const OpDef* const kInt8Ops[] = {&kConvQdqOp,       &kReluQdqOp,          &kTransposeQdqOp,
                                 &kQuantizeLinearOp, &kDequantizeLinearOp, &kQLinearConvOp};
const OpResolver kInt8Only{kInt8Ops, sizeof(kInt8Ops) / sizeof(kInt8Ops[0])};

TEST(OpVariantsTest, Int8OnlyResolverGivesTheBytesOfAllOps) {
  const std::string model = QdqConvModel(true);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> d(-1.0f, 1.5f);
  std::vector<float> x(3 * 36);
  for (float& v : x) v = d(rng);
  const Outcome all = Prepare(model, AllOps(), &x);
  const Outcome int8_only = Prepare(model, kInt8Only, &x);
  ASSERT_EQ(all.status, Status::kOk) << all.error;
  ASSERT_EQ(int8_only.status, Status::kOk) << int8_only.error;
  ASSERT_EQ(int8_only.y.size(), 4u * 36u);
  ASSERT_EQ(all.y.size(), int8_only.y.size());
  EXPECT_EQ(std::memcmp(all.y.data(), int8_only.y.data(), all.y.size() * sizeof(float)), 0);
}

TEST(OpVariantsTest, QdqOnlyOpLeftInFloatSaysSo) {
  // Without QLinearConv LowerQdq leaves the Conv in float, which this
  // resolver has no kernel for.
  const OpDef* const ops[] = {&kConvQdqOp, &kReluQdqOp, &kQuantizeLinearOp, &kDequantizeLinearOp};
  const OpResolver resolver{ops, sizeof(ops) / sizeof(ops[0])};
  const Outcome run = Prepare(QdqConvModel(false), resolver, nullptr);
  EXPECT_EQ(run.status, Status::kUnsupported);
  EXPECT_NE(run.error.find("node 'conv' (Conv)"), std::string::npos) << run.error;
  EXPECT_NE(run.error.find("only inside QDQ groups"), std::string::npos) << run.error;
  EXPECT_NE(run.error.find("kConvOp runs it in float"), std::string::npos) << run.error;
}

std::string Int8MaxPoolModel() {
  GraphWriter g;
  g.Input("x", testing::kInt8, {1, 2, 4, 4});
  g.Node("MaxPool", {"x"}, {"y"}, {Attr::Ints("kernel_shape", {2, 2}), Attr::Ints("strides", {2, 2})});
  g.Output("y", testing::kInt8);
  return g.Model(13);
}

TEST(OpVariantsTest, MaxPoolFloatTakesFloatOnly) {
  const OpDef* const float_only[] = {&kMaxPoolFloatOp};
  const OpDef* const any_type[] = {&kMaxPoolOp};
  const Outcome rejected = Prepare(Int8MaxPoolModel(), OpResolver{float_only, 1}, nullptr);
  EXPECT_EQ(rejected.status, Status::kUnsupported);
  EXPECT_NE(rejected.error.find("has dtype int8, which this op does not support"), std::string::npos)
      << rejected.error;
  const Outcome accepted = Prepare(Int8MaxPoolModel(), OpResolver{any_type, 1}, nullptr);
  EXPECT_EQ(accepted.status, Status::kOk) << accepted.error;
}

// A pass that counts its runs, brought by two test ops.
int g_pass_runs = 0;
Status CountRun(Graph&, Arena&, ErrorReporter&, PrepareStats*) {
  ++g_pass_runs;
  return Status::kOk;
}
Status PrepareNothing(OpContext&) { return Status::kOk; }
const GraphPass kCountingPass{GraphPass::kFuseActivations, CountRun};
const OpDef kBringsPassA{"A", "test", PrepareNothing, 0, &kCountingPass};
const OpDef kBringsPassB{"B", "test", PrepareNothing, 0, &kCountingPass};
const OpDef kNoPass{"C", "test", PrepareNothing};

int PassRuns(const OpResolver& resolver, GraphPass::Order order) {
  Graph graph;
  graph.resolver = &resolver;
  uint8_t memory[64];
  Arena arena(memory, sizeof(memory));
  ErrorReporter errors;
  PrepareStats stats;
  g_pass_runs = 0;
  EXPECT_EQ(RunPassIfRegistered(order, graph, arena, errors, &stats), Status::kOk);
  return g_pass_runs;
}

TEST(OpVariantsTest, PassRunsOnceWhenAnOpBringsIt) {
  const OpDef* const both[] = {&kNoPass, &kBringsPassA, &kBringsPassB};
  const OpDef* const none[] = {&kNoPass};
  EXPECT_EQ(PassRuns(OpResolver{both, 3}, GraphPass::kFuseActivations), 1);
  EXPECT_EQ(PassRuns(OpResolver{both, 3}, GraphPass::kLowerQdq), 0);
  EXPECT_EQ(PassRuns(OpResolver{none, 1}, GraphPass::kFuseActivations), 0);
}

}  // namespace
}  // namespace tinyonnx
