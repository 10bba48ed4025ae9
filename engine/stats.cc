// Mergeable summaries; see stats.h.
#include "engine/stats.h"

#include <algorithm>
#include <cmath>

namespace peacesim {

void Moments::merge(const Moments& o) {
  if (o.n == 0) return;
  if (n == 0) {
    *this = o;
    return;
  }
  const double na = static_cast<double>(n), nb = static_cast<double>(o.n), total = na + nb;
  const double delta = o.mean - mean;
  mean += delta * nb / total;
  m2 += o.m2 + delta * delta * na * nb / total;
  n += o.n;
  min = std::min(min, o.min);
  max = std::max(max, o.max);
}

double Moments::sd() const { return std::sqrt(variance()); }

double Moments::ci95_half_width() const {
  return n > 1 ? 1.959963984540054 * sd() / std::sqrt(static_cast<double>(n)) : 0.0;
}

Scale Scale::linear(double lo, double hi, int bins) {
  Scale s;
  s.log_ = false;
  s.lo_ = lo;
  s.hi_ = hi;
  s.bins_ = bins;
  s.width_ = (hi - lo) / bins;
  s.inverse_width_ = 1.0 / s.width_;
  s.size_ = bins + 2;
  return s;
}

Scale Scale::log(double lo, double hi, int per_decade) {
  Scale s;
  s.log_ = true;
  s.lo_ = std::log10(lo);
  s.hi_ = std::log10(hi);
  s.bins_ = static_cast<int>(std::ceil((s.hi_ - s.lo_) * per_decade));
  s.width_ = 1.0 / per_decade;
  s.inverse_width_ = per_decade;
  s.size_ = s.bins_ + 3;
  return s;
}

double Scale::lower(int b) const {
  if (!log_) return b == 0 ? lo_ - width_ : lo_ + (b - 1) * width_;
  if (b <= 1) return 0;
  return std::pow(10.0, lo_ + (b - 2) * width_);
}

double Scale::upper(int b) const {
  if (!log_) return b == 0 ? lo_ : lo_ + b * width_;
  if (b == 0) return 0;
  if (b == 1) return std::pow(10.0, lo_);
  return std::pow(10.0, lo_ + (b - 1) * width_);
}

double percentile(const Scale& scale, const std::uint32_t* counts, double p, double min, double max) {
  std::uint64_t total = 0;
  for (int b = 0; b < scale.size(); ++b) total += counts[b];
  if (total == 0) return 0;
  const double rank = p * static_cast<double>(total);
  double run = 0;
  for (int b = 0; b < scale.size(); ++b) {
    if (counts[b] == 0) continue;
    const double next = run + counts[b];
    if (next >= rank) {
      const double f = (rank - run) / counts[b];
      const double v = scale.lower(b) + f * (scale.upper(b) - scale.lower(b));
      return std::clamp(v, min, max);
    }
    run = next;
  }
  return max;
}

double lower_tail_mean(const Scale& scale, const std::uint32_t* counts, double alpha, double min, double max) {
  std::uint64_t total = 0;
  for (int b = 0; b < scale.size(); ++b) total += counts[b];
  if (total == 0) return 0;
  const double want = alpha * static_cast<double>(total);
  double taken = 0, sum = 0;
  for (int b = 0; b < scale.size() && taken < want; ++b) {
    if (counts[b] == 0) continue;
    const double k = std::min<double>(counts[b], want - taken);
    // Inside a partly taken bin, the lowest values sit in its lower part.
    const double share = k / counts[b];
    const double lo = std::clamp(scale.lower(b), min, max), hi = std::clamp(scale.upper(b), min, max);
    sum += k * (lo + 0.5 * share * (hi - lo));
    taken += k;
  }
  return sum / taken;
}

double quantile_type7(std::vector<double> x, double p) {
  std::sort(x.begin(), x.end());
  const double h = (static_cast<double>(x.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

double mean_shortfall(const Scale& scale, const std::uint32_t* counts, double threshold, double min, double max) {
  double total = 0, sum = 0;
  for (int b = 0; b < scale.size(); ++b) {
    if (counts[b] == 0) continue;
    const double mid = std::clamp(0.5 * (scale.lower(b) + scale.upper(b)), min, max);
    total += counts[b];
    sum += counts[b] * std::max(0.0, threshold - mid);
  }
  return total > 0 ? sum / total : 0.0;
}

double poisson_one(double u) {
  double p = 0.36787944117144233, cumulative = p;  // e^-1
  int k = 0;
  while (u > cumulative && k < 20) {
    ++k;
    p /= k;
    cumulative += p;
  }
  return k;
}

}  // namespace peacesim
