// Engine properties: determinism across thread counts, common random numbers, sequencing and
// planning-scenario allocation, statistics, scoring, and a real protobuf round trip of results.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/compile.h"
#include "engine/future.h"
#include "engine/io/brief.h"
#include "engine/io/factor_names.h"
#include "engine/io/load.h"
#include "engine/io/results_io.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/realisation.h"
#include "engine/runner.h"
#include "engine/scoring.h"
#include "engine/stats.h"
#include "engine/world.h"
#include "tests/unit/scenarios.h"

namespace peacesim {
namespace {

std::string serialise(const v1::Results& r) { return io::deterministic_bytes(r); }

RunRequest request(std::int64_t runs, int threads, std::uint64_t seed = 11) {
  RunRequest q;
  q.runs = runs;
  q.threads = threads;
  q.seed = seed;
  return q;
}

TEST(Determinism, ResultsAreByteIdenticalForAnyThreadCount) {
  const v1::Scenario s = tiny();
  // 700 realisations: three blocks, the last one partial.
  const std::string one = serialise(run_scenario(s, request(700, 1)));
  EXPECT_EQ(one, serialise(run_scenario(s, request(700, 2))));
  EXPECT_EQ(one, serialise(run_scenario(s, request(700, 3))));
  EXPECT_EQ(one, serialise(run_scenario(s, request(700, 8))));
}

TEST(Determinism, DefaultScenarioIsByteIdenticalForOneAndTwoThreads) {
  io::LoadedScenario loaded = io::load_default_scenario();
  io::require_valid(loaded);
  EXPECT_EQ(serialise(run_scenario(loaded.scenario, request(600, 1, 7))),
            serialise(run_scenario(loaded.scenario, request(600, 2, 7))));
}

TEST(Determinism, ManyRealisationsPerThreadStayExactAndIdentical) {
  // Past 65,535 realisations a thread flushes its 16-bit fan-chart counts: the results must not
  // change with the thread count, and every fan histogram must count each realisation once.
  RunRequest q = request(70000, 1);
  q.horizon = 6;
  const v1::Results one = run_scenario(tiny(), q);
  q.threads = 2;
  EXPECT_EQ(serialise(one), serialise(run_scenario(tiny(), q)));
  // Every fan-chart histogram counts every realisation of its group exactly once.
  const Model m = compile(tiny());
  RunSettings settings;
  settings.runs = 70000;
  settings.horizon = 6;
  settings.threads = 2;
  const RunTotals totals = run(m, settings);
  for (int o = 0; o < totals.options; ++o)
    for (int g = 0; g < totals.groups; ++g)
      for (int ind = 0; ind < kIndicatorCount; ++ind)
        for (int p = 0; p < static_cast<int>(totals.fan_months.size()); ++p) {
          std::uint64_t n = 0;
          for (int b = 0; b < totals.trajectories.bins; ++b)
            n += totals.fan_hist[totals.trajectories.fan_count(o, g, ind, b, p)];
          ASSERT_EQ(n, static_cast<std::uint64_t>(totals.evaluation(o, g).score.n)) << o << " " << g << " " << ind;
        }
}

TEST(Determinism, AnotherSeedGivesOtherResults) {
  const v1::Scenario s = tiny();
  EXPECT_NE(serialise(run_scenario(s, request(300, 2, 1))), serialise(run_scenario(s, request(300, 2, 2))));
}

TEST(Determinism, RealisationDoesNotDependOnTheRunSize) {
  // Realisation i is the same future whatever the number of runs (Monte Carlo design).
  const Model m = compile(tiny());
  const Sampler a(m, 5, 100), b(m, 5, 100000);
  std::vector<double> ta, tb;
  for (std::int64_t i : {0, 1, 57, 99}) {
    ASSERT_EQ(a.planning_scenario(i), b.planning_scenario(i));
    a.draw(i, a.planning_scenario(i), ta);
    b.draw(i, b.planning_scenario(i), tb);
    EXPECT_EQ(ta, tb);
  }
}

// Adds to the scenario a copy of option `index` under a new id.
v1::Scenario with_copy_of_option(v1::Scenario s, int index) {
  v1::Option copy = s.options(index);
  copy.set_id(copy.id() + "_copy");
  copy.set_name(copy.name() + " (copy)");
  *s.add_options() = copy;
  return s;
}

TEST(CommonRandomNumbers, AnIdenticalOptionScoresIdenticallyInEveryRealisation) {
  const v1::Scenario s = with_copy_of_option(tiny(), 2);
  const Model m = compile(s);
  const int original = 2, copy = static_cast<int>(m.options.size()) - 1;
  const Sampler sampler(m, 3, 400);
  RealisationParams params;
  Noise noise;
  WorldScratch scratch;
  std::vector<double> theta;
  int differing_from_baseline = 0;
  for (std::int64_t i = 0; i < 400; ++i) {
    const int p = sampler.planning_scenario(i);
    sampler.draw(i, p, theta);
    build_realisation(m, theta, p, m.horizon, params);
    draw_noise(m, 3, i, m.horizon, noise);
    Outcome a, b, base;
    simulate(params, original, noise, scratch, a, nullptr);
    simulate(params, copy, noise, scratch, b, nullptr);
    simulate(params, 0, noise, scratch, base, nullptr);
    ASSERT_EQ(a.metrics, b.metrics) << "realisation " << i;
    ASSERT_EQ(score(m, a), score(m, b));
    if (score(m, a) != score(m, base)) ++differing_from_baseline;
  }
  EXPECT_GT(differing_from_baseline, 100);  // the options themselves do differ
}

TEST(CommonRandomNumbers, IdenticalOptionsShareTheBestShareAndHaveEqualStatistics) {
  const v1::Results r = run_scenario(with_copy_of_option(tiny(), 2), request(500, 2));
  const auto& a = r.options(2).overall();
  const auto& b = r.options(r.options_size() - 1).overall();
  EXPECT_EQ(a.score().mean(), b.score().mean());
  EXPECT_EQ(a.p_best(), b.p_best());
  EXPECT_EQ(a.regret().mean(), b.regret().mean());
  EXPECT_EQ(a.p_relapse_by_month_size(), b.p_relapse_by_month_size());
  double total = 0;
  for (const auto& o : r.options()) total += o.overall().p_best();
  EXPECT_NEAR(total, 1.0, 1e-12);  // ties are split, so P(best) sums to one
}

TEST(Results, ProbabilitiesLieInTheUnitIntervalAndCurvesAreMonotone) {
  const v1::Results r = run_scenario(tiny(), request(400, 2));
  for (const auto& o : r.options()) {
    for (const auto* e : {&o.overall()}) {
      EXPECT_GE(e->p_best(), 0);
      EXPECT_LE(e->p_best(), 1);
      EXPECT_GE(e->p_satisficing(), 0);
      EXPECT_LE(e->p_satisficing(), 1);
      EXPECT_GE(e->score().min(), 0);
      EXPECT_LE(e->score().max(), 1);
      EXPECT_GE(e->regret().min(), 0);
      double previous = 0;
      for (double p : e->p_relapse_by_month()) {
        EXPECT_GE(p, previous);
        EXPECT_LE(p, 1);
        previous = p;
      }
    }
    std::vector<const v1::Evaluation*> evaluations = {&o.overall()};
    for (const auto& e : o.by_planning_scenario()) evaluations.push_back(&e);
    for (const v1::Evaluation* e : evaluations) {
      EXPECT_EQ(e->fan_charts_size(), kIndicatorCount);
      EXPECT_EQ(e->regime_shares_size(), r.provenance().horizon_months() + 1);
      for (const auto& rs : e->regime_shares())
        EXPECT_NEAR(rs.stable_peace() + rs.unstable_peace() + rs.crisis() + rs.war(), 1.0, 1e-12);
      for (const auto& fan : e->fan_charts())
        for (int k = 0; k < fan.p05_size(); ++k) {
          EXPECT_LE(fan.p05(k), fan.p25(k));
          EXPECT_LE(fan.p25(k), fan.p50(k));
          EXPECT_LE(fan.p50(k), fan.p75(k));
          EXPECT_LE(fan.p75(k), fan.p95(k));
        }
    }
  }
  // Per planning scenario counts add up to the total.
  std::int64_t n = 0;
  for (const auto& ps : r.planning_scenarios()) n += ps.realisations();
  EXPECT_EQ(n, 400);
}

TEST(Results, EveryRobustnessMetricRanksEveryOption) {
  const v1::Results r = run_scenario(tiny(), request(300, 2));
  ASSERT_EQ(r.robustness_size(), 11);
  std::set<std::string> tops;
  for (const auto& k : r.robustness()) {
    EXPECT_NE(k.metric(), v1::ROBUSTNESS_METRIC_UNSPECIFIED);
    ASSERT_EQ(k.option_ids_size(), r.options_size());
    ASSERT_EQ(k.values_size(), r.options_size());
    EXPECT_EQ(std::set<std::string>(k.option_ids().begin(), k.option_ids().end()).size(), r.options().size());
    for (int i = 1; i < k.values_size(); ++i) EXPECT_GE(k.values(i - 1), k.values(i));  // most robust first
    tops.insert(k.option_ids(0));
  }
  EXPECT_EQ(r.top_option_depends_on_metric(), tops.size() > 1);
  EXPECT_EQ(r.robustness(0).option_ids(0), r.ranking(0));  // expected value = the default ranking
}

TEST(Results, BootstrapIntervalsAgreeWithTheNormalTheoryAndContainTheEstimates) {
  const v1::Results r = run_scenario(tiny(), request(3000, 2));
  for (int k = 0; k < r.ranking_size(); ++k) {
    for (const auto& o : r.options()) {
      if (o.option_id() != r.ranking(k)) continue;
      const auto& e = o.overall();
      const auto& b = e.bootstrap();
      ASSERT_EQ(b.replicates(), kBootstrapReplicates);
      // The bootstrap interval of the mean matches the normal-theory one within a quarter of its width.
      const double width = e.score().ci95_high() - e.score().ci95_low();
      EXPECT_NEAR(b.score_low(), e.score().ci95_low(), 0.25 * width) << o.option_id();
      EXPECT_NEAR(b.score_high(), e.score().ci95_high(), 0.25 * width) << o.option_id();
      EXPECT_LE(b.p_best_low(), e.p_best() + 1e-12);
      EXPECT_GE(b.p_best_high(), e.p_best() - 1e-12);
      EXPECT_LE(b.rank_low(), k + 1);
      EXPECT_GE(b.rank_high(), k + 1);
    }
  }
}

TEST(Results, BaselinePairedDifferenceOfTheBaselineIsZero) {
  const v1::Results r = run_scenario(tiny(), request(300, 2));
  for (const auto& o : r.options()) {
    if (o.option_id() != r.baseline_option()) continue;
    EXPECT_EQ(o.overall().vs_baseline().mean(), 0);
    EXPECT_EQ(o.overall().vs_baseline().sd(), 0);
  }
}

// A results file edited by hand (or by an attacker) is a located input error on reading, never a
// crash in a viewer: lists whose lengths disagree, a sample out of bounds, an invalid stored scenario.
TEST(Results, ReadingChecksEveryListAgainstWhatItRefersTo) {
  RunRequest q = request(300, 2);
  q.sample = 50;
  v1::Results good = run_scenario(tiny(), q);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("peacesim_crafted_" + std::to_string(::getpid()) + ".pb")).string();
  auto first_error = [&](const v1::Results& r) -> std::string {
    io::write_results(r, path);
    try {
      io::read_results(path);
    } catch (const io::InputError& e) {
      return e.diagnostics().empty() ? "?" : e.diagnostics()[0].path;
    }
    return "";
  };
  EXPECT_EQ(first_error(good), "");
  v1::Results r = good;
  r.mutable_options(0)->mutable_overall()->mutable_fan_charts(0)->mutable_p50()->RemoveLast();
  EXPECT_EQ(first_error(r), "options[0].overall.fan_charts[0].p50");
  r = good;
  r.mutable_options(1)->mutable_overall()->mutable_p_relapse_by_month()->Clear();
  EXPECT_EQ(first_error(r), "options[1].overall.p_relapse_by_month");
  r = good;
  r.mutable_sample()->set_rows(2000000000);
  EXPECT_EQ(first_error(r), "sample.rows");
  r = good;
  r.mutable_sample()->add_scores(0.5);
  EXPECT_EQ(first_error(r), "sample.scores");
  // The planning-scenario column holds category indices (discovery reads it as a category).
  const auto& inputs = good.sample().inputs();
  const int column = static_cast<int>(std::find(inputs.begin(), inputs.end(), "planning_scenario") - inputs.begin());
  ASSERT_LT(column, inputs.size());
  for (double bad : {-1.0, 0.5, static_cast<double>(good.sample().planning_scenarios_size())}) {
    r = good;
    r.mutable_sample()->set_values(3 * inputs.size() + column, bad);
    EXPECT_EQ(first_error(r), "sample.values") << bad;
  }
  // Every column holds finite numbers: a sampled quantity is never NaN or infinite.
  for (double bad : {std::nan(""), HUGE_VAL}) {
    r = good;
    r.mutable_sample()->set_values(3 * inputs.size() + (column == 0 ? 1 : 0), bad);
    EXPECT_EQ(first_error(r), "sample.values") << bad;
  }
  // A score is a number in [0, 1]: one outside would turn the analyses of the sample (sensitivity,
  // discovery) silently wrong.
  for (double bad : {std::nan(""), HUGE_VAL, 1.5, -0.5}) {
    r = good;
    r.mutable_sample()->set_scores(7, bad);
    EXPECT_EQ(first_error(r), "sample.scores[7]") << bad;
  }
  // The sample's planning scenarios are the results', in their order (discovery reads their count).
  ASSERT_GT(good.planning_scenarios_size(), 1);
  r = good;
  r.mutable_sample()->add_planning_scenarios("another");
  EXPECT_EQ(first_error(r), "sample.planning_scenarios");
  r = good;
  r.mutable_sample()->mutable_planning_scenarios()->SwapElements(0, good.planning_scenarios_size() - 1);
  EXPECT_EQ(first_error(r), "sample.planning_scenarios");
  r = good;
  for (int k = 0; k <= kMaxPlanningScenarios; ++k) r.add_planning_scenarios()->set_id("p" + std::to_string(k));
  EXPECT_EQ(first_error(r), "planning_scenarios");
  // Every floating-point number is finite (a run writes no other): the first that is not is named.
  r = good;
  r.mutable_options(0)->mutable_overall()->mutable_score()->set_mean(HUGE_VAL);
  EXPECT_EQ(first_error(r), "options[0].overall.score.mean");
  r = good;
  r.mutable_options(1)->mutable_overall()->mutable_fan_charts(2)->set_p50(3, std::nan(""));
  EXPECT_EQ(first_error(r), "options[1].overall.fan_charts[2].p50[3]");
  r = good;
  r.mutable_options(2)->mutable_overall()->set_p_best(-HUGE_VAL);
  EXPECT_EQ(first_error(r), "options[2].overall.p_best");
  // but for the open ends of a discovered box's intervals: lower -inf, upper +inf, and no other.
  r = good;
  r.mutable_failure_discovery()->set_option_id(good.ranking(0));
  v1::BoxRestriction* open = r.mutable_failure_discovery()->mutable_box()->add_restrictions();
  open->set_input("x");
  open->set_lower(-HUGE_VAL);
  open->set_upper(HUGE_VAL);
  EXPECT_EQ(first_error(r), "");
  open->set_lower(HUGE_VAL);
  EXPECT_EQ(first_error(r), "failure_discovery.box.restrictions[0].lower");
  open->set_lower(0);
  open->set_upper(std::nan(""));
  EXPECT_EQ(first_error(r), "failure_discovery.box.restrictions[0].upper");
  r = good;
  r.mutable_scenario()->mutable_activity_catalogue(0)->clear_kind();  // a catalogue entry with no kind
  EXPECT_EQ(first_error(r).rfind("scenario.activity_catalogue[0]", 0), 0u) << first_error(r);
  std::filesystem::remove(path);
}

// Each option's plan, which the synchronisation matrix and the brief draw, is held to what a valid
// scenario compiles to: a crafted plan is an input error naming the field, never a crash in a view.
// The first error reading `r` back from a file gives (none: an empty diagnostic).
io::Diagnostic first_read_error(const v1::Results& r, const std::string& name) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("peacesim_" + name + "_" + std::to_string(::getpid()) + ".pb"))
          .string();
  io::write_results(r, path);
  io::Diagnostic first;
  try {
    io::read_results(path);
  } catch (const io::InputError& e) {
    if (!e.diagnostics().empty()) first = e.diagnostics()[0];
  }
  std::filesystem::remove(path);
  return first;
}

