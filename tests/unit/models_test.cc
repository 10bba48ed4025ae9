// Unit tests of the pure per-month models in models/: drivers (mean reversion, causal map,
// hysteresis, driver risk), actors (influence weights, weighted median, polarisation, spoilers,
// Friedkin-Johnsen step, DDR, consent), gender (participation, representation, GBV), dynamics
// (regimes, risk, deterrence, the monthly step of intensity, violence and displacement) and
// situation (structural log-odds). Expected values are computed by hand in the comments.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "models/actors.h"
#include "models/drivers.h"
#include "models/dynamics.h"
#include "models/gender.h"
#include "models/situation.h"
#include "models/sums.h"

namespace peacesim::models {
namespace {

constexpr double kTol = 1e-12;

Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double x : values) v[i++] = x;
  return v;
}

// =============================================================================================
// Drivers
// =============================================================================================

// Two drivers: 0 a conflict driver (beta 2), 1 a peace factor (beta 1, polarity -1), with an edge
// 0 -> 1 of weight 0.5 and an edge 1 -> 0 of weight -0.4.
DriverParams two_drivers() {
  DriverParams p;
  p.initial = vec({0.5, 0.3});
  p.baseline = vec({0.4, 0.2});
  p.reversion = vec({0.1, 0.2});
  p.volatility = vec({0.05, 0.05});
  p.risk_weight = vec({2, 1});
  p.polarity = vec({1, -1});
  p.edges = {Edge{0, 1, 0.5}, Edge{1, 0, -0.4}};
  p.hysteresis = 0.02;
  return p;
}

TEST(Drivers, InitialStateIsTheParameters) {
  const DriverParams p = two_drivers();
  const DriverState s = initial_drivers(p);
  EXPECT_EQ(s.level, p.initial);
  EXPECT_EQ(s.baseline, p.baseline);
}

TEST(Drivers, OneStepWithZeroNoiseMatchesHandComputation) {
  const DriverParams p = two_drivers();
  DriverState s = initial_drivers(p);
  const Eigen::VectorXd push = vec({0.03, -0.02});
  const double noise[] = {0, 0};
  step_drivers(p, push, noise, s);
  // d0 = 0.5 + 0.1 (0.4 - 0.5) + 0.03 - 0.4 (0.3 - 0.2) = 0.48
  // d1 = 0.3 + 0.2 (0.2 - 0.3) - 0.02 + 0.5 (0.5 - 0.4) = 0.31
  EXPECT_NEAR(s.level[0], 0.48, kTol);
  EXPECT_NEAR(s.level[1], 0.31, kTol);
  // b += eta (d(t+1) - b): 0.4 + 0.02 * 0.08 = 0.4016; 0.2 + 0.02 * 0.11 = 0.2022
  EXPECT_NEAR(s.baseline[0], 0.4016, kTol);
  EXPECT_NEAR(s.baseline[1], 0.2022, kTol);
}

TEST(Drivers, NoiseIsScaledByVolatility) {
  const DriverParams p = two_drivers();
  DriverState s = initial_drivers(p);
  const double noise[] = {1, -2};
  step_drivers(p, vec({0.03, -0.02}), noise, s);
  EXPECT_NEAR(s.level[0], 0.48 + 0.05, kTol);
  EXPECT_NEAR(s.level[1], 0.31 - 0.10, kTol);
}

TEST(Drivers, CausalEdgeUsesLastMonthsDeviationNotThisMonths) {
  // A push on driver 0 this month must not reach driver 1 through the edge until next month.
  const DriverParams p = two_drivers();
  const double noise[] = {0, 0};
  DriverState a = initial_drivers(p), b = initial_drivers(p);
  step_drivers(p, vec({0, 0}), noise, a);
  step_drivers(p, vec({0.3, 0}), noise, b);
  EXPECT_EQ(a.level[1], b.level[1]);
  EXPECT_GT(b.level[0], a.level[0]);
  // Next month the larger deviation of driver 0 raises driver 1 (positive edge).
  step_drivers(p, vec({0, 0}), noise, a);
  step_drivers(p, vec({0, 0}), noise, b);
  EXPECT_GT(b.level[1], a.level[1]);
}

DriverParams one_driver(double level, double baseline, double reversion) {
  DriverParams p;
  p.initial = vec({level});
  p.baseline = vec({baseline});
  p.reversion = vec({reversion});
  p.volatility = vec({0.1});
  p.risk_weight = vec({1});
  p.polarity = vec({1});
  p.hysteresis = 0.02;
  return p;
}

TEST(Drivers, LevelIsClippedToUnitInterval) {
  const DriverParams p = one_driver(0.95, 0.95, 0);
  const double noise[] = {0};
  DriverState up = initial_drivers(p), down = initial_drivers(p);
  step_drivers(p, vec({0.2}), noise, up);
  step_drivers(p, vec({-1.2}), noise, down);
  EXPECT_EQ(up.level[0], 1.0);
  EXPECT_EQ(down.level[0], 0.0);
  // The baseline follows the clipped level: 0.95 + 0.02 (1 - 0.95), 0.95 + 0.02 (0 - 0.95).
  EXPECT_NEAR(up.baseline[0], 0.951, kTol);
  EXPECT_NEAR(down.baseline[0], 0.931, kTol);
  // Noise is clipped too.
  DriverState noisy = initial_drivers(p);
  const double big[] = {5};
  step_drivers(p, vec({0}), big, noisy);
  EXPECT_EQ(noisy.level[0], 1.0);
}

TEST(Drivers, HysteresisMovesTheBaselineByEtaOfTheGap) {
  // No reversion: a push of 0.3 holds; the baseline creeps toward the new level by eta per month.
  const DriverParams p = one_driver(0.5, 0.5, 0);
  const double noise[] = {0};
  DriverState s = initial_drivers(p);
  step_drivers(p, vec({0.3}), noise, s);
  EXPECT_NEAR(s.level[0], 0.8, kTol);
  EXPECT_NEAR(s.baseline[0], 0.5 + 0.02 * 0.3, kTol);  // 0.506
  step_drivers(p, vec({0}), noise, s);
  EXPECT_NEAR(s.level[0], 0.8, kTol);
  EXPECT_NEAR(s.baseline[0], 0.506 + 0.02 * (0.8 - 0.506), kTol);  // 0.51188
}

TEST(Drivers, MeanReversionPullsTowardTheDriftedBaseline) {
  // With reversion, a shocked driver returns toward a baseline that has moved up: it does not
  // come all the way back to where it started (hysteresis).
  const DriverParams p = one_driver(0.3, 0.3, 0.2);
  const double noise[] = {0};
  DriverState s = initial_drivers(p);
  step_drivers(p, vec({0.4}), noise, s);
  for (int month = 0; month < 300; ++month) step_drivers(p, vec({0}), noise, s);
  EXPECT_GT(s.baseline[0], 0.3 + 1e-3);
  EXPECT_NEAR(s.level[0], s.baseline[0], 1e-6);
}

TEST(Drivers, DriverRiskIsWeightedSumWithPeaceFactorsNegative) {
  const DriverParams p = two_drivers();
  DriverState s = initial_drivers(p);
  EXPECT_NEAR(driver_risk(p, s), 2 * 0.5 - 1 * 0.3, kTol);  // 0.7
  s.level[1] = 0.6;                                         // more of the peace factor: lower risk
  EXPECT_NEAR(driver_risk(p, s), 1.0 - 0.6, kTol);
  s.level[0] = 0.7;  // more of the conflict driver: higher risk
  EXPECT_NEAR(driver_risk(p, s), 1.4 - 0.6, kTol);
}

TEST(Drivers, LargerPushGivesLargerLevel) {
  const DriverParams p = one_driver(0.4, 0.3, 0.1);
  const double noise[] = {0};
  double previous = -1;
  for (double push = -0.5; push <= 0.5 + 1e-9; push += 0.05) {
    DriverState s = initial_drivers(p);
    step_drivers(p, vec({push}), noise, s);
    EXPECT_GE(s.level[0], previous) << "push " << push;
    if (s.level[0] > 0 && s.level[0] < 1) {
      EXPECT_GT(s.level[0], previous) << "push " << push;
    }
    previous = s.level[0];
  }
}

