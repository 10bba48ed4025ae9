// Scoring; see scoring.h.
#include "engine/scoring.h"

#include <algorithm>

namespace peacesim {

double criterion_value(const CriterionSpec& c, double x) {
  const double v = (x - c.worst) / (c.best - c.worst);
  return std::clamp(v, 0.0, 1.0);
}

double score(const Model& model, const Outcome& outcome) {
  double s = 0;
  for (const CriterionSpec& c : model.criteria)
    s += c.weight * criterion_value(c, outcome.metrics[static_cast<int>(c.metric)]);
  return s;
}

bool satisficed(const Model& model, const Outcome& outcome) {
  for (const CriterionSpec& c : model.criteria) {
    if (!c.satisficing) continue;
    const double x = outcome.metrics[static_cast<int>(c.metric)];
    if (c.maximise ? x < *c.satisficing : x > *c.satisficing) return false;
  }
  return true;
}

double best_shares(const std::vector<double>& scores, std::vector<double>& share) {
  const double best = *std::max_element(scores.begin(), scores.end());
  const auto ties = std::count(scores.begin(), scores.end(), best);
  share.resize(scores.size());
  for (std::size_t o = 0; o < scores.size(); ++o) share[o] = scores[o] == best ? 1.0 / static_cast<double>(ties) : 0.0;
  return best;
}

std::uint64_t benchmarks_met(const Model& model, const Outcome& outcome) {
  std::uint64_t met = 0;
  for (std::size_t b = 0; b < model.benchmarks.size(); ++b) {
    const BenchmarkSpec& spec = model.benchmarks[b];
    const double value = outcome.probes[spec.probe];
    const double x = spec.start_probe >= 0 ? value - outcome.probes[spec.start_probe] : value;
    // A NaN (month not simulated) compares false either way: not met.
    if (spec.at_most ? x <= spec.target : x >= spec.target) met |= std::uint64_t{1} << b;
  }
  return met;
}

}  // namespace peacesim
