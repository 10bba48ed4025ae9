// Value judgements (engine/weights.h): SMAA-2 rank acceptability and central weights, weight
// intervals over which the recommendation holds, and stakeholders' rankings, against a
// hand-computed three-option example and brute-force enumeration.
#include "engine/weights.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "engine/io/brief.h"
#include "engine/io/load.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "tests/unit/scenarios.h"

namespace peacesim {
namespace {

// Three options on two criteria: A = (1, 0), B = (0, 1), C = (0.6, 0.6). With weights (t, 1 - t):
// A scores t, B 1 - t and C 0.6, so C is best for t in [0.4, 0.6], A above and B below.
const std::vector<double> kValues = {1, 0, 0, 1, 0.6, 0.6};

TEST(Acceptability, HandComputedThreeOptionExample) {
  // t uniform on [0, 1], enumerated at the midpoints of 100,000 cells.
  AcceptabilityTally tally(3, 2);
  std::vector<double> scratch;
  const int n = 100000;
  for (int k = 0; k < n; ++k) {
    const double t = (k + 0.5) / n;
    tally.add(kValues.data(), {t, 1 - t}, scratch);
  }
  auto rank = [&](int o, int r) { return tally.rank[o * 3 + r] / tally.draws; };
  // A: first for t > 0.6, second for t in (0.5, 0.6), last below 0.5; B mirrors A.
  EXPECT_NEAR(rank(0, 0), 0.4, 1e-4);
  EXPECT_NEAR(rank(0, 1), 0.1, 1e-4);
  EXPECT_NEAR(rank(0, 2), 0.5, 1e-4);
  EXPECT_NEAR(rank(1, 0), 0.4, 1e-4);
  EXPECT_NEAR(rank(1, 1), 0.1, 1e-4);
  EXPECT_NEAR(rank(1, 2), 0.5, 1e-4);
  // C: first for t in (0.4, 0.6), otherwise second.
  EXPECT_NEAR(rank(2, 0), 0.2, 1e-4);
  EXPECT_NEAR(rank(2, 1), 0.8, 1e-4);
  EXPECT_NEAR(rank(2, 2), 0.0, 1e-12);
  // Central weights: the mean weights when first. A: t uniform on (0.6, 1): (0.8, 0.2).
  auto central = [&](int o, int c) { return tally.central[o * 2 + c] / tally.rank[o * 3]; };
  EXPECT_NEAR(central(0, 0), 0.8, 1e-4);
  EXPECT_NEAR(central(1, 0), 0.2, 1e-4);
  EXPECT_NEAR(central(2, 0), 0.5, 1e-4);
  EXPECT_NEAR(central(2, 1), 0.5, 1e-4);
}

TEST(Acceptability, TiesShareTheirRanks) {
  AcceptabilityTally tally(3, 1);
  std::vector<double> scratch;
  const std::vector<double> values = {0.5, 0.5, 0.2};
  tally.add(values.data(), {1.0}, scratch);
  EXPECT_EQ(tally.rank[0 * 3 + 0], 0.5);
  EXPECT_EQ(tally.rank[0 * 3 + 1], 0.5);
  EXPECT_EQ(tally.rank[1 * 3 + 0], 0.5);
  EXPECT_EQ(tally.rank[2 * 3 + 2], 1.0);
  EXPECT_EQ(tally.central[0], 0.5);  // half the weight of the draw each
}

// Brute force: the rank of every option by sorting, for many futures and a grid of weights.
TEST(Acceptability, AgreesWithBruteForceEnumerationOnAGrid) {
  constexpr int kOptions = 4, kCriteria = 3, kFutures = 50;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> values(kFutures * kOptions * kCriteria);
  for (double& v : values) v = std::round(u(rng) * 20) / 20;  // coarse, so that ties happen
  AcceptabilityTally tally(kOptions, kCriteria);
  std::vector<double> expected(kOptions * kOptions, 0.0), scratch;
  double draws = 0;
  const int grid = 20;
  for (int f = 0; f < kFutures; ++f)
    for (int a = 0; a <= grid; ++a)
      for (int b = 0; a + b <= grid; ++b) {
        const std::vector<double> w = {double(a) / grid, double(b) / grid, double(grid - a - b) / grid};
        const double* v = &values[f * kOptions * kCriteria];
        tally.add(v, w, scratch);
        std::vector<double> s(kOptions, 0.0);
        for (int o = 0; o < kOptions; ++o)
          for (int c = 0; c < kCriteria; ++c) s[o] += w[c] * v[o * kCriteria + c];
        // Sort; a group of tied options shares its ranks.
        std::vector<int> order(kOptions);
        for (int o = 0; o < kOptions; ++o) order[o] = o;
        std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return s[x] > s[y]; });
        for (int k = 0; k < kOptions;) {
          int end = k;
          while (end < kOptions && s[order[end]] == s[order[k]]) ++end;
          for (int j = k; j < end; ++j)
            for (int r = k; r < end; ++r) expected[order[j] * kOptions + r] += 1.0 / (end - k);
          k = end;
        }
        draws += 1;
      }
  ASSERT_EQ(tally.draws, draws);
  for (int k = 0; k < kOptions * kOptions; ++k) EXPECT_NEAR(tally.rank[k], expected[k], 1e-9) << k;
}