TEST(Results, ReadingChecksTheSensitivityAndDiscoveryTheViewsIndex) {
  // Found by fuzzing the report: an output with fewer Sobol' indices than inputs, and a chosen box
  // outside the trajectory, were read into the views, which index one by the other.
  const v1::Results good = run_scenario(tiny(), request(300, 2));
  v1::Results r = good;
  r.mutable_sensitivity()->add_inputs("baseline_risk");
  r.mutable_sensitivity()->add_inputs("planning_scenario");
  r.mutable_sensitivity()->add_outputs()->add_indices();
  io::Diagnostic e = first_read_error(r, "sensitivity");
  EXPECT_EQ(e.path, "sensitivity.outputs[0].indices");
  EXPECT_EQ(e.message, "has 1 entries, but 2 are expected");
  r.mutable_sensitivity()->mutable_outputs(0)->add_indices();
  EXPECT_EQ(first_read_error(r, "sensitivity").path, "");
  r = good;
  v1::FailureDiscovery* d = r.mutable_failure_discovery();
  d->set_option_id(good.options(0).option_id());
  d->add_trajectory();
  d->add_trajectory();
  for (int chosen : {-1, 2}) {
    d->set_chosen(chosen);
    e = first_read_error(r, "discovery");
    EXPECT_EQ(e.path, "failure_discovery.chosen");
    EXPECT_EQ(e.message, "is " + std::to_string(chosen) + ", but must index the trajectory's 2 boxes");
  }
  d->set_chosen(1);
  EXPECT_EQ(first_read_error(r, "discovery").path, "");
}

