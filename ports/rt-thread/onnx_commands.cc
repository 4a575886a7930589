// The msh commands: onnx_mnist, onnx_info, onnx_run, onnx_bench. Each
// parses its arguments in the shell, then runs the model in an inference
// thread (tinyonnx_rtt.h) with the model bytes read once from the file.
#include <cstdlib>
#include <cstring>
#include <new>

#include "examples.h"
#include "tinyonnx/report/model_report.h"
#include "tinyonnx/runtime/interpreter.h"
#include "tinyonnx_rtt.h"

namespace tinyonnx::rtt {
namespace {

// A model prepared in its own arena: what every command starts from.
struct PreparedModel {
  ModelBytes bytes;
  ArenaLease arena;
  Interpreter* interpreter = nullptr;
  alignas(Interpreter) uint8_t storage[sizeof(Interpreter)];

  PreparedModel() = default;
  PreparedModel(const PreparedModel&) = delete;
  PreparedModel& operator=(const PreparedModel&) = delete;
  ~PreparedModel() {
    if (interpreter != nullptr) interpreter->~Interpreter();
  }

  // Loads `path` and prepares it; false after printing why. With
  // keep_unprepared, a model that fails Prepare still returns true (for
  // onnx_info, which reports the failure).
  bool Load(const char* path, bool keep_unprepared = false) {
    if (!bytes.Open(path) || !arena.Acquire()) return false;
    interpreter = new (storage) Interpreter(bytes.data(), bytes.size(), arena.data(), arena.size(),
                                            PackageOps());
    if (interpreter->Prepare() == Status::kOk || keep_unprepared) return true;
    Print("%s: %s\n", path, interpreter->error());
    return false;
  }
};

void PrintAsciiArt(const float image[mnist_small::kPixels]) {
  static const char kLevels[] = " .:-=+*#%@";
  char line[2 * mnist_small::kSide + 2];
  for (int y = 0; y < mnist_small::kSide; ++y) {
    for (int x = 0; x < mnist_small::kSide; ++x) {
      const float v = image[y * mnist_small::kSide + x];
      int level = v <= 0.02f ? 0 : 1 + static_cast<int>(v * 9.0f);
      if (level > 9) level = 9;
      line[2 * x] = line[2 * x + 1] = kLevels[level];
    }
    line[2 * mnist_small::kSide] = '\n';
    line[2 * mnist_small::kSide + 1] = '\0';
    rt_kputs(line);
  }
}

int ArgMax(const float* values, int64_t count) {
  int best = 0;
  for (int i = 1; i < count; ++i) {
    if (values[i] > values[best]) best = i;
  }
  return best;
}

// One inference's time, measured in OS ticks (onnx_bench averages many).
void PrintTimeTaken(uint32_t elapsed_ms) {
  const unsigned tick_ms = 1000u / RT_TICK_PER_SECOND;
  if (elapsed_ms == 0) Print("time taken: under %u ms (one OS tick)\n", tick_ms);
  else Print("time taken: %u ms (OS tick: %u ms)\n", static_cast<unsigned>(elapsed_ms), tick_ms);
}

// Input 0 checked to be 784 floats, output 0 to be 10 floats.
bool IsDigitClassifier(const Interpreter& in) {
  const TensorRef x = in.input(0), y = in.output(0);
  return x.dtype == DType::kFloat && x.ElementCount() == mnist_small::kPixels &&
         y.dtype == DType::kFloat && y.ElementCount() == mnist_small::kClasses;
}

// ---- onnx_mnist <n> [model.onnx] -----------------------------------------

struct MnistJob {
  const char* path;
  int digit;
  bool ok = false;
};

void RunMnist(void* context) {
  MnistJob& job = *static_cast<MnistJob*>(context);
  PreparedModel model;
  if (!model.Load(job.path)) return;
  Interpreter& in = *model.interpreter;
  if (!IsDigitClassifier(in)) {
    Print("%s does not map 28x28 float pixels to 10 scores\n", job.path);
    return;
  }
  // The digit goes straight into the input tensor (no copy on the stack),
  // and is shown before Invoke may reuse that buffer.
  float* image = in.input(0).data<float>();
  examples::TestDigitImage(job.digit, image);
  Print("built-in test digit %d, model %s\n\n", job.digit, job.path);
  PrintAsciiArt(image);
  const uint32_t start = Milliseconds();
  if (in.Invoke() != Status::kOk) {
    Print("%s\n", in.error());
    return;
  }
  const uint32_t elapsed = Milliseconds() - start;
  const float* p = in.output(0).data<float>();
  Print("\nprobabilities\n");
  const int best = ArgMax(p, mnist_small::kClasses);
  for (int d = 0; d < mnist_small::kClasses; ++d) {
    Print("  %d  %f%s\n", d, static_cast<double>(p[d]), d == best ? "  <" : "");
  }
  Print("\nThe number is %d\n", best);
  PrintTimeTaken(elapsed);
  job.ok = true;
}

int onnx_mnist(int argc, char** argv) {
  if (argc < 2 || argv[1][0] < '0' || argv[1][0] > '9' || argv[1][1] != '\0') {
    Print("usage: onnx_mnist <0-9> [model.onnx]   (default model %s)\n", PKG_TINYONNX_MNIST_MODEL);
    return -1;
  }
  MnistJob job{argc > 2 ? argv[2] : PKG_TINYONNX_MNIST_MODEL, argv[1][0] - '0'};
  return RunInThread("onnx", RunMnist, &job) && job.ok ? 0 : -1;
}
MSH_CMD_EXPORT(onnx_mnist, classify built-in test digit n: onnx_mnist <0-9> [model.onnx]);

// ---- onnx_info <file.onnx> -----------------------------------------------

void RunInfo(void* context) {
  const char* path = static_cast<const char*>(context);
  PreparedModel model;
  if (!model.Load(path, /*keep_unprepared=*/true)) return;
  PrepareOutcome outcome;
  if (model.interpreter->prepared()) outcome.prepared = model.interpreter;
  else outcome.error = model.interpreter->error();
  PrintModelReport(model.bytes.data(), model.bytes.size(), path, PackageOps(), outcome,
                   ConsoleSink, nullptr);
}

int onnx_info(int argc, char** argv) {
  if (argc != 2) {
    Print("usage: onnx_info <file.onnx>\n");
    return -1;
  }
  return RunInThread("onnx", RunInfo, argv[1]) ? 0 : -1;
}
MSH_CMD_EXPORT(onnx_info, show the structure and memory plan of a model: onnx_info <file.onnx>);

// ---- onnx_run <file.onnx> [input file] -----------------------------------

// Fills input 0 from a file: raw little-endian bytes of exactly the input's
// size, or a .npy file whose data part has that size.
bool ReadInput(const char* path, const TensorRef& input) {
  ModelBytes file;  // one buffer read once, like a model
  if (!file.ReadFile(path)) return false;
  size_t offset = 0;
  const uint8_t* b = file.data();
  if (file.size() >= 10 && b[0] == 0x93 && std::memcmp(b + 1, "NUMPY", 5) == 0) {
    offset = 10 + (b[8] | (b[9] << 8));  // version 1 header: magic, version, length
  }
  if (file.size() < offset || file.size() - offset != input.ByteSize()) {
    Print("%s: %u bytes of data, the input needs %u\n", path,
          static_cast<unsigned>(file.size() - offset), static_cast<unsigned>(input.ByteSize()));
    return false;
  }
  std::memcpy(input.raw, b + offset, input.ByteSize());
  return true;
}

void PrintShape(const TensorRef& t) {
  Print("%s [", DTypeName(t.dtype));
  for (int d = 0; d < t.shape.rank; ++d) Print(d ? ", %d" : "%d", static_cast<int>(t.shape.dims[d]));
  Print("]");
}

void PrintOutput(const TensorRef& t) {
  Print("output %.*s  ", t.name.length(), t.name.data);
  PrintShape(t);
  rt_kputs("\n ");
  const int64_t count = t.ElementCount();
  const int64_t shown = count < 16 ? count : 16;
  for (int64_t i = 0; i < shown; ++i) {
    if (t.dtype == DType::kFloat) Print(" %f", static_cast<double>(t.data<float>()[i]));
    else if (t.dtype == DType::kInt64) Print(" %lld", static_cast<long long>(t.data<int64_t>()[i]));
    else if (t.dtype == DType::kInt8) Print(" %d", t.data<int8_t>()[i]);
    else if (t.dtype == DType::kUint8) Print(" %u", t.data<uint8_t>()[i]);
  }
  if (shown < count) Print(" ... (%lld values)", static_cast<long long>(count));
  if (t.dtype == DType::kFloat && count > 1 && count <= 1000) {
    Print("\n  largest: index %d", ArgMax(t.data<float>(), count));
  }
  rt_kputs("\n");
}

struct RunJob {
  const char* model;
  const char* input;
  bool ok = false;
};

void RunRun(void* context) {
  RunJob& job = *static_cast<RunJob*>(context);
  PreparedModel model;
  if (!model.Load(job.model)) return;
  Interpreter& in = *model.interpreter;
  const TensorRef input = in.input(0);
  if (job.input != nullptr) {
    if (!ReadInput(job.input, input)) return;
  } else {
    std::memset(input.raw, 0, input.ByteSize());
    Print("(no input file: input 0 is all zeros)\n");
  }
  Print("input  %.*s  ", input.name.length(), input.name.data);
  PrintShape(input);
  rt_kputs("\n");
  const uint32_t start = Milliseconds();
  if (in.Invoke() != Status::kOk) {
    Print("%s\n", in.error());
    return;
  }
  const uint32_t elapsed = Milliseconds() - start;
  for (uint32_t o = 0; o < in.output_count(); ++o) PrintOutput(in.output(o));
  PrintTimeTaken(elapsed);
  job.ok = true;
}

int onnx_run(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    Print("usage: onnx_run <file.onnx> [input: raw or .npy]\n");
    return -1;
  }
  RunJob job{argv[1], argc > 2 ? argv[2] : nullptr};
  return RunInThread("onnx", RunRun, &job) && job.ok ? 0 : -1;
}
MSH_CMD_EXPORT(onnx_run, run a model on an input file: onnx_run <file.onnx> [input]);

// ---- onnx_bench <file.onnx> [runs] -----------------------------------------

// One thread's share of the benchmark: its own Interpreter and arena over
// the shared model bytes, `runs` inferences on one test digit.
struct BenchJob {
  const ModelBytes* bytes;
  int digit;
  int runs;
  uint32_t elapsed_ms = 0;
  float output[mnist_small::kClasses] = {};
  bool ok = false;
};

void RunBenchThread(void* context) {
  BenchJob& job = *static_cast<BenchJob*>(context);
  ArenaLease arena;
  if (!arena.Acquire()) return;
  Interpreter in(job.bytes->data(), job.bytes->size(), arena.data(), arena.size(), PackageOps());
  if (in.Prepare() != Status::kOk || !IsDigitClassifier(in)) return;
  const uint32_t start = Milliseconds();
  for (int r = 0; r < job.runs; ++r) {
    // Every run fills the input again (Invoke may reuse its buffer); the
    // 784 pixels cost little beside the convolutions.
    examples::TestDigitImage(job.digit, in.input(0).data<float>());
    if (in.Invoke() != Status::kOk) return;
  }
  job.elapsed_ms = Milliseconds() - start;
  std::memcpy(job.output, in.output(0).data<float>(), sizeof(job.output));
  job.ok = true;
}

// Times `runs` inferences of model A in one thread, then A and B (B may be
// A again) in two threads at once, each with its own Interpreter and arena,
// on different digits, and checks that each thread's result equals what
// the same model gives alone.
bool Bench(const char* path_a, const char* path_b, int runs) {
  ModelBytes a, b;
  if (!a.Open(path_a) || !b.Open(path_b)) return false;
  uint32_t stack_used = 0;
  BenchJob alone{&a, 3, runs}, first{&a, 3, runs}, second{&b, 8, runs}, b_alone{&b, 8, 1};
  if (!RunInThread("onnx", RunBenchThread, &alone, &stack_used) || !alone.ok ||
      !RunInThread("onnx", RunBenchThread, &b_alone, &stack_used) || !b_alone.ok) {
    Print("not digit classifiers that prepare in a %u-byte arena\n",
          static_cast<unsigned>(ArenaLease::kSize));
    return false;
  }
  Print("%s, one thread: %d inferences in %u ms, %f ms each\n", path_a, runs,
        static_cast<unsigned>(alone.elapsed_ms), static_cast<double>(alone.elapsed_ms) / runs);
  void* pair[] = {&first, &second};
  if (!RunInThreads("onnx", RunBenchThread, pair, 2, &stack_used) || !first.ok || !second.ok) {
    Print("two threads: could not run (static arenas: raise PKG_TINYONNX_STATIC_ARENAS to 2)\n");
    return false;
  }
  Print("two threads at once: %s on digit 3 in %u ms, %s on digit 8 in %u ms\n", path_a,
        static_cast<unsigned>(first.elapsed_ms), path_b, static_cast<unsigned>(second.elapsed_ms));
  const bool same = std::memcmp(first.output, alone.output, sizeof(first.output)) == 0 &&
                    std::memcmp(second.output, b_alone.output, sizeof(second.output)) == 0;
  Print("two threads: outputs %s the outputs of each model alone (read as %d and %d)\n",
        same ? "identical to" : "DIFFER from", ArgMax(first.output, mnist_small::kClasses),
        ArgMax(second.output, mnist_small::kClasses));
  Print("inference thread stack: %u of %d bytes used at most\n", static_cast<unsigned>(stack_used),
        PKG_TINYONNX_THREAD_STACK_SIZE);
  return same;
}

bool IsNumber(const char* text) { return text[0] >= '0' && text[0] <= '9'; }

int onnx_bench(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    Print("usage: onnx_bench <a.onnx> [b.onnx] [runs, default 20]\n");
    return -1;
  }
  const char* second = argc > 2 && !IsNumber(argv[2]) ? argv[2] : argv[1];
  const char* runs_text = argc > 2 && IsNumber(argv[argc - 1]) ? argv[argc - 1] : "20";
  int runs = std::atoi(runs_text);
  if (runs < 1) runs = 1;
  return Bench(argv[1], second, runs) ? 0 : -1;
}
MSH_CMD_EXPORT(onnx_bench, time digit classifiers alone and in two threads: onnx_bench <a.onnx> [b.onnx] [runs]);

}  // namespace
}  // namespace tinyonnx::rtt
