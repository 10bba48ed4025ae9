// PRIM; see discovery.h.
#include "engine/discovery.h"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "engine/parallel.h"
#include "engine/rng.h"

namespace peacesim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A box: bounds on each ordered input, and the categories each categorical input keeps (a bit mask;
// every bit set for an ordered input, which never reads it).
struct Box {
  std::vector<double> lower, upper;
  std::vector<std::uint64_t> allowed;
  std::vector<int> categories;  // per input: its number of categories, 0 when ordered
};

std::uint64_t all_of(int categories) {
  return categories >= kMaxCategories ? ~std::uint64_t{0} : (std::uint64_t{1} << categories) - 1;
}

// The whole space of d inputs.
Box whole_space(int d, const std::vector<int>& categories) {
  Box b{std::vector<double>(d, -kInf), std::vector<double>(d, kInf), std::vector<std::uint64_t>(d, ~std::uint64_t{0}),
        categories.empty() ? std::vector<int>(d, 0) : categories};
  for (int k = 0; k < d; ++k)
    if (b.categories[k] > 0) b.allowed[k] = all_of(b.categories[k]);
  return b;
}

bool keeps(const Box& b, int k, double v) {
  return b.categories[k] > 0 ? (b.allowed[k] >> static_cast<int>(v) & 1) != 0 : v >= b.lower[k] && v <= b.upper[k];
}

bool inside(const double* row, const Box& b, int d, int skip = -1) {
  for (int k = 0; k < d; ++k) {
    if (k == skip) continue;
    if (!keeps(b, k, row[k])) return false;
  }
  return true;
}

// Whether the box restricts input k (relative to the whole space).
bool restricts(const Box& b, const Box& whole, int k) {
  return b.categories[k] > 0 ? b.allowed[k] != whole.allowed[k]
                             : b.lower[k] > whole.lower[k] || b.upper[k] < whole.upper[k];
}

struct Counts {
  double n = 0, failures = 0;
};

Counts count(const std::vector<double>& x, int d, const std::vector<bool>& fail, const std::vector<std::size_t>& rows,
             const Box& b, int skip = -1) {
  Counts c;
  for (std::size_t i : rows)
    if (inside(&x[i * d], b, d, skip)) {
      c.n += 1;
      c.failures += fail[i] ? 1 : 0;
    }
  return c;
}

// The value below which a share q of `v` lies (nth element).
double order_statistic(std::vector<double>& v, double q) {
  const auto k = static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1)));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

PrimBox describe(const std::vector<double>& x, int d, const std::vector<bool>& fail,
                 const std::vector<std::size_t>& rows, const Box& b, const Box& whole, double total_failures) {
  const Counts c = count(x, d, fail, rows, b);
  PrimBox out;
  out.mass = c.n / static_cast<double>(rows.size());
  out.density = c.n > 0 ? c.failures / c.n : 0;
  out.coverage = total_failures > 0 ? c.failures / total_failures : 0;
  // Quasi-p: could a side's gain in density be chance? One-sided binomial test of the box's
  // failures against the density of the box without that side's bound.
  auto quasi_p = [&](const Box& without_side) {
    const Counts without = count(x, d, fail, rows, without_side);
    const double p0 = without.n > 0 ? without.failures / without.n : 0;
    if (c.n > 0 && p0 > 0 && p0 < 1 && c.failures > 0) {
      const boost::math::binomial_distribution<double> binom(c.n, p0);
      return boost::math::cdf(boost::math::complement(binom, c.failures - 1));
    }
    return c.failures > 0 && p0 == 0 ? 0.0 : 1.0;
  };
  for (int k = 0; k < d; ++k) {
    if (!restricts(b, whole, k)) continue;
    Restriction r;
    r.dimension = k;
    r.lower = b.lower[k];
    r.upper = b.upper[k];
    if (b.categories[k] > 0) {  // one side: the categories left out
      for (int v = 0; v < b.categories[k]; ++v)
        if (b.allowed[k] >> v & 1) r.categories.push_back(v);
      Box side = b;
      side.allowed[k] = whole.allowed[k];
      r.quasi_p = r.quasi_p_lower = quasi_p(side);
      out.restrictions.push_back(r);
      continue;
    }
    if (b.lower[k] > whole.lower[k]) {
      Box side = b;
      side.lower[k] = whole.lower[k];
      r.quasi_p_lower = quasi_p(side);
    }
    if (b.upper[k] < whole.upper[k]) {
      Box side = b;
      side.upper[k] = whole.upper[k];
      r.quasi_p_upper = quasi_p(side);
    }
    const bool both = b.lower[k] > whole.lower[k] && b.upper[k] < whole.upper[k];
    r.quasi_p = both                          ? std::max(r.quasi_p_lower, r.quasi_p_upper)
                : b.lower[k] > whole.lower[k] ? r.quasi_p_lower
                                              : r.quasi_p_upper;
    out.restrictions.push_back(r);
  }
  return out;
}

