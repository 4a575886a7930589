// onnx_examples <n> [model.onnx]: the three classic examples (examples/)
// on built-in test digit n, and whether they agree bit for bit.
#include <cstring>
#include <new>

#include "examples.h"
#include "tinyonnx_rtt.h"

namespace tinyonnx::rtt {
namespace {

static_assert(sizeof(mnist_small::Buffers) <= ArenaLease::kSize,
              "PKG_TINYONNX_ARENA_SIZE is too small for the hand-built network's buffers");

struct ExamplesJob {
  const char* path;
  int digit;
  bool agree = false;
};

void PrintProbabilities(const char* name, const float* p) {
  Print("%-34s", name);
  for (int c = 0; c < mnist_small::kClasses; ++c) Print(" %.4f", static_cast<double>(p[c]));
  rt_kputs("\n");
}

void RunExamples(void* context) {
  ExamplesJob& job = *static_cast<ExamplesJob*>(context);
  ModelBytes model;
  ArenaLease arena;
  if (!model.Open(job.path) || !arena.Acquire()) return;
  float image[mnist_small::kPixels];
  examples::TestDigitImage(job.digit, image);
  float header[mnist_small::kClasses], by_name[mnist_small::kClasses], loaded[mnist_small::kClasses];
  char error[160];

  // (a) and (b) use the arena as the hand-built network's two buffers...
  mnist_small::Buffers* buffers = new (arena.data()) mnist_small::Buffers;
  examples::ClassifyWithHeaderWeights(image, *buffers, header);
  examples::WeightsByName weights;
  if (!examples::FindWeightsByName(model.data(), model.size(), &weights, error, sizeof(error))) {
    Print("%s: %s\n", job.path, error);
    return;
  }
  mnist_small::Classify(weights.weights, image, *buffers, by_name);
  // ... and (c) as the Interpreter's arena.
  if (!examples::ClassifyWithInterpreter(model.data(), model.size(), arena.data(), arena.size(),
                                         image, loaded, error, sizeof(error))) {
    Print("%s: %s\n", job.path, error);
    return;
  }
  Print("built-in test digit %d; probabilities of 0..9\n", job.digit);
  PrintProbabilities("(a) hand-built, weights in header", header);
  PrintProbabilities("(b) hand-built, weights by name", by_name);
  PrintProbabilities("(c) Interpreter, whole model", loaded);
  job.agree = std::memcmp(header, by_name, sizeof(header)) == 0 &&
              std::memcmp(header, loaded, sizeof(header)) == 0;
  Print("the three agree bit for bit: %s\n", job.agree ? "yes" : "NO");
}

int onnx_examples(int argc, char** argv) {
  if (argc < 2 || argv[1][0] < '0' || argv[1][0] > '9' || argv[1][1] != '\0') {
    Print("usage: onnx_examples <0-9> [mnist-small.onnx]   (default %s)\n",
          PKG_TINYONNX_MNIST_MODEL);
    return -1;
  }
  ExamplesJob job{argc > 2 ? argv[2] : PKG_TINYONNX_MNIST_MODEL, argv[1][0] - '0'};
  return RunInThread("onnx", RunExamples, &job) && job.agree ? 0 : -1;
}
MSH_CMD_EXPORT(onnx_examples, run the three classic examples on test digit n: onnx_examples <0-9>);

}  // namespace
}  // namespace tinyonnx::rtt