TEST(Results, ReadingChecksEveryOptionsPlan) {
  const v1::Results good = run_scenario(tiny(), request(300, 2));
  ASSERT_TRUE(good.options(2).has_plan());
  ASSERT_EQ(good.options(2).plan().activities_size(), 3);  // small_pko: mediation, then DDR; gender/WPS
  auto first_error = [](const v1::Results& r) { return first_read_error(r, "plan"); };
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  auto plan = [](v1::Results& r) { return r.mutable_options(2)->mutable_plan(); };
  auto step = [&](v1::Results& r, int month, double troops) {
    v1::DrawdownStep* s = plan(r)->add_drawdown();
    s->set_month(month);
    s->set_troops(troops);
    return s;
  };
  const std::string at = "options[2].plan.";
  const std::vector<std::pair<std::string, std::function<void(v1::Results&)>>> edits = {
      {at + "troops", [&](v1::Results& r) { plan(r)->set_troops(-1); }},
      {at + "civilians", [&](v1::Results& r) { plan(r)->set_civilians(inf); }},
      {at + "deployment_months", [&](v1::Results& r) { plan(r)->set_deployment_months(nan); }},
      {at + "withdrawal_month", [&](v1::Results& r) { plan(r)->set_withdrawal_month(0); }},
      {at + "withdrawal_month", [&](v1::Results& r) { plan(r)->set_withdrawal_month(601); }},
      {at + "drawdown[0].month", [&](v1::Results& r) { step(r, -3, 0.5); }},
      {at + "drawdown[0].troops", [&](v1::Results& r) { step(r, 12, 1.5); }},
      {at + "drawdown[0].police", [&](v1::Results& r) { step(r, 12, 0.5)->set_police(nan); }},
      {at + "drawdown[1].month",
       [&](v1::Results& r) {
         step(r, 12, 0.5);
         step(r, 12, 0.2);
       }},
      {at + "activities[1].kind",
       [&](v1::Results& r) { plan(r)->mutable_activities(1)->set_kind(static_cast<v1::ActivityKind>(99)); }},
      {at + "activities[0].lead",
       [&](v1::Results& r) { plan(r)->mutable_activities(0)->set_lead(v1::COMPONENT_UNSPECIFIED); }},
      {at + "activities[1].start_month", [&](v1::Results& r) { plan(r)->mutable_activities(1)->set_start_month(601); }},
      {at + "activities[1].priority", [&](v1::Results& r) { plan(r)->mutable_activities(1)->set_priority(0); }},
      {at + "activities[1].scheduled_start_month",
       [&](v1::Results& r) { plan(r)->mutable_activities(1)->set_scheduled_start_month(-2); }},
      {at + "activities[1].scheduled_end_month",
       [&](v1::Results& r) { plan(r)->mutable_activities(1)->set_scheduled_end_month(2000000000); }},
      {at + "activities[0].intensity", [&](v1::Results& r) { plan(r)->mutable_activities(0)->set_intensity(0); }},
      {at + "activities[1].id", [&](v1::Results& r) { plan(r)->mutable_activities(1)->set_id("mediation"); }},
      {at + "activities[2].id", [&](v1::Results& r) { plan(r)->mutable_activities(2)->set_id("<b>wps</b>"); }},
      {at + "activities[1].after[0]", [&](v1::Results& r) { plan(r)->mutable_activities(1)->set_after(0, "nowhere"); }},
      {at + "activities[1].after[0]", [&](v1::Results& r) { plan(r)->mutable_activities(1)->set_after(0, "ddr"); }},
      {at + "activities",
       [&](v1::Results& r) {
         for (int k = 0; k < 62; ++k) *plan(r)->add_activities() = plan(r)->activities(2);
       }},
  };
  EXPECT_EQ(first_error(good).path, "");
  for (const auto& [field, edit] : edits) {
    v1::Results r = good;
    edit(r);
    const io::Diagnostic d = first_error(r);
    EXPECT_EQ(d.path, field) << d.message;
    EXPECT_FALSE(d.message.empty());
  }
  // Results written before plans were: read as they are (the views say what is missing).
  v1::Results old = good;
  for (auto& o : *old.mutable_options()) o.clear_plan();
  EXPECT_EQ(first_error(old).path, "");
}

