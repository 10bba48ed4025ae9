// The results framework: benchmarks judged in their month on the same values the fan charts
// record, counted per option, reported with Wilson intervals, validated at the edge and read back
// with their probabilities checked.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "engine/compile.h"
#include "engine/future.h"
#include "engine/io/brief.h"
#include "engine/io/load.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/realisation.h"
#include "engine/scoring.h"
#include "engine/stats.h"
#include "tests/unit/scenarios.h"

namespace peacesim {
namespace {

// tiny.textproto with `benchmarks` (text format) appended, parsed but not validated.
io::LoadedScenario tiny_plus(const std::string& benchmarks) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(tiny(), &text);
  return io::parse_scenario(text + benchmarks, "tiny+benchmarks", io::Format::kText);
}

v1::Scenario tiny_with(const std::string& benchmarks) {
  io::LoadedScenario with = tiny_plus(benchmarks);
  io::require_valid(with);
  return with.scenario;
}

std::vector<io::Diagnostic> errors_of(const std::string& benchmarks) { return io::validate(tiny_plus(benchmarks)); }

TEST(Stats, WilsonIntervalMatchesPublishedValues) {
  // Newcombe (1998), Stat. Med. 17:857, table I: 81/263 -> [0.2553, 0.3662]; 15/148 -> [0.0624, 0.1605];
  // 0/20 -> [0, 0.1611]; 1/29 -> [0.0061, 0.1718].
  const struct {
    std::uint64_t k, n;
    double low, high;
  } cases[] = {{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0, 0.1611}, {1, 29, 0.0061, 0.1718}};
  for (const auto& c : cases) {
    const Interval i = wilson_interval(c.k, c.n);
    EXPECT_NEAR(i.low, c.low, 5e-5) << c.k << "/" << c.n;
    EXPECT_NEAR(i.high, c.high, 5e-5) << c.k << "/" << c.n;
  }
  EXPECT_EQ(wilson_interval(0, 50).low, 0.0);
  EXPECT_EQ(wilson_interval(50, 50).high, 1.0);
  EXPECT_EQ(wilson_interval(0, 0).low, 0.0);
  EXPECT_EQ(wilson_interval(0, 0).high, 1.0);
}

// A benchmark on an indicator is met exactly when the fan chart's value of that month is on the
// right side of its target: the same numbers, judged in the same month.
TEST(Benchmarks, AreJudgedOnTheValuesTheFanChartsRecord) {
  const v1::Scenario s = tiny_with(R"(
    results_framework { id: "gbv_down" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 0
                        from_start: true month: 12 responsible: RESPONSIBLE_UN_COUNTRY_TEAM }
    results_framework { id: "few_deaths" measure { indicator: INDICATOR_BATTLE_DEATHS } bound: BOUND_AT_MOST
                        target: 10 month: 7 responsible: RESPONSIBLE_MISSION }
    results_framework { id: "participation" measure { indicator: INDICATOR_WOMEN_PARTICIPATION }
                        bound: BOUND_AT_LEAST target: 0.12 month: 20 responsible: RESPONSIBLE_PARTNERS }
    results_framework { id: "late" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 1
                        month: 400 responsible: RESPONSIBLE_HOST_GOVERNMENT }
  )");
  const Model model = compile(s);
  ASSERT_EQ(model.benchmarks.size(), 4u);
  const int horizon = 24;
  const Sampler sampler(model, 5, 200);
  Future future(model, horizon, 5);
  Outcome out;
  Trajectory traj;
  int met[3] = {0, 0, 0};
  for (std::int64_t i = 0; i < 200; ++i) {
    future.draw(sampler, i);
    for (int o = 0; o < static_cast<int>(model.options.size()); ++o) {
      future.simulate(o, out, &traj);
      const std::uint64_t met_bits = benchmarks_met(model, out);
      auto at = [&](int month, Indicator ind) { return traj.at(month, ind); };
      const bool expect[3] = {at(12, Indicator::kGbv) - at(0, Indicator::kGbv) <= 0,
                              at(7, Indicator::kBattleDeaths) <= 10, at(20, Indicator::kWomenParticipation) >= 0.12};
      for (int b = 0; b < 3; ++b) {
        EXPECT_EQ(((met_bits >> b) & 1) != 0, expect[b]) << "realisation " << i << " option " << o;
        met[b] += expect[b];
      }
      EXPECT_EQ((met_bits >> 3) & 1, 0u) << "beyond the horizon: never met";
    }
  }
  // Each benchmark is met in some futures and missed in others, so the comparison above has teeth.
  for (int b = 0; b < 3; ++b) {
    EXPECT_GT(met[b], 0) << b;
    EXPECT_LT(met[b], 200 * static_cast<int>(model.options.size())) << b;
  }
}

TEST(Benchmarks, ResultsGiveEachOptionsShareWithItsInterval) {
  const v1::Scenario s = tiny_with(R"(
    results_framework { id: "always" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 1
                        month: 6 responsible: RESPONSIBLE_MISSION }
    results_framework { id: "strength" measure { actor_strength: "armed_group" } bound: BOUND_AT_MOST
                        target: 0.95 month: 24 responsible: RESPONSIBLE_MISSION }
    results_framework { id: "beyond" measure { driver: "weak_security_sector" } bound: BOUND_AT_LEAST
                        target: 0.1 month: 48 responsible: RESPONSIBLE_HOST_GOVERNMENT }
  )");
  RunRequest q;
  q.runs = 600;
  q.horizon = 36;
  q.threads = 2;
  const v1::Results r = run_scenario(s, q);
  for (const auto& o : r.options()) {
    ASSERT_EQ(o.overall().benchmarks_size(), 3) << o.option_id();
    const auto& always = o.overall().benchmarks(0);
    EXPECT_EQ(always.benchmark_id(), "always");
    EXPECT_TRUE(always.evaluated());
    EXPECT_EQ(always.p_met(), 1.0);
    EXPECT_EQ(always.ci95_high(), 1.0);
    EXPECT_GT(always.ci95_low(), 0.99);
    const auto& strength = o.overall().benchmarks(1);
    EXPECT_LE(strength.ci95_low(), strength.p_met());
    EXPECT_GE(strength.ci95_high(), strength.p_met());
    EXPECT_FALSE(o.overall().benchmarks(2).evaluated()) << "month 48 lies beyond a 36-month horizon";
    for (const auto& g : o.by_planning_scenario()) EXPECT_EQ(g.benchmarks_size(), 3);
  }
  // Same bytes on one thread.
  q.threads = 1;
  EXPECT_EQ(io::deterministic_bytes(run_scenario(s, q)), io::deterministic_bytes(r));
}

// Carana's results framework follows its options' aims: DDR of the signatory movement happens where
// a peacekeeping operation runs the programme, and a larger force meets more benchmarks.
TEST(Benchmarks, CaranasFrameworkSeparatesTheOptions) {
  io::LoadedScenario carana = io::load_default_scenario();
  io::require_valid(carana);
  ASSERT_GE(carana.scenario.results_framework_size(), 5);
  ASSERT_LE(carana.scenario.results_framework_size(), 8);
  RunRequest q;
  q.runs = 1000;
  q.horizon = 48;
  q.threads = 2;
  const v1::Results r = run_scenario(carana.scenario, q);
  auto p = [&](const std::string& option, const std::string& benchmark) {
    for (const auto& b : io::option_result(r, option).overall().benchmarks())
      if (b.benchmark_id() == benchmark) return b.p_met();
    ADD_FAILURE() << "no " << benchmark << " for " << option;
    return 0.0;
  };
  EXPECT_GT(p("large_pko", "pflc_demobilised"), p("no_mission", "pflc_demobilised") + 0.5);
  EXPECT_GT(p("small_pko", "pflc_demobilised"), p("special_political_mission", "pflc_demobilised") + 0.2);
  for (const auto& b : carana.scenario.results_framework())
    EXPECT_GE(p("large_pko", b.id()), p("no_mission", b.id())) << b.id();
  // The brief lists them for the recommended option, in planners' words with their intervals.
  v1::Results briefed = r;
  briefed.mutable_brief()->set_recommended_option("large_pko");
  bool listed = false;
  for (const io::BriefSection& section : io::brief_sections(briefed)) {
    if (section.heading != "Results framework") continue;
    listed = true;
    ASSERT_EQ(section.items.size(), static_cast<std::size_t>(carana.scenario.results_framework_size()));
    const std::string want =
        carana.scenario.results_framework(0).name() + " (mission): at most 0.75 in month 30; met in ";
    EXPECT_EQ(section.items[0].rfind(want, 0), 0u) << section.items[0];
  }
  EXPECT_TRUE(listed);
}

TEST(Benchmarks, ValidationNamesTheFieldAndWhatIsExpected) {
  struct Case {
    const char* text;
    const char* path;
    const char* message;
  } cases[] = {
      {R"(results_framework { id: "a" bound: BOUND_AT_MOST target: 1 month: 6 responsible: RESPONSIBLE_MISSION })",
       "results_framework[0]", "missing measure"},
      {R"(results_framework { id: "a" measure { driver: "land" } bound: BOUND_AT_MOST target: 1 month: 6
                              responsible: RESPONSIBLE_MISSION })",
       "results_framework[0].measure.driver", "unknown driver \"land\""},
      {R"(results_framework { id: "a" measure { actor_strength: "rebels" } bound: BOUND_AT_MOST target: 1 month: 6
                              responsible: RESPONSIBLE_MISSION })",
       "results_framework[0].measure.actor_strength", "unknown actor"},
      {R"(results_framework { id: "a" measure { indicator: INDICATOR_GBV } target: 0.5 month: 6
                              responsible: RESPONSIBLE_MISSION })",
       "results_framework[0]", "missing bound"},
      {R"(results_framework { id: "a" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 0.5 month: 6 })",
       "results_framework[0]", "missing responsible"},
      {R"(results_framework { id: "a" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 1.5 month: 6
                              responsible: RESPONSIBLE_MISSION })",
       "results_framework[0].target", "lies in [0, 1]"},
      {R"(results_framework { id: "a" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: -1.5
                              from_start: true month: 6 responsible: RESPONSIBLE_MISSION })",
       "results_framework[0].target", "change from month 0 lies in [-1, 1]"},
      {R"(results_framework { id: "a" measure { indicator: INDICATOR_BATTLE_DEATHS } bound: BOUND_AT_MOST
                              target: -3 month: 6 responsible: RESPONSIBLE_MISSION })",
       "results_framework[0].target", "met in every future or in none"},
      {R"(results_framework { id: "a" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 0.5 month: 0
                              responsible: RESPONSIBLE_MISSION })",
       "results_framework[0].month", "[1, 600]"},
      {R"(results_framework { id: "a" measure { indicator: INDICATOR_UNSPECIFIED } bound: BOUND_AT_MOST target: 0.5
                              month: 3 responsible: RESPONSIBLE_MISSION })",
       "results_framework[0].measure.indicator", "not an indicator"},
      {R"(results_framework { id: "a" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 0.5 month: 3
                              responsible: RESPONSIBLE_MISSION }
          results_framework { id: "a" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 0.5 month: 3
                              responsible: RESPONSIBLE_MISSION })",
       "results_framework[1].id", "duplicate benchmark id"},
  };
  for (const Case& c : cases) {
    const auto errors = errors_of(c.text);
    ASSERT_EQ(errors.size(), 1u) << c.text;
    EXPECT_EQ(errors[0].path, c.path) << c.text;
    EXPECT_NE(errors[0].message.find(c.message), std::string::npos) << errors[0].message;
    EXPECT_GT(errors[0].where.line, 1) << "located in the file: " << c.text;
  }
}

