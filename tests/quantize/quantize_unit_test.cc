// Unit tests of the quantizer's pieces: int8 arithmetic, histograms and
// range choices, weight layouts, aligned serialization.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

#include "aligned_serializer.h"
#include "histogram.h"
#include "quant_math.h"
#include "weight_layout.h"

namespace tinyonnx::quantize {
namespace {

TEST(ActivationQuant, NonNegativeRangeGetsZeroPointMinus128) {
  ActivationQuant q = ChooseActivationQuant(0.0f, 6.0f);
  EXPECT_EQ(q.zero_point, -128);
  EXPECT_FLOAT_EQ(q.scale, 6.0f / 255.0f);
  EXPECT_FLOAT_EQ(q.RepresentableMin(), 0.0f);
  EXPECT_NEAR(q.RepresentableMax(), 6.0f, 1e-5f);
  EXPECT_EQ(QuantizeValue(-1.0f, q), -128);  // what a fused ReLU needs
  EXPECT_EQ(QuantizeValue(100.0f, q), 127);
}

TEST(ActivationQuant, RangeIsWidenedToContainZero) {
  ActivationQuant q = ChooseActivationQuant(2.0f, 5.0f);
  EXPECT_EQ(q.zero_point, -128);
  EXPECT_FLOAT_EQ(q.scale, 5.0f / 255.0f);
  ActivationQuant negative = ChooseActivationQuant(-4.0f, -1.0f);
  EXPECT_EQ(negative.zero_point, 127);
  EXPECT_EQ(QuantizeDequantize(0.0f, negative), 0.0f);
}

TEST(ActivationQuant, SignedRangeRepresentsZeroExactly) {
  ActivationQuant q = ChooseActivationQuant(-1.3f, 3.7f);
  EXPECT_EQ(QuantizeDequantize(0.0f, q), 0.0f);
  EXPECT_LE(q.RepresentableMin(), -1.3f + q.scale);
  EXPECT_GE(q.RepresentableMax(), 3.7f - q.scale);
}

TEST(ActivationQuant, EmptyRangeKeepsTheFloorAtZero) {
  ActivationQuant q = ChooseActivationQuant(0.0f, 0.0f);
  EXPECT_EQ(q.scale, 1.0f);
  EXPECT_EQ(q.zero_point, -128);
  EXPECT_THROW(ChooseActivationQuant(1.0f, 0.0f), QuantizeError);
  EXPECT_THROW(ChooseActivationQuant(0.0f, NAN), QuantizeError);
}

TEST(Weights, SymmetricPerOutputChannel) {
  std::vector<float> w = {0.5f, -1.0f, 0.25f, 0.0f, 0.0f, 0.0f, 2.0f, 1.0f, -0.5f};
  ChannelQuantizedWeights q = QuantizeWeightsPerChannel(w, 3);
  ASSERT_EQ(q.scales.size(), 3u);
  EXPECT_FLOAT_EQ(q.scales[0], 1.0f / 127);
  EXPECT_FLOAT_EQ(q.scales[1], 1.0f);  // all-zero channel
  EXPECT_FLOAT_EQ(q.scales[2], 2.0f / 127);
  EXPECT_EQ(q.values[1], -127);
  EXPECT_EQ(q.values[6], 127);
  EXPECT_EQ(q.values[0], 64);  // 63.5 rounds to even
  EXPECT_EQ(q.values[3], 0);
  EXPECT_THROW(QuantizeWeightsPerChannel(w, 2), QuantizeError);
}

TEST(Bias, ScaleIsInputTimesWeightScale) {
  int64_t saturated = 0;
  std::vector<int32_t> b = QuantizeBias({1.0f, -0.5f}, 0.5f, {0.01f, 0.02f}, &saturated);
  EXPECT_EQ(b[0], 200);
  EXPECT_EQ(b[1], -50);
  EXPECT_EQ(saturated, 0);
  std::vector<int32_t> huge = QuantizeBias({1e9f}, 1e-3f, {1e-3f}, &saturated);
  EXPECT_EQ(huge[0], 2147483647);
  EXPECT_EQ(saturated, 1);
}

TEST(NoiseMeter, Sqnr) {
  NoiseMeter m;
  m.Add(10.0, 10.0);
  EXPECT_TRUE(std::isinf(m.SqnrDb()));
  m.Add(10.0, 9.0);  // signal 200, noise 1
  EXPECT_NEAR(m.SqnrDb(), 10 * std::log10(200.0), 1e-9);
}

TEST(Histogram, CountsOutOfRangeValuesInTheEndBins) {
  Histogram h(0.0f, 1.0f, 4);
  const float values[] = {-5.0f, 0.0f, 0.3f, 0.99f, 1.0f, 7.0f};
  h.Add(values, 6);
  EXPECT_EQ(h.total(), 6);
  EXPECT_EQ(h.counts()[0], 2);
  EXPECT_EQ(h.counts()[1], 1);
  EXPECT_EQ(h.counts()[3], 3);
  Histogram magnitudes(0.0f, 1.0f, 4);
  const float signed_values[] = {-0.9f, 0.0f, 0.0f, 0.1f};
  magnitudes.AddMagnitudes(signed_values, 4);
  EXPECT_EQ(magnitudes.total(), 2);  // exact zeros are left out
  EXPECT_EQ(magnitudes.counts()[3], 1);
}

TEST(Percentile, ClipsAtMostTheTailOnEachSide) {
  std::vector<float> values(10000);
  std::iota(values.begin(), values.end(), 0.0f);
  Histogram h(0.0f, 9999.0f, 1000);
  h.Add(values.data(), static_cast<int64_t>(values.size()));
  ValueRange r = PercentileRange(h, 99.0);
  EXPECT_NEAR(r.lo, 100.0f, 10.0f);
  EXPECT_NEAR(r.hi, 9900.0f, 10.0f);
  int64_t below = 0, above = 0;
  for (float v : values) {
    below += v < r.lo;
    above += v > r.hi;
  }
  EXPECT_LE(below, 100);
  EXPECT_LE(above, 100);
  ValueRange all = PercentileRange(h, 100.0);
  EXPECT_EQ(all.lo, 0.0f);
  EXPECT_EQ(all.hi, 9999.0f);
  EXPECT_THROW(PercentileRange(h, 40.0), QuantizeError);
}

TEST(Entropy, GaussianIsClippedWellInsideItsMaximum) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values(200000);
  for (float& v : values) v = normal(rng);
  float max_abs = 0;
  for (float v : values) max_abs = std::max(max_abs, std::fabs(v));
  Histogram h(0.0f, max_abs, 2048);
  h.AddMagnitudes(values.data(), static_cast<int64_t>(values.size()));
  const double threshold = EntropyThreshold(h, 128);
  EXPECT_GT(threshold, 2.0);
  EXPECT_LT(threshold, 0.95 * max_abs);
}

TEST(Entropy, UniformValuesAreNotClipped) {
  std::vector<float> values(100000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = 2.0f * static_cast<float>(i + 1) / values.size();
  Histogram h(0.0f, 2.0f, 2048);
  h.AddMagnitudes(values.data(), static_cast<int64_t>(values.size()));
  EXPECT_GT(EntropyThreshold(h, 256), 1.97);
}

TEST(WeightLayout, ConvWeightsAreStoredOhwi) {
  const std::vector<int64_t> dims = {2, 3, 2, 2};  // O, I, H, W
  std::vector<int8_t> oihw(24);
  std::iota(oihw.begin(), oihw.end(), 0);
  StoredConvWeight stored = StoreConvWeightChannelsLast(oihw, dims, false);
  EXPECT_EQ(stored.dims, (std::vector<int64_t>{2, 2, 2, 3}));
  EXPECT_EQ(stored.perm_to_onnx, (std::vector<int64_t>{0, 3, 1, 2}));
  // OHWI[o][h][w][i] == OIHW[o][i][h][w]
  for (int o = 0; o < 2; ++o)
    for (int i = 0; i < 3; ++i)
      for (int h = 0; h < 2; ++h)
        for (int w = 0; w < 2; ++w)
          EXPECT_EQ(stored.values[((o * 2 + h) * 2 + w) * 3 + i], oihw[((o * 3 + i) * 2 + h) * 2 + w]);
  std::vector<int64_t> back_dims;
  EXPECT_EQ(TransposeTensor(stored.values, stored.dims, stored.perm_to_onnx, &back_dims), oihw);
  EXPECT_EQ(back_dims, dims);
}

TEST(WeightLayout, DepthwiseWeightsAreStored1hwc) {
  const std::vector<int64_t> dims = {4, 1, 3, 3};
  std::vector<int8_t> oihw(36);
  std::iota(oihw.begin(), oihw.end(), 0);
  StoredConvWeight stored = StoreConvWeightChannelsLast(oihw, dims, true);
  EXPECT_EQ(stored.dims, (std::vector<int64_t>{1, 3, 3, 4}));
  EXPECT_EQ(stored.perm_to_onnx, (std::vector<int64_t>{3, 0, 1, 2}));
  for (int c = 0; c < 4; ++c)
    for (int k = 0; k < 9; ++k) EXPECT_EQ(stored.values[k * 4 + c], oihw[c * 9 + k]);
  std::vector<int64_t> back_dims;
  EXPECT_EQ(TransposeTensor(stored.values, stored.dims, stored.perm_to_onnx, &back_dims), oihw);
  EXPECT_THROW(StoreConvWeightChannelsLast(std::vector<int8_t>(72), {4, 2, 3, 3}, true), QuantizeError);
}

TEST(WeightLayout, Conv1dWeights) {
  std::vector<int8_t> oik(2 * 3 * 5);
  std::iota(oik.begin(), oik.end(), 0);
  StoredConvWeight stored = StoreConvWeightChannelsLast(oik, {2, 3, 5}, false);
  EXPECT_EQ(stored.dims, (std::vector<int64_t>{2, 5, 3}));
  EXPECT_EQ(stored.perm_to_onnx, (std::vector<int64_t>{0, 2, 1}));
  std::vector<int64_t> back_dims;
  EXPECT_EQ(TransposeTensor(stored.values, stored.dims, stored.perm_to_onnx, &back_dims), oik);
}

TEST(WeightLayout, GemmColumnsFollowAChannelsLastFlatten) {
  const int64_t rows = 2, c = 3, h = 2, w = 2;
  std::vector<float> weights(rows * c * h * w);
  std::iota(weights.begin(), weights.end(), 0.0f);
  std::vector<float> permuted = PermuteColumnsToChannelsLast(weights, rows, c, h, w);
  // A feature map x[c][h][w]: W . flatten_nchw(x) == W' . flatten_nhwc(x).
  std::vector<float> x(c * h * w);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i * i % 7);
  for (int64_t r = 0; r < rows; ++r) {
    double nchw = 0, nhwc = 0;
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t p = 0; p < h * w; ++p) {
        const float value = x[ci * h * w + p];
        nchw += weights[r * c * h * w + ci * h * w + p] * value;
        nhwc += permuted[r * c * h * w + p * c + ci] * value;
      }
    EXPECT_DOUBLE_EQ(nchw, nhwc);
  }
}