// Widens each boundary of b by up to alpha of the box's cases, or gives a categorical input back
// one category, while that raises the density.
void paste(const std::vector<double>& x, int d, const std::vector<bool>& fail, const std::vector<std::size_t>& rows,
           Box& b, const Box& whole, double alpha) {
  bool improved = true;
  while (improved) {
    improved = false;
    const Counts base = count(x, d, fail, rows, b);
    if (base.n == 0) return;
    const auto step = static_cast<std::size_t>(std::max(1.0, std::floor(alpha * base.n)));
    double best_density = base.failures / base.n;
    Box best = b;
    auto consider = [&](const Box& trial) {
      const Counts c = count(x, d, fail, rows, trial);
      if (c.n > 0 && c.failures / c.n > best_density + 1e-12) {
        best_density = c.failures / c.n;
        best = trial;
        improved = true;
      }
    };
    for (int k = 0; k < d; ++k) {
      if (!restricts(b, whole, k)) continue;  // nothing outside
      if (b.categories[k] > 0) {
        for (int v = 0; v < b.categories[k]; ++v) {
          if (b.allowed[k] >> v & 1) continue;
          Box trial = b;
          trial.allowed[k] |= std::uint64_t{1} << v;
          consider(trial);
        }
        continue;
      }
      for (int side = 0; side < 2; ++side) {
        // Cases just outside this boundary, inside every other one.
        std::vector<double> outside;
        for (std::size_t i : rows) {
          const double* row = &x[i * d];
          if (!inside(row, b, d, k)) continue;
          if (side == 0 && row[k] < b.lower[k]) outside.push_back(row[k]);
          if (side == 1 && row[k] > b.upper[k]) outside.push_back(row[k]);
        }
        if (outside.empty()) continue;
        std::sort(outside.begin(), outside.end());
        const std::size_t take = std::min(step, outside.size());
        Box trial = b;
        if (side == 0)
          trial.lower[k] = take == outside.size() ? whole.lower[k] : outside[outside.size() - take];
        else
          trial.upper[k] = take == outside.size() ? whole.upper[k] : outside[take - 1];
        consider(trial);
      }
    }
    b = best;
  }
}

// Checks x against d and the settings' categories; returns the whole space.
Box checked_space(const std::vector<double>& x, int d, const std::vector<bool>& fail, const PrimSettings& s) {
  if (d <= 0 || x.size() % static_cast<std::size_t>(d) != 0 || fail.size() * d != x.size())
    throw std::invalid_argument("prim: x must hold one row of d inputs per case");
  if (!s.categories.empty() && s.categories.size() != static_cast<std::size_t>(d))
    throw std::invalid_argument("prim: categories must give one count per input");
  for (std::size_t k = 0; k < s.categories.size(); ++k) {
    const int m = s.categories[k];
    if (m < 0 || m > kMaxCategories)
      throw std::invalid_argument("prim: an input has more than " + std::to_string(kMaxCategories) + " categories");
    if (m == 0) continue;
    for (std::size_t i = k; i < x.size(); i += d)
      if (!is_category(x[i], m))
        throw std::invalid_argument("prim: a categorical input holds a value that is not one of its categories");
  }
  return whole_space(d, s.categories);
}

