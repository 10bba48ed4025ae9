// Sobol' indices; see sensitivity.h.
#include "engine/sensitivity.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <stdexcept>

#include "engine/rng.h"
#include "engine/stats.h"

namespace peacesim {
namespace {

// The estimates of one randomisation, on outputs centred on the mean of f_A and f_B.
void estimate(const SaltelliOutputs& o, std::vector<double>& first, std::vector<double>& total) {
  const std::size_t n = o.f_a.size();
  double mean = 0;
  for (std::size_t j = 0; j < n; ++j) mean += o.f_a[j] + o.f_b[j];
  mean /= 2.0 * static_cast<double>(n);
  double variance = 0;
  for (std::size_t j = 0; j < n; ++j)
    variance += (o.f_a[j] - mean) * (o.f_a[j] - mean) + (o.f_b[j] - mean) * (o.f_b[j] - mean);
  variance /= 2.0 * static_cast<double>(n) - 1;
  first.assign(o.f_ab.size(), 0.0);
  total.assign(o.f_ab.size(), 0.0);
  if (!(variance > 0)) return;
  for (std::size_t i = 0; i < o.f_ab.size(); ++i) {
    double s = 0, t = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const double a = o.f_a[j] - mean, b = o.f_b[j] - mean, ab = o.f_ab[i][j] - mean;
      s += b * (ab - a);
      t += (a - ab) * (a - ab);
    }
    first[i] = s / static_cast<double>(n) / variance;
    total[i] = t / (2.0 * static_cast<double>(n)) / variance;
  }
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const std::vector<SaltelliOutputs>& randomisations) {
  const std::size_t r = randomisations.size();
  if (r < 2) throw std::invalid_argument("sobol_indices: at least 2 independent randomisations are needed");
  const std::size_t d = randomisations[0].f_ab.size();
  for (const auto& o : randomisations) {
    const std::size_t n = o.f_a.size();
    if (n < 2 || o.f_b.size() != n || o.f_ab.size() != d)
      throw std::invalid_argument(
          "sobol_indices: every randomisation needs f_a and f_b of one size >= 2 and the "
          "same inputs");
    for (const auto& x : o.f_ab)
      if (x.size() != n) throw std::invalid_argument("sobol_indices: every f_ab[i] needs one value per base point");
  }
  std::vector<std::vector<double>> first(r), total(r);
  for (std::size_t k = 0; k < r; ++k) estimate(randomisations[k], first[k], total[k]);
  const double t = boost::math::quantile(boost::math::students_t(static_cast<double>(r - 1)), 0.975);
  auto summarise = [&](const std::vector<std::vector<double>>& x, std::size_t i, double& mean, double& low,
                       double& high) {
    mean = 0;
    for (std::size_t k = 0; k < r; ++k) mean += x[k][i];
    mean /= static_cast<double>(r);
    double ss = 0;
    for (std::size_t k = 0; k < r; ++k) ss += (x[k][i] - mean) * (x[k][i] - mean);
    const double half = t * std::sqrt(ss / static_cast<double>(r - 1) / static_cast<double>(r));
    low = mean - half;
    high = mean + half;
  };
  std::vector<SobolIndex> out(d);
  for (std::size_t i = 0; i < d; ++i) {
    summarise(first, i, out[i].first, out[i].first_low, out[i].first_high);
    summarise(total, i, out[i].total, out[i].total_low, out[i].total_high);
  }
  return out;
}

std::vector<GivenDataIndex> given_data_first_order(const std::vector<double>& x, int d, const std::vector<double>& y,
                                                   const std::vector<bool>& categorical, std::uint64_t seed,
                                                   int replicates) {
  const std::size_t n = y.size();
  if (d < 1 || n < 16 || x.size() != n * static_cast<std::size_t>(d) ||
      categorical.size() != static_cast<std::size_t>(d))
    throw std::invalid_argument("given-data indices: need at least 16 rows, one value per input and row");
  // Bin of each row for each input: by rank (equal counts), or by category.
  const std::size_t bins =
      std::max<std::size_t>(2, static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(n)))));
  std::vector<std::vector<int>> bin(d, std::vector<int>(n));
  std::vector<int> nbins(d);
  std::vector<std::size_t> order(n);
  for (int i = 0; i < d; ++i) {
    if (categorical[i]) {
      std::vector<double> levels;
      for (std::size_t j = 0; j < n; ++j) levels.push_back(x[j * d + i]);
      std::sort(levels.begin(), levels.end());
      levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
      for (std::size_t j = 0; j < n; ++j)
        bin[i][j] = static_cast<int>(std::lower_bound(levels.begin(), levels.end(), x[j * d + i]) - levels.begin());
      nbins[i] = static_cast<int>(levels.size());
      continue;
    }
    for (std::size_t j = 0; j < n; ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return x[a * d + i] < x[b * d + i]; });
    for (std::size_t k = 0; k < n; ++k) bin[i][order[k]] = static_cast<int>(k * bins / n);
    nbins[i] = static_cast<int>(bins);
  }
  // Weighted estimate (weights 1, or Poisson(1) for a bootstrap replicate).
  auto estimate = [&](const std::vector<double>& w, std::vector<double>& out) {
    double sw = 0, sy = 0;
    for (std::size_t j = 0; j < n; ++j) sw += w[j], sy += w[j] * y[j];
    const double mean = sy / sw;
    double vy = 0;
    for (std::size_t j = 0; j < n; ++j) vy += w[j] * (y[j] - mean) * (y[j] - mean);
    vy /= sw;
    out.assign(d, 0.0);
    if (!(vy > 0)) return;
    for (int i = 0; i < d; ++i) {
      std::vector<double> cw(nbins[i], 0.0), cw2(nbins[i], 0.0), cs(nbins[i], 0.0), css(nbins[i], 0.0);
      for (std::size_t j = 0; j < n; ++j) {
        const int b = bin[i][j];
        cw[b] += w[j];
        cw2[b] += w[j] * w[j];
        cs[b] += w[j] * y[j];
        css[b] += w[j] * y[j] * y[j];
      }
      double between = 0, within = 0;
      for (int b = 0; b < nbins[i]; ++b) {
        if (!(cw[b] > 1)) continue;
        const double m = cs[b] / cw[b];
        between += cw[b] * (m - mean) * (m - mean);
        // The bin mean's own variance, s_b^2 sum(w^2) / sum(w)^2, weighted by the bin's share cw[b]
        // (with unit weights: s_b^2 / n_b).
        const double s2 = (css[b] - cw[b] * m * m) / (cw[b] - 1);
        within += s2 * cw2[b] / cw[b];
      }
      out[i] = (between - within) / sw / vy;
    }
  };
  std::vector<double> w(n, 1.0), s;
  estimate(w, s);
  std::vector<GivenDataIndex> result(d);
  for (int i = 0; i < d; ++i) result[i].first = s[i];
  if (replicates < 2) return result;
  std::vector<std::vector<double>> boot(d);
  for (int r = 0; r < replicates; ++r) {
    const RandomStream rs(seed, static_cast<std::uint64_t>(r), Stream::kBootstrap, 2);
    for (std::size_t j = 0; j < n; ++j) {
      w[j] = poisson_one(rs.uniform(j));
    }
    estimate(w, s);
    for (int i = 0; i < d; ++i) boot[i].push_back(s[i]);
  }
  for (int i = 0; i < d; ++i) {
    std::sort(boot[i].begin(), boot[i].end());
    const auto at = [&](double q) { return boot[i][static_cast<std::size_t>(std::lround(q * (boot[i].size() - 1)))]; };
    result[i].low = at(0.025);
    result[i].high = at(0.975);
  }
  return result;
}

std::vector<double> saltelli_points(int n, int d, std::uint64_t seed, int randomisation) {
  const int dims = 2 * d;
  if (dims > BOOST_RANDOM_SOBOL_MAX_DIMENSION)
    throw std::invalid_argument("sensitivity: at most " + std::to_string(BOOST_RANDOM_SOBOL_MAX_DIMENSION / 2) +
                                " uncertain quantities");
  boost::random::sobol engine(static_cast<std::size_t>(dims));
  const RandomStream shift(seed, static_cast<std::uint64_t>(randomisation), Stream::kDesign, 0xfffeu);
  std::vector<double> out(static_cast<std::size_t>(n) * dims);
  for (int j = 0; j < n; ++j)
    for (int k = 0; k < dims; ++k) {
      const std::uint64_t x = (j == 0 ? 0 : engine()) ^ shift.bits(static_cast<std::uint64_t>(k));
      out[static_cast<std::size_t>(j) * dims + k] = (static_cast<double>(x >> 12) + 0.5) * 0x1.0p-52;
    }
  return out;
}

}  // namespace peacesim
