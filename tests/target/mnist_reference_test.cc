// On-target test: the MNIST classifier on the Cortex-M gives the host's
// answers. The expected classes and probabilities come from the host build
// of tinyonnx at build time (host/reference.cc -> expected.cc); this program
// runs the same images on the target with the firmware's op resolver and
// compares: classes equal, every probability within 1e-5.
//
//   test_mnist_flash_<board>.elf [--mnist DIR]
//       the model linked into flash; the images linked into flash (or, with
//       --mnist, read from the t10k IDX files)
//   test_mnist_plan_<board>.elf [--mnist DIR]
//       the model compiled on the PC, in flash, on the PlanInterpreter
//       (TINYONNX_FIRMWARE_PLAN): int8 outputs bit-identical to the host's
//   test_mnist_file_<board>.elf --model FILE [--offset K] [--mnist DIR]
//       the model read through semihosting into RAM at offset K (K = 1, 2:
//       weights at unaligned addresses)
//
// Exit status 0 when everything matches, 1 on a mismatch, 2 on an error.
#include <cmath>
#include <cstring>

#include "console.h"
#include "cortex_m.h"
#include "mnist_data.h"
#include "mnist_model.h"
#include "mnist_ops.h"

extern "C" {
extern const uint32_t tinyonnx_expected_first;
extern const uint32_t tinyonnx_expected_count;
extern const char tinyonnx_expected_model[];
extern const uint8_t tinyonnx_expected_labels[];
extern const uint8_t tinyonnx_expected_classes[];
extern const float tinyonnx_expected_probabilities[];
}

using tinyonnx::port::Fixed;
using tinyonnx::port::Print;

namespace {

constexpr float kTolerance = 1e-5f;

alignas(16) uint8_t g_arena[TINYONNX_ARENA_SIZE] __attribute__((section(".bss.tinyonnx_arena")));
#if !TINYONNX_MODEL_IN_FLASH
alignas(16) uint8_t g_model_buffer[TINYONNX_MODEL_BUFFER_SIZE]
    __attribute__((section(".bss.tinyonnx_arena")));
#endif

}  // namespace

int main(int argc, char** argv) {
  const char* mnist_dir = nullptr;
  const char* model_path = nullptr;
  unsigned offset = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--mnist") == 0) {
      mnist_dir = argv[i + 1];
    } else if (strcmp(argv[i], "--model") == 0) {
      model_path = argv[i + 1];
    } else if (strcmp(argv[i], "--offset") == 0 && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9') {
      offset = static_cast<unsigned>(argv[i + 1][0] - '0');
    } else {
      Print("unknown option %s\n", argv[i]);
      return 2;
    }
  }

#if TINYONNX_MODEL_IN_FLASH
  const uint8_t* model = tinyonnx_model;
  size_t model_size = tinyonnx_model_size;
  const char* where = "flash";
#else
  if (model_path == nullptr) {
    Print("usage: test_mnist_file --model FILE [--offset K] [--mnist DIR]\n");
    return 2;
  }
  size_t model_size = mnist::LoadFile(model_path, g_model_buffer, sizeof(g_model_buffer), offset);
  if (model_size == 0) return 2;
  const uint8_t* model = g_model_buffer + offset;
  const char* where = "RAM, read through semihosting";