// =============================================================================================
// Actors
// =============================================================================================

// Actors with identity influence, no anchoring, no noise: positions move only by push.
ActorParams still_actors(const Eigen::VectorXd& initial, const Eigen::VectorXd& strength) {
  const Eigen::Index n = initial.size();
  ActorParams p;
  p.initial = initial;
  p.salience = Eigen::VectorXd::Ones(n);
  p.capability = Eigen::VectorXd::Ones(n);
  p.anchoring = Eigen::VectorXd::Zero(n);
  p.strength = strength;
  p.volatility = Eigen::VectorXd::Zero(n);
  p.influence = Eigen::MatrixXd::Identity(n, n);
  p.power = p.capability.cwiseProduct(p.salience);
  p.pair_weight = pair_weight(p.capability);
  // Every rate explicit: the tests must not depend on the header's defaults.
  p.consent_threshold = 0.4;
  p.consent_decay = 0.1;
  p.attrition_war = 0.01;
  p.attrition_peace = 0.002;
  p.recruitment = 0.02;
  return p;
}

TEST(Actors, InfluenceMatrixIsTrustTimesCapabilityTimesSalienceNormalised) {
  Eigen::MatrixXd trust(3, 3);
  trust << 1, 0.5, 0,  //
      0, 0, 0,         // no trust at all: falls back to self
      0.2, 0.4, 1;
  const Eigen::VectorXd capability = vec({1, 2, 3}), salience = vec({1, 0.5, 2});  // c s = 1, 1, 6
  const Eigen::MatrixXd w = influence_matrix(trust, capability, salience);
  EXPECT_NEAR(w(0, 0), 1 / 1.5, kTol);
  EXPECT_NEAR(w(0, 1), 0.5 / 1.5, kTol);
  EXPECT_EQ(w(0, 2), 0.0);
  EXPECT_EQ(w(1, 0), 0.0);
  EXPECT_EQ(w(1, 1), 1.0);
  EXPECT_EQ(w(1, 2), 0.0);
  EXPECT_NEAR(w(2, 0), 0.2 / 6.6, kTol);
  EXPECT_NEAR(w(2, 1), 0.4 / 6.6, kTol);
  EXPECT_NEAR(w(2, 2), 6.0 / 6.6, kTol);
}

TEST(Actors, InfluenceMatrixRowsSumToOneAndAreProportional) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int n = 6;
  Eigen::MatrixXd trust(n, n);
  Eigen::VectorXd c(n), s(n);
  for (int a = 0; a < n; ++a) {
    c[a] = 0.1 + unit(rng);
    s[a] = 0.1 + unit(rng);
    for (int b = 0; b < n; ++b) trust(a, b) = unit(rng);
  }
  const Eigen::MatrixXd w = influence_matrix(trust, c, s);
  for (int a = 0; a < n; ++a) {
    EXPECT_NEAR(w.row(a).sum(), 1.0, kTol) << "row " << a;
    for (int b = 0; b < n; ++b) {
      EXPECT_GE(w(a, b), 0.0);
      // w_ab / w_a0 = tau_ab c_b s_b / (tau_a0 c_0 s_0)
      EXPECT_NEAR(w(a, b) / w(a, 0), trust(a, b) * c[b] * s[b] / (trust(a, 0) * c[0] * s[0]), 1e-9)
          << "row " << a << ", column " << b;
    }
  }
}

TEST(Actors, InfluenceMatrixRowWithOnlyZeroWeightTargetsFallsBackToSelf) {
  // Actor 1 trusts only actor 0, whose capability is 0: no weight at all, so self-weight.
  Eigen::MatrixXd trust(2, 2);
  trust << 1, 1,  //
      1, 0;
  const Eigen::MatrixXd w = influence_matrix(trust, vec({0, 1}), vec({1, 1}));
  EXPECT_EQ(w(1, 0), 0.0);
  EXPECT_EQ(w(1, 1), 1.0);
  EXPECT_EQ(w(0, 1), 1.0);  // actor 0 listens to actor 1 only
}

// The bargaining outcome order_actors records for one world at positions x with powers w.
double bargaining_outcome(const Eigen::VectorXd& x, const Eigen::VectorXd& w) {
  ActorParams p = still_actors(x, Eigen::VectorXd::Zero(x.size()));
  p.salience = w;
  p.power = p.capability.cwiseProduct(p.salience);
  return initial_actors(p).bargaining[0];
}

// The lower weighted median by its definition: positions in ascending order, ties by index; the
// first whose cumulative weight reaches half of the total.
double weighted_median_by_definition(const Eigen::VectorXd& x, const Eigen::VectorXd& w) {
  std::vector<int> order(static_cast<std::size_t>(x.size()));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return x[a] < x[b]; });
  double total = 0;
  for (double weight : w) total += weight;  // in declaration order
  const double half = 0.5 * total;
  double run = 0;
  for (int a : order) {
    run += w[a];
    if (run >= half) return x[a];
  }
  return x[order.back()];
}

TEST(Actors, WeightedMedianIsDecidedByWeights) {
  const Eigen::VectorXd x = vec({0.1, 0.9, 0.5});
  EXPECT_EQ(bargaining_outcome(x, vec({1, 1, 1})), 0.5);
  EXPECT_EQ(bargaining_outcome(x, vec({3, 1, 1})), 0.1);  // actor 0 holds 60%
  EXPECT_EQ(bargaining_outcome(x, vec({1, 3, 1})), 0.9);  // actor 1 holds 60%
  EXPECT_EQ(bargaining_outcome(x, vec({1, 1, 3})), 0.5);
  EXPECT_EQ(bargaining_outcome(x, vec({2, 2, 0})), 0.1);  // an even split: the lower median
}

TEST(Actors, WeightedMedianOfTwoEqualWeightsIsTheLowerOne) {
  const Eigen::VectorXd x = vec({0.8, 0.2});
  EXPECT_EQ(bargaining_outcome(x, vec({1, 1})), 0.2);
  EXPECT_EQ(bargaining_outcome(x, vec({1.01, 1})), 0.8);
}

TEST(Actors, SortByPositionKeepsTiesByIndex) {
  const Eigen::VectorXd x = vec({0.5, 0.2, 0.5, 0.2, 0.9});
  const std::vector<int> expected = {1, 3, 0, 2, 4};
  for (std::vector<int> order :
       {std::vector<int>{4, 3, 2, 1, 0}, std::vector<int>{0, 1, 2, 3, 4}, std::vector<int>{2, 4, 0, 3, 1}}) {
    sort_by_position(x, order);
    EXPECT_EQ(order, expected);
  }
}

double brute_force_polarisation(const Eigen::VectorXd& c, const Eigen::VectorXd& x) {
  double num = 0, den = 0;
  for (Eigen::Index a = 0; a < x.size(); ++a)
    for (Eigen::Index b = a + 1; b < x.size(); ++b) {
      num += c[a] * c[b] * std::fabs(x[a] - x[b]);
      den += c[a] * c[b];
    }
  return num / den;
}

TEST(Sums, AddLeftToRightWhateverTheBuildsVectorWidth) {
  // Left to right: (1e16 + 1) rounds back to 1e16, less 1e16 is 0, plus 1 is 1. Added in pairs
  // (1e16 - 1e16) + (1 + 1), as a vectorised sum would, it is 2.
  Eigen::VectorXd x(4);
  x << 1e16, 1, -1e16, 1;
  EXPECT_EQ(models::sum_in_order(x), 1.0);
  Eigen::MatrixXd m(2, 4);
  m.row(0) = x.transpose();
  m.row(1).setZero();
  EXPECT_EQ(models::sum_in_order(m.row(0)), 1.0);  // a row of a column-major matrix, strided
  Eigen::VectorXd y(3);
  y << 3, 4, 12;
  EXPECT_EQ(models::sum_of_squares_in_order(y), 169.0);
}