TEST(WeightStability, HandComputedIntervalAndWhoTakesOver) {
  // Mean values as in the three-option example; weights (0.5, 0.5): C is recommended (0.6).
  const std::vector<double> w = {0.5, 0.5};
  const Stability s = weight_stability(kValues, 2, w, 2, 0);
  EXPECT_NEAR(s.low, 0.4, 1e-12);
  EXPECT_NEAR(s.high, 0.6, 1e-12);
  EXPECT_EQ(s.below, 1);  // B
  EXPECT_EQ(s.above, 0);  // A
  const Stability t = weight_stability(kValues, 2, w, 2, 1);
  EXPECT_NEAR(t.low, 0.4, 1e-12);
  EXPECT_NEAR(t.high, 0.6, 1e-12);
  EXPECT_EQ(t.below, 0);
  EXPECT_EQ(t.above, 1);
}

TEST(WeightStability, AgreesWithAScanOfTheWeight) {
  constexpr int kOptions = 5, kCriteria = 4;
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> mean(kOptions * kCriteria), w(kCriteria);
    for (double& v : mean) v = u(rng);
    double total = 0;
    for (double& x : w) total += (x = u(rng));
    for (double& x : w) x /= total;
    const std::vector<double> s0 = expected_scores(mean, kCriteria, w);
    const int chosen = static_cast<int>(std::max_element(s0.begin(), s0.end()) - s0.begin());
    for (int c = 0; c < kCriteria; ++c) {
      const Stability st = weight_stability(mean, kCriteria, w, chosen, c);
      EXPECT_LE(st.low, w[c] + 1e-12);
      EXPECT_GE(st.high, w[c] - 1e-12);
      // Scan t: the chosen option is best exactly inside [low, high].
      for (int k = 0; k <= 1000; ++k) {
        const double t = k / 1000.0;
        std::vector<double> v(kCriteria);
        for (int j = 0; j < kCriteria; ++j) v[j] = j == c ? t : w[j] * (1 - t) / (1 - w[c]);
        const std::vector<double> s = expected_scores(mean, kCriteria, v);
        const bool best = std::all_of(s.begin(), s.end(), [&](double x) { return x <= s[chosen] + 1e-12; });
        if (t > st.low + 1e-9 && t < st.high - 1e-9) {
          EXPECT_TRUE(best) << "trial " << trial << " c " << c << " t " << t;
        }
        if (t < st.low - 1e-9 || t > st.high + 1e-9) {
          EXPECT_FALSE(best) << "trial " << trial << " c " << c << " t " << t;
        }
      }
    }
  }
}