// PRIM on the cases `rows` of x, in the space `whole` (checked_space, once per call of the API).
std::vector<PrimBox> prim_on(const std::vector<double>& x, int d, const std::vector<bool>& fail,
                             const std::vector<std::size_t>& rows, const Box& whole, const PrimSettings& s) {
  double total_failures = 0;
  for (std::size_t i : rows) total_failures += fail[i] ? 1 : 0;
  const double n = static_cast<double>(rows.size());
  std::vector<Box> peeled{whole};
  Box b = whole;
  std::vector<std::size_t> in(rows);
  struct Candidate {
    double density = -1, removed = 0, bound = 0;
    int side = 0;  // an ordered input: 0 lower, 1 upper; a categorical one: the category removed
  };
  std::vector<std::vector<Candidate>> candidates(d);
  while (true) {
    // Every peel candidate (input x side, or input x category), evaluated in parallel, then chosen
    // in a fixed order.
    peacesim::parallel_for(0, d, [&](int k) {
      std::vector<Candidate>& out = candidates[k];
      out.clear();
      auto evaluate = [&](auto&& dropped, double bound, int side) {
        double kept = 0, failures = 0;
        for (std::size_t i : in) {
          if (dropped(x[i * d + k])) continue;
          kept += 1;
          failures += fail[i] ? 1 : 0;
        }
        Candidate c;
        c.removed = static_cast<double>(in.size()) - kept;
        if (c.removed < 1 || kept < 1) return;
        c.density = failures / kept;
        c.bound = bound;
        c.side = side;
        out.push_back(c);
      };
      if (b.categories[k] > 0) {
        for (int v = 0; v < b.categories[k]; ++v)
          if (b.allowed[k] >> v & 1) evaluate([v](double xi) { return static_cast<int>(xi) == v; }, 0, v);
        return;
      }
      std::vector<double> v;
      v.reserve(in.size());
      for (std::size_t i : in) v.push_back(x[i * d + k]);
      const double lo = order_statistic(v, s.alpha), hi = order_statistic(v, 1 - s.alpha);
      evaluate([lo](double xi) { return xi < lo; }, lo, 0);
      evaluate([hi](double xi) { return xi > hi; }, hi, 1);
    });
    // The peel that gains the most density per case removed (the EMA Workbench's default,
    // "lenient1"), so that removing a whole category is weighed against its size; fewer cases
    // removed on ties.
    double box_failures = 0;
    for (std::size_t i : in) box_failures += fail[i] ? 1 : 0;
    const double box_density = box_failures / static_cast<double>(in.size());
    double best_gain = -kInf, best_removed = 0;
    bool found = false;
    Box best;
    for (int k = 0; k < d; ++k)
      for (const Candidate& c : candidates[k]) {
        const double gain = (c.density - box_density) / c.removed;
        if (gain > best_gain + 1e-15 || (std::fabs(gain - best_gain) <= 1e-15 && c.removed < best_removed)) {
          found = true;
          best_gain = gain;
          best_removed = c.removed;
          best = b;
          if (b.categories[k] > 0)
            best.allowed[k] &= ~(std::uint64_t{1} << c.side);
          else if (c.side == 0)
            best.lower[k] = c.bound;
          else
            best.upper[k] = c.bound;
        }
      }
    if (!found) break;
    std::vector<std::size_t> next;
    for (std::size_t i : in)
      if (inside(&x[i * d], best, d)) next.push_back(i);
    if (static_cast<double>(next.size()) / n < s.min_mass) break;
    b = best;
    in.swap(next);
    peeled.push_back(b);
  }
  std::vector<PrimBox> trajectory;
  for (Box& box : peeled) {
    paste(x, d, fail, rows, box, whole, s.alpha);
    trajectory.push_back(describe(x, d, fail, rows, box, whole, total_failures));
  }
  return trajectory;
}

}  // namespace