// Every id in a results file follows the scenario's id rule (io::valid_id): an edited id is an
// input error naming the field, so no id can carry control characters or markup into a view.
TEST(Results, ReadingHoldsEveryIdToTheIdRule) {
  RunRequest q = request(300, 2);
  q.sample = 20;
  const v1::Results good = run_scenario(tiny(), q);
  auto first_error = [](const v1::Results& r) { return first_read_error(r, "ids"); };
  const std::string bad = "no\x1b[31mmission";
  const std::vector<std::pair<std::string, std::function<void(v1::Results&)>>> edits = {
      {"options[0].option_id", [&](v1::Results& r) { r.mutable_options(0)->set_option_id(bad); }},
      {"ranking[1]", [&](v1::Results& r) { r.set_ranking(1, bad); }},
      {"baseline_option", [&](v1::Results& r) { r.set_baseline_option(bad); }},
      {"criteria[2].id", [&](v1::Results& r) { r.mutable_criteria(2)->set_id(bad); }},
      {"planning_scenarios[1].id", [&](v1::Results& r) { r.mutable_planning_scenarios(1)->set_id(bad); }},
      {"robustness[3].option_ids[0]", [&](v1::Results& r) { r.mutable_robustness(3)->set_option_ids(0, bad); }},
      {"options[1].by_planning_scenario[0].planning_scenario_id",
       [&](v1::Results& r) { r.mutable_options(1)->mutable_by_planning_scenario(0)->set_planning_scenario_id(bad); }},
      {"sample.options[2]", [&](v1::Results& r) { r.mutable_sample()->set_options(2, bad); }},
      {"sample.planning_scenarios[0]",
       [&](v1::Results& r) { r.mutable_sample()->set_planning_scenarios(0, "most likely"); }},
      {"value_judgements.criteria[0]",
       [&](v1::Results& r) { r.mutable_value_judgements()->set_criteria(0, "civilian deaths"); }},
      {"value_judgements.stakeholders[1].id",
       [&](v1::Results& r) { r.mutable_value_judgements()->mutable_stakeholders(1)->set_id("<b>donors</b>"); }},
  };
  EXPECT_EQ(first_error(good).path, "");
  for (const auto& [field, edit] : edits) {
    v1::Results r = good;
    edit(r);
    const io::Diagnostic d = first_error(r);
    EXPECT_EQ(d.path, field);
    EXPECT_NE(d.message.find("may contain only letters, digits, '_' and '-'"), std::string::npos) << d.message;
    EXPECT_EQ(d.message.find('\x1b'), std::string::npos) << "control characters are shown as '?'";
  }
  v1::Results r = good;
  r.mutable_options(0)->set_option_id("");
  EXPECT_EQ(first_error(r).path, "options[0].option_id");
  EXPECT_NE(first_error(r).message.find("the id is empty"), std::string::npos) << first_error(r).message;
}

TEST(Results, ProtobufRoundTripThroughBinaryAndJsonFiles) {
  const v1::Results r = run_scenario(tiny(), request(300, 2));
  const auto dir = std::filesystem::temp_directory_path() / ("peacesim_roundtrip_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* name : {"r.pb", "r.json"}) {
    const std::string path = (dir / name).string();
    io::write_results(r, path);
    const v1::Results back = io::read_results(path);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(r, back)) << name;
  }
  std::filesystem::remove_all(dir);
}

v1::Scenario with_design(v1::SamplingDesign design) {
  v1::Scenario s = tiny();
  s.mutable_simulation()->set_design(design);
  return s;
}

TEST(Designs, PermutationIsABijection) {
  for (std::uint64_t n : {1u, 2u, 5u, 64u, 1000u}) {
    std::vector<int> hits(n, 0);
    for (std::uint64_t i = 0; i < n; ++i) hits[permute(i, n, 42, 3)] += 1;
    EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), static_cast<long>(n)) << n;
  }
}

// Checks that among the first n realisations every dimension has exactly one uniform in each
// interval [k/n, (k+1)/n).
void expect_one_per_stratum(const Model& m, const Sampler& sampler, std::int64_t n) {
  ASSERT_GT(m.dimensions, 3);
  std::vector<std::vector<int>> strata(m.dimensions, std::vector<int>(n, 0));
  std::vector<double> u;
  for (std::int64_t i = 0; i < n; ++i) {
    sampler.uniforms(i, u);
    for (int d = 0; d < m.dimensions; ++d) {
      ASSERT_GT(u[d], 0);
      ASSERT_LT(u[d], 1);
      strata[d][static_cast<int>(u[d] * static_cast<double>(n))] += 1;
    }
  }
  for (int d = 0; d < m.dimensions; ++d) EXPECT_EQ(std::count(strata[d].begin(), strata[d].end(), 1), n) << d;
}

TEST(Designs, LatinHypercubeHasOneRealisationPerStratumInEveryDimension) {
  const Model m = compile(with_design(v1::SAMPLING_DESIGN_LATIN_HYPERCUBE));
  expect_one_per_stratum(m, Sampler(m, 5, 200), 200);
}

TEST(Designs, ShiftedSobolPointsStratifyEveryDimension) {
  // The first 2^6 points of each one-dimensional projection of a shifted Sobol' sequence.
  const Model m = compile(with_design(v1::SAMPLING_DESIGN_SOBOL));
  expect_one_per_stratum(m, Sampler(m, 5, 64), 64);
}

TEST(Designs, EveryDesignIsDeterministicAcrossThreadCounts) {
  for (auto design : {v1::SAMPLING_DESIGN_LATIN_HYPERCUBE, v1::SAMPLING_DESIGN_SOBOL}) {
    const v1::Scenario s = with_design(design);
    EXPECT_EQ(serialise(run_scenario(s, request(600, 1))), serialise(run_scenario(s, request(600, 2)))) << design;
  }
}

TEST(UntilSettled, StopsAtACheckpointWithTheResultsOfAPlainRunOfThatSize) {
  RunRequest q = request(100000, 2);
  q.until_settled = true;
  const v1::Results settled = run_scenario(tiny(), q);
  ASSERT_TRUE(settled.settling().requested());
  ASSERT_TRUE(settled.settling().settled());
  const std::int64_t n = settled.settling().realisations();
  EXPECT_LT(n, 100000);
  EXPECT_EQ(n % (kSettleCheckBlocks * kBlockSize), 0);
  EXPECT_EQ(settled.provenance().realisations(), n);
  EXPECT_FALSE(settled.settling().rule().empty());
  // The same futures as a plain run of n realisations: identical results but for `settling`.
  v1::Results plain = run_scenario(tiny(), request(n, 1));
  v1::Results same = settled;
  same.clear_settling();
  EXPECT_EQ(serialise(same), serialise(plain));
  // And independent of the thread count: up to 4 blocks per thread are issued ahead, and those
  // past the one where the run settled are taken off again.
  for (int threads : {1, 9, 17, 25, 33, 41}) {
    q.threads = threads;
    EXPECT_EQ(serialise(run_scenario(tiny(), q)), serialise(settled)) << threads << " threads, settled at " << n;
  }
}

TEST(UntilSettled, TwoIdenticalOptionsNeverSettleAndRunToTheCap) {
  v1::Scenario s = tiny();
  v1::Option only = s.options(1);
  s.clear_options();
  *s.add_options() = only;
  s.mutable_simulation()->set_baseline_option(only.id());
  s = with_copy_of_option(s, 0);
  RunRequest q = request(5000, 2);
  q.until_settled = true;
  const v1::Results r = run_scenario(s, q);
  EXPECT_FALSE(r.settling().settled());
  EXPECT_EQ(r.settling().realisations(), 5000);
  EXPECT_EQ(r.provenance().realisations(), 5000);
}

TEST(UntilSettled, NeedsADesignThatCanGrow) {
  RunRequest q = request(5000, 1);
  q.until_settled = true;
  EXPECT_THROW(run_scenario(with_design(v1::SAMPLING_DESIGN_LATIN_HYPERCUBE), q), std::invalid_argument);
}

