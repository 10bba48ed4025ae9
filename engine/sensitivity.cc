// Sobol' indices; see sensitivity.h.
#include "engine/sensitivity.h"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <stdexcept>

#include "engine/rng.h"
#include "engine/stats.h"

namespace peacesim {
namespace {

struct Sums {
  double first = 0, total = 0;
};

// Estimates over the rows `rows` (with repeats, for the bootstrap).
void estimate(const std::vector<double>& f_a, const std::vector<double>& f_b,
              const std::vector<std::vector<double>>& f_ab, const std::vector<std::size_t>& rows,
              std::vector<double>& first, std::vector<double>& total) {
  const double n = static_cast<double>(rows.size());
  double mean = 0;
  for (std::size_t j : rows) mean += f_a[j] + f_b[j];
  mean /= 2 * n;
  double variance = 0;
  for (std::size_t j : rows) variance += (f_a[j] - mean) * (f_a[j] - mean) + (f_b[j] - mean) * (f_b[j] - mean);
  variance /= 2 * n - 1;
  first.assign(f_ab.size(), 0.0);
  total.assign(f_ab.size(), 0.0);
  if (!(variance > 0)) return;
  for (std::size_t i = 0; i < f_ab.size(); ++i) {
    double s = 0, t = 0;
    for (std::size_t j : rows) {
      s += f_b[j] * (f_ab[i][j] - f_a[j]);
      t += (f_a[j] - f_ab[i][j]) * (f_a[j] - f_ab[i][j]);
    }
    first[i] = s / n / variance;
    total[i] = t / (2 * n) / variance;
  }
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const std::vector<double>& f_a, const std::vector<double>& f_b,
                                      const std::vector<std::vector<double>>& f_ab, int replicates,
                                      std::uint64_t seed) {
  const std::size_t n = f_a.size();
  if (n < 2 || f_b.size() != n) throw std::invalid_argument("sobol_indices: f_a and f_b need the same size >= 2");
  for (const auto& x : f_ab)
    if (x.size() != n) throw std::invalid_argument("sobol_indices: every f_ab[i] needs one value per base point");
  std::vector<std::size_t> rows(n);
  for (std::size_t j = 0; j < n; ++j) rows[j] = j;
  std::vector<double> first, total;
  estimate(f_a, f_b, f_ab, rows, first, total);
  std::vector<SobolIndex> out(f_ab.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].first = first[i];
    out[i].total = total[i];
  }
  if (replicates < 2) return out;
  std::vector<std::vector<double>> boot_first(out.size()), boot_total(out.size());
  for (int r = 0; r < replicates; ++r) {
    const RandomStream rs(seed, static_cast<std::uint64_t>(r), Stream::kBootstrap, 1);
    for (std::size_t j = 0; j < n; ++j) rows[j] = static_cast<std::size_t>(rs.uniform(j) * static_cast<double>(n));
    estimate(f_a, f_b, f_ab, rows, first, total);
    for (std::size_t i = 0; i < out.size(); ++i) {
      boot_first[i].push_back(first[i]);
      boot_total[i].push_back(total[i]);
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].first_low = quantile_type7(boot_first[i], 0.025);
    out[i].first_high = quantile_type7(boot_first[i], 0.975);
    out[i].total_low = quantile_type7(boot_total[i], 0.025);
    out[i].total_high = quantile_type7(boot_total[i], 0.975);
  }
  return out;
}

std::vector<double> saltelli_points(int n, int d, std::uint64_t seed) {
  const int dims = 2 * d;
  if (dims > BOOST_RANDOM_SOBOL_MAX_DIMENSION)
    throw std::invalid_argument("sensitivity: at most " + std::to_string(BOOST_RANDOM_SOBOL_MAX_DIMENSION / 2) +
                                " uncertain quantities");
  boost::random::sobol engine(static_cast<std::size_t>(dims));
  const RandomStream shift(seed, 0, Stream::kDesign, 0xfffeu);
  std::vector<double> out(static_cast<std::size_t>(n) * dims);
  for (int j = 0; j < n; ++j)
    for (int k = 0; k < dims; ++k) {
      const std::uint64_t x = (j == 0 ? 0 : engine()) ^ shift.bits(static_cast<std::uint64_t>(k));
      out[static_cast<std::size_t>(j) * dims + k] = (static_cast<double>(x >> 12) + 0.5) * 0x1.0p-52;
    }
  return out;
}

}  // namespace peacesim