TEST(ValueJudgements, ResultsCarryStakeholdersIntervalsAndAcceptability) {
  RunRequest q;
  q.runs = 600;
  q.seed = 4;
  q.threads = 2;
  const v1::Results r = run_scenario(tiny(), q);
  const v1::ValueJudgements& v = r.value_judgements();
  ASSERT_EQ(v.criteria_size(), 3);
  EXPECT_EQ(v.recommended_option_id(), r.ranking(0));
  ASSERT_EQ(v.stakeholders_size(), 2);
  ASSERT_EQ(v.stability_size(), 3);
  // The expected score at the scenario's weights equals each option's mean score (linearity).
  const std::vector<double> mean(v.mean_values().begin(), v.mean_values().end());
  const std::vector<double> w(v.weights().begin(), v.weights().end());
  const std::vector<double> s = expected_scores(mean, 3, w);
  for (int o = 0; o < r.options_size(); ++o) EXPECT_NEAR(s[o], r.options(o).overall().score().mean(), 1e-12);
  // Rank acceptability: each option's shares sum to 1, and so does each rank's.
  const auto& a = v.acceptability();
  EXPECT_EQ(a.draws(), 600 * kWeightDrawsPerFuture);
  for (int k = 0; k < r.options_size(); ++k) {
    double option = 0, rank = 0;
    for (int j = 0; j < r.options_size(); ++j) {
      option += a.options(k).rank(j);
      rank += a.options(j).rank(k);
    }
    EXPECT_NEAR(option, 1, 1e-12);
    EXPECT_NEAR(rank, 1, 1e-12);
  }
  // The same for any thread count, and reproducible.
  q.threads = 1;
  const v1::Results one = run_scenario(tiny(), q);
  EXPECT_EQ(one.value_judgements().SerializeAsString(), v.SerializeAsString());
}

TEST(ValueJudgements, TheBriefSaysWhatTheRecommendationRestsOn) {
  RunRequest q;
  q.runs = 400;
  q.seed = 4;
  v1::Results r = run_scenario(tiny(), q);
  add_strategy_brief(tiny(), r, v1::ROBUSTNESS_METRIC_EXPECTED, 2);
  const std::vector<io::BriefSection> sections = io::brief_sections(r);
  const auto it = std::find_if(sections.begin(), sections.end(),
                               [](const io::BriefSection& s) { return s.heading == "Value judgements"; });
  ASSERT_NE(it, sections.end());
  ASSERT_EQ(it->items.size(), 3u);  // one interval per criterion, named as planners name it
  EXPECT_EQ(it->items[2].rfind("Cost: weight 0.10, holds from ", 0), 0u) << it->items[2];
  std::string text;
  for (const auto& p : it->paragraphs) text += p + "\n";
  const v1::ValueJudgements& v = r.value_judgements();
  EXPECT_NE(text.find("Host government: " + v.stakeholders(0).option_ids(0)), std::string::npos) << text;
  EXPECT_NE(text.find("Donors: " + v.stakeholders(1).option_ids(0)), std::string::npos) << text;
  EXPECT_NE(text.find("rank acceptability"), std::string::npos);
  EXPECT_NE(text.find("conditional on the value judgements"), std::string::npos);
  // "Why" in outcome units, against no mission, with the figures of the table.
  const auto why =
      std::find_if(sections.begin(), sections.end(), [](const io::BriefSection& s) { return s.heading == "Why"; });
  ASSERT_NE(why, sections.end());
  std::string against;
  for (const auto& item : why->items)
    if (item.rfind("Against no_mission, in 100 futures: ", 0) == 0) against = item;
  ASSERT_FALSE(against.empty());
  auto overall = [&](const std::string& id) -> const v1::Evaluation& {
    for (const auto& o : r.options())
      if (o.option_id() == id) return o.overall();
    return v1::Evaluation::default_instance();
  };
  const double relapses =
      100 * (io::p_relapse(overall("no_mission")) - io::p_relapse(overall(r.brief().recommended_option())));
  EXPECT_NE(
      against.find(io::fmt("%.1f", std::fabs(relapses)) + (relapses >= 0 ? " fewer" : " more") + " relapses to war"),
      std::string::npos)
      << against;
}

