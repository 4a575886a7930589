// The MNIST demo firmware: recognizes handwritten digits on a Cortex-M with
// tinyonnx, like the classic RT-Thread demo: the 28x28 digit as ASCII art,
// the ten probabilities and "The number is N"; then the accuracy.
//
//   mnist_flash_<board>.elf [COMMAND] [--mnist DIR] [--arena BYTES]
//   mnist_plan_<board>.elf  [COMMAND] [--mnist DIR] [--arena BYTES]
//   mnist_file_<board>.elf  --model FILE [--offset K] [COMMAND] [--mnist DIR] [--arena BYTES]
//
// COMMAND
//   (none)      test digits 0, 1 and 2, then the accuracy on every test image
//               available (those linked in, or all 10,000 with --mnist)
//   digit N     classify test digit N
//   eval [N]    the accuracy on the first N test images (default: all)
//   bench [N]   benchmark: N inferences (default 1) of test image 0 with
//               Invoke(), then N passes over the plan's steps one by one,
//               each between marker calls (tinyonnx_bench_*) that an
//               instruction-counting QEMU plugin snapshots
//               (bench/qemu_plugin); prints each step's op and shapes
//               (it keeps the graph IR for that: the arena must be larger)
//
// --mnist DIR   read the test images from the t10k IDX files in DIR on the
//               host (semihosting) instead of those linked into flash
// --model FILE  (mnist_file builds) the .onnx file to read through
//               semihosting into the static model buffer
// --offset K    load the model K bytes into the buffer (K = 1: unaligned)
// --arena BYTES give the model only the first BYTES of the static arena
//               (a run that succeeds shows the model fits an arena that size)
//
// The mnist_flash build links the model into flash and reads it in place.
// The mnist_plan build (TINYONNX_FIRMWARE_PLAN) links the model compiled on
// the PC (`tinyonnx compile`) and runs it with the PlanInterpreter: no graph
// builder, passes or planner in flash, no Prepare peak in the arena.
// The arena (and the model buffer) are static; the core allocates nothing.
// Exit status: 0 on success, 1 on a usage error, 2 if the model fails.
#include <cstring>

#include "console.h"
#include "cortex_m.h"
#include "mnist_data.h"
#include "mnist_model.h"
#include "mnist_ops.h"

using Classifier = mnist::FirmwareClassifier;

using tinyonnx::port::Fixed;
using tinyonnx::port::Print;
using tinyonnx::port::Write;

namespace {

alignas(16) uint8_t g_arena[TINYONNX_ARENA_SIZE] __attribute__((section(".bss.tinyonnx_arena")));
#if !TINYONNX_MODEL_IN_FLASH
alignas(16) uint8_t g_model_buffer[TINYONNX_MODEL_BUFFER_SIZE]
    __attribute__((section(".bss.tinyonnx_arena")));
#endif

struct Options {
  const char* command = nullptr;
  long number = -1;
  const char* mnist = nullptr;
  const char* model = nullptr;
  long offset = 0;
  long arena = -1;  // bytes of g_arena the model gets; -1: all of it
};

bool ParseNumber(const char* text, long* value) {
  long v = 0;
  const char* p = text;
  for (; *p >= '0' && *p <= '9' && v < 100000000; ++p) v = v * 10 + (*p - '0');
  *value = v;
  return p != text && *p == '\0';
}

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    bool has_value = i + 1 < argc;
    if (strcmp(arg, "--mnist") == 0 && has_value) {
      options->mnist = argv[++i];
    } else if (strcmp(arg, "--model") == 0 && has_value) {
      options->model = argv[++i];
    } else if (strcmp(arg, "--arena") == 0 && has_value) {
      if (!ParseNumber(argv[++i], &options->arena)) return false;
    } else if (strcmp(arg, "--offset") == 0 && has_value) {
      if (!ParseNumber(argv[++i], &options->offset) || options->offset > 64) return false;
    } else if ((strcmp(arg, "digit") == 0 || strcmp(arg, "eval") == 0 || strcmp(arg, "bench") == 0) &&
               options->command == nullptr) {
      options->command = arg;
      if (has_value && argv[i + 1][0] != '-') {
        if (!ParseNumber(argv[++i], &options->number)) return false;
      } else if (strcmp(arg, "digit") == 0) {
        return false;
      }
    } else {
      return false;
    }
  }
#if TINYONNX_MODEL_IN_FLASH
  return options->model == nullptr && options->offset == 0;
#else
  return options->model != nullptr;
#endif
}

void PrintAsciiArt(const uint8_t pixels[mnist::kPixels]) {
  static const char kLevels[] = " .:-=+*#%@";
  char line[2 * mnist::kSide + 2];
  for (int y = 0; y < mnist::kSide; ++y) {
    for (int x = 0; x < mnist::kSide; ++x) {
      float v = pixels[y * mnist::kSide + x] / 255.0f;
      int level = v <= 0.02f ? 0 : 1 + static_cast<int>(v * 9.0f);
      if (level > 9) level = 9;
      line[2 * x] = line[2 * x + 1] = kLevels[level];
    }
    line[2 * mnist::kSide] = '\n';
    Write(line, 2 * mnist::kSide + 1);
  }
}