TEST(RawDataAlignment, NaturalUpTo16) {
  EXPECT_EQ(RawDataAlignment(0), 1u);
  EXPECT_EQ(RawDataAlignment(1), 1u);
  EXPECT_EQ(RawDataAlignment(3), 2u);
  EXPECT_EQ(RawDataAlignment(4), 4u);
  EXPECT_EQ(RawDataAlignment(12), 8u);
  EXPECT_EQ(RawDataAlignment(16), 16u);
  EXPECT_EQ(RawDataAlignment(100000), 16u);
}

onnx::ModelProto ModelWithInitializers(const std::vector<size_t>& sizes) {
  onnx::ModelProto model;
  model.set_ir_version(7);
  model.set_producer_name("test");
  onnx::GraphProto* graph = model.mutable_graph();
  graph->set_name("g");
  for (size_t i = 0; i < sizes.size(); ++i) {
    onnx::TensorProto* t = graph->add_initializer();
    t->set_name("tensor_" + std::string(i % 5, 'x') + std::to_string(i));
    t->set_data_type(onnx::TensorProto::INT8);
    t->add_dims(static_cast<int64_t>(sizes[i]));
    std::string raw(sizes[i], '\0');
    for (size_t k = 0; k < raw.size(); ++k) raw[k] = static_cast<char>(k * 31 + i);
    t->set_raw_data(raw);
  }
  onnx::NodeProto* node = graph->add_node();
  node->set_op_type("Identity");
  node->add_input("tensor_0");
  node->add_output("y");
  return model;
}