TEST(Actors, PairWeightIsTheSumOverPairs) {
  const Eigen::VectorXd c = vec({1, 2, 3, 0.5});
  // 1*2 + 1*3 + 1*0.5 + 2*3 + 2*0.5 + 3*0.5 = 14
  EXPECT_NEAR(pair_weight(c), 14.0, kTol);
}

TEST(Actors, PolarisationMatchesBruteForceOnRandomVectors) {
  std::mt19937 rng(12345);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 2 + trial % 7;
    Eigen::VectorXd c(n), x(n);
    for (int a = 0; a < n; ++a) {
      c[a] = 0.1 + 3 * unit(rng);
      x[a] = trial % 2 ? std::round(10 * unit(rng)) / 10 : unit(rng);  // half the trials with ties
    }
    ActorParams p = still_actors(x, Eigen::VectorXd::Zero(n));
    p.capability = c;
    p.pair_weight = pair_weight(c);
    const ActorState s = initial_actors(p);
    EXPECT_NEAR(polarisation(s), brute_force_polarisation(c, x), kTol) << "trial " << trial;
  }
}

TEST(Actors, PolarisationExtremes) {
  ActorParams p = still_actors(vec({0, 1}), vec({0, 0}));
  EXPECT_NEAR(polarisation(initial_actors(p)), 1.0, kTol);
  p = still_actors(vec({0.4, 0.4, 0.4}), vec({0, 0, 0}));
  EXPECT_EQ(polarisation(initial_actors(p)), 0.0);
}

TEST(Actors, PolarisationStaysCorrectAfterStepsReorderActors) {
  // Positions cross each other: step_actors must keep the order sorted for polarisation.
  std::mt19937 rng(99);
  std::normal_distribution<double> gauss;
  const int n = 6;
  ActorParams p = still_actors(vec({0.1, 0.2, 0.3, 0.7, 0.8, 0.9}), Eigen::VectorXd::Zero(n));
  p.capability = vec({1, 2, 0.5, 3, 1, 2});
  p.pair_weight = pair_weight(p.capability);
  p.volatility = Eigen::VectorXd::Constant(n, 0.3);
  ActorState s = initial_actors(p);
  for (int month = 0; month < 24; ++month) {
    std::vector<double> noise(n);
    for (double& z : noise) z = gauss(rng);
    step_actors(p, ActorInputs{}, noise.data(), s);
    EXPECT_NEAR(polarisation(s), brute_force_polarisation(p.capability, s.position), kTol) << "month " << month;
  }
}

TEST(Actors, EveryLaneKeepsItsPolarisationAndBargainingOutcomeAsItsActorsMove) {
  // Three lanes pulled apart by different pushes: each lane's recorded polarisation and bargaining
  // outcome are those of its own positions, by brute force and by the weighted median's definition,
  // month after month.
  std::mt19937 rng(7);
  std::normal_distribution<double> gauss;
  const int n = 5, lanes = 3;
  ActorParams p = still_actors(vec({0.1, 0.3, 0.5, 0.7, 0.9}), Eigen::VectorXd::Zero(n));
  p.capability = vec({1, 2, 0.5, 3, 1});
  p.salience = vec({1, 0.5, 2, 1, 1});
  p.power = p.capability.cwiseProduct(p.salience);
  p.pair_weight = pair_weight(p.capability);
  p.volatility = Eigen::VectorXd::Constant(n, 0.2);
  ActorState s = initial_actors(p, lanes);
  std::vector<ActorInputs> in(lanes);
  in[1].mediation = 0.3;  // pulled toward its recorded bargaining outcome
  Eigen::VectorXd push(n * lanes);
  for (int month = 0; month < 24; ++month) {
    std::vector<double> noise(n);
    for (double& z : noise) z = gauss(rng);
    for (int i = 0; i < n * lanes; ++i) push[i] = 0.1 * gauss(rng);
    step_actors(p, in.data(), push.data(), noise.data(), s);
    for (int l = 0; l < lanes; ++l) {
      Eigen::VectorXd x(n);
      for (int a = 0; a < n; ++a) x[a] = s.position[a * lanes + l];
      EXPECT_NEAR(polarisation(s, l), brute_force_polarisation(p.capability, x), kTol) << "month " << month;
      EXPECT_EQ(s.bargaining[l], weighted_median_by_definition(x, p.power)) << "month " << month << " lane " << l;
    }
  }
}

TEST(Actors, SpoilerStrengthIsArmedOppositionRelativeToTheStart) {
  ActorParams p = still_actors(vec({0.2, 0.9}), vec({100, 50}));
  ActorState s = initial_actors(p);
  // (100 * 0.8 + 50 * 0.1) / 150
  EXPECT_NEAR(spoiler_strength(p, s), 85.0 / 150, kTol);
  s.strength = vec({80, 50});
  // (80 * 0.8 + 50 * 0.1) / 150 = 69 / 150
  EXPECT_NEAR(spoiler_strength(p, s), 0.46, kTol);
  p.strength = vec({0, 0});
  EXPECT_EQ(spoiler_strength(p, s), 0.0);  // nobody armed at the start
}

// Three actors for Friedkin-Johnsen: anchoring 0.5, 0.2, 0 and a row-stochastic W.
ActorParams three_actors() {
  ActorParams p = still_actors(vec({0.2, 0.6, 0.9}), vec({0, 0, 0}));
  p.anchoring = vec({0.5, 0.2, 0});
  p.volatility = vec({0.1, 0.1, 0.1});
  p.influence.resize(3, 3);
  p.influence << 0.5, 0.5, 0,  //
      0.25, 0.5, 0.25,         //
      0, 0, 1;
  return p;
}

TEST(Actors, FriedkinJohnsenStepMatchesHandComputation) {
  const ActorParams p = three_actors();
  ActorState s = initial_actors(p);
  const double noise[] = {0, 0, 0};
  step_actors(p, ActorInputs{}, noise, s);
  // x0 = 0.5 (0.5 * 0.2 + 0.5 * 0.6) + 0.5 * 0.2 = 0.3
  // x1 = 0.8 (0.25 * 0.2 + 0.5 * 0.6 + 0.25 * 0.9) + 0.2 * 0.6 = 0.58
  // x2 = 1.0 * 0.9 = 0.9
  EXPECT_NEAR(s.position[0], 0.3, kTol);
  EXPECT_NEAR(s.position[1], 0.58, kTol);
  EXPECT_NEAR(s.position[2], 0.9, kTol);
}

TEST(Actors, FriedkinJohnsenAnchorsToInitialNotCurrentPosition) {
  const ActorParams p = three_actors();
  ActorState s = initial_actors(p);
  s.position = vec({0.4, 0.6, 0.8});
  order_actors(p, s);
  const double noise[] = {0, 0, 0};
  step_actors(p, ActorInputs{}, noise, s);
  // x0 = 0.5 (0.5 * 0.4 + 0.5 * 0.6) + 0.5 * 0.2 = 0.35
  // x1 = 0.8 (0.1 + 0.3 + 0.2) + 0.2 * 0.6 = 0.6;  x2 = 0.8
  EXPECT_NEAR(s.position[0], 0.35, kTol);
  EXPECT_NEAR(s.position[1], 0.6, kTol);
  EXPECT_NEAR(s.position[2], 0.8, kTol);
}

TEST(Actors, MediationPushAndNoiseAddToTheUpdate) {
  const ActorParams p = three_actors();
  ActorState s = initial_actors(p);
  const Eigen::VectorXd push = vec({0.01, 0, -0.02});
  ActorInputs in;
  in.mediation = 0.1;
  in.push = &push;
  const double noise[] = {1, -1, 0};
  step_actors(p, in, noise, s);
  // Bargaining outcome with equal power: the median, 0.6. Adds 0.1 (0.6 - x), push, 0.1 noise.
  EXPECT_NEAR(s.position[0], 0.3 + 0.04 + 0.01 + 0.1, kTol);  // 0.45
  EXPECT_NEAR(s.position[1], 0.58 + 0 + 0 - 0.1, kTol);       // 0.48
  EXPECT_NEAR(s.position[2], 0.9 - 0.03 - 0.02 + 0, kTol);    // 0.85
}