bool ShowDigit(Classifier& classifier, mnist::Images& images, uint32_t index) {
  uint8_t pixels[mnist::kPixels];
  int label;
  if (!images.Get(index, pixels, &label)) {
    Print("test image %u is not available: the %s holds %u..%u\n", static_cast<unsigned>(index),
          images.source(), static_cast<unsigned>(images.first()),
          static_cast<unsigned>(images.first() + images.count() - 1));
    return false;
  }
  float p[mnist::kClasses];
  if (!classifier.Classify(pixels, p)) {
    Print("inference failed: %s\n", classifier.error());
    return false;
  }
  int digit = mnist::ArgMax(p);
  Print("MNIST t10k image %u (label %d), from %s\n\n", static_cast<unsigned>(index), label,
        images.source());
  PrintAsciiArt(pixels);
  Print("\nprobabilities%s\n", classifier.softmax_applied() ? " (softmax of the model's scores)" : "");
  for (int d = 0; d < mnist::kClasses; ++d) {
    char value[16];
    char bar[48];
    int length = static_cast<int>(p[d] * 40.0f + 0.5f);
    if (length < 0) length = 0;
    if (length > 40) length = 40;
    memset(bar, '#', static_cast<size_t>(length));
    bar[length] = '\0';
    Print("  %d  %s  %s%s\n", d, Fixed(value, sizeof(value), p[d], 4), bar, d == digit ? "  <" : "");
  }
  Print("\nThe number is %d\n\n", digit);
  return true;
}

bool Evaluate(Classifier& classifier, mnist::Images& images, long limit) {
  uint32_t count = images.count();
  if (limit >= 0 && static_cast<uint32_t>(limit) < count) count = static_cast<uint32_t>(limit);
  uint32_t correct = 0;
  uint8_t pixels[mnist::kPixels];
  float p[mnist::kClasses];
  for (uint32_t k = 0; k < count; ++k) {
    int label;
    if (!images.Get(images.first() + k, pixels, &label)) return false;
    if (!classifier.Classify(pixels, p)) {
      Print("inference failed: %s\n", classifier.error());
      return false;
    }
    if (mnist::ArgMax(p) == label) ++correct;
    if ((k + 1) % 1000 == 0 && k + 1 < count) {
      Print("  %u of %u images, %u correct\n", static_cast<unsigned>(k + 1),
            static_cast<unsigned>(count), static_cast<unsigned>(correct));
    }
  }
  char percent[16];
  Print("accuracy %s %% (%u of %u MNIST test images %u..%u, from %s)\n",
        Fixed(percent, sizeof(percent), count ? 100.0 * correct / count : 0.0, 2),
        static_cast<unsigned>(correct), static_cast<unsigned>(count),
        static_cast<unsigned>(images.first()), static_cast<unsigned>(images.first() + count - 1),
        images.source());
  return true;
}

}  // namespace

// Benchmark markers: empty functions that are never inlined nor merged
// (noipa), so an instruction-counting emulator plugin sees each call at the
// function's first instruction (bench/qemu_plugin/insn_count.c).
extern "C" {
__attribute__((noipa, used)) void tinyonnx_bench_invoke_begin() {}
__attribute__((noipa, used)) void tinyonnx_bench_invoke_end() {}
__attribute__((noipa, used)) void tinyonnx_bench_steps_begin() {}
__attribute__((noipa, used)) void tinyonnx_bench_step_begin() {}
__attribute__((noipa, used)) void tinyonnx_bench_step_end() {}
}

