#include "histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "quant_math.h"

namespace tinyonnx::quantize {

Histogram::Histogram(float lo, float hi, int bins) : lo_(lo), hi_(hi), counts_(static_cast<size_t>(bins), 0) {
  if (bins <= 0 || !(hi >= lo) || !std::isfinite(lo) || !std::isfinite(hi)) {
    throw QuantizeError("invalid histogram: " + std::to_string(bins) + " bins over [" + std::to_string(lo) +
                        ", " + std::to_string(hi) + "]");
  }
  width_ = hi > lo ? (static_cast<double>(hi) - lo) / bins : 1.0;
}

int Histogram::BinOf(float x) const {
  double position = (static_cast<double>(x) - lo_) / width_;
  if (!(position > 0.0)) return 0;  // also NaN
  return static_cast<int>(std::min(position, static_cast<double>(counts_.size() - 1)));
}

void Histogram::Add(const float* values, int64_t count) {
  for (int64_t i = 0; i < count; ++i) ++counts_[BinOf(values[i])];
  total_ += count;
}

void Histogram::AddMagnitudes(const float* values, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    if (values[i] == 0.0f) continue;
    ++counts_[BinOf(std::fabs(values[i]))];
    ++total_;
  }
}

ValueRange PercentileRange(const Histogram& values, double percentile) {
  if (!(percentile > 50.0 && percentile <= 100.0)) {
    throw QuantizeError("percentile must be in (50, 100], is " + std::to_string(percentile));
  }
  ValueRange range{values.lo(), values.hi()};
  const std::vector<int64_t>& counts = values.counts();
  const double tail = values.total() * (100.0 - percentile) / 100.0;
  if (values.total() == 0 || tail <= 0.0) return range;
  // Lower end: the first bin whose cumulative count from below exceeds the tail.
  double below = 0;
  for (int b = 0; b < values.bins(); ++b) {
    below += counts[b];
    if (below > tail) {
      range.lo = static_cast<float>(values.BinLow(b));
      break;
    }
  }
  double above = 0;
  for (int b = values.bins() - 1; b >= 0; --b) {
    above += counts[b];
    if (above > tail) {
      range.hi = static_cast<float>(values.BinHigh(b));
      break;
    }
  }
  range.lo = std::max(range.lo, values.lo());
  range.hi = std::min(std::max(range.hi, range.lo), values.hi());
  return range;
}

namespace {

// KL(P || Q) of the first `count` bins of a histogram of magnitudes clipped
// there (P: the bins, the clipped tail added to the last one; Q: the same
// bins merged into `levels` groups, each group's count spread evenly over
// its non-empty bins).
double ClippingDivergence(const std::vector<int64_t>& counts, int count, int levels, int64_t tail) {
  std::vector<double> p(counts.begin(), counts.begin() + count);
  p[count - 1] += static_cast<double>(tail);
  std::vector<double> q(static_cast<size_t>(count), 0.0);
  for (int g = 0; g < levels; ++g) {
    const int begin = static_cast<int>(static_cast<int64_t>(g) * count / levels);
    const int end = static_cast<int>(static_cast<int64_t>(g + 1) * count / levels);
    double sum = 0;
    int nonzero = 0;
    for (int b = begin; b < end; ++b) {
      sum += static_cast<double>(counts[b]);
      nonzero += counts[b] != 0;
    }
    for (int b = begin; b < end && nonzero > 0; ++b) {
      if (counts[b] != 0) q[b] = sum / nonzero;
    }
  }
  double p_total = 0, q_total = 0;
  for (int b = 0; b < count; ++b) {
    p_total += p[b];
    q_total += q[b];
  }
  if (p_total <= 0 || q_total <= 0) return std::numeric_limits<double>::infinity();
  // A bin Q leaves empty (only the last one can be, holding the clipped
  // tail) costs as if Q had a tiny probability there.
  constexpr double kFloor = 1e-12;
  double divergence = 0;
  for (int b = 0; b < count; ++b) {
    if (p[b] <= 0) continue;
    const double pb = p[b] / p_total;
    const double qb = std::max(q[b] / q_total, kFloor);
    divergence += pb * std::log(pb / qb);
  }
  return divergence;
}

}  // namespace

double EntropyThreshold(const Histogram& magnitudes, int levels) {
  const std::vector<int64_t>& counts = magnitudes.counts();
  const int bins = magnitudes.bins();
  if (levels <= 0 || magnitudes.total() == 0 || bins <= levels) return magnitudes.hi();
  // suffix[i]: the values in bins i.. (clipped by a threshold at bin i).
  std::vector<int64_t> suffix(static_cast<size_t>(bins) + 1, 0);
  for (int b = bins - 1; b >= 0; --b) suffix[b] = suffix[b + 1] + counts[b];
  int best = bins;
  double best_divergence = std::numeric_limits<double>::infinity();
  for (int count = levels; count <= bins; ++count) {
    double divergence = ClippingDivergence(counts, count, levels, suffix[count]);
    if (divergence < best_divergence) {
      best_divergence = divergence;
      best = count;
    }
  }
  return magnitudes.BinLow(0) + best * magnitudes.bin_width();
}

}  // namespace tinyonnx::quantize
