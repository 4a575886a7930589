// Conversions around a quantized kernel: inputs stored as uint8 or in
// another layout are converted into the scratch before the core kernel
// runs, outputs after it (see QuantizedAdapterParams).
#include "tinyonnx/kernels/quantized.h"

namespace tinyonnx {
namespace {

void Convert(const TensorConversion& c, const void* src, void* dst) {
  const void* in[1] = {src};
  void* out[1] = {dst};
  StridedCopy(&c.plan, in, out);
  if (c.flip) FlipSignBits(dst, c.bytes);
}

}  // namespace

void FlipSignBits(void* data, int64_t count) {
  uint8_t* bytes = static_cast<uint8_t*>(data);
  for (int64_t i = 0; i < count; ++i) bytes[i] ^= 0x80;
}

void QuantizedAdapter(const void* params, const void* const* inputs, void* const* outputs) {
  const QuantizedAdapterParams& p = *static_cast<const QuantizedAdapterParams*>(params);
  uint8_t* scratch = static_cast<uint8_t*>(*p.scratch);
  const void** in = reinterpret_cast<const void**>(scratch + p.pointer_offset);
  void** out = reinterpret_cast<void**>(scratch + p.pointer_offset + sizeof(void*) * p.input_count);
  for (int32_t k = 0; k < p.input_count; ++k) in[k] = inputs[k];
  for (int32_t k = 0; k < p.output_count; ++k) out[k] = outputs[k];
  for (int32_t i = 0; i < p.conversion_count; ++i) {
    const TensorConversion& c = p.conversions[i];
    if (!c.copy) continue;
    uint8_t* converted = scratch + c.scratch_offset;
    if (c.output) {
      out[c.index] = converted;
    } else {
      Convert(c, inputs[c.index], converted);
      in[c.index] = converted;
    }
  }
  p.core(p.core_params, in, out);
  for (int32_t i = 0; i < p.conversion_count; ++i) {
    const TensorConversion& c = p.conversions[i];
    if (!c.output) continue;
    if (c.copy) {
      Convert(c, scratch + c.scratch_offset, outputs[c.index]);
    } else {
      FlipSignBits(outputs[c.index], c.bytes);
    }
  }
}

}  // namespace tinyonnx