TEST(Actors, MediationPullsTowardThePowerWeightedMedian) {
  ActorParams p = three_actors();
  p.power = vec({1, 1, 5});  // actor 2 decides the bargaining outcome: 0.9
  ActorState s = initial_actors(p);
  ActorInputs in;
  in.mediation = 0.1;
  const double noise[] = {0, 0, 0};
  step_actors(p, in, noise, s);
  EXPECT_NEAR(s.position[0], 0.3 + 0.1 * (0.9 - 0.2), kTol);
  EXPECT_NEAR(s.position[1], 0.58 + 0.1 * (0.9 - 0.6), kTol);
  EXPECT_NEAR(s.position[2], 0.9, kTol);
}

TEST(Actors, PositionIsClippedToUnitInterval) {
  const ActorParams p = three_actors();
  ActorState s = initial_actors(p);
  const Eigen::VectorXd push = vec({-1, 0, 1});
  ActorInputs in;
  in.push = &push;
  const double noise[] = {0, 0, 0};
  step_actors(p, in, noise, s);
  EXPECT_EQ(s.position[0], 0.0);
  EXPECT_EQ(s.position[2], 1.0);
}

TEST(Actors, DdrDemobilisesOnlySupportersOfTheProcess) {
  // Positions 0.2 (opposes), 0.5 (supports: the boundary counts), 0.7 (supports).
  const ActorParams p = still_actors(vec({0.2, 0.5, 0.7}), vec({1000, 1000, 1000}));
  const double noise[] = {0, 0, 0};
  ActorState with_ddr = initial_actors(p), without = initial_actors(p);
  ActorInputs in;  // at peace: attrition 0.002, no recruitment (driver risk 0)
  step_actors(p, in, noise, without);
  in.ddr = 0.1;
  step_actors(p, in, noise, with_ddr);
  EXPECT_NEAR(without.strength[0], 998, 1e-9);
  EXPECT_NEAR(with_ddr.strength[0], 998, 1e-9);                       // the opposing armed actor keeps its fighters
  EXPECT_NEAR(with_ddr.strength[1], 1000 * (1 - 0.002 - 0.1), 1e-9);  // 898
  EXPECT_NEAR(with_ddr.strength[2], 898, 1e-9);
  EXPECT_NEAR(without.strength[2], 998, 1e-9);
}

TEST(Actors, OpponentsRecruitWithDriverRiskAndWarRaisesAttrition) {
  const ActorParams p = still_actors(vec({0.2, 0.7}), vec({1000, 1000}));
  const double noise[] = {0, 0};
  ActorInputs in;
  in.at_war = true;
  in.ddr = 0.1;
  in.driver_risk = 0.5;
  ActorState s = initial_actors(p);
  step_actors(p, in, noise, s);
  // Opponent: 1000 (1 - 0.01) + 0.02 * 0.5 * 1000 = 1000. Supporter: 1000 (1 - 0.01 - 0.1) = 890.
  EXPECT_NEAR(s.strength[0], 1000, 1e-9);
  EXPECT_NEAR(s.strength[1], 890, 1e-9);
  // Negative driver risk does not demobilise: only attrition.
  in.driver_risk = -1;
  ActorState t = initial_actors(p);
  step_actors(p, in, noise, t);
  EXPECT_NEAR(t.strength[0], 990, 1e-9);
}

TEST(Actors, ConsentStaysWhileHoldersAboveThresholdThenDecays) {
  ActorParams p = still_actors(vec({0.6, 0.9}), vec({0, 0}));
  p.consent_holders = {0};
  p.consent_threshold = 0.4;
  p.consent_decay = 0.1;
  ActorState s = initial_actors(p);
  const double noise[] = {0, 0};
  const Eigen::VectorXd none = vec({0, 0}), drop = vec({-0.3, 0}), rise = vec({0.2, 0});
  ActorInputs in;
  in.push = &none;
  for (int month = 0; month < 3; ++month) {
    step_actors(p, in, noise, s);
    EXPECT_EQ(s.consent[0], 1.0) << "month " << month;
  }
  in.push = &drop;  // the host falls to 0.3 < 0.4
  step_actors(p, in, noise, s);
  EXPECT_NEAR(s.consent[0], 0.9, kTol);
  in.push = &none;
  step_actors(p, in, noise, s);
  EXPECT_NEAR(s.consent[0], 0.81, kTol);
  step_actors(p, in, noise, s);
  EXPECT_NEAR(s.consent[0], 0.729, kTol);
  in.push = &rise;  // back to 0.5: C(t+1) = 1 as documented
  step_actors(p, in, noise, s);
  EXPECT_EQ(s.consent[0], 1.0);
}

TEST(Actors, ConsentHolderExactlyAtThresholdKeepsConsentAndAnyHolderBelowRemovesIt) {
  ActorParams p = still_actors(vec({0.4, 0.39}), vec({0, 0}));
  p.consent_threshold = 0.4;
  p.consent_decay = 0.25;
  const double noise[] = {0, 0};
  p.consent_holders = {0};
  ActorState s = initial_actors(p);
  step_actors(p, ActorInputs{}, noise, s);
  EXPECT_EQ(s.consent[0], 1.0);
  p.consent_holders = {0, 1};
  step_actors(p, ActorInputs{}, noise, s);
  EXPECT_NEAR(s.consent[0], 0.75, kTol);
}

// =============================================================================================
// Gender
// =============================================================================================

// Every parameter explicit: the tests must not depend on the header's defaults.
GenderParams gender_params() {
  GenderParams p;
  p.participation0 = 0.1;
  p.representation0 = 0.15;
  p.gbv0 = 0.4;
  p.inequality = 0.5;
  p.female_share_deaths = 0.4;
  p.female_share_displaced = 0.55;
  p.participation_reversion = 0.02;
  p.gbv_from_violence = 0.05;
  p.gbv_recovery = 0.02;
  return p;
}

TEST(Gender, InitialStateIsTheStartingValues) {
  GenderParams p = gender_params();
  p.participation0 = 0.12;
  p.representation0 = 0.2;
  p.gbv0 = 0.35;
  const GenderState s = initial_gender(p);
  EXPECT_EQ(s.participation, 0.12);
  EXPECT_EQ(s.representation, 0.2);
  EXPECT_EQ(s.gbv, 0.35);
}

TEST(Gender, StepMatchesHandComputation) {
  const GenderParams p = gender_params();  // wp0 0.1, reversion 0.02, gbv0 0.4, g_v 0.05, g_r 0.02
  GenderState s{0.3, 0.15, 0.5};
  GenderInputs in;
  in.participation_push = 0.01;
  in.representation_push = 0.02;
  in.gbv_push = -0.01;
  in.violence = 0.5;
  step_gender(p, in, s);
  EXPECT_NEAR(s.participation, 0.3 + 0.02 * (0.1 - 0.3) + 0.01, kTol);  // 0.306
  EXPECT_NEAR(s.representation, 0.17, kTol);
  EXPECT_NEAR(s.gbv, 0.5 + 0.05 * 0.5 - 0.02 * (0.5 - 0.4) - 0.01, kTol);  // 0.513
}

TEST(Gender, IndicatorsAreClippedToUnitInterval) {
  const GenderParams p = gender_params();
  GenderState up = initial_gender(p), down = initial_gender(p);
  step_gender(p, GenderInputs{2, 2, 2, 1}, up);
  step_gender(p, GenderInputs{-2, -2, -2, 0}, down);
  EXPECT_EQ(up.participation, 1.0);
  EXPECT_EQ(up.representation, 1.0);
  EXPECT_EQ(up.gbv, 1.0);
  EXPECT_EQ(down.participation, 0.0);
  EXPECT_EQ(down.representation, 0.0);
  EXPECT_EQ(down.gbv, 0.0);
}