std::vector<PrimBox> prim(const std::vector<double>& x, int d, const std::vector<bool>& fail,
                          const PrimSettings& settings) {
  std::vector<std::size_t> rows(fail.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return prim_on(x, d, fail, rows, checked_space(x, d, fail, settings), settings);
}

PrimBox simplify(const std::vector<double>& x, int d, const std::vector<bool>& fail, const PrimBox& box,
                 const PrimSettings& settings, double max_quasi_p) {
  const Box whole = checked_space(x, d, fail, settings);
  std::vector<std::size_t> rows(fail.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  double total_failures = 0;
  for (bool f : fail) total_failures += f ? 1 : 0;
  PrimBox out = box;
  while (!out.restrictions.empty()) {
    // The restricted side with the largest quasi-p (lower sides first on ties; a categorical
    // restriction is one side, its lower).
    std::size_t worst = 0;
    bool upper = false;
    double worst_p = -1;
    for (std::size_t k = 0; k < out.restrictions.size(); ++k) {
      const Restriction& r = out.restrictions[k];
      const bool has_lower = !r.categories.empty() || r.lower > whole.lower[r.dimension];
      if (has_lower && r.quasi_p_lower > worst_p) {
        worst = k, upper = false, worst_p = r.quasi_p_lower;
      }
      if (r.upper < whole.upper[r.dimension] && r.quasi_p_upper > worst_p) {
        worst = k, upper = true, worst_p = r.quasi_p_upper;
      }
    }
    if (worst_p <= max_quasi_p) break;
    Box b = whole;
    for (const Restriction& r : out.restrictions) {
      b.lower[r.dimension] = r.lower;
      b.upper[r.dimension] = r.upper;
      if (r.categories.empty()) continue;
      b.allowed[r.dimension] = 0;
      for (int v : r.categories) b.allowed[r.dimension] |= std::uint64_t{1} << v;
    }
    const int dim = out.restrictions[worst].dimension;
    if (upper)
      b.upper[dim] = whole.upper[dim];
    else {
      b.lower[dim] = whole.lower[dim];
      b.allowed[dim] = whole.allowed[dim];
    }
    out = describe(x, d, fail, rows, b, whole, total_failures);
  }
  return out;
}

int choose_box(const std::vector<PrimBox>& trajectory) {
  auto f1 = [](const PrimBox& b) {
    return b.coverage + b.density > 0 ? 2 * b.coverage * b.density / (b.coverage + b.density) : 0.0;
  };
  int best = 0;
  for (int k = 1; k < static_cast<int>(trajectory.size()); ++k)
    if (f1(trajectory[k]) > f1(trajectory[best]) + 1e-12) best = k;
  return best;
}

std::vector<double> restriction_frequency(const std::vector<double>& x, int d, const std::vector<bool>& fail,
                                          const PrimSettings& settings, int replicates, std::uint64_t seed) {
  const std::size_t n = fail.size();
  const Box whole = checked_space(x, d, fail, settings);
  std::vector<std::vector<int>> restricted(replicates);  // per replicate, summed in order below
  peacesim::parallel_for(0, replicates, [&](int r) {
    const RandomStream rs(seed, static_cast<std::uint64_t>(r), Stream::kBootstrap, 2);
    std::vector<std::size_t> rows(n);
    for (std::size_t i = 0; i < n; ++i) rows[i] = static_cast<std::size_t>(rs.uniform(i) * static_cast<double>(n));
    const std::vector<PrimBox> t = prim_on(x, d, fail, rows, whole, settings);
    for (const Restriction& res : t[choose_box(t)].restrictions) restricted[r].push_back(res.dimension);
  });
  std::vector<double> frequency(d, 0.0);
  for (const auto& dims : restricted)
    for (int k : dims) frequency[k] += 1.0 / replicates;
  return frequency;
}

}  // namespace peacesim
