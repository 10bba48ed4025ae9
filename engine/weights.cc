// Value judgements; see weights.h and docs/analysis.md.
#include "engine/weights.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/rng.h"

namespace peacesim {

void draw_weights(const Model& model, std::uint64_t seed, std::int64_t future, int k, std::vector<double>& w) {
  const std::size_t nc = model.criteria.size();
  const RandomStream r(seed, static_cast<std::uint64_t>(future), Stream::kWeights, 0);
  const std::uint64_t base = static_cast<std::uint64_t>(k) * (nc + 1);
  w.resize(nc);
  const std::size_t sets = model.weight_sets.size();
  const WeightSetSpec* set = nullptr;
  if (sets > 0)
    set = &model.weight_sets[std::min(sets - 1, static_cast<std::size_t>(r.uniform(base) * static_cast<double>(sets)))];
  double total = 0;
  for (std::size_t c = 0; c < nc; ++c) {
    const CriterionSpec& spec = model.criteria[c];
    w[c] = set ? set->raw[c] : spec.raw_weight;
    if (spec.weight_range) {
      const auto [lo, hi] = *spec.weight_range;
      w[c] = lo + r.uniform(base + 1 + c) * (hi - lo);
    }
    total += w[c];
  }
  for (double& x : w) x /= total;  // validation keeps every draw's total above 0
}

AcceptabilityTally::AcceptabilityTally(int options, int criteria)
    : options(options),
      criteria(criteria),
      rank(static_cast<std::size_t>(options) * options, 0.0),
      central(static_cast<std::size_t>(options) * criteria, 0.0) {}

void AcceptabilityTally::add(const double* values, const std::vector<double>& weights, std::vector<double>& scores) {
  scores.assign(options, 0.0);
  for (int o = 0; o < options; ++o)
    for (int c = 0; c < criteria; ++c) scores[o] += weights[c] * values[o * criteria + c];
  // Rank r of option o = 1 + the number of options scoring strictly more; options tied with it
  // share the ranks from there on equally.
  for (int o = 0; o < options; ++o) {
    int above = 0, tied = 0;
    for (int q = 0; q < options; ++q) {
      above += scores[q] > scores[o];
      tied += scores[q] == scores[o];
    }
    const double share = 1.0 / tied;
    for (int r = above; r < above + tied; ++r) rank[o * options + r] += share;
    if (above == 0)
      for (int c = 0; c < criteria; ++c) central[o * criteria + c] += share * weights[c];
  }
  draws += 1;
}

void AcceptabilityTally::merge(const AcceptabilityTally& o) {
  draws += o.draws;
  for (std::size_t k = 0; k < rank.size(); ++k) rank[k] += o.rank[k];
  for (std::size_t k = 0; k < central.size(); ++k) central[k] += o.central[k];
}

std::vector<double> expected_scores(const std::vector<double>& mean, int criteria, const std::vector<double>& weights) {
  const int options = static_cast<int>(mean.size()) / criteria;
  std::vector<double> s(options, 0.0);
  for (int o = 0; o < options; ++o)
    for (int c = 0; c < criteria; ++c) s[o] += weights[c] * mean[o * criteria + c];
  return s;
}

namespace {

// The weights with criterion c at t and the others rescaled in proportion (equally when the others
// all weigh 0).
std::vector<double> with_weight(const std::vector<double>& w, int c, double t) {
  const double rest = 1 - w[c];
  std::vector<double> u(w.size());
  for (std::size_t j = 0; j < w.size(); ++j)
    u[j] = static_cast<int>(j) == c ? t
           : rest > 0               ? w[j] * (1 - t) / rest
                                    : (1 - t) / static_cast<double>(w.size() - 1);
  return u;
}

int best_at(const std::vector<double>& mean, int criteria, const std::vector<double>& w, int c, double t) {
  const std::vector<double> s = expected_scores(mean, criteria, with_weight(w, c, t));
  return static_cast<int>(std::max_element(s.begin(), s.end()) - s.begin());
}

}  // namespace

Stability weight_stability(const std::vector<double>& mean, int criteria, const std::vector<double>& weights,
                           int chosen, int criterion) {
  Stability out;
  if (criteria == 1) {  // the only criterion always weighs 1
    out.low = out.high = 1;
    return out;
  }
  const int options = static_cast<int>(mean.size()) / criteria;
  // The chosen option's score less another's is linear in t: d(t) = b + t (a - b), with a = d(1)
  // and b = d(0); it must stay >= 0.
  const std::vector<double> at0 = expected_scores(mean, criteria, with_weight(weights, criterion, 0));
  const std::vector<double> at1 = expected_scores(mean, criteria, with_weight(weights, criterion, 1));
  for (int o = 0; o < options; ++o) {
    if (o == chosen) continue;
    const double b = at0[chosen] - at0[o], a = at1[chosen] - at1[o], slope = a - b;
    if (slope > 0)
      out.low = std::max(out.low, -b / slope);
    else if (slope < 0)
      out.high = std::min(out.high, -b / slope);
    else if (b < 0)
      out.low = 1, out.high = 0;  // never best along this line (cannot happen for the option chosen at w)
  }
  out.low = std::clamp(out.low, 0.0, 1.0);
  out.high = std::clamp(out.high, 0.0, 1.0);
  constexpr double kStep = 1e-9;
  if (out.low > 0) out.below = best_at(mean, criteria, weights, criterion, std::max(0.0, out.low - kStep));
  if (out.high < 1) out.above = best_at(mean, criteria, weights, criterion, std::min(1.0, out.high + kStep));
  return out;
}

}  // namespace peacesim