TEST(Gender, ViolenceRaisesGbv) {
  const GenderParams p = gender_params();
  GenderState calm = initial_gender(p), violent = initial_gender(p);
  step_gender(p, GenderInputs{0, 0, 0, 0}, calm);
  step_gender(p, GenderInputs{0, 0, 0, 1}, violent);
  EXPECT_EQ(calm.gbv, p.gbv0);  // at gbv0 with no violence: no change
  EXPECT_NEAR(violent.gbv - calm.gbv, p.gbv_from_violence, kTol);
  // And GBV recovers toward gbv0 once violence stops.
  for (int month = 0; month < 12; ++month) step_gender(p, GenderInputs{}, violent);
  EXPECT_GT(violent.gbv, p.gbv0);
  EXPECT_LT(violent.gbv, p.gbv0 + p.gbv_from_violence);
}

TEST(Gender, FemaleShareOfDeathsFollowsGbvAndDisplacement) {
  GenderParams p = gender_params();  // f_d 0.4, gbv0 0.4
  p.death_share_per_gbv = 0.2;
  p.death_share_per_displaced = 0.5;
  GenderState s = initial_gender(p);
  EXPECT_NEAR(female_death_share(p, s, 0), 0.4, kTol);
  s.gbv = 0.6;
  EXPECT_NEAR(female_death_share(p, s, 0.1), 0.4 + 0.2 * 0.2 + 0.5 * 0.1, kTol);
  s.gbv = 1;
  EXPECT_EQ(female_death_share(p, s, 5), 1.0);  // a share
}

TEST(Gender, WomenAmongTheDisplacedAreAStock) {
  GenderParams p = gender_params();  // f_x 0.55
  p.displaced_share_at_war = 0.1;
  p.displaced_share_per_gbv = 0.2;
  GenderState s = initial_gender(p, 1000);
  EXPECT_NEAR(s.displaced_female, 550, kTol);
  // At war, 1,000 newly displaced are 65% female; 100 return in the stock's proportions.
  step_female_displaced(p, true, 1000, 100, 1000, 1900, s);
  EXPECT_NEAR(s.displaced_female, 550 + 650 - 100 * 0.55, kTol);
  s.gbv = p.gbv0 + 0.5;
  const double before = s.displaced_female;
  step_female_displaced(p, false, 100, 0, 1900, 2000, s);
  EXPECT_NEAR(s.displaced_female - before, 100 * (0.55 + 0.2 * 0.5), kTol);
  // Never more than the displaced.
  step_female_displaced(p, true, 0, 1999, 2000, 1, s);
  EXPECT_LE(s.displaced_female, 1.0);
}

TEST(Gender, ParticipationRevertsTowardItsStartingValue) {
  const GenderParams p = gender_params();  // wp0 0.1, reversion 0.02
  GenderState above{0.5, 0.15, 0.4}, below{0.0, 0.15, 0.4};
  for (int month = 0; month < 50; ++month) {
    step_gender(p, GenderInputs{}, above);
    step_gender(p, GenderInputs{}, below);
  }
  // The gap shrinks by a factor (1 - 0.02) per month.
  EXPECT_NEAR(above.participation, 0.1 + 0.4 * std::pow(0.98, 50), kTol);
  EXPECT_NEAR(below.participation, 0.1 - 0.1 * std::pow(0.98, 50), kTol);
  EXPECT_EQ(above.representation, 0.15);  // representation does not revert
}

// =============================================================================================
// Dynamics
// =============================================================================================

// Every parameter explicit: the tests must not depend on the header's defaults. Weights are 0.
DynamicsParams dynamics_params() {
  DynamicsParams p;
  p.base_risk = 0;
  p.structural_risk = 0;
  p.polarisation_weight = 0;
  p.spoiler_weight = 0;
  p.gbv_weight = 0;
  p.participation_weight = 0;
  p.inequality_weight = 0;
  p.war_trap = 0;
  p.duration_dependence = 0;
  p.troop_deterrence = 0;
  p.police_deterrence = 0;
  p.robust_multiplier = 1;
  p.persistence = 0.8;
  p.noise = 0.1;
  p.threshold_unstable = 0.25;
  p.threshold_crisis = 0.5;
  p.threshold_war = 0.75;
  p.battle_deaths_crisis = 20;
  p.battle_deaths_war = 250;
  p.battle_deaths_sigma = 0.8;
  p.civilian_ratio = 0.5;
  p.poc_effect = 0;
  p.troop_battle_effect = 0;
  p.displaced_per_death = 100;
  p.return_rate = 0.01;
  return p;
}

DynamicsParams jump_to(double y);

TEST(Dynamics, WarHistoryIsTheDiscountedSumOfPastWarMonths) {
  DynamicsParams p = dynamics_params();
  p.war_history_retention = std::pow(0.5, 1.0 / 120);  // half-life 10 years
  // By brute force: 8 years of war ended 18 months ago, after 3 earlier years.
  double sum = 0;
  for (int age = 18; age < 18 + 96 + 36; ++age) sum += std::pow(p.war_history_retention, age) / 12;
  EXPECT_NEAR(war_history(p, 8, 18, 3), sum, 1e-12);
  EXPECT_EQ(war_history(p, 0, 18, 0), 0.0);
  // More war, or more recent war, is more history.
  EXPECT_GT(war_history(p, 9, 18, 3), war_history(p, 8, 18, 3));
  EXPECT_GT(war_history(p, 8, 6, 3), war_history(p, 8, 18, 3));
  // Without discounting it is the years at war.
  p.war_history_retention = 1;
  EXPECT_NEAR(war_history(p, 8, 18, 3), 11, 1e-12);
}

TEST(Dynamics, InitialStateFromTheProfile) {
  DynamicsParams p = dynamics_params();
  p.war_history_retention = std::pow(0.5, 1.0 / 120);
  p.population = 1e6;
  Profile at_war;
  at_war.initial_regime = Regime::kWar;
  at_war.war_years = 2;
  at_war.initial_displaced = 5e6;  // more than the population: capped
  const DynamicsState w = initial_dynamics(p, at_war);
  EXPECT_EQ(w.war_months, 24);
  EXPECT_EQ(w.months_at_peace, 0);
  EXPECT_NEAR(w.war_history, war_history(p, 2, 0, 0), 1e-12);
  EXPECT_EQ(w.displaced, 1e6);
  Profile after;
  after.months_since_agreement = 18;
  after.war_years = 8;
  const DynamicsState a = initial_dynamics(p, after);
  EXPECT_EQ(a.war_months, 0);
  EXPECT_EQ(a.months_at_peace, 18);
  EXPECT_NEAR(a.war_history, war_history(p, 8, 18, 0), 1e-12);
}

TEST(Dynamics, StartIntensityKeepsTheRiskInsideTheRegimesBand) {
  const DynamicsParams p = dynamics_params();  // 0.25, 0.5, 0.75
  auto start = [&](Regime r, double risk0) {
    DynamicsState s = initial_dynamics(p, r, 0, 0);
    start_intensity(p, risk0, s);
    EXPECT_EQ(regime_of(p, s.intensity), r) << risk0;
    return s.intensity;
  };
  EXPECT_EQ(start(Regime::kUnstablePeace, 0.3), 0.3);
  EXPECT_EQ(start(Regime::kUnstablePeace, 0.1), 0.25);
  EXPECT_LT(start(Regime::kUnstablePeace, 0.9), 0.5);
  EXPECT_GT(start(Regime::kUnstablePeace, 0.9), 0.4999999);
  EXPECT_EQ(start(Regime::kStablePeace, -2.0), -2.0);
  EXPECT_EQ(start(Regime::kWar, 0.2), 0.75);
  EXPECT_EQ(start(Regime::kWar, 1.7), 1.7);
  EXPECT_EQ(start(Regime::kCrisis, 0.6), 0.6);
}

TEST(Dynamics, WarPersistsWearsOutAndLeavesHistory) {
  DynamicsParams p = dynamics_params();
  p.war_trap = 0.4;
  p.war_exhaustion = 0.1;
  p.war_history_weight = 0.05;
  DynamicsState s = initial_dynamics(p, Regime::kWar, 0, 0);
  s.war_months = 36;
  s.war_history = 2;
  // At war: + beta_war - beta_exh * years of the war so far + beta_h * h.
  EXPECT_NEAR(risk(p, s, RiskFactors{}), 0.4 - 0.1 * 3 + 0.05 * 2, kTol);
  s.regime = Regime::kUnstablePeace;
  s.war_months = 0;
  EXPECT_NEAR(risk(p, s, RiskFactors{}), 0.05 * 2, kTol);
}

