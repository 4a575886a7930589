// Compiled plans (plan/plan_format.h): the PlanInterpreter on what
// CompileModel wrote against the Interpreter on the original model, and its
// answers to damaged plans, changed model bytes, small arenas, missing
// kernels and models without a plan.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "idx.h"
#include "plan_compiler.h"
#include "tinyonnx/kernels/quantized.h"
#include "tinyonnx/plan/memory_plan.h"
#include "tinyonnx/runtime/interpreter.h"
#include "tinyonnx/runtime/plan_interpreter.h"

namespace tinyonnx {
namespace {

using tools::CompiledModel;

const std::string kRoot = TINYONNX_ROOT;
const char* const kInt8Models[] = {"mnist-small-int8", "mnist-cnn-int8"};
constexpr size_t kArenaBytes = size_t{1} << 20;
constexpr int kMnistImages = 500;

std::vector<uint8_t> ReadModel(const std::string& name) {
  std::ifstream file(kRoot + "/models/" + name + ".onnx", std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

// The model and its compiled form; the test fails if it does not compile.
struct Compiled {
  std::vector<uint8_t> model;
  CompiledModel compiled;
  // The plan value: the last plan_bytes bytes of the compiled file.
  size_t plan_start() const { return compiled.bytes.size() - compiled.plan_bytes; }
};

Compiled CompileOrFail(const std::string& name) {
  Compiled c;
  c.model = ReadModel(name);
  EXPECT_FALSE(c.model.empty()) << "cannot read models/" << name << ".onnx";
  std::string error;
  EXPECT_TRUE(tools::CompileModel(c.model, &c.compiled, &error)) << name << ": " << error;
  return c;
}

// A fixed byte pattern, whatever the input's type (a mutation may change it).
void FillBytes(const TensorRef& ref) {
  uint8_t* bytes = static_cast<uint8_t*>(ref.raw);
  for (size_t i = 0; i < ref.ByteSize(); ++i) bytes[i] = static_cast<uint8_t>(i * 37 + 11);
}

// Loads `bytes` with the PlanInterpreter; a failure must explain itself, a
// success must run. Returns whether it loaded.
bool LoadsAndRunsOrExplains(const std::vector<uint8_t>& bytes, std::vector<uint8_t>& arena,
                            const std::string& what) {
  PlanInterpreter planned(bytes.data(), bytes.size(), arena.data(), arena.size());
  if (planned.Prepare() != Status::kOk) {
    EXPECT_STRNE(planned.error(), "") << what;
    return false;
  }
  for (uint32_t i = 0; i < planned.input_count(); ++i) FillBytes(planned.input(i));
  EXPECT_EQ(planned.Invoke(), Status::kOk) << what;
  return true;
}

// Plan fields as the reader reads them (plan/plan_format.h), for plans
// written by hand.
struct PlanBytes {
  std::vector<uint8_t> bytes{std::begin(kPlanMagic), std::end(kPlanMagic)};

  void Unsigned(uint64_t v) {
    for (; v >= 0x80; v >>= 7) bytes.push_back(static_cast<uint8_t>(v | 0x80));
    bytes.push_back(static_cast<uint8_t>(v));
  }
  void Int(int64_t v) { Unsigned((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void Embedded(const void* data, size_t size) {
    Unsigned(kRefEmbedded);
    Unsigned(size);
    bytes.insert(bytes.end(), static_cast<const uint8_t*>(data),
                 static_cast<const uint8_t*>(data) + size);
  }
  void InArena(size_t offset) {
    Unsigned(kRefArena);
    Unsigned(offset);
  }
  // An int8 graph input or output of shape [1, size] (scale 1, zero point 0).
  void Int8Tensor(const char* name, int32_t size, size_t offset) {
    Unsigned(std::strlen(name));
    bytes.insert(bytes.end(), name, name + std::strlen(name));
    Int(static_cast<int64_t>(DType::kInt8));
    Int(2);
    Int(1);
    Int(size);
    Unsigned(0x3F800000u);  // 1.0f
    Int(0);
    InArena(offset);
  }
};

// A plan of one fully connected step (rows 1, output depth 1) for `model`:
// x [1, depth] at offset 0, y [1, 1] after it; all weights 127.
std::vector<uint8_t> FullyConnectedPlan(const std::vector<uint8_t>& model, int32_t depth,
                                        int32_t input_offset, int32_t filter_offset) {
  const size_t y_offset = (static_cast<size_t>(depth) + 15) / 16 * 16;
  PlanBytes plan;
  plan.Unsigned(model.size());
  plan.Unsigned(Crc32(model.data(), model.size()));
  plan.Unsigned(y_offset + 16);  // activation bytes
  plan.Unsigned(1);              // inputs
  plan.Unsigned(1);              // outputs
  plan.Unsigned(1);              // steps
  plan.Int8Tensor("x", depth, 0);
  plan.Int8Tensor("y", 1, y_offset);
  plan.Int(static_cast<int64_t>(PlanKernel::kFullyConnectedS8));
  for (const int64_t v : {1, depth, 1, input_offset, 0, -128, 127}) plan.Int(v);
  const int32_t multiplier = 1 << 30;
  const int32_t shift = 0;
  plan.Embedded(&multiplier, sizeof(multiplier));
  plan.Embedded(&shift, sizeof(shift));
  plan.Unsigned(kRefNull);  // no bias
  plan.Embedded(&filter_offset, sizeof(filter_offset));
  const std::vector<uint8_t> weights(static_cast<size_t>(depth), 127);
  plan.Embedded(weights.data(), weights.size());
  plan.InArena(0);
  plan.InArena(y_offset);
  return tools::AppendPlanEntry(model, plan.bytes.data(), plan.bytes.size());
}

// The int32 accumulator of a fully connected or Conv step must not be able
// to overflow: depth * (128 + |input offset|) * (128 + |filter offset|) at
// most 2^31 - 1. 14,563 products of 384 * 384 fit, 14,564 do not.
TEST(PlanHandWrittenTest, AccumulationThatCouldOverflowIsRefused) {
  const std::vector<uint8_t> model = ReadModel("mnist-small-int8");
  std::vector<uint8_t> arena(kArenaBytes);
  const std::vector<uint8_t> fits = FullyConnectedPlan(model, 14563, 256, 256);
  EXPECT_TRUE(LoadsAndRunsOrExplains(fits, arena, "depth 14563"));
  const std::vector<uint8_t> overflows = FullyConnectedPlan(model, 14564, 256, 256);
  PlanInterpreter planned(overflows.data(), overflows.size(), arena.data(), arena.size());
  EXPECT_EQ(planned.Prepare(), Status::kInvalidModel);
  EXPECT_NE(std::string(planned.error()).find("accumulation depth"), std::string::npos)
      << planned.error();
}

class PlanModelTest : public testing::TestWithParam<const char*> {};

// The first 500 MNIST test images (pixels / 255, as `tinyonnx eval` and the
// firmware feed them): the same output bytes from both interpreters.
TEST_P(PlanModelTest, MnistOutputsEqualTheInterpreters) {
  tools::MnistSet mnist;
  std::string error;
  if (!tools::LoadMnist(kRoot + "/.cache/mnist", "t10k", &mnist, &error)) {
    GTEST_SKIP() << "no MNIST (run scripts/fetch_mnist.sh): " << error;
  }
  const Compiled c = CompileOrFail(GetParam());
  std::vector<uint8_t> arena(kArenaBytes);
  std::vector<uint8_t> plan_arena(kArenaBytes);
  Interpreter reference(c.model.data(), c.model.size(), arena.data(), arena.size());
  PlanInterpreter planned(c.compiled.bytes.data(), c.compiled.bytes.size(), plan_arena.data(),
                          plan_arena.size());
  ASSERT_EQ(reference.Prepare(), Status::kOk) << reference.error();
  ASSERT_EQ(planned.Prepare(), Status::kOk) << planned.error();
  ASSERT_EQ(planned.input_count(), 1u);
  ASSERT_EQ(planned.output_count(), reference.output_count());
  const TensorRef image = reference.input(0);
  const TensorRef plan_image = planned.input(0);
  ASSERT_EQ(image.dtype, DType::kFloat);
  ASSERT_EQ(image.ElementCount(), 28 * 28);
  ASSERT_EQ(plan_image.ByteSize(), image.ByteSize());
  for (uint32_t n = 0; n < kMnistImages; ++n) {
    for (int k = 0; k < 28 * 28; ++k) image.data<float>()[k] = mnist.images.image(n)[k] / 255.0f;
    std::memcpy(plan_image.raw, image.raw, image.ByteSize());
    ASSERT_EQ(reference.Invoke(), Status::kOk);
    ASSERT_EQ(planned.Invoke(), Status::kOk);
    for (uint32_t o = 0; o < reference.output_count(); ++o) {
      const TensorRef a = reference.output(o);
      const TensorRef b = planned.output(o);
      ASSERT_EQ(a.ByteSize(), b.ByteSize());
      ASSERT_EQ(std::memcmp(a.raw, b.raw, a.ByteSize()), 0) << "image " << n << ", output " << o;
    }
  }
}

// Every proper prefix of the plan value, in an entry of its own length: the
// last field is always cut, so every one is refused with a message.
TEST_P(PlanModelTest, TruncatedPlansAreRefused) {
  const Compiled c = CompileOrFail(GetParam());
  const uint8_t* plan = c.compiled.bytes.data() + c.plan_start();
  std::vector<uint8_t> arena(kArenaBytes);
  for (size_t size = 0; size < c.compiled.plan_bytes; ++size) {
    const std::vector<uint8_t> appended = tools::AppendPlanEntry(c.model, plan, size);
    const std::vector<uint8_t> bytes(appended);  // exactly its size: ASan sees any over-read
    PlanInterpreter planned(bytes.data(), bytes.size(), arena.data(), arena.size());
    EXPECT_NE(planned.Prepare(), Status::kOk) << "plan cut to " << size << " bytes";
    EXPECT_STRNE(planned.error(), "") << "plan cut to " << size << " bytes";
  }
}

// A plan followed by more bytes is not the plan that was written.
TEST_P(PlanModelTest, TrailingBytesAreRefused) {
  const Compiled c = CompileOrFail(GetParam());
  std::vector<uint8_t> plan(c.compiled.bytes.begin() + c.plan_start(), c.compiled.bytes.end());
  plan.push_back(0);
  const std::vector<uint8_t> bytes = tools::AppendPlanEntry(c.model, plan.data(), plan.size());
  std::vector<uint8_t> arena(kArenaBytes);
  PlanInterpreter planned(bytes.data(), bytes.size(), arena.data(), arena.size());
  EXPECT_EQ(planned.Prepare(), Status::kInvalidModel);
  EXPECT_NE(std::string(planned.error()).find("length"), std::string::npos) << planned.error();
}

// A byte of the first Conv's weights (read in place from the model bytes)
// changed after compiling: the CRC-32 check refuses the plan.
TEST_P(PlanModelTest, ChangedWeightByteFailsTheCrc) {
  Compiled c = CompileOrFail(GetParam());
  std::vector<uint8_t> arena(kArenaBytes);
  size_t weight_offset = 0;
  {
    PlanInterpreter planned(c.compiled.bytes.data(), c.compiled.bytes.size(), arena.data(),
                            arena.size());
    ASSERT_EQ(planned.Prepare(), Status::kOk) << planned.error();
    for (uint32_t s = 0; s < planned.plan().step_count && weight_offset == 0; ++s) {
      if (planned.step_kernel(s)->kernel != PlanKernel::kConvS8) continue;
      const auto* conv = static_cast<const ConvS8Params*>(planned.plan().steps[s].params);
      weight_offset = static_cast<size_t>(reinterpret_cast<const uint8_t*>(conv->weights) -
                                          c.compiled.bytes.data());
    }
  }
  ASSERT_GT(weight_offset, 0u) << "no Conv step reads its weights from the model bytes";
  ASSERT_LT(weight_offset, c.plan_start());
  c.compiled.bytes[weight_offset] ^= 0x01;
  PlanInterpreter planned(c.compiled.bytes.data(), c.compiled.bytes.size(), arena.data(),
                          arena.size());
  EXPECT_EQ(planned.Prepare(), Status::kInvalidModel);
  EXPECT_NE(std::string(planned.error()).find("CRC"), std::string::npos) << planned.error();
}

// The last step's output moved onto its input (the plan's last field is
// that output's arena offset, one varint byte here): refused, since Softmax
// would index its table by the values it overwrote (fuzz_plan found this).
TEST_P(PlanModelTest, OutputOverlappingItsInputIsRefused) {
  Compiled c = CompileOrFail(GetParam());
  std::vector<uint8_t> arena(kArenaBytes);
  int64_t input_offset = 0;
  {
    PlanInterpreter planned(c.compiled.bytes.data(), c.compiled.bytes.size(), arena.data(),
                            arena.size());
    ASSERT_EQ(planned.Prepare(), Status::kOk) << planned.error();
    const Step& last = planned.plan().steps[planned.plan().step_count - 1];
    input_offset = c.compiled.bytes.back() + (static_cast<const uint8_t*>(last.inputs[0]) -
                                             static_cast<const uint8_t*>(last.outputs[0]));
  }
  ASSERT_LT(c.compiled.bytes.back(), 0x80) << "the output offset is not one varint byte";
  ASSERT_GE(input_offset, 0);
  ASSERT_LT(input_offset, 0x80) << "the input offset is not one varint byte";
  c.compiled.bytes.back() = static_cast<uint8_t>(input_offset);
  PlanInterpreter planned(c.compiled.bytes.data(), c.compiled.bytes.size(), arena.data(),
                          arena.size());
  EXPECT_EQ(planned.Prepare(), Status::kInvalidModel);
  EXPECT_NE(std::string(planned.error()).find("overlaps an input"), std::string::npos)
      << planned.error();
}

// The size stated for too small an arena (at any of the 16 misalignments
// of its start) works at any misalignment: the caller may pass any buffer.
TEST_P(PlanModelTest, SmallArenaStatesASizeThatWorks) {
  const Compiled c = CompileOrFail(GetParam());
  const std::vector<uint8_t>& bytes = c.compiled.bytes;
  size_t needed = 0;
  size_t net = 0;  // activations and scratch + persistent, without alignment
  {
    std::vector<uint8_t> arena(kArenaBytes);
    PlanInterpreter planned(bytes.data(), bytes.size(), arena.data(), arena.size());
    ASSERT_EQ(planned.Prepare(), Status::kOk) << planned.error();
    needed = planned.memory().required_bytes;
    net = planned.memory().activation_bytes + planned.memory().persistent_bytes;
  }
  std::vector<uint8_t> buffer(2 * needed + kBufferAlignment);
  for (const size_t small : {needed / 2, net - 1}) {
    for (size_t skew = 0; skew < kBufferAlignment; ++skew) {
      PlanInterpreter planned(bytes.data(), bytes.size(), buffer.data() + skew, small);
      ASSERT_EQ(planned.Prepare(), Status::kOutOfMemory) << small << " bytes: " << planned.error();
      size_t stated = 0;
      const char* needs = std::strstr(planned.error(), "needs ");
      ASSERT_NE(needs, nullptr) << small << " bytes: " << planned.error();
      ASSERT_EQ(std::sscanf(needs, "needs %zu bytes", &stated), 1) << planned.error();
      for (size_t fit_skew = 0; fit_skew < kBufferAlignment; ++fit_skew) {
        PlanInterpreter fits(bytes.data(), bytes.size(), buffer.data() + fit_skew, stated);
        EXPECT_EQ(fits.Prepare(), Status::kOk)
            << stated << " bytes at +" << fit_skew << " (stated for " << small << " bytes at +"
            << skew << "): " << fits.error();
      }
    }
  }
}

// An arena too small to read the plan's steps into (so Prepare cannot
// measure the rest) is refused as out of memory, with a message that states
// a lower bound ("more than N bytes": only a complete reading knows all).
TEST_P(PlanModelTest, TinyArenaIsRefused) {
  const Compiled c = CompileOrFail(GetParam());
  for (const size_t tiny : {size_t{64}, size_t{1024}}) {
    std::vector<uint8_t> arena(tiny);
    PlanInterpreter planned(c.compiled.bytes.data(), c.compiled.bytes.size(), arena.data(),
                            arena.size());
    EXPECT_EQ(planned.Prepare(), Status::kOutOfMemory) << tiny << " bytes: " << planned.error();
    EXPECT_NE(std::string(planned.error()).find("too small"), std::string::npos)
        << tiny << " bytes: " << planned.error();
  }
}

// A build without the kernel of the first step names that step.
TEST_P(PlanModelTest, MissingKernelNamesTheStep) {
  const Compiled c = CompileOrFail(GetParam());
  const std::vector<uint8_t>& bytes = c.compiled.bytes;
  std::vector<uint8_t> arena(kArenaBytes);
  PlanKernel first;
  {
    PlanInterpreter planned(bytes.data(), bytes.size(), arena.data(), arena.size());
    ASSERT_EQ(planned.Prepare(), Status::kOk) << planned.error();
    first = planned.step_kernel(0)->kernel;
  }
  ASSERT_NE(first, PlanKernel::kConvS8);
  const PlanKernelDef* const conv_only[] = {&kPlanConvS8};
  const PlanKernelSet kernels{conv_only, 1};
  PlanInterpreter planned(bytes.data(), bytes.size(), arena.data(), arena.size(), kernels);
  EXPECT_EQ(planned.Prepare(), Status::kUnsupported);
  const std::string step = std::string("step 0 (") + PlanKernelName(first) + ")";
  EXPECT_NE(std::string(planned.error()).find(step), std::string::npos) << planned.error();
}

TEST_P(PlanModelTest, ModelWithoutPlanPointsToCompile) {
  const std::vector<uint8_t> model = ReadModel(GetParam());
  std::vector<uint8_t> arena(kArenaBytes);
  PlanInterpreter planned(model.data(), model.size(), arena.data(), arena.size());
  EXPECT_EQ(planned.Prepare(), Status::kUnsupported);
  EXPECT_NE(std::string(planned.error()).find("tinyonnx compile"), std::string::npos)
      << planned.error();
}

TEST_P(PlanModelTest, CompiledModelDoesNotCompileAgain) {
  const Compiled c = CompileOrFail(GetParam());
  CompiledModel again;
  std::string error;
  EXPECT_FALSE(tools::CompileModel(c.compiled.bytes, &again, &error));
  EXPECT_NE(error.find("already has a compiled plan"), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(Int8Mnist, PlanModelTest, testing::ValuesIn(kInt8Models));

// Every byte of the plan value set to 0x00, 0xFF, itself ^ 0x01 and itself
// + 0x40: an error with a message, or a plan that runs (ASan and UBSan
// builds see any out-of-bounds access). A changed magic is always refused.
// mnist-small-int8 only (the firmware's model): the same sweep of
// mnist-cnn-int8 took 43 s under ASan on the 2-core machine (its Invoke is
// slower), and fuzz_plan mutates both.
TEST(PlanMutationTest, MutatedPlanBytesAreRefusedOrRun) {
  const Compiled c = CompileOrFail("mnist-small-int8");
  std::vector<uint8_t> bytes = c.compiled.bytes;
  std::vector<uint8_t> arena(kArenaBytes);
  int loaded = 0;
  int refused = 0;
  for (size_t pos = c.plan_start(); pos < bytes.size(); ++pos) {
    const uint8_t original = bytes[pos];
    const uint8_t values[] = {0x00, 0xFF, static_cast<uint8_t>(original ^ 0x01),
                              static_cast<uint8_t>(original + 0x40)};
    for (const uint8_t value : values) {
      if (value == original) continue;
      bytes[pos] = value;
      const std::string what = "plan byte " + std::to_string(pos - c.plan_start()) + " = " +
                               std::to_string(value);
      const bool ok = LoadsAndRunsOrExplains(bytes, arena, what);
      EXPECT_FALSE(ok && pos < c.plan_start() + sizeof(kPlanMagic)) << what;
      ok ? ++loaded : ++refused;
    }
    bytes[pos] = original;
  }
  std::printf("%d mutations loaded and ran, %d refused\n", loaded, refused);
}

TEST(PlanCompilerTest, FloatModelHasNoPlanForm) {
  const std::vector<uint8_t> model = ReadModel("mnist-small");
  ASSERT_FALSE(model.empty());
  CompiledModel compiled;
  std::string error;
  EXPECT_FALSE(tools::CompileModel(model, &compiled, &error));
  EXPECT_NE(error.find("has no plan form"), std::string::npos) << error;
}

}  // namespace
}  // namespace tinyonnx