#endif
  Print("%s on %s (%s): model %s, %u bytes in %s at 0x%x\n", argv[0], TINYONNX_BOARD_NAME,
        TINYONNX_CPU_NAME, tinyonnx_expected_model, static_cast<unsigned>(model_size), where,
        static_cast<unsigned>(reinterpret_cast<uintptr_t>(model)));

  mnist::FirmwareClassifier classifier(model, model_size, g_arena, sizeof(g_arena),
                                      mnist::FirmwareKernels());
  if (!classifier.Prepare()) {
    Print("FAIL: the model failed to load: %s\n", classifier.error());
    return 2;
  }
  const tinyonnx::MemoryReport& memory = classifier.interpreter().memory();
  Print("arena %u of %u bytes used (activations %u, persistent %u; %u while preparing)\n",
        static_cast<unsigned>(memory.required_bytes), static_cast<unsigned>(sizeof(g_arena)),
        static_cast<unsigned>(memory.activation_bytes),
        static_cast<unsigned>(memory.persistent_bytes),
        static_cast<unsigned>(memory.prepare_peak_bytes));

  mnist::Images images;
  if (mnist_dir != nullptr) {
    if (!images.OpenIdx(mnist_dir)) return 2;
  } else {
    images.UseEmbedded();
  }
  // The images both sides have.
  uint32_t begin = images.first() > tinyonnx_expected_first ? images.first() : tinyonnx_expected_first;
  uint32_t end = tinyonnx_expected_first + tinyonnx_expected_count;
  if (images.first() + images.count() < end) end = images.first() + images.count();
  if (begin >= end) {
    Print("FAIL: no test image both here (%s) and in the host's expectations\n", images.source());
    return 2;
  }

  uint32_t class_mismatches = 0, value_mismatches = 0, correct = 0;
  float worst = 0.0f;
  uint32_t worst_index = begin;
  for (uint32_t index = begin; index < end; ++index) {
    uint8_t pixels[mnist::kPixels];
    int label;
    if (!images.Get(index, pixels, &label)) return 2;
    const uint32_t k = index - tinyonnx_expected_first;
    if (label != tinyonnx_expected_labels[k]) {
      Print("FAIL: image %u has label %d here and %d on the host: not the same image\n",
            static_cast<unsigned>(index), label, tinyonnx_expected_labels[k]);
      return 2;
    }
    float p[mnist::kClasses];
    if (!classifier.Classify(pixels, p)) {
      Print("FAIL: inference failed: %s\n", classifier.error());
      return 2;
    }
    const float* expected = tinyonnx_expected_probabilities + k * mnist::kClasses;
    float diff = 0.0f;
    for (int c = 0; c < mnist::kClasses; ++c) {
      float d = std::fabs(p[c] - expected[c]);
      if (!(d <= diff)) diff = d;  // NaN counts as the worst
    }
    int digit = mnist::ArgMax(p);
    bool class_ok = digit == tinyonnx_expected_classes[k];
    bool values_ok = diff <= kTolerance;
    if (!class_ok) ++class_mismatches;
    if (!values_ok) ++value_mismatches;
    if (digit == label) ++correct;
    if (!(diff <= worst)) {
      worst = diff;
      worst_index = index;
    }
    if (!class_ok || !values_ok) {
      Print("MISMATCH image %u: class %d (host %d), max |p - p_host| %g\n",
            static_cast<unsigned>(index), digit, tinyonnx_expected_classes[k],
            static_cast<double>(diff));
      for (int c = 0; c < mnist::kClasses; ++c) {
        Print("  %d  %g  host %g\n", c, static_cast<double>(p[c]), static_cast<double>(expected[c]));
      }
    }
  }
  const uint32_t n = end - begin;
  char percent[16];
  Print("%u images %u..%u from %s: %u classes differ from the host, %u with a probability off by "
        "more than %g; largest difference %g (image %u); %u of %u correct (%s %%)\n",
        static_cast<unsigned>(n), static_cast<unsigned>(begin), static_cast<unsigned>(end - 1),
        images.source(), static_cast<unsigned>(class_mismatches),
        static_cast<unsigned>(value_mismatches), static_cast<double>(kTolerance),
        static_cast<double>(worst), static_cast<unsigned>(worst_index), static_cast<unsigned>(correct),
        static_cast<unsigned>(n), Fixed(percent, sizeof(percent), 100.0 * correct / n, 2));
  Print("stack: %u of %u bytes used\n", static_cast<unsigned>(tinyonnx_stack_used()),
        static_cast<unsigned>(tinyonnx_stack_size()));
  bool pass = class_mismatches == 0 && value_mismatches == 0;
  Print("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