TEST(Sensitivity, ScenarioIndicesAreDeterministicAndFindTheDominantUncertainty) {
  SensitivityRequest q;
  q.base = 128;
  q.threads = 1;
  const SensitivityReport one = run_sensitivity(tiny(), q);
  q.threads = 2;
  const SensitivityReport two = run_sensitivity(tiny(), q);
  const Model m = compile(tiny());
  ASSERT_EQ(one.inputs.size(), static_cast<std::size_t>(m.dimensions + 2));  // + planning scenario and chance
  EXPECT_EQ(one.inputs.back(), "chance");
  ASSERT_EQ(one.outputs.size(), m.options.size() + 1);  // + the leading difference
  EXPECT_EQ(one.evaluations, 128 * static_cast<std::int64_t>(one.inputs.size() + 2));
  for (std::size_t o = 0; o < one.outputs.size(); ++o)
    for (std::size_t i = 0; i < one.inputs.size(); ++i) {
      EXPECT_EQ(one.indices[o][i].first, two.indices[o][i].first);
      EXPECT_EQ(one.indices[o][i].total, two.indices[o][i].total);
    }
  // Without a mission, of the uncertain quantities the baseline risk of relapse dominates the
  // score's variance; chance, each future's own noise, also carries a large share.
  std::size_t top = 0;
  for (std::size_t i = 1; i + 1 < one.inputs.size(); ++i)
    if (one.indices[0][i].total > one.indices[0][top].total) top = i;
  EXPECT_EQ(one.inputs[top], "dynamics.base_risk");
  EXPECT_GT(one.indices[0].back().total, 0.1) << "chance";
}

TEST(Discovery, ScenarioDiscoveryIsDeterministicAndNamesTheDrivingCondition) {
  DiscoveryRequest q;
  q.option = "no_mission";
  q.runs = 2000;
  q.replicates = 4;
  q.threads = 1;
  q.model_factors = true;  // the engine's baseline risk drives failures without a mission
  // After a settlement rather than the teaching scenario's truce: relapse is rare enough that the
  // box must concentrate the failures well above their base rate.
  v1::Scenario s = tiny();
  s.mutable_situation()->set_war_ending(v1::WAR_ENDING_NEGOTIATED_SETTLEMENT);
  const DiscoveryReport one = run_discovery(s, q);
  q.threads = 2;
  const DiscoveryReport two = run_discovery(s, q);
  ASSERT_EQ(one.trajectory.size(), two.trajectory.size());
  for (std::size_t k = 0; k < one.trajectory.size(); ++k) {
    EXPECT_EQ(one.trajectory[k].coverage, two.trajectory[k].coverage);
    EXPECT_EQ(one.trajectory[k].density, two.trajectory[k].density);
  }
  EXPECT_EQ(one.stability, two.stability);
  EXPECT_GT(one.failure_rate, 0.02);
  const PrimBox& box = one.box;
  for (const Restriction& r : box.restrictions) EXPECT_LE(r.quasi_p, 0.05);
  EXPECT_GT(box.density, 2 * one.failure_rate);  // the box concentrates the failures
  bool base_risk = false;
  for (const Restriction& r : box.restrictions)
    base_risk = base_risk || one.inputs[r.dimension] == "dynamics.base_risk";
  EXPECT_TRUE(base_risk) << "failures without a mission are driven by the baseline risk";
  q.option = "nope";
  EXPECT_THROW(run_discovery(tiny(), q), std::invalid_argument);
}

// Discovery of the teaching scenario's small PKO on 1,000 futures, run once for the tests below.
const DiscoveryReport& small_pko_discovery() {
  static const DiscoveryReport r = [] {
    DiscoveryRequest q;
    q.option = "small_pko";
    q.runs = 1000;
    q.replicates = 2;
    return run_discovery(tiny(), q);
  }();
  return r;
}

TEST(Discovery, ConditionsUseFactorsPlannersCanObserveOrDecideByDefault) {
  const DiscoveryReport& r = small_pko_discovery();
  EXPECT_GT(r.model_factors_left_out, 0);
  ASSERT_EQ(r.inputs.size(), r.factors.size());
  for (std::size_t k = 0; k < r.inputs.size(); ++k) {
    EXPECT_NE(r.factors[k].kind, FactorKind::kModel) << r.inputs[k];
    EXPECT_EQ(r.inputs[k].rfind("dynamics.", 0), std::string::npos) << r.inputs[k];
  }
  // Labels in planners' words: an actor's fighters, a driver's intensity.
  const std::map<std::string, std::string> names = factor_names(tiny());
  EXPECT_EQ(describe_factor("actors[armed_group].armed_strength", names).label, "Armed group: fighters");
  EXPECT_EQ(describe_factor("actors[armed_group].armed_strength", names).unit, "people");
  EXPECT_EQ(describe_factor("drivers[elite_fragmentation].initial", names).label, "Elite fragmentation: intensity now");
  EXPECT_EQ(describe_factor("options[*].resources.troops", names).kind, FactorKind::kPlanning);
  EXPECT_EQ(describe_factor("dynamics.base_risk", names).kind, FactorKind::kModel);
  EXPECT_EQ(describe_factor("planning_scenario", names).kind, FactorKind::kContext);
}

TEST(Discovery, ConditionsForInvolvementAreEventsOfTheFutures) {
  const DiscoveryReport& r = small_pko_discovery();
  const std::int64_t runs = 1000;
  // The teaching scenario has a consent holder and no regional state; the small PKO has troops and a
  // fixed budget.
  ASSERT_EQ(r.conditions.size(), 3u);
  EXPECT_EQ(r.conditions[0].name.rfind("Host consent holds", 0), 0u);
  EXPECT_EQ(r.conditions[1].name.rfind("Force generation on time", 0), 0u);
  EXPECT_EQ(r.conditions[2].name.rfind("Funding", 0), 0u);
  std::int64_t successes = 0;
  for (const auto& c : r.conditions) {
    EXPECT_EQ(c.holds + c.fails, runs) << c.name;
    EXPECT_LE(c.success_when_holds, c.holds);
    EXPECT_LE(c.success_when_fails, c.fails);
    if (successes == 0) successes = c.success_when_holds + c.success_when_fails;
    EXPECT_EQ(c.success_when_holds + c.success_when_fails, successes) << "every condition splits the same futures";
  }
  EXPECT_EQ(successes, std::llround((1 - r.failure_rate) * runs));
  EXPECT_EQ(r.conditions[2].fails, 0) << "a fixed budget is always funded";
  EXPECT_GT(r.conditions[1].holds, 0);
  EXPECT_GT(r.conditions[1].fails, 0) << "the deployment time is uncertain";
}

// A condition for involvement: the agreement holds with `probability`; where it does not, a large
// risk shock from month `month` and half the programme budget.
v1::Scenario with_condition(double probability) {
  v1::Scenario s = tiny();
  auto* c = s.add_conditions_for_involvement();
  c->set_id("agreement_holds");
  c->set_name("The agreement holds");
  c->set_probability(probability);
  c->mutable_month()->set_value(2);
  auto* shock = c->add_shocks();
  shock->set_duration_months(6);
  shock->set_risk(true);
  shock->mutable_delta()->set_value(0.3);
  c->set_budget_share(0.5);
  return s;
}

double score_of(const v1::Results& r, const std::string& option) {
  for (const auto& o : r.options())
    if (o.option_id() == option) return o.overall().score().mean();
  return NAN;
}

TEST(Conditions, AConditionThatAlwaysHoldsChangesNothing) {
  const v1::Results base = run_scenario(tiny(), request(400, 2));
  const v1::Results held = run_scenario(with_condition(1), request(400, 2));
  for (const auto& o : base.options()) EXPECT_EQ(score_of(held, o.option_id()), o.overall().score().mean());
  const v1::Results broken = run_scenario(with_condition(0), request(400, 2));
  for (const auto& o : base.options()) {
    if (o.option_id() != "no_mission") {
      EXPECT_LT(score_of(broken, o.option_id()), o.overall().score().mean()) << o.option_id();
    }
  }
}

