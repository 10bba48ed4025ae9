// Robustness metrics against hand-computed values on a small score matrix (McPhail et al. 2018).
//
// Scores (rows: realisations; columns: options A, B, C):
//   r0: 0.6 0.5 0.9    best 0.9
//   r1: 0.4 0.5 0.1    best 0.5
//   r2: 0.8 0.5 0.7    best 0.8
//   r3: 0.2 0.5 0.3    best 0.5
// A: mean 0.5, sd sqrt(0.2/3), min 0.2, max 0.8; type-7 p10 0.26, p25 0.35, p50 0.5, p75 0.65,
//    p90 0.74; regrets 0.3 0.1 0 0.3 (max 0.3, p90 0.3); shortfall below median (0.3+0.1)/4 = 0.1.
// B: 0.5 everywhere, sd 0; regrets 0.4 0 0.3 0 (max 0.4, p90 0.37); shortfall 0.
// C: mean 0.5, sd sqrt(0.4/3), min 0.1, max 0.9; p10 0.16, p25 0.25, p50 0.5, p75 0.75, p90 0.84;
//    regrets 0 0.4 0.1 0.2 (max 0.4, p90 0.34); shortfall (0.4+0.2)/4 = 0.15.
#include "engine/robustness.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace peacesim {
namespace {

std::vector<ScoreSummary> example() {
  Eigen::MatrixXd scores(4, 3);
  scores << 0.6, 0.5, 0.9,  //
      0.4, 0.5, 0.1,        //
      0.8, 0.5, 0.7,        //
      0.2, 0.5, 0.3;
  Eigen::MatrixXd ok(4, 3);
  ok << 1, 1, 1,  //
      0, 1, 0,    //
      1, 1, 1,    //
      0, 1, 0;
  return summarise(scores, ok);
}

double value(RobustnessMetric m, int option, double alpha = 0.5) { return robustness(example()[option], m, alpha); }

TEST(Robustness, SummariesMatchHandComputation) {
  const auto s = example();
  EXPECT_NEAR(s[0].sd, std::sqrt(0.2 / 3), 1e-12);
  EXPECT_NEAR(s[0].p10, 0.26, 1e-12);
  EXPECT_NEAR(s[0].p25, 0.35, 1e-12);
  EXPECT_NEAR(s[0].p75, 0.65, 1e-12);
  EXPECT_NEAR(s[0].p90, 0.74, 1e-12);
  EXPECT_NEAR(s[1].regret_p90, 0.37, 1e-12);
  EXPECT_NEAR(s[2].regret_p90, 0.34, 1e-12);
  EXPECT_NEAR(s[2].shortfall_below_median, 0.15, 1e-12);
  EXPECT_NEAR(s[0].satisficing, 0.5, 1e-12);
  EXPECT_NEAR(s[1].satisficing, 1.0, 1e-12);
}

TEST(Robustness, NoOptionsHaveNoSummaries) {
  EXPECT_TRUE(summarise(Eigen::MatrixXd(4, 0), Eigen::MatrixXd(4, 0)).empty());
}

TEST(Robustness, EachMetricMatchesItsDefinition) {
  using M = RobustnessMetric;
  EXPECT_NEAR(value(M::kExpected, 0), 0.5, 1e-12);
  EXPECT_NEAR(value(M::kMaximin, 2), 0.1, 1e-12);
  EXPECT_NEAR(value(M::kMaximax, 2), 0.9, 1e-12);
  EXPECT_NEAR(value(M::kHurwicz, 0, 0.75), 0.75 * 0.2 + 0.25 * 0.8, 1e-12);
  EXPECT_NEAR(value(M::kMinimaxRegret, 0), -0.3, 1e-12);
  EXPECT_NEAR(value(M::kPercentileRegret, 2), -0.34, 1e-12);
  EXPECT_NEAR(value(M::kMeanVariance, 0), 0.5 / std::sqrt(0.2 / 3), 1e-12);
  // No variance at all: the sd is floored at 1e-9, so the value is finite and still the largest.
  EXPECT_TRUE(std::isfinite(value(M::kMeanVariance, 1)));
  EXPECT_GT(value(M::kMeanVariance, 1), 1e6 * value(M::kMeanVariance, 0));
  EXPECT_NEAR(value(M::kUndesirableDeviations, 0), -0.1, 1e-12);
  EXPECT_NEAR(value(M::kPercentileSkew, 0), 0.0, 1e-12);
  EXPECT_NEAR(value(M::kPercentileKurtosis, 0), -(0.74 - 0.26) / (0.65 - 0.35), 1e-12);
  EXPECT_NEAR(value(M::kPercentileKurtosis, 2), -(0.84 - 0.16) / (0.75 - 0.25), 1e-12);
  EXPECT_NEAR(value(M::kStarrDomain, 2), 0.5, 1e-12);
}

TEST(Robustness, SkewRewardsUpside) {
  ScoreSummary s;
  s.p10 = 0.1;
  s.p50 = 0.2;
  s.p90 = 0.9;  // long upper tail
  EXPECT_NEAR(robustness(s, RobustnessMetric::kPercentileSkew, 0.5), (0.5 - 0.2) / 0.4, 1e-12);
}

TEST(Robustness, TheTopOptionDependsOnTheMetric) {
  const auto s = example();
  EXPECT_EQ(rank(s, RobustnessMetric::kMaximin, 0.5), (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(rank(s, RobustnessMetric::kMaximax, 0.5), (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(rank(s, RobustnessMetric::kMinimaxRegret, 0.5), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(rank(s, RobustnessMetric::kPercentileRegret, 0.5), (std::vector<int>{0, 2, 1}));
  EXPECT_EQ(rank(s, RobustnessMetric::kHurwicz, 0.75), (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(rank(s, RobustnessMetric::kUndesirableDeviations, 0.5), (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(rank(s, RobustnessMetric::kPercentileKurtosis, 0.5), (std::vector<int>{1, 2, 0}));
  EXPECT_EQ(rank(s, RobustnessMetric::kExpected, 0.5), (std::vector<int>{0, 1, 2}));  // a tie keeps the order
}

TEST(Robustness, NamesRoundTrip) {
  for (int k = 0; k < kRobustnessMetricCount; ++k) {
    const auto m = static_cast<RobustnessMetric>(k);
    RobustnessMetric back;
    ASSERT_TRUE(parse_metric(metric_name(m), back)) << metric_name(m);
    EXPECT_EQ(back, m);
  }
  RobustnessMetric unused;
  EXPECT_FALSE(parse_metric("best-guess", unused));
}

}  // namespace
}  // namespace peacesim
