// Mergeable summaries; see stats.h.
#include "engine/stats.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

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
  // The least double of each bin, by bisection over positive doubles (ordered as their bits).
  s.edge_.assign(s.size_ + 1, 0.0);
  for (int b = 2; b < s.size_; ++b) {
    std::uint64_t below = 0, at = std::bit_cast<std::uint64_t>(std::numeric_limits<double>::infinity());
    while (at - below > 1) {
      const std::uint64_t mid = below + (at - below) / 2;
      (s.log_bin(std::bit_cast<double>(mid)) >= b ? at : below) = mid;
    }
    s.edge_[b] = std::bit_cast<double>(at);
  }
  s.edge_[s.size_] = std::numeric_limits<double>::infinity();
  // The lookup covers the octaves from the one below lo to the one above hi, cut into slices of
  // 2^-k of an octave (a relative width of at most 2^-k) with the least k that makes every slice
  // narrower than every bin, so that a slice holds at most one edge.
  double narrowest = std::numeric_limits<double>::infinity();  // least ratio of consecutive edges
  for (int b = 2; b + 1 < s.size_; ++b) narrowest = std::min(narrowest, s.edge_[b + 1] / s.edge_[b]);
  int k = 1;
  while (k < 16 && !(narrowest > 1 + std::ldexp(1.0, -k))) ++k;
  constexpr int kMantissaBits = 52;
  const int low = std::ilogb(lo) - 1, high = std::ilogb(hi) + 2;
  const std::uint64_t first = std::bit_cast<std::uint64_t>(std::ldexp(1.0, low)) >> (kMantissaBits - k);
  const std::uint64_t end = std::bit_cast<std::uint64_t>(std::ldexp(1.0, high)) >> (kMantissaBits - k);
  if (!(narrowest > 1 + std::ldexp(1.0, -k)) || s.size_ > std::numeric_limits<std::uint16_t>::max())
    return s;  // no lookup: every value takes the logarithm
  s.slice_shift_ = kMantissaBits - k;
  s.first_slice_ = first;
  s.lookup_lo_ = std::ldexp(1.0, low);
  s.lookup_hi_ = std::ldexp(1.0, high);
  for (std::uint64_t slice = first; slice < end; ++slice)
    s.slice_bin_.push_back(static_cast<std::uint16_t>(s.log_bin(std::bit_cast<double>(slice << s.slice_shift_))));
  return s;
}

void Scale::bins(const double* __restrict x, int n, int* __restrict out) const {
  if (log_) {
    for (int i = 0; i < n; ++i) out[i] = bin(x[i]);
    return;
  }
  // bin() with every case worked out and then chosen: no branch. The offset is converted only
  // where it lies in [0, bins).
  const double lo = lo_, hi = hi_, inverse_width = inverse_width_, last = bins_;
  const int bins = bins_;
  for (int i = 0; i < n; ++i) {
    const double offset = (x[i] - lo) * inverse_width;
    const bool below = !(x[i] >= lo), over = offset >= last;
    const int inside = static_cast<int>(below || over ? 0.0 : offset) + 1;
    const int top = x[i] <= hi ? bins : bins + 1;
    out[i] = below ? 0 : over ? top : inside;
  }
}

int Scale::log_bin(double x) const {
  if (!(x > 0)) return 0;
  const double l = std::log10(x);
  if (l < lo_) return 1;
  const double offset = (l - lo_) * inverse_width_;
  if (offset >= bins_) return bins_ + 2;
  return static_cast<int>(offset) + 2;
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
  double out = 0;
  percentiles(scale, counts, std::span<const double>(&p, 1), min, max, &out);
  return out;
}

void percentiles(const Scale& scale, const std::uint32_t* counts, std::span<const double> ps, double min, double max,
                 double* out, std::ptrdiff_t stride) {
  auto count = [&](int b) { return counts[b * stride]; };
  std::uint64_t total = 0;
  for (int b = 0; b < scale.size(); ++b) total += count(b);
  std::size_t k = 0;  // the next of ps to find
  if (total == 0) {
    for (; k < ps.size(); ++k) out[k] = 0;
    return;
  }
  double run = 0;
  for (int b = 0; b < scale.size() && k < ps.size(); ++b) {
    if (count(b) == 0) continue;
    const double next = run + count(b);
    // The first bin whose running count reaches p x total holds the p-quantile: interpolated in it.
    for (; k < ps.size() && next >= ps[k] * static_cast<double>(total); ++k) {
      const double f = (ps[k] * static_cast<double>(total) - run) / count(b);
      const double v = scale.lower(b) + f * (scale.upper(b) - scale.lower(b));
      out[k] = std::clamp(v, min, max);
    }
    run = next;
  }
  for (; k < ps.size(); ++k) out[k] = max;
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

Interval wilson_interval(std::uint64_t k, std::uint64_t n, double z) {
  if (n == 0) return {};
  const double nn = static_cast<double>(n), p = static_cast<double>(k) / nn, z2 = z * z;
  const double centre = p + z2 / (2 * nn);
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  const double scale = 1 + z2 / nn;
  // At k = 0 (k = n) the bound is 0 (1) exactly; the formula leaves a rounding error there.
  return {k == 0 ? 0.0 : (centre - half) / scale, k == n ? 1.0 : (centre + half) / scale};
}

}  // namespace peacesim