TEST(Conditions, FuturesWhereItHoldsAreTheFuturesWithoutIt) {
  // The draw is a dimension of its own, appended: in the futures where the condition holds, every
  // other draw and so every option's score is the same as without the condition (common random
  // numbers); where it does not, the small PKO does worse or the same.
  RunRequest q = request(600, 2);
  q.sample = 600;
  const v1::Results base = run_scenario(tiny(), q), with = run_scenario(with_condition(0.5), q);
  const auto& a = base.sample();
  const auto& b = with.sample();
  ASSERT_EQ(a.options_size(), b.options_size());
  const int column = static_cast<int>(
      std::find(b.inputs().begin(), b.inputs().end(), "conditions_for_involvement[agreement_holds].holds") -
      b.inputs().begin());
  ASSERT_LT(column, b.inputs_size());
  int held = 0, broken = 0, worse = 0;
  for (int i = 0; i < b.rows(); ++i) {
    const bool holds = b.values(i * b.inputs_size() + column) == 1;
    (holds ? held : broken) += 1;
    for (int o = 0; o < b.options_size(); ++o) {
      const int k = i * b.options_size() + o;
      if (holds) {
        EXPECT_EQ(a.scores(k), b.scores(k)) << "row " << i;
      }
      if (!holds && b.options(o) == "small_pko") worse += b.scores(k) < a.scores(k);
    }
  }
  EXPECT_GT(held, 240);
  EXPECT_GT(broken, 240);
  EXPECT_GT(worse, broken / 2);
}

TEST(Conditions, TheBriefReportsThemAndDiscoveryReadsThemAsCategories) {
  DiscoveryRequest q;
  q.option = "small_pko";
  q.runs = 1500;
  q.replicates = 2;
  const DiscoveryReport r = run_discovery(with_condition(0.6), q);
  const auto declared = std::find_if(r.conditions.begin(), r.conditions.end(),
                                     [](const auto& c) { return c.name == "The agreement holds (declared)"; });
  ASSERT_NE(declared, r.conditions.end());
  EXPECT_EQ(declared->holds + declared->fails, 1500);
  EXPECT_NEAR(static_cast<double>(declared->holds) / 1500, 0.6, 0.05);
  const double when_holds = static_cast<double>(declared->success_when_holds) / declared->holds;
  const double when_not = static_cast<double>(declared->success_when_fails) / declared->fails;
  EXPECT_GT(when_holds, when_not + 0.1) << "a risk shock of 0.3 for six months breaks the peace more often";
  // The failures concentrate where the agreement does not hold: a restriction to that category.
  bool named = false;
  for (const Restriction& x : r.box.restrictions)
    if (r.inputs[x.dimension] == "conditions_for_involvement[agreement_holds].holds") {
      EXPECT_EQ(x.categories, std::vector<int>{0});
      EXPECT_EQ(io::describe_restriction(r, x), "\"The agreement holds\" is not met");
      named = true;
    }
  EXPECT_TRUE(named);
}

TEST(Future, AFutureIsTheSameWhateverWasDrawnBefore) {
  // The kernel keeps its noise between draws of the same realisation; what it gives must not
  // depend on the futures drawn before (the order of a parallel loop's work).
  const Model m = compile(tiny());
  const Sampler sampler(m, 11, 100);
  Outcome outcome;
  auto metrics_of = [&](Future& f, int option) {
    f.simulate(option, outcome);
    return std::vector<double>(outcome.metrics.begin(), outcome.metrics.end());
  };
  Future fresh(m, 24, 11);
  fresh.draw(sampler, 5);
  const auto expected = metrics_of(fresh, 1);
  Future used(m, 24, 11);
  std::vector<double> u(m.dimensions + (m.planning_scenarios.size() > 1 ? 1 : 0), 0.3);
  used.draw(sampler, 3);
  metrics_of(used, 0);
  used.draw(u, 5);  // another future with realisation 5's noise
  metrics_of(used, 1);
  used.draw(u, 7);
  used.draw(sampler, 5);
  EXPECT_EQ(metrics_of(used, 1), expected);
  EXPECT_EQ(used.planning_scenario(), sampler.planning_scenario(5));
  // A row of uniforms drawn with a realisation's noise: the same outcome however it was reached.
  Future row(m, 24, 11);
  row.draw(u, 7);
  const auto from_row = metrics_of(row, 2);
  used.draw(u, 7);
  EXPECT_EQ(metrics_of(used, 2), from_row);
}

TEST(Discovery, FromTheResultsSampleEqualsDiscoveryFromTheScenario) {
  RunRequest q = request(3000, 2);
  q.sample = 1500;
  const v1::Results r = run_scenario(tiny(), q);
  ASSERT_EQ(r.sample().rows(), 1500);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("peacesim_sample_" + std::to_string(::getpid()) + ".pb")).string();
  io::write_results(r, path);  // and through a real file
  const DiscoveryReport from_results = discover_in_results(io::read_results(path), "no_mission", std::nullopt, 4);
  std::filesystem::remove(path);
  DiscoveryRequest d;
  d.option = "no_mission";
  d.runs = 1500;
  d.seed = 11;
  d.replicates = 4;
  const DiscoveryReport from_scenario = run_discovery(tiny(), d);
  EXPECT_EQ(from_results.failure_rate, from_scenario.failure_rate);
  ASSERT_EQ(from_results.trajectory.size(), from_scenario.trajectory.size());
  EXPECT_EQ(from_results.box.coverage, from_scenario.box.coverage);
  EXPECT_EQ(from_results.stability, from_scenario.stability);
  v1::Results without = run_scenario(tiny(), request(300, 2));
  EXPECT_THROW(discover_in_results(without, "no_mission", std::nullopt), std::invalid_argument);
}

TEST(Brief, TheStrategyBriefCoversTheLevelTwoProduct) {
  v1::Results r = run_scenario(tiny(), request(1000, 2));
  v1::Results by_regret = r;
  add_strategy_brief(tiny(), r, v1::ROBUSTNESS_METRIC_EXPECTED, 2);
  const v1::StrategyBrief& b = r.brief();
  EXPECT_EQ(b.recommended_option(), r.ranking(0));
  EXPECT_NE(b.role(), v1::UN_ROLE_UNSPECIFIED);
  EXPECT_GE(b.why_size(), 4);
  EXPECT_FALSE(b.runner_up().empty());
  EXPECT_NE(b.runner_up(), b.recommended_option());
  EXPECT_GE(b.runner_up_preferred_when_size(), 1);
  // Key sensitivities: the five largest, each a finding with an interval within +-0.05 inside
  // [0, 1], or gathered in one "not resolved" item; computed on the pair the brief names.
  EXPECT_GE(b.key_sensitivities_size(), 1);
  EXPECT_LE(b.key_sensitivities_size(), 5);
  for (const auto& k : b.key_sensitivities())
    EXPECT_TRUE(k.find(": total index ") != std::string::npos || k.rfind("Not resolved at 128 base points", 0) == 0)
        << k;
  EXPECT_EQ(r.sensitivity().outputs(r.sensitivity().outputs_size() - 1).output(),
            b.recommended_option() + " - " + b.runner_up());
  ASSERT_GE(b.involvement_conditions_size(), 1);
  EXPECT_EQ(b.involvement_conditions(0).rfind("Host consent holds", 0), 0u) << b.involvement_conditions(0);
  EXPECT_GT(b.cost_usd_mean(), 0.0);
  // The analyses behind it are stored for the report: the scenario as run, the Sobol' indices
  // (each option and the top-two difference) and the recommended option's failure boxes.
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(r.scenario(), tiny()));
  const v1::SensitivityResult& sens = r.sensitivity();
  EXPECT_EQ(sens.outputs_size(), r.options_size() + 1);
  for (const auto& out : sens.outputs()) {
    ASSERT_EQ(out.indices_size(), sens.inputs_size());
    for (const auto& x : out.indices()) {
      EXPECT_LE(x.first_low(), x.first_high());
      EXPECT_LE(x.total_low(), x.total_high());
    }
  }
  const v1::FailureDiscovery& fd = r.failure_discovery();
  EXPECT_EQ(fd.option_id(), b.recommended_option());
  ASSERT_GT(fd.trajectory_size(), 1);
  ASSERT_LT(fd.chosen(), fd.trajectory_size());
  EXPECT_EQ(fd.trajectory(0).mass(), 1.0);
  EXPECT_EQ(fd.trajectory(0).coverage(), 1.0);
  for (const auto& x : fd.box().restrictions()) {
    EXPECT_LT(x.lower(), x.upper());
    EXPECT_LE(x.quasi_p(), 0.05);
    EXPECT_FALSE(x.description().empty());
  }
  // The recommended option is the first by the chosen metric.
  add_strategy_brief(tiny(), by_regret, v1::ROBUSTNESS_METRIC_MINIMAX_REGRET, 2);
  for (const auto& k : r.robustness()) {
    if (k.metric() == v1::ROBUSTNESS_METRIC_MINIMAX_REGRET) {
      EXPECT_EQ(by_regret.brief().recommended_option(), k.option_ids(0));
    }
  }
}

