#include "quant_math.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tinyonnx::quantize {

ActivationQuant ChooseActivationQuant(float lo, float hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) {
    throw QuantizeError("invalid activation range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  ActivationQuant q;
  if (hi - lo <= 0.0f) {  // all zeros: keep the floor at 0, as a fused ReLU needs
    q.zero_point = -128;
    return q;
  }
  q.scale = (hi - lo) / 255.0f;
  double zero_point = std::nearbyint(-128.0 - static_cast<double>(lo) / q.scale);
  q.zero_point = static_cast<int32_t>(std::clamp(zero_point, -128.0, 127.0));
  return q;
}

int8_t QuantizeValue(float x, const ActivationQuant& q) {
  double v = std::nearbyint(static_cast<double>(x) / q.scale) + q.zero_point;
  if (std::isnan(v)) v = q.zero_point;  // a NaN activation: converting it to int8 is UB
  return static_cast<int8_t>(std::clamp(v, -128.0, 127.0));
}

float DequantizeValue(int8_t value, const ActivationQuant& q) {
  return q.scale * static_cast<float>(static_cast<int32_t>(value) - q.zero_point);
}

ChannelQuantizedWeights QuantizeWeightsPerChannel(const std::vector<float>& weights, int64_t channels) {
  if (channels <= 0 || weights.size() % static_cast<size_t>(channels) != 0) {
    throw QuantizeError("cannot split " + std::to_string(weights.size()) + " weights into " +
                        std::to_string(channels) + " output channels");
  }
  const size_t per_channel = weights.size() / static_cast<size_t>(channels);
  ChannelQuantizedWeights out;
  out.values.resize(weights.size());
  out.scales.resize(static_cast<size_t>(channels));
  for (size_t c = 0; c < out.scales.size(); ++c) {
    const float* w = weights.data() + c * per_channel;
    float max_abs = 0.0f;
    bool finite = true;
    for (size_t k = 0; k < per_channel; ++k) {
      // std::max skips a NaN, so each weight is checked itself.
      finite = finite && std::isfinite(w[k]);
      max_abs = std::max(max_abs, std::fabs(w[k]));
    }
    if (!finite || !std::isfinite(max_abs)) {
      throw QuantizeError("output channel " + std::to_string(c) + " has a weight that is not finite");
    }
    // (A channel of denormal weights would get scale 0 and 0/0 = NaN: such
    // weights quantize to 0 with scale 1.)
    const float scale = max_abs / 127.0f > 0.0f ? max_abs / 127.0f : 1.0f;
    out.scales[c] = scale;
    for (size_t k = 0; k < per_channel; ++k) {
      double q = std::nearbyint(static_cast<double>(w[k]) / scale);
      out.values[c * per_channel + k] = static_cast<int8_t>(std::clamp(q, -127.0, 127.0));
    }
  }
  return out;
}

std::vector<float> BiasScales(float input_scale, const std::vector<float>& weight_scales) {
  std::vector<float> scales(weight_scales.size());
  for (size_t c = 0; c < scales.size(); ++c) scales[c] = input_scale * weight_scales[c];
  return scales;
}

std::vector<int32_t> QuantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales, int64_t* saturated) {
  if (bias.size() != weight_scales.size()) {
    throw QuantizeError("bias has " + std::to_string(bias.size()) + " values for " +
                        std::to_string(weight_scales.size()) + " output channels");
  }
  const std::vector<float> scales = BiasScales(input_scale, weight_scales);
  constexpr double kMin = std::numeric_limits<int32_t>::min();
  constexpr double kMax = std::numeric_limits<int32_t>::max();
  std::vector<int32_t> out(bias.size());
  *saturated = 0;
  for (size_t c = 0; c < bias.size(); ++c) {
    double q = std::nearbyint(static_cast<double>(bias[c]) / scales[c]);
    if (std::isnan(q)) {
      throw QuantizeError("the bias of output channel " + std::to_string(c) + " is not a number");
    }
    if (q < kMin || q > kMax) ++*saturated;
    out[c] = static_cast<int32_t>(std::clamp(q, kMin, kMax));
  }
  return out;
}

double NoiseMeter::SqnrDb() const {
  if (noise <= 0.0) return std::numeric_limits<double>::infinity();
  if (signal <= 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

}  // namespace tinyonnx::quantize