TEST(ValueJudgements, FixedWeightsGiveNoAcceptability) {
  v1::Scenario s = tiny();
  s.clear_weight_sets();
  for (auto& c : *s.mutable_criteria()) c.clear_weight_range();
  RunRequest q;
  q.runs = 200;
  const v1::Results r = run_scenario(s, q);
  EXPECT_FALSE(r.value_judgements().has_acceptability());
  EXPECT_EQ(r.value_judgements().stability_size(), 3);
}

TEST(ValueJudgements, AResultsFileWhoseListsDisagreeIsALocatedInputError) {
  RunRequest q;
  q.runs = 100;
  v1::Results r = run_scenario(tiny(), q);
  r.mutable_value_judgements()->mutable_stakeholders(0)->mutable_scores()->RemoveLast();
  const std::string path = ::testing::TempDir() + "/bad_value_judgements.pb";
  io::write_results(r, path);
  try {
    io::read_results(path);
    FAIL() << "a stakeholder with fewer scores than options was read";
  } catch (const io::InputError& e) {
    ASSERT_FALSE(e.diagnostics().empty());
    EXPECT_EQ(e.diagnostics()[0].path, "value_judgements.stakeholders[0].scores");
  }
}

std::vector<std::string> validation_messages(const std::string& extra, bool cost_range = true) {
  std::string text = io::read_file(std::string(PEACESIM_SOURCE_DIR) + "/scenarios/examples/tiny.textproto") + extra;
  const std::string range = "weight_range { min: 0.05 max: 0.3 }";
  if (!cost_range) text.replace(text.find(range), range.size(), "");
  std::vector<std::string> out;
  for (const auto& d : io::validate(io::parse_scenario(text, "tiny.textproto", io::Format::kText)))
    out.push_back(d.path + ": " + d.message);
  return out;
}

TEST(ValueJudgements, WeightSetsAndRangesAreValidated) {
  auto has = [](const std::vector<std::string>& m, const std::string& fragment) {
    return std::any_of(m.begin(), m.end(), [&](const std::string& x) { return x.find(fragment) != std::string::npos; });
  };
  auto m = validation_messages("weight_sets { id: \"x\" weights { criterion: \"costs\" weight: 1 } }\n");
  EXPECT_TRUE(has(m, "weight_sets[2].weights[0].criterion: unknown criterion \"costs\"")) << m.size();
  EXPECT_TRUE(has(m, "Did you mean \"cost\"?"));
  m = validation_messages("weight_sets { id: \"y\" weights { criterion: \"cost\" weight: -1 } }\n");
  EXPECT_TRUE(has(m, "weight_sets[2].weights[0].weight: is -1, but must lie in [0, 1000000]"));
  m = validation_messages(
      "weight_sets { id: \"z\" weights { criterion: \"civilians\" weight: 0 } weights { criterion: \"relapse\" "
      "weight: 0 } weights { criterion: \"cost\" weight: 0 } }\n",
      false);
  EXPECT_TRUE(has(m, "weight_sets[2]: the weights of this set sum to 0"));
  m = validation_messages(
      "criteria { id: \"gbv\" metric: METRIC_GBV_MEAN direction: DIRECTION_MINIMISE worst: 1 best: 0 "
      "weight: 0.1 weight_range { min: 0.5 max: 0.2 } }\n");
  EXPECT_TRUE(has(m, "criteria[3].weight_range.max: is 0.2, but must lie in [min, 1000000] (min is 0.5)"));
  m = validation_messages("weight_sets { id: \"government\" }\n");
  EXPECT_TRUE(has(m, "duplicate weight set id \"government\""));
  EXPECT_TRUE(validation_messages("").empty());
}

}  // namespace
}  // namespace peacesim