TEST(PlanningScenarios, AllocationIsStratifiedByWeight) {
  v1::Scenario s = tiny();
  ASSERT_GE(s.planning_scenarios_size(), 2);
  s.mutable_planning_scenarios(0)->set_weight(3);
  s.mutable_planning_scenarios(1)->set_weight(1);
  const Model m = compile(s);
  const Sampler sampler(m, 9, 1000);
  for (std::int64_t n : {40, 400, 4000}) {
    std::int64_t first = 0;
    for (std::int64_t i = 0; i < n; ++i) first += sampler.planning_scenario(i) == 0;
    // A low-discrepancy sequence: within a few realisations of the exact share at every size.
    EXPECT_NEAR(static_cast<double>(first), 0.75 * static_cast<double>(n), 3.0) << n;
  }
}

TEST(Sequencing, AnActivityNeverStartsBeforeItsPredecessorEndsEvenWhenDelayed) {
  v1::Scenario s = tiny();
  // Find an activity with `after` and delay its predecessor's kind in the first planning scenario.
  int option = -1, activity = -1;
  for (int o = 0; o < s.options_size() && option < 0; ++o)
    for (int a = 0; a < s.options(o).activities_size(); ++a)
      if (s.options(o).activities(a).after_size() > 0) {
        option = o;
        activity = a;
        break;
      }
  ASSERT_GE(option, 0) << "tiny.textproto should sequence one activity after another";
  const std::string pred_id = s.options(option).activities(activity).after(0);
  int pred = -1;
  for (int a = 0; a < s.options(option).activities_size(); ++a)
    if (s.options(option).activities(a).id() == pred_id) pred = a;
  ASSERT_GE(pred, 0);
  auto* ps = s.mutable_planning_scenarios(0);
  ps->clear_delays();
  auto* delay = ps->add_delays();
  delay->set_kind(s.options(option).activities(pred).kind());
  delay->mutable_months()->set_value(7);
  const Model m = compile(s);
  std::vector<double> theta;
  const Sampler sampler(m, 1, 10);
  RealisationParams with_delay, without;
  sampler.draw(0, 0, theta);
  build_realisation(m, theta, 0, m.horizon, with_delay);
  build_realisation(m, theta, 1, m.horizon, without);
  auto find = [&](const RealisationParams& r, const v1::Activity& a) {
    for (const auto& x : r.options[option].activities)
      if (static_cast<int>(x.kind) == a.kind() - 1) return x;
    return ScheduledActivity{};
  };
  const auto& spec_pred = s.options(option).activities(pred);
  const auto& spec_succ = s.options(option).activities(activity);
  const ScheduledActivity p1 = find(with_delay, spec_pred), s1 = find(with_delay, spec_succ);
  const ScheduledActivity p0 = find(without, spec_pred);
  EXPECT_EQ(p1.start, p0.start + 7);
  EXPECT_GE(s1.start, p1.end);
}

TEST(Stats, MergedMomentsEqualMomentsOfTheWhole) {
  std::mt19937_64 gen(1);
  std::normal_distribution<double> normal(3, 2);
  Moments whole, a, b;
  for (int i = 0; i < 1000; ++i) {
    const double x = normal(gen);
    whole.add(x);
    (i < 300 ? a : b).add(x);
  }
  a.merge(b);
  EXPECT_EQ(a.n, whole.n);
  EXPECT_NEAR(a.mean, whole.mean, 1e-12);
  EXPECT_NEAR(a.variance(), whole.variance(), 1e-10);
  EXPECT_EQ(a.min, whole.min);
  EXPECT_EQ(a.max, whole.max);
}

TEST(Stats, PercentilesInOnePassAreEachPercentileOfTheCountsTheyStepOver) {
  // By definition: the first bin whose running count reaches p x total, interpolated in it.
  auto reference = [](const Scale& scale, const std::vector<std::uint32_t>& c, double p, double min, double max) {
    std::uint64_t total = 0;
    for (std::uint32_t x : c) total += x;
    if (total == 0) return 0.0;
    double run = 0;
    for (int b = 0; b < scale.size(); ++b) {
      if (c[b] > 0 && run + c[b] >= p * static_cast<double>(total)) {
        const double f = (p * static_cast<double>(total) - run) / c[b];
        return std::clamp(scale.lower(b) + f * (scale.upper(b) - scale.lower(b)), min, max);
      }
      run += c[b];
    }
    return max;
  };
  // Histograms interleaved three to a row (stride 3): empty, sparse, dense, and twenty bins of one
  // each, where the quartiles' ranks fall exactly on a bin's running count.
  const Scale log = Scale::log(1e-1, 1e8, 20);
  std::mt19937 rng(5);
  for (const int filled : {0, 1, 3, 40, log.size(), -20}) {
    std::vector<std::uint32_t> alone(log.size(), 0);
    std::uniform_int_distribution<int> bin(0, log.size() - 1), count(1, 9);
    for (int k = 0; k < filled; ++k) alone[bin(rng)] += count(rng);
    for (int k = 0; k < -filled; ++k) alone[10 + 3 * k] = 1;
    std::vector<std::uint32_t> rows(static_cast<std::size_t>(log.size()) * 3, 7);
    for (int b = 0; b < log.size(); ++b) rows[static_cast<std::size_t>(b) * 3 + 1] = alone[b];
    const std::vector<double> ps = {0.05, 0.25, 0.5, 0.5, 0.75, 0.95, 0.999};
    std::vector<double> out(ps.size(), -1);
    percentiles(log, rows.data() + 1, ps, 2.0, 5e6, out.data(), 3);
    for (std::size_t k = 0; k < ps.size(); ++k) {
      EXPECT_EQ(out[k], reference(log, alone, ps[k], 2.0, 5e6)) << filled << " filled, p " << ps[k];
      EXPECT_EQ(percentile(log, alone.data(), ps[k], 2.0, 5e6), out[k]);
    }
  }
}

TEST(Stats, HistogramPercentilesAreWithinOneBin) {
  const Scale lin = Scale::linear(0, 1, 1000);
  std::vector<std::uint32_t> counts(lin.size(), 0);
  for (int i = 0; i < 10000; ++i) counts[lin.bin((i + 0.5) / 10000.0)] += 1;
  for (double p : {0.05, 0.25, 0.5, 0.9}) EXPECT_NEAR(percentile(lin, counts.data(), p, 0, 1), p, 1e-3) << p;
  const Scale log = Scale::log(1e-3, 1e13, 100);
  std::vector<std::uint32_t> lc(log.size(), 0);
  for (int i = 1; i <= 1000; ++i) lc[log.bin(i)] += 1;  // 1..1000
  EXPECT_NEAR(percentile(log, lc.data(), 0.5, 1, 1000), 500, 500 * 0.024);
  EXPECT_EQ(log.bin(0.0), 0);
  EXPECT_EQ(log.bin(-1.0), 0);
  EXPECT_EQ(log.bin(1e-9), 1);
  EXPECT_EQ(log.bin(1e20), log.size() - 1);
  // Far beyond the range (where the bin's offset exceeds an int) and infinite: the overflow bin.
  for (double x : {1e12, 1e300, HUGE_VAL}) EXPECT_EQ(lin.bin(x), lin.size() - 1) << x;
  for (double x : {1e300, HUGE_VAL}) EXPECT_EQ(log.bin(x), log.size() - 1) << x;
  EXPECT_EQ(lin.bin(NAN), 0);
  EXPECT_EQ(log.bin(NAN), 0);
}

