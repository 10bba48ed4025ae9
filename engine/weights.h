// Value judgements: how the choice of option depends on the criteria weights. Each stakeholder's
// ranking, the interval of each criterion's weight over which the recommendation holds (the others
// rescaled in proportion), and SMAA-2 rank acceptability and central weights over the declared
// weight space and all futures (Lahdelma & Salminen 2001; Tervonen & Figueira 2008). Pure
// functions; the runner tallies the draws. Definitions: docs/analysis.md, "Value judgements".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model.h"

namespace peacesim {

// Draws per future (the weights of draw k of future i come from (seed, i, kWeights, 0, ...)).
inline constexpr int kWeightDrawsPerFuture = 8;

// The weights of draw k of future i, normalised to sum to 1: a stakeholder set chosen uniformly
// (or the criteria's own weights when there is none), then every criterion with a weight range
// drawn uniformly in it. `w` has one entry per criterion.
void draw_weights(const Model& model, std::uint64_t seed, std::int64_t future, int k, std::vector<double>& w);

// Rank counts and central-weight sums of SMAA-2. values[o * C + c] in [0, 1] are the options'
// criterion values in one future; weights sum to 1. Ties share their ranks equally.
struct AcceptabilityTally {
  int options = 0, criteria = 0;
  double draws = 0;
  std::vector<double> rank;     // [o * options + r]: draws in which o ranks r + 1
  std::vector<double> central;  // [o * criteria + c]: sum of the weights of the draws o ranks first

  AcceptabilityTally() = default;
  AcceptabilityTally(int options, int criteria);
  void add(const double* values, const std::vector<double>& weights, std::vector<double>& scratch);
  void merge(const AcceptabilityTally& o);
};

// The expected score of each option under `weights` (normalised), from the mean criterion values
// mean[o * C + c]: sum_c w_c mean_oc (the score is linear in the criterion values).
std::vector<double> expected_scores(const std::vector<double>& mean, int criteria, const std::vector<double>& weights);

// For criterion c: the interval [low, high] of its weight t over which option `chosen` keeps the
// best expected score when the other weights are w_j (1 - t) / (1 - w_c), and the options that take
// over just below low and just above high (-1 when the interval reaches 0 or 1). A tie counts as
// holding.
struct Stability {
  double low = 0, high = 1;
  int below = -1, above = -1;
};
Stability weight_stability(const std::vector<double>& mean, int criteria, const std::vector<double>& weights,
                           int chosen, int criterion);

}  // namespace peacesim