TEST(Dynamics, AWarEndsOnlyBelowTheCrisisBandAndItsClockRunsThroughLulls) {
  DynamicsParams p = jump_to(0.6);  // y(t+1) = 0.6: crisis band
  p.war_history_retention = 0.5;
  DynamicsState s = initial_dynamics(p, Regime::kWar, 0, 0);
  s.war_months = 10;
  s.war_history = 1;
  MonthViolence out;
  step_dynamics(p, RiskFactors{}, Presence{}, 1.0, 0.0, 0.0, s, out);
  EXPECT_EQ(s.regime, Regime::kWar) << "hysteresis: a war goes on in the crisis band";
  EXPECT_EQ(s.war_months, 11);
  EXPECT_NEAR(s.war_history, 0.5 * 1 + 1.0 / 12, kTol);
  p.base_risk = 0.3;  // unstable peace: the war ends
  step_dynamics(p, RiskFactors{}, Presence{}, 1.0, 0.0, 0.0, s, out);
  EXPECT_EQ(s.regime, Regime::kUnstablePeace);
  EXPECT_EQ(s.war_months, 12) << "a lull of under 12 months is part of the war";
  for (int m = 0; m < 11; ++m) step_dynamics(p, RiskFactors{}, Presence{}, 1.0, 0.0, 0.0, s, out);
  EXPECT_EQ(s.months_at_peace, 12);
  EXPECT_EQ(s.war_months, 0) << "12 months without war end the episode";
  p.base_risk = 0.6;  // crisis is not war once the war has ended
  step_dynamics(p, RiskFactors{}, Presence{}, 1.0, 0.0, 0.0, s, out);
  EXPECT_EQ(s.regime, Regime::kCrisis);
}

TEST(Dynamics, NobodyDiesTwiceAndOnlyTheLivingFlee) {
  DynamicsParams p = jump_to(1.0);  // war
  p.battle_deaths_war = 1e6;
  p.battle_deaths_sigma = 0;
  p.civilian_ratio = 1;
  p.displaced_per_death = 1000;
  p.population = 3e6;
  DynamicsState s = initial_dynamics(p, Regime::kWar, 0, 0);
  MonthViolence out;
  for (int m = 0; m < 3; ++m) {
    step_dynamics(p, RiskFactors{}, Presence{}, 1.0, 0.0, 0.0, s, out);
    EXPECT_LE(s.deaths, p.population);
    EXPECT_LE(s.displaced, p.population - s.deaths);
  }
  EXPECT_NEAR(s.deaths, 3e6, 1e-6);
  EXPECT_EQ(s.displaced, 0.0);
  EXPECT_EQ(out.battle_deaths + out.civilian_deaths, 0.0);
}

TEST(Dynamics, BattleDeathsScaleWithThePopulation) {
  DynamicsParams p = jump_to(1.0);
  p.battle_deaths_sigma = 0;
  auto deaths = [&](double harm_scale) {
    p.harm_scale = harm_scale;
    DynamicsState s = initial_dynamics(p, Regime::kWar, 0, 0);
    MonthViolence out;
    step_dynamics(p, RiskFactors{}, Presence{}, 1.0, 0.0, 0.0, s, out);
    return out.battle_deaths;
  };
  EXPECT_NEAR(deaths(std::sqrt(10.0)) / deaths(1.0), std::sqrt(10.0), 1e-12);
}

TEST(Dynamics, OnlyARobustMandateCoercesSpoilers) {
  DynamicsParams p = dynamics_params();
  p.spoiler_coercion = 0.2;
  Presence presence;
  presence.troops = 15000;
  EXPECT_EQ(coercion(p, presence), 1.0);
  presence.robust = true;
  EXPECT_NEAR(coercion(p, presence), std::pow(16.0, -0.2), 1e-12);
  Presence more = presence;
  more.troops = 30000;
  EXPECT_LT(coercion(p, more), coercion(p, presence));
  p.spoiler_weight = 0.5;
  RiskFactors f;
  f.spoiler = 0.6;
  f.coercion = coercion(p, presence);
  const DynamicsState s = initial_dynamics(p, Regime::kUnstablePeace, 0, 0);
  EXPECT_NEAR(risk(p, s, f), 0.5 * 0.6 * std::pow(16.0, -0.2), kTol);
}

TEST(Dynamics, RegimeThresholdsAreInclusiveFromBelow) {
  const DynamicsParams p = dynamics_params();  // 0.25, 0.5, 0.75
  EXPECT_EQ(regime_of(p, -1.0), Regime::kStablePeace);
  EXPECT_EQ(regime_of(p, 0.2499), Regime::kStablePeace);
  EXPECT_EQ(regime_of(p, 0.25), Regime::kUnstablePeace);
  EXPECT_EQ(regime_of(p, 0.4999), Regime::kUnstablePeace);
  EXPECT_EQ(regime_of(p, 0.5), Regime::kCrisis);
  EXPECT_EQ(regime_of(p, 0.7499), Regime::kCrisis);
  EXPECT_EQ(regime_of(p, 0.75), Regime::kWar);
  EXPECT_EQ(regime_of(p, 3.0), Regime::kWar);
}

TEST(Dynamics, InitialIntensityIsTheMiddleOfTheRegimeBand) {
  DynamicsParams p = dynamics_params();
  p.threshold_unstable = 0.2;
  p.threshold_crisis = 0.6;
  p.threshold_war = 0.7;
  // Band width (crisis - unstable) = 0.4 is used below the first and above the last threshold.
  EXPECT_NEAR(initial_dynamics(p, Regime::kStablePeace, 0, 0).intensity, 0.0, kTol);
  EXPECT_NEAR(initial_dynamics(p, Regime::kUnstablePeace, 0, 0).intensity, 0.4, kTol);
  EXPECT_NEAR(initial_dynamics(p, Regime::kCrisis, 0, 0).intensity, 0.65, kTol);
  EXPECT_NEAR(initial_dynamics(p, Regime::kWar, 0, 0).intensity, 0.9, kTol);
  for (Regime r : {Regime::kStablePeace, Regime::kUnstablePeace, Regime::kCrisis, Regime::kWar})
    EXPECT_EQ(regime_of(p, initial_dynamics(p, r, 0, 0).intensity), r);
}

TEST(Dynamics, InitialStateKeepsMonthsAtPeaceExceptAtWar) {
  const DynamicsParams p = dynamics_params();
  const DynamicsState peace = initial_dynamics(p, Regime::kUnstablePeace, 24, 5000);
  EXPECT_EQ(peace.regime, Regime::kUnstablePeace);
  EXPECT_EQ(peace.months_at_peace, 24);
  EXPECT_EQ(peace.displaced, 5000);
  const DynamicsState war = initial_dynamics(p, Regime::kWar, 24, 5000);
  EXPECT_EQ(war.months_at_peace, 0);
  EXPECT_EQ(war.displaced, 5000);
}

DynamicsParams weighted_dynamics() {
  DynamicsParams p = dynamics_params();
  p.base_risk = 0.1;
  p.structural_risk = 0.2;
  p.polarisation_weight = 0.3;
  p.spoiler_weight = 0.4;
  p.gbv_weight = 0.5;
  p.participation_weight = 0.6;
  p.inequality_weight = 0.7;
  p.war_trap = 0.8;
  p.duration_dependence = 0.9;
  return p;
}

RiskFactors some_factors() {
  RiskFactors f;
  f.driver_risk = 0.05;
  f.polarisation = 0.5;
  f.spoiler = 0.25;
  f.gbv = 0.4;
  f.participation = 0.1;
  f.inequality = 0.5;
  f.deterrence = 0.3;
  f.push = 0.02;
  return f;
}

