// Histograms of calibration values and the range choices made from them:
// percentile clipping and the KL-divergence (entropy) threshold in the
// manner TensorRT describes for int8 calibration.
#pragma once

#include <cstdint>
#include <vector>

namespace tinyonnx::quantize {

// Counts of values in `bins` equal bins over [lo, hi]. Values outside fall
// into the first or last bin, so nothing is lost.
class Histogram {
 public:
  Histogram() = default;
  Histogram(float lo, float hi, int bins);

  void Add(const float* values, int64_t count);
  // Adds |x| for each value that is not exactly 0 (a histogram of
  // magnitudes over [0, hi]). Exact zeros, ReLU's floor and padding, are
  // exact under any range that contains 0, so they are left out; counted
  // in they would dominate the first bin and pull the entropy threshold far
  // down.
  void AddMagnitudes(const float* values, int64_t count);

  int bins() const { return static_cast<int>(counts_.size()); }
  float lo() const { return lo_; }
  float hi() const { return hi_; }
  double bin_width() const { return width_; }
  double BinLow(int bin) const { return lo_ + bin * width_; }
  double BinHigh(int bin) const { return lo_ + (bin + 1) * width_; }
  const std::vector<int64_t>& counts() const { return counts_; }
  int64_t total() const { return total_; }

 private:
  int BinOf(float x) const;

  float lo_ = 0.0f;
  float hi_ = 0.0f;
  double width_ = 0.0;
  std::vector<int64_t> counts_;
  int64_t total_ = 0;
};

struct ValueRange {
  float lo = 0.0f;
  float hi = 0.0f;
};

// The range from the (100 - percentile)-th to the percentile-th percentile
// of a histogram of signed values: at most (100 - percentile) % of the
// values are clipped on each side. Bin edges are taken outward, so the range
// never clips more than that.
ValueRange PercentileRange(const Histogram& values, double percentile);

// The threshold T in (0, hi] of a histogram of magnitudes that minimizes the
// KL divergence between the distribution clipped at T and the same
// distribution quantized to `levels` equal steps over [0, T]. Thresholds
// below `levels` bins are not considered.
double EntropyThreshold(const Histogram& magnitudes, int levels);

}  // namespace tinyonnx::quantize
