// Bounded, mergeable summaries of distributions.
//
// Two kinds, chosen so results never depend on how the work was split:
// - Moments (floating point): merged with Chan et al.'s pairwise update (1979), always in block
//   order, so the rounding is the same for any thread count;
// - Histogram counts (integers): exact, so they are merged in any order.
// Percentiles are read from fixed-bin histograms by linear interpolation inside the bin.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace peacesim {

struct Moments {
  std::int64_t n = 0;
  double mean = 0;
  double m2 = 0;  // sum of squared deviations from the mean
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  void add(double x) {
    ++n;
    const double delta = x - mean;
    mean += delta / static_cast<double>(n);
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  void merge(const Moments& o);
  double variance() const { return n > 1 ? m2 / static_cast<double>(n - 1) : 0.0; }
  double sd() const;
  // Half-width of the normal-approximation 95% confidence interval of the mean.
  double ci95_half_width() const;
};

// Fixed bins over the real line.
// Linear: `bins` equal bins on [lo, hi], plus an underflow and an overflow bin.
// Log: bin 0 holds x <= 0, bin 1 holds 0 < x < lo, then `per_decade` log-spaced bins per decade
// up to hi, then an overflow bin.
class Scale {
 public:
  static Scale linear(double lo, double hi, int bins);
  static Scale log(double lo, double hi, int per_decade);

  int size() const { return size_; }
  // Inline: the tallies call it for every month of every path.
  int bin(double x) const {
    // The bin's offset is compared in floating point before it becomes an int, so that a value far
    // beyond the range (or infinite) lands in the overflow bin instead of overflowing the cast.
    if (!log_) {
      if (!(x >= lo_)) return 0;
      const double offset = (x - lo_) * inverse_width_;
      if (offset >= bins_) return x <= hi_ ? bins_ : bins_ + 1;
      return static_cast<int>(offset) + 1;
    }
    if (x >= lookup_lo_ && x < lookup_hi_) {
      // The exponent and the leading mantissa bits of a positive double, read as one integer, grow
      // with it: they name its slice, which holds at most one bin edge (see Scale::log).
      const std::uint64_t slice = (std::bit_cast<std::uint64_t>(x) >> slice_shift_) - first_slice_;
      const int b = slice_bin_[slice];
      return x >= edge_[b + 1] ? b + 1 : b;
    }
    return log_bin(x);
  }
  // bin(x[i]) into out[i] for i < n; for a linear scale, a loop the compiler vectorises.
  void bins(const double* x, int n, int* out) const;
  // Edges of bin b (finite; under- and overflow bins are given a nominal width).
  double lower(int b) const;
  double upper(int b) const;

 private:
  // A log scale's bin by its definition: floor((log10 x - lo) / width), with the edge cases.
  int log_bin(double x) const;

  bool log_ = false;
  double lo_ = 0, hi_ = 1, width_ = 1, inverse_width_ = 1;
  int bins_ = 1, size_ = 3;
  // Log scales: the same bins without a logarithm. edge_[b] is the least double in bin b or above
  // (found by bisection on log_bin, so exactly log_bin's edges). Every double in
  // [lookup_lo_, lookup_hi_) falls in a slice of an octave named by its bits above slice_shift_,
  // whose lowest double is in bin slice_bin_[slice - first_slice_]; slices are narrower than bins,
  // so x is in that bin or the next.
  double lookup_lo_ = 0, lookup_hi_ = 0;  // empty unless log_
  int slice_shift_ = 0;
  std::uint64_t first_slice_ = 0;
  std::vector<std::uint16_t> slice_bin_;
  std::vector<double> edge_;
};

// p-quantile (0 < p < 1) of the values counted in `counts` on `scale`, clamped to [min, max].
double percentile(const Scale& scale, const std::uint32_t* counts, double p, double min, double max);

// The same for each of `ps` (in increasing order) into out[k], in one pass over the bins, bin b at
// counts[b * stride].
void percentiles(const Scale& scale, const std::uint32_t* counts, std::span<const double> ps, double min, double max,
                 double* out, std::ptrdiff_t stride = 1);

// Mean of the lowest `alpha` share of the counted values (conditional value at risk of a score
// where higher is better), using bin mid-points and a partial last bin.
double lower_tail_mean(const Scale& scale, const std::uint32_t* counts, double alpha, double min, double max);

// Sample quantile of `values` by linear interpolation between order statistics (Hyndman & Fan
// 1996, type 7); `values` need not be sorted and must not be empty.
double quantile_type7(std::vector<double> values, double p);

// Mean over the counted values of max(0, threshold - x), with each bin at its mid-point.
double mean_shortfall(const Scale& scale, const std::uint32_t* counts, double threshold, double min, double max);

// Poisson(1) by inversion of u in (0, 1): 0, 1, 2, ... with probabilities e^-1 / k! (the weights of
// the Poisson bootstrap; Hanley & MacGibbon 2006).
double poisson_one(double u);

// The Wilson score interval of a proportion, k successes in n trials, at the normal quantile z
// (1.96 for 95%): (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n) (Wilson 1927,
// J. Am. Stat. Assoc. 22:209). Unlike the normal approximation it stays inside [0, 1] and does not
// shrink to a point when k is 0 or n. {0, 1} when n is 0.
struct Interval {
  double low = 0, high = 1;
};
Interval wilson_interval(std::uint64_t k, std::uint64_t n, double z = 1.959963984540054);

}  // namespace peacesim