TEST(Dynamics, RiskSumsItsTerms) {
  const DynamicsParams p = weighted_dynamics();
  DynamicsState s = initial_dynamics(p, Regime::kUnstablePeace, 12, 0);
  // 0.1 + 0.2 + 0.05 + 0.3*0.5 + 0.4*0.25 + 0.5*0.4 - 0.6*0.1 + 0.7*0.5 - 0.9 ln(1 + 12/12)
  //   - 0.3 + 0.02 = 0.81 - 0.9 ln 2
  EXPECT_NEAR(risk(p, s, some_factors()), 0.81 - 0.9 * std::log(2.0), kTol);
  s.regime = Regime::kWar;  // the conflict trap
  EXPECT_NEAR(risk(p, s, some_factors()), 0.81 + 0.8 - 0.9 * std::log(2.0), kTol);
}

TEST(Dynamics, EachRiskFactorMovesRiskInItsDirection) {
  const DynamicsParams p = weighted_dynamics();
  const DynamicsState s = initial_dynamics(p, Regime::kUnstablePeace, 12, 0);
  const double base = risk(p, s, some_factors());
  const double h = 0.1;
  auto perturbed = [&](double RiskFactors::*field) {
    RiskFactors f = some_factors();
    f.*field += h;
    return risk(p, s, f) - base;
  };
  EXPECT_NEAR(perturbed(&RiskFactors::driver_risk), h, kTol);
  EXPECT_NEAR(perturbed(&RiskFactors::polarisation), 0.3 * h, kTol);
  EXPECT_NEAR(perturbed(&RiskFactors::spoiler), 0.4 * h, kTol);
  EXPECT_NEAR(perturbed(&RiskFactors::gbv), 0.5 * h, kTol);
  EXPECT_NEAR(perturbed(&RiskFactors::inequality), 0.7 * h, kTol);
  EXPECT_NEAR(perturbed(&RiskFactors::push), h, kTol);
  EXPECT_NEAR(perturbed(&RiskFactors::participation), -0.6 * h, kTol);
  EXPECT_NEAR(perturbed(&RiskFactors::deterrence), -h, kTol);
}

TEST(Dynamics, MonthsAtPeaceLowerRisk) {
  const DynamicsParams p = weighted_dynamics();
  double previous = 1e9;
  for (double months : {0.0, 1.0, 12.0, 60.0, 240.0}) {
    const double r = risk(p, initial_dynamics(p, Regime::kUnstablePeace, months, 0), some_factors());
    EXPECT_LT(r, previous) << months << " months";
    previous = r;
  }
}

TEST(Dynamics, DeterrenceWithAndWithoutRobustMandate) {
  DynamicsParams p = dynamics_params();
  p.troop_deterrence = 0.2;
  p.police_deterrence = 0.1;
  p.robust_multiplier = 1.5;
  Presence presence;
  EXPECT_EQ(deterrence(p, presence), 0.0);
  presence.troops = 1000;
  presence.police = 3000;
  // 0.2 ln 2 + 0.1 ln 4 = 0.4 ln 2
  EXPECT_NEAR(deterrence(p, presence), 0.4 * std::log(2.0), kTol);
  presence.robust = true;
  EXPECT_NEAR(deterrence(p, presence), 1.5 * 0.4 * std::log(2.0), kTol);
  presence.troops = 2000;  // more troops deter more
  EXPECT_GT(deterrence(p, presence), 1.5 * 0.4 * std::log(2.0));
}

TEST(Dynamics, PresenceEffectsAreTheTermsOfDeterrenceCoercionAndHarm) {
  DynamicsParams p = dynamics_params();
  p.troop_deterrence = 0.2;
  p.spoiler_coercion = 0.3;
  p.troop_battle_effect = 0.4;
  p.poc_effect = 0.5;
  Presence presence;
  presence.troops = 3000;
  presence.police = 1000;
  presence.robust = true;
  presence.protection_of_civilians = true;
  const PresenceEffects e = presence_effects(p, presence);
  EXPECT_EQ(e.deterrence, deterrence(p, presence));
  EXPECT_EQ(e.coercion, coercion(p, presence));
  EXPECT_NEAR(e.battle_reduction, 0.4 * std::log(4.0), kTol);
  EXPECT_NEAR(e.civilian_factor, std::pow(5.0, -0.5), kTol);  // capacity 4,000: (1 + 4)^-0.5
  presence.protection_of_civilians = false;
  EXPECT_EQ(presence_effects(p, presence).civilian_factor, 1.0);
  // A month stepped with the effects is the month stepped with the presence.
  DynamicsState a = initial_dynamics(p, Regime::kWar, 0, 1000), b = a;
  MonthViolence va, vb;
  step_dynamics(p, RiskFactors{}, presence, 1.0, 0.1, 0.7, a, va);
  step_dynamics(p, RiskFactors{}, presence_effects(p, presence), 1.0, 0.1, 0.7, b, vb);
  EXPECT_EQ(va.battle_deaths, vb.battle_deaths);
  EXPECT_EQ(va.civilian_deaths, vb.civilian_deaths);
  EXPECT_EQ(a.intensity, b.intensity);
}

TEST(Dynamics, TabledDurationTermIsTheComputedOne) {
  // volatile: the reference must be the library's logarithm at run time, not a constant folded by
  // the compiler.
  for (int m = 0; m < kWholeMonthsTabled + 5; ++m) {
    volatile double months = m;
    EXPECT_EQ(log_years_at_peace(months), std::log1p(months / 12.0)) << m;
  }
  for (double months : {0.5, 17.25, 1199.5, 5000.0, -0.0}) {
    volatile double v = months;
    EXPECT_EQ(log_years_at_peace(v), std::log1p(v / 12.0)) << months;
  }
}

TEST(Dynamics, StepUpdatesIntensityViolenceAndDisplacementByHand) {
  DynamicsParams p = dynamics_params();  // rho 0.8, sigma_y 0.1, all weights 0
  p.base_risk = 0.5;
  DynamicsState s = initial_dynamics(p, Regime::kUnstablePeace, 5, 1000);  // y = 0.375
  MonthViolence out;
  step_dynamics(p, RiskFactors{}, Presence{}, 1.0, 0.5, 0.0, s, out);
  // y = 0.8 * 0.375 + 0.2 * 0.5 + 0.1 * 0.5 = 0.45: unstable peace
  EXPECT_NEAR(s.intensity, 0.45, kTol);
  EXPECT_EQ(s.regime, Regime::kUnstablePeace);
  EXPECT_EQ(s.months_at_peace, 6);
  // Battle deaths: 0.05 * 20 = 1; civilians 0.5 * 1; displaced 100 * 1.5 times the share of the
  // living not yet displaced; returns 1% of 1000.
  EXPECT_NEAR(out.battle_deaths, 1.0, kTol);
  EXPECT_NEAR(out.civilian_deaths, 0.5, kTol);
  const double living = p.population - 1.5;
  EXPECT_NEAR(out.new_displaced, 150 * (1 - 1000 / living), 1e-9);
  EXPECT_NEAR(out.returned, 10, 1e-9);
  EXPECT_NEAR(s.displaced, 1000 + 150 * (1 - 1000 / living) - 10, 1e-9);
  EXPECT_NEAR(s.deaths, 1.5, kTol);
}

// Parameters whose next intensity equals base_risk exactly (no persistence, no noise).
DynamicsParams jump_to(double y) {
  DynamicsParams p = dynamics_params();
  p.persistence = 0;
  p.noise = 0;
  p.base_risk = y;
  return p;
}

TEST(Dynamics, WarBattleDeathsScaleWithArmedStrengthAndNoise) {
  const DynamicsParams p = jump_to(0.9);
  DynamicsState s = initial_dynamics(p, Regime::kCrisis, 7, 0);
  MonthViolence out;
  step_dynamics(p, RiskFactors{}, Presence{}, 2.0, 0.0, 1.0, s, out);
  EXPECT_EQ(s.regime, Regime::kWar);
  EXPECT_EQ(s.months_at_peace, 0);
  EXPECT_NEAR(out.battle_deaths, 250 * 2 * std::exp(0.8), 1e-9);
  // Armed strength is floored at 10% of the start.
  DynamicsState t = initial_dynamics(p, Regime::kCrisis, 7, 0);
  step_dynamics(p, RiskFactors{}, Presence{}, 0.0, 0.0, 0.0, t, out);
  EXPECT_NEAR(out.battle_deaths, 25, 1e-9);
}