// A log scale's bin by its definition, as docs/model.md states it: 0 for x <= 0, 1 below the
// range, then floor((log10 x - log10 lo) per_decade) + 2, then the overflow bin.
int log_bin_by_definition(double x, double lo, double hi, int per_decade) {
  if (!(x > 0)) return 0;
  const double l = std::log10(x), l0 = std::log10(lo);
  const int bins = static_cast<int>(std::ceil((std::log10(hi) - l0) * per_decade));
  if (l < l0) return 1;
  const double offset = (l - l0) * per_decade;
  if (offset >= bins) return bins + 2;
  return static_cast<int>(offset) + 2;
}

TEST(Stats, LogBinsByLookupAreTheLogarithmsBins) {
  // The scales of the run's tallies and two more; values at random over 20 decades, and the few
  // doubles on either side of every nominal bin edge.
  struct Case {
    double lo, hi;
    int per_decade;
  };
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> decades(-6, 14);
  for (const Case& c : {Case{1e-3, 1e13, 100}, Case{1e-1, 1e8, 20}, Case{1, 10, 1}, Case{0.5, 3e5, 37}}) {
    const Scale scale = Scale::log(c.lo, c.hi, c.per_decade);
    auto expect_same = [&](double x) {
      ASSERT_EQ(scale.bin(x), log_bin_by_definition(x, c.lo, c.hi, c.per_decade))
          << x << " on [" << c.lo << ", " << c.hi << "] with " << c.per_decade << " per decade";
    };
    for (int i = 0; i < 200000; ++i) expect_same(std::pow(10.0, decades(rng)));
    const double l0 = std::log10(c.lo);
    for (int k = -2; k <= scale.size() + 2; ++k) {
      double x = std::pow(10.0, l0 + static_cast<double>(k) / c.per_decade);
      for (int step = 0; step < 4; ++step) x = std::nextafter(x, 0.0);
      for (int step = 0; step < 9; ++step, x = std::nextafter(x, HUGE_VAL)) expect_same(x);
    }
    for (double x : {0.0, -0.0, -1.0, 5e-324, 2.2250738585072014e-308, 1e300, HUGE_VAL, -HUGE_VAL,
                     std::numeric_limits<double>::quiet_NaN()})
      expect_same(x);
  }
}

TEST(Stats, BinsOfAPathAreEachValuesBin) {
  // Scale::bins against Scale::bin, value by value, on the run's linear and log scales: values at
  // random around each range, the doubles beside every bin edge, and the special values. A path
  // of odd length leaves a remainder after the vectorised pairs.
  std::mt19937_64 rng(11);
  for (const Scale& scale : {Scale::linear(0, 1, 100), Scale::linear(-1.5, 2.5, 100), Scale::linear(0, 2, 100),
                             Scale::linear(3, 4, 1), Scale::log(1e-1, 1e8, 20)}) {
    std::vector<double> x;
    const double lo = scale.lower(1), hi = scale.upper(scale.size() - 2);
    std::uniform_real_distribution<double> around(lo - (hi - lo), hi + (hi - lo));
    for (int i = 0; i < 20001; ++i) x.push_back(around(rng));
    for (int b = 0; b < scale.size(); ++b)
      for (double edge : {scale.lower(b), scale.upper(b)}) {
        double v = edge;
        for (int step = 0; step < 3; ++step) v = std::nextafter(v, -HUGE_VAL);
        for (int step = 0; step < 7; ++step, v = std::nextafter(v, HUGE_VAL)) x.push_back(v);
      }
    for (double v : {0.0, -0.0, -1.0, 5e-324, 1e300, -1e300, HUGE_VAL, -HUGE_VAL,
                     std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::max()})
      x.push_back(v);
    std::vector<int> bins(x.size());
    scale.bins(x.data(), static_cast<int>(x.size()), bins.data());
    for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(bins[i], scale.bin(x[i])) << x[i] << " (value " << i << ")";
  }
}

TEST(Stats, LowerTailMeanOfUniformScores) {
  const Scale lin = Scale::linear(0, 1, 2000);
  std::vector<std::uint32_t> counts(lin.size(), 0);
  for (int i = 0; i < 20000; ++i) counts[lin.bin((i + 0.5) / 20000.0)] += 1;
  EXPECT_NEAR(lower_tail_mean(lin, counts.data(), 0.10, 0, 1), 0.05, 1e-3);
}

TEST(Scoring, LinearValueBetweenAnchorsClampedToTheUnitInterval) {
  CriterionSpec minimise;
  minimise.worst = 100;
  minimise.best = 0;
  EXPECT_DOUBLE_EQ(criterion_value(minimise, 25), 0.75);
  EXPECT_DOUBLE_EQ(criterion_value(minimise, 500), 0);
  EXPECT_DOUBLE_EQ(criterion_value(minimise, -5), 1);
  CriterionSpec maximise;
  maximise.worst = 0.1;
  maximise.best = 0.3;
  maximise.maximise = true;
  EXPECT_NEAR(criterion_value(maximise, 0.25), 0.75, 1e-12);
}

TEST(Scoring, BestSharesSplitTies) {
  std::vector<double> share;
  EXPECT_EQ(best_shares({0.2, 0.5, 0.5, 0.1}, share), 0.5);
  EXPECT_EQ(share, (std::vector<double>{0, 0.5, 0.5, 0}));
}

TEST(Scoring, SatisficingNeedsEveryThreshold) {
  Model m;
  CriterionSpec deaths;
  deaths.metric = Metric::kCivilianDeaths;
  deaths.worst = 1000;
  deaths.best = 0;
  deaths.satisficing = 100;
  CriterionSpec participation;
  participation.metric = Metric::kWomenParticipation;
  participation.maximise = true;
  participation.worst = 0;
  participation.best = 0.5;
  participation.satisficing = 0.2;
  m.criteria = {deaths, participation};
  Outcome o;
  o.metrics[static_cast<int>(Metric::kCivilianDeaths)] = 50;
  o.metrics[static_cast<int>(Metric::kWomenParticipation)] = 0.25;
  EXPECT_TRUE(satisficed(m, o));
  o.metrics[static_cast<int>(Metric::kWomenParticipation)] = 0.15;
  EXPECT_FALSE(satisficed(m, o));
}

TEST(Engine, RejectsSettingsOutsideTheirRanges) {
  const v1::Scenario s = tiny();
  RunRequest q;
  q.runs = 0;
  EXPECT_THROW(run_scenario(s, q), std::invalid_argument);
  q.runs = 10;
  q.horizon = 601;
  EXPECT_THROW(run_scenario(s, q), std::invalid_argument);
  q.horizon = 12;
  q.threads = -1;
  EXPECT_THROW(run_scenario(s, q), std::invalid_argument);
}

TEST(Engine, LongHorizonsSampleFanChartsAt121Months) {
  RunRequest q = request(20, 1);
  q.horizon = 240;
  const v1::Results r = run_scenario(tiny(), q);
  const auto& fan = r.options(0).overall().fan_charts(0);
  ASSERT_EQ(fan.month_size(), 121);
  EXPECT_EQ(fan.month(0), 0);
  EXPECT_EQ(fan.month(120), 240);
  EXPECT_EQ(r.options(0).overall().p_relapse_by_month_size(), 240);
}

}  // namespace
}  // namespace peacesim