namespace {

#if !TINYONNX_FIRMWARE_PLAN
void PrintShape(const tinyonnx::Value& value, const char* suffix) {
  char text[64];
  Print(" %s%s", value.shape.ToString(text, sizeof(text)), suffix);
}

// A step's op (after fusion and QDQ lowering), the shapes of its inputs (c:
// a constant) and of its outputs.
void PrintStep(const tinyonnx::Interpreter& interpreter, uint32_t s) {
  const tinyonnx::Graph& graph = interpreter.graph();
  const tinyonnx::Node& node = graph.nodes[interpreter.plan().steps[s].node];
  Print("bench step %u %s in", static_cast<unsigned>(s), node.op->op_type);
  for (uint16_t i = 0; i < node.input_count; ++i) {
    if (node.inputs[i] < 0) continue;
    const tinyonnx::Value& v = graph.values[node.inputs[i]];
    PrintShape(v, v.kind == tinyonnx::ValueKind::kConstant ? "c" : "");
  }
  Print(" out");
  for (uint16_t o = 0; o < node.output_count; ++o) PrintShape(graph.values[node.outputs[o]], "");
  Print("\n");
}

#else
// A compiled plan keeps no graph: the kernel each step runs.
void PrintStep(const tinyonnx::PlanInterpreter& interpreter, uint32_t s) {
  Print("bench step %u %s\n", static_cast<unsigned>(s), interpreter.step_kernel(s)->name);
}
#endif

// Not inlined: its buffers must not enlarge main's frame (the stack the other
// commands report).
__attribute__((noinline)) bool Benchmark(Classifier& classifier, mnist::Images& images,
                                         long runs) {
  if (runs < 1) runs = 1;
  uint8_t pixels[mnist::kPixels];
  int label;
  if (!images.Get(images.first(), pixels, &label)) return false;
  auto& interpreter = classifier.interpreter();
  for (long r = 0; r < runs; ++r) {
    classifier.SetInput(pixels);
    tinyonnx_bench_invoke_begin();
    tinyonnx::Status status = interpreter.Invoke();
    tinyonnx_bench_invoke_end();
    if (status != tinyonnx::Status::kOk) return false;
  }
  const tinyonnx::ExecutionPlan& plan = interpreter.plan();
  for (long r = 0; r < runs; ++r) {
    classifier.SetInput(pixels);
    tinyonnx_bench_steps_begin();
    for (uint32_t s = 0; s < plan.step_count; ++s) {
      tinyonnx_bench_step_begin();
      interpreter.InvokeStep(s);
      tinyonnx_bench_step_end();
    }
  }
  for (uint32_t s = 0; s < plan.step_count; ++s) PrintStep(interpreter, s);
  float p[mnist::kClasses];
  if (!classifier.Classify(pixels, p)) return false;
  Print("bench %ld runs of test image %u (label %d): the number is %d\n", runs,
        static_cast<unsigned>(images.first()), label, mnist::ArgMax(p));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
#if TINYONNX_MODEL_IN_FLASH
    Write("usage: mnist_flash [digit N | eval [N] | bench [N]] [--mnist DIR] [--arena BYTES]\n");
#else
    Write("usage: mnist_file --model FILE [--offset K] [digit N | eval [N] | bench [N]] "
          "[--mnist DIR] [--arena BYTES]\n");
#endif
    return 1;
  }

#if TINYONNX_MODEL_IN_FLASH
  const uint8_t* model = tinyonnx_model;
  size_t model_size = tinyonnx_model_size;
  Print("tinyonnx MNIST on %s (%s): model %s, %u bytes in flash at 0x%x\n", TINYONNX_BOARD_NAME,
        TINYONNX_CPU_NAME, tinyonnx_model_name, static_cast<unsigned>(model_size),
        static_cast<unsigned>(reinterpret_cast<uintptr_t>(model)));
#else
  size_t offset = static_cast<size_t>(options.offset);
  size_t model_size = mnist::LoadFile(options.model, g_model_buffer, sizeof(g_model_buffer), offset);
  if (model_size == 0) return 2;
  const uint8_t* model = g_model_buffer + offset;
  Print("tinyonnx MNIST on %s (%s): model %s, %u bytes read through semihosting into RAM at 0x%x\n",
        TINYONNX_BOARD_NAME, TINYONNX_CPU_NAME, options.model, static_cast<unsigned>(model_size),
        static_cast<unsigned>(reinterpret_cast<uintptr_t>(model)));
#endif

  const size_t arena_size = options.arena >= 0 && static_cast<size_t>(options.arena) < sizeof(g_arena)
                                ? static_cast<size_t>(options.arena)
                                : sizeof(g_arena);
  Classifier classifier(model, model_size, g_arena, arena_size, mnist::FirmwareKernels());
  tinyonnx::BuildOptions build;
  build.keep_graph = options.command != nullptr && strcmp(options.command, "bench") == 0;
  if (!classifier.Prepare(build)) {
    Print("the model failed to load: %s\n", classifier.error());
    return 2;
  }
  const tinyonnx::MemoryReport& memory = classifier.interpreter().memory();
  Print("arena %u of %u bytes used: activations %u, persistent %u (parameters, plan%s), "
        "%u while preparing\n\n",
        static_cast<unsigned>(memory.required_bytes), static_cast<unsigned>(arena_size),
        static_cast<unsigned>(memory.activation_bytes),
        static_cast<unsigned>(memory.persistent_bytes), build.keep_graph ? ", graph" : "",
        static_cast<unsigned>(memory.prepare_peak_bytes));

  mnist::Images images;
  if (options.mnist != nullptr) {
    if (!images.OpenIdx(options.mnist)) return 1;
  } else {
    images.UseEmbedded();
  }

  bool ok = true;
  if (options.command == nullptr) {
    for (uint32_t index = images.first(); ok && index < images.first() + 3; ++index) {
      ok = ShowDigit(classifier, images, index);
    }
    ok = ok && Evaluate(classifier, images, -1);
  } else if (strcmp(options.command, "digit") == 0) {
    ok = ShowDigit(classifier, images, static_cast<uint32_t>(options.number));
  } else if (strcmp(options.command, "bench") == 0) {
    ok = Benchmark(classifier, images, options.number);
  } else {
    ok = Evaluate(classifier, images, options.number);
  }
  Print("stack: %u of %u bytes used\n", static_cast<unsigned>(tinyonnx_stack_used()),
        static_cast<unsigned>(tinyonnx_stack_size()));
  return ok ? 0 : 2;
}