TEST(Dynamics, NoBattleDeathsInStablePeace) {
  const DynamicsParams p = jump_to(0.1);
  DynamicsState s = initial_dynamics(p, Regime::kUnstablePeace, 0, 0);
  MonthViolence out;
  step_dynamics(p, RiskFactors{}, Presence{}, 5.0, 0.0, 3.0, s, out);
  EXPECT_EQ(s.regime, Regime::kStablePeace);
  EXPECT_EQ(out.battle_deaths, 0.0);
  EXPECT_EQ(out.civilian_deaths, 0.0);
  EXPECT_EQ(out.new_displaced, 0.0);
}

TEST(Dynamics, MoreTroopsMeanFewerBattleDeaths) {
  DynamicsParams p = jump_to(0.6);  // crisis
  p.troop_battle_effect = 0.5;
  double previous = 1e300;
  for (double troops : {0.0, 500.0, 1000.0, 5000.0, 20000.0}) {
    DynamicsState s = initial_dynamics(p, Regime::kCrisis, 0, 0);
    MonthViolence out;
    Presence presence;
    presence.troops = troops;
    step_dynamics(p, RiskFactors{}, presence, 1.0, 0.0, 0.0, s, out);
    EXPECT_LT(out.battle_deaths, previous) << troops << " troops";
    if (troops == 1000.0) {
      EXPECT_NEAR(out.battle_deaths, 20 * std::pow(2.0, -0.5), 1e-9);
    }
    previous = out.battle_deaths;
  }
}

MonthViolence violence_with(const DynamicsParams& p, const Presence& presence) {
  DynamicsState s = initial_dynamics(p, Regime::kWar, 0, 0);
  MonthViolence out;
  step_dynamics(p, RiskFactors{}, presence, 1.0, 0.0, 0.0, s, out);
  return out;
}

TEST(Dynamics, ProtectionOfCiviliansWithMoreCapacityMeansFewerCivilianDeaths) {
  DynamicsParams p = jump_to(0.9);  // war
  p.poc_effect = 0.5;
  Presence presence;
  presence.protection_of_civilians = true;
  presence.troops = 1000;
  presence.police = 2000;
  // Ratio 0.5 exp(-0.5 ln(1 + 3000/1000)) = 0.25.
  const MonthViolence some = violence_with(p, presence);
  EXPECT_NEAR(some.civilian_deaths / some.battle_deaths, 0.25, kTol);
  presence.troops = 5000;
  const MonthViolence more_troops = violence_with(p, presence);
  presence.police = 6000;
  const MonthViolence more_police = violence_with(p, presence);
  EXPECT_LT(more_troops.civilian_deaths, some.civilian_deaths);
  EXPECT_LT(more_police.civilian_deaths, more_troops.civilian_deaths);
}

TEST(Dynamics, WithoutProtectionMandateCapacityDoesNotChangeCivilianRatio) {
  DynamicsParams p = jump_to(0.9);
  p.poc_effect = 0.5;
  p.troop_battle_effect = 0.3;  // troops still reduce battle deaths
  for (double troops : {0.0, 1000.0, 10000.0})
    for (double police : {0.0, 3000.0}) {
      Presence presence;
      presence.troops = troops;
      presence.police = police;
      const MonthViolence out = violence_with(p, presence);
      EXPECT_NEAR(out.civilian_deaths / out.battle_deaths, p.civilian_ratio, kTol)
          << troops << " troops, " << police << " police";
    }
}

TEST(Dynamics, DisplacedReturnOnlyInPeace) {
  const double y_of[] = {0.1, 0.375, 0.6, 0.9};  // one intensity inside each regime's band
  for (int r = 0; r < kRegimeCount; ++r) {
    const DynamicsParams p = jump_to(y_of[r]);
    DynamicsState s = initial_dynamics(p, Regime::kUnstablePeace, 0, 1000);
    MonthViolence out;
    step_dynamics(p, RiskFactors{}, Presence{}, 1.0, 0.0, 0.0, s, out);
    ASSERT_EQ(static_cast<int>(s.regime), r);
    const bool peace = s.regime <= Regime::kUnstablePeace;
    EXPECT_NEAR(out.returned, peace ? 10.0 : 0.0, 1e-9) << "regime " << r;
    EXPECT_NEAR(s.displaced, 1000 + out.new_displaced - out.returned, 1e-9) << "regime " << r;
  }
}

// =============================================================================================
// Situation
// =============================================================================================

TEST(Situation, ReferenceProfileHasZeroLogOdds) { EXPECT_NEAR(structural_log_odds(Profile{}), 0.0, 1e-15); }

TEST(Situation, HandValuesOfSingleFactors) {
  // Changes relative to the reference profile (the default Profile), one factor at a time.
  const Profile ref;
  Profile poorer;
  poorer.gdp_per_capita_usd = ref.gdp_per_capita_usd / 2;  // -0.5 ln(1/2)
  EXPECT_NEAR(structural_log_odds(poorer), 0.5 * std::log(2.0), kTol);
  Profile sicker;
  sicker.infant_mortality_per_1000 = 2 * ref.infant_mortality_per_1000;  // 0.7 ln 2
  EXPECT_NEAR(structural_log_odds(sicker), 0.7 * std::log(2.0), kTol);
  Profile capable;
  capable.state_capacity = ref.state_capacity + 0.2;  // -1.0 per unit
  EXPECT_NEAR(structural_log_odds(capable), -0.2, kTol);
  ASSERT_EQ(ref.neighbours_at_war, 0);
  Profile neighbours;
  neighbours.neighbours_at_war = 2;  // 0.3 per neighbour at war
  EXPECT_NEAR(structural_log_odds(neighbours), 0.6, kTol);
  neighbours.neighbours_at_war = 10;  // counted up to 4
  EXPECT_NEAR(structural_log_odds(neighbours), 1.2, kTol);
}

TEST(Situation, HowTheLastWarEndedOrdersTheRisk) {
  // Fortna's ordering: government victory < rebel victory < settlement (the reference) < truce.
  Profile p;
  auto with = [&](WarEnding e) {
    p.war_ending = e;
    return structural_log_odds(p);
  };
  EXPECT_NEAR(with(WarEnding::kSettlement), 0.0, kTol);  // the reference profile (up to rounding)
  EXPECT_LT(with(WarEnding::kGovernmentVictory), with(WarEnding::kRebelVictory));
  EXPECT_LT(with(WarEnding::kRebelVictory), with(WarEnding::kSettlement));
  EXPECT_LT(with(WarEnding::kSettlement), with(WarEnding::kTruce));
  // A war that has not ended has no ending.
  p.initial_regime = Regime::kWar;
  EXPECT_NEAR(with(WarEnding::kTruce), 0.0, kTol);
  // The war's length is not a structural term (it is the war-history stock of the dynamics).
  p = Profile{};
  p.war_years = 20;
  EXPECT_NEAR(structural_log_odds(p), 0.0, kTol);
}

TEST(Situation, EachRiskFactorRaisesOrLowersLogOdds) {
  const double base = structural_log_odds(Profile{});
  const Profile ref;
  Profile p;
  p.gdp_per_capita_usd = 0.8 * ref.gdp_per_capita_usd;
  EXPECT_GT(structural_log_odds(p), base) << "poorer";
  p = Profile{};
  p.infant_mortality_per_1000 = 1.6 * ref.infant_mortality_per_1000;
  EXPECT_GT(structural_log_odds(p), base) << "higher infant mortality";
  p = Profile{};
  p.neighbours_at_war = ref.neighbours_at_war + 1;
  EXPECT_GT(structural_log_odds(p), base) << "a neighbour at war";
  p = Profile{};
  p.state_capacity = ref.state_capacity + 0.3;
  EXPECT_LT(structural_log_odds(p), base) << "more state capacity";
}

}  // namespace
}  // namespace peacesim::models