TEST(Benchmarks, ReadingChecksTheirProbabilities) {
  const v1::Scenario s = tiny_with(R"(
    results_framework { id: "always" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 1
                        month: 6 responsible: RESPONSIBLE_MISSION }
  )");
  RunRequest q;
  q.runs = 100;
  q.threads = 1;
  const v1::Results good = run_scenario(s, q);
  const std::string bytes = io::deterministic_bytes(good);
  EXPECT_NO_THROW(io::parse_results(bytes, "r.pb", io::ResultsFormat::kBinary));
  auto first_error = [&](const v1::Results& r) -> std::string {
    try {
      io::parse_results(io::deterministic_bytes(r), "r.pb", io::ResultsFormat::kBinary);
    } catch (const io::InputError& e) {
      return e.diagnostics().empty() ? "?" : e.diagnostics()[0].path + ": " + e.diagnostics()[0].message;
    }
    return "";
  };
  v1::Results r = good;
  r.mutable_options(1)->mutable_overall()->mutable_benchmarks(0)->set_p_met(std::nan(""));
  EXPECT_EQ(first_error(r), "options[1].overall.benchmarks[0].p_met: is not a probability in [0, 1]");
  r = good;
  r.mutable_options(0)->mutable_by_planning_scenario(0)->mutable_benchmarks(0)->set_ci95_high(1.5);
  EXPECT_EQ(first_error(r),
            "options[0].by_planning_scenario[0].benchmarks[0].ci95_high: is not a probability in [0, 1]");
  r = good;
  r.mutable_options(0)->mutable_overall()->mutable_benchmarks(0)->set_benchmark_id("<script>");
  EXPECT_EQ(first_error(r).rfind("options[0].overall.benchmarks[0].benchmark_id", 0), 0u) << first_error(r);
}

