// The int8 arithmetic of tinyonnx's QDQ models (docs/int8.md): activations
// asymmetric per tensor, weights symmetric per output channel, bias int32
// with scale s_in * s_w[c]. Rounding is to nearest, ties to even, as ONNX
// QuantizeLinear does.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinyonnx::quantize {

// Every failure of the quantizer: bad input, an unsupported model, a bug
// caught by a check. The message says what and where.
class QuantizeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// real = scale * (q - zero_point), q in [-128, 127].
struct ActivationQuant {
  float scale = 1.0f;
  int32_t zero_point = 0;

  // The real values q = -128 and q = 127 stand for.
  float RepresentableMin() const { return scale * static_cast<float>(-128 - zero_point); }
  float RepresentableMax() const { return scale * static_cast<float>(127 - zero_point); }
};

// Scale and zero point for the range [lo, hi], first widened to contain 0
// (so that 0, padding and ReLU's floor, is exact). lo = 0 gives zero point
// -128; so does a range of width 0 (with scale 1).
ActivationQuant ChooseActivationQuant(float lo, float hi);

int8_t QuantizeValue(float x, const ActivationQuant& q);
float DequantizeValue(int8_t q, const ActivationQuant& params);
inline float QuantizeDequantize(float x, const ActivationQuant& q) {
  return DequantizeValue(QuantizeValue(x, q), q);
}

// Weights quantized symmetrically per output channel: channel c is the c-th
// of `channels` equal, contiguous blocks of `weights` (axis 0 of OIHW or of
// a [N, K] matrix). scale[c] = max|w| / 127 (1 for an all-zero channel);
// values in [-127, 127].
struct ChannelQuantizedWeights {
  std::vector<int8_t> values;
  std::vector<float> scales;
};
ChannelQuantizedWeights QuantizeWeightsPerChannel(const std::vector<float>& weights, int64_t channels);

// bias[c] / (input_scale * weight_scales[c]) rounded to int32. Values that
// do not fit are saturated and counted in *saturated.
std::vector<int32_t> QuantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales, int64_t* saturated);
// The bias scales s_in * s_w[c], in float32 as the DequantizeLinear node gets them.
std::vector<float> BiasScales(float input_scale, const std::vector<float>& weight_scales);

// Signal and quantization noise, accumulated over any number of values.
struct NoiseMeter {
  double signal = 0;   // sum of x^2
  double noise = 0;    // sum of (x - x_quantized)^2
  int64_t count = 0;
  int64_t clipped = 0;  // values outside the representable range

  void Add(double x, double x_quantized) {
    signal += x * x;
    noise += (x - x_quantized) * (x - x_quantized);
    ++count;
  }
  // 10 log10(signal / noise); +infinity when the values are exact.
  double SqnrDb() const;
};

}  // namespace tinyonnx::quantize