TEST(AlignedSerializer, EveryRawDataIsAligned) {
  for (size_t head : {0, 1, 7, 100, 200}) {
    onnx::ModelProto model = ModelWithInitializers({1, 2, 3, 4, 5, 15, 16, 17, 31, 33, 127, 128, 129, 1000, 70000,
                                                    2, 300000, 16});
    model.set_doc_string(std::string(head, 'd'));  // moves everything after it
    const std::string bytes = SerializeWithAlignedInitializers(model);
    std::vector<InitializerPlacement> placements = VerifySerializedModel(bytes, model);
    ASSERT_EQ(placements.size(), 18u);
    for (const InitializerPlacement& p : placements) {
      EXPECT_EQ(p.offset % p.alignment, 0u) << p.name;
      const onnx::TensorProto* original = nullptr;
      for (const auto& t : model.graph().initializer()) {
        if (t.name() == p.name) original = &t;
      }
      ASSERT_NE(original, nullptr);
      EXPECT_EQ(bytes.compare(p.offset, p.bytes, original->raw_data()), 0) << p.name;
    }
    onnx::ModelProto parsed;
    ASSERT_TRUE(parsed.ParseFromString(bytes));
    EXPECT_EQ(parsed.graph().initializer_size(), 18);
  }
}

TEST(AlignedSerializer, RejectsTypedDataFields) {
  onnx::ModelProto model = ModelWithInitializers({4});
  model.mutable_graph()->mutable_initializer(0)->add_float_data(1.0f);
  EXPECT_THROW(SerializeWithAlignedInitializers(model), QuantizeError);
}

}  // namespace
}  // namespace tinyonnx::quantize