TEST(Benchmarks, AreNamedInPlannersWords) {
  const v1::Scenario s = tiny_with(R"(
    results_framework { id: "gbv" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST target: 0
                        from_start: true month: 36 responsible: RESPONSIBLE_UN_COUNTRY_TEAM }
    results_framework { id: "ddr" measure { actor_strength: "armed_group" } bound: BOUND_AT_MOST target: 0.75
                        month: 30 responsible: RESPONSIBLE_MISSION }
    results_framework { id: "civ" measure { driver: "civil_society_cohesion" } bound: BOUND_AT_LEAST target: 0.1
                        from_start: true month: 12 responsible: RESPONSIBLE_PARTNERS }
    results_framework { id: "idp" measure { indicator: INDICATOR_DISPLACED } bound: BOUND_AT_MOST target: 400000
                        month: 48 responsible: RESPONSIBLE_PARTNERS }
  )");
  EXPECT_EQ(io::target_label(s.results_framework(0)), "at most its month-0 level in month 36");
  EXPECT_EQ(io::target_label(s.results_framework(3)), "at most 400,000 in month 48");
  EXPECT_EQ(io::target_label(s.results_framework(1)), "at most 0.75 in month 30");
  EXPECT_EQ(io::target_label(s.results_framework(2)), "at least +0.1 from its month-0 level in month 12");
  EXPECT_EQ(io::measure_label(s, s.results_framework(0).measure()), "gender-based violence index");
  EXPECT_EQ(io::measure_label(s, s.results_framework(1).measure()), "Armed group: fighters (share of month 0's)");
  EXPECT_EQ(io::measure_label(s, s.results_framework(2).measure()), "Civil society cohesion (causal factor, 0-1)");
  EXPECT_EQ(io::responsible_label(s.results_framework(0).responsible()), "UN country team");
}

}  // namespace
}  // namespace peacesim
