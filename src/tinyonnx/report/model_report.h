// The text `tinyonnx info` prints about a model, written through a sink so
// that the host CLI (stdout) and a device console (rt_kputs on RT-Thread)
// print the same report. Freestanding: no heap, no stdio.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/graph/op.h"
#include "tinyonnx/onnx/model_view.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx {

// Receives the report in pieces (NUL-terminated, any length, lines end in
// '\n').
using TextSink = void (*)(void* context, const char* text);

// Initializer bytes by role, each initializer followed through Transpose,
// Reshape, Cast, Identity and DequantizeLinear to the op that reads it.
struct InitializerStats {
  int64_t weight_bytes = 0;        // Conv/Gemm/MatMul kernels (input 1)
  int64_t bias_bytes = 0;          // Conv/Gemm biases (input 2)
  int64_t quantization_bytes = 0;  // scales and zero points
  int64_t other_bytes = 0;         // everything else (BatchNorm, constants, shapes)
  int64_t total_bytes = 0;         // all initializers
  // Elements of the weights, biases and other non-int64 initializers (not
  // quantization parameters).
  int64_t parameter_count = 0;
  int64_t initializer_count = 0;
};

InitializerStats CountInitializers(const GraphView& graph);

// What the report says about the model after the structure: the prepared
// interpreter's plan and memory, or why it could not be prepared.
struct PrepareOutcome {
  const Interpreter* prepared = nullptr;  // nullptr when Prepare failed
  const char* error = "";                 // Prepare's message otherwise
};

// Prints the report of `model` (named `label`, e.g. its path). Returns
// false, after printing why, if the bytes are not an ONNX model.
bool PrintModelReport(const uint8_t* model, size_t model_size, const char* label,
                      const OpResolver& resolver, const PrepareOutcome& outcome, TextSink sink,
                      void* sink_context);

}  // namespace tinyonnx
