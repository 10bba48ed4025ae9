// Assessing observed months (peacesim assess): observations validated with located errors, the
// sampler's futures the same history whatever horizon they are drawn into, the same bytes for any
// thread count, and the adjustment and Level One screen as asked.
#include "engine/assessment.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/compile.h"
#include "engine/cpas.h"
#include "engine/future.h"
#include "engine/io/assessment_io.h"
#include "engine/io/load.h"
#include "engine/io/results_io.h"
#include "engine/io/validate.h"

namespace peacesim {
namespace {

io::LoadedScenario carana() {
  io::LoadedScenario loaded = io::load_default_scenario();
  io::require_valid(loaded);
  return loaded;
}

io::LoadedObservations bundled_observations() {
  return io::load_observations(std::string(PEACESIM_SOURCE_DIR) + "/scenarios/carana-observations.textproto");
}

TEST(Observations, TheBundledOnesAreValid) {
  EXPECT_TRUE(io::validate_observations(bundled_observations(), carana().scenario, 60).empty());
}

TEST(Observations, EveryErrorIsLocatedWithItsPathAndWhatIsExpected) {
  const v1::Scenario scenario = carana().scenario;
  struct Case {
    const char* text;
    const char* path;
    const char* message;
    int line;
  } cases[] = {
      {"implemented_option: \"big_pko\"\nobservations { month: 1 measure { indicator: INDICATOR_GBV } value: 0.5 "
       "uncertainty: 0.05 }",
       "implemented_option", "unknown option \"big_pko\"", 1},
      {"implemented_since_month: -3\nobservations { month: 1 measure { indicator: INDICATOR_GBV } value: 0.5 "
       "uncertainty: 0.05 }",
       "implemented_since_month", "must lie in [0, 600]", 1},
      {"description: \"none\"", "observations", "between 1 and 10000", 1},
      {"observations { month: 1 measure { indicator: INDICATOR_GBV } value: 0.5 uncertainty: 0.05 }\n"
       "observations { month: 61\n measure { indicator: INDICATOR_GBV } value: 0.5 uncertainty: 0.05 }",
       "observations[1].month", "the run's horizon is 60", 2},
      {"observations { month: 2\n measure { driver: \"land\" } value: 0.5 uncertainty: 0.05 }",
       "observations[0].measure.driver", "unknown driver \"land\"", 2},
      {"observations { month: 2\n measure { indicator: INDICATOR_GBV }\n value: 1.5 uncertainty: 0.05 }",
       "observations[0].value", "lies in [0, 1]", 3},
      {"observations { month: 2\n measure { indicator: INDICATOR_GBV } value: 0.5\n uncertainty: 0 }",
       "observations[0].uncertainty", "finite standard deviation of at least 0.000001", 3},
      {"observations { month: 2 value: 0.5 uncertainty: 0.1 }", "observations[0]", "missing measure", 1},
  };
  for (const Case& c : cases) {
    const io::LoadedObservations o = io::parse_observations(c.text, "obs.textproto", io::Format::kText);
    const auto errors = io::validate_observations(o, scenario, 60);
    ASSERT_EQ(errors.size(), 1u) << c.text;
    EXPECT_EQ(errors[0].path, c.path) << c.text;
    EXPECT_NE(errors[0].message.find(c.message), std::string::npos) << errors[0].message;
    EXPECT_EQ(errors[0].where.line, c.line) << c.text;
    EXPECT_EQ(errors[0].file, "obs.textproto");
  }
  // JSON is located too, and a syntax error is an input error at its place.
  const io::LoadedObservations json = io::parse_observations(
      "{\n \"observations\": [\n  {\"month\": 2, \"measure\": {\"indicator\": \"INDICATOR_GBV\"},\n   \"value\": 7, "
      "\"uncertainty\": 0.1}]}",
      "obs.json", io::Format::kJson);
  const auto errors = io::validate_observations(json, scenario, 60);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "observations[0].value");
  EXPECT_EQ(errors[0].where.line, 4);
  try {
    io::parse_observations("observations { month: 2 measure { indicator: INDICATOR_GBV  value: 0.5 }", "bad.textproto",
                           io::Format::kText);
    ADD_FAILURE() << "a missing brace must not parse";
  } catch (const io::InputError& e) {
    ASSERT_FALSE(e.diagnostics().empty());
    EXPECT_EQ(e.diagnostics()[0].file, "bad.textproto");
  }
}

// A particle's months up to the last observed one are the same whether it is read by the sampler
// (a future of that many months) or drawn into a whole-horizon future for the adjustment.
TEST(Assessment, AParticleHasTheSameHistoryInAFutureOfAnyHorizon) {
  io::LoadedScenario loaded = carana();
  Model model = compile(loaded.scenario);
  const io::CompiledObservations compiled = io::compile_observations(bundled_observations().observations, model);
  AssessmentSettings settings;
  settings.implemented = compiled.implemented;
  settings.particles = 100;
  settings.moves = 1;
  const Assessment a = assess(model, compiled.observed, settings);
  ASSERT_EQ(a.posterior.size(), 100);
  const LatentLayout layout(model, a.last_month);
  Future whole(model, 60, settings.seed);
  Outcome outcome;
  Course course;
  course.option = compiled.implemented;
  course.switch_month = a.last_month;
  const int np = static_cast<int>(model.probes.size());
  for (int i = 0; i < a.posterior.size(); ++i) {
    draw_particle(layout, &a.posterior.z[static_cast<std::size_t>(i) * layout.width], i, whole);
    for (int then : {compiled.implemented, 0}) {  // continuing, or switching to no mission
      course.then = then;
      whole.simulate(course, outcome);
      for (const ObservedValue& o : compiled.observed)
        ASSERT_EQ(outcome.probes[o.probe], a.posterior.probes[static_cast<std::size_t>(i) * np + o.probe])
            << "particle " << i << ", month " << o.month;
    }
  }
}

// Observations no future can come near (a billion battle deaths in a month, measured to a
// millionth) are a collapse within a month's 64 tempering steps, not a search without end.
TEST(Assessment, ObservationsNoFutureCanMeetAreACollapseWithinAMonthsSteps) {
  io::LoadedScenario loaded = carana();
  Model model = compile(loaded.scenario);
  v1::Observations observations = bundled_observations().observations;
  observations.clear_observations();
  v1::Observation* o = observations.add_observations();
  o->set_month(3);
  o->mutable_measure()->set_indicator(v1::INDICATOR_BATTLE_DEATHS);
  o->set_value(1e9);
  o->set_uncertainty(1e-6);
  const io::CompiledObservations compiled = io::compile_observations(observations, model);
  AssessmentSettings settings;
  settings.implemented = compiled.implemented;
  settings.particles = 50;
  settings.moves = 1;
  const Assessment a = assess(model, compiled.observed, settings);
  EXPECT_TRUE(a.collapsed);
  EXPECT_LE(a.steps.size(), 64u);
}

TEST(Assessment, IsTheSameBytesForAnyThreadCountAndAdjustsEveryOption) {
  const io::LoadedScenario loaded = carana();
  const io::LoadedObservations observations = bundled_observations();
  AssessRequest request;
  request.particles = 200;
  request.threads = 1;
  const v1::Assessment one = run_assessment(loaded.scenario, observations, request);
  request.threads = 2;
  const v1::Assessment two = run_assessment(loaded.scenario, observations, request);
  EXPECT_EQ(io::deterministic_bytes(one), io::deterministic_bytes(two));
  ASSERT_TRUE(one.has_adjustment());
  EXPECT_FALSE(one.has_level_one());
  EXPECT_EQ(one.last_observed_month(), 12);
  EXPECT_EQ(one.checks_size(), observations.observations.observations_size());
  EXPECT_EQ(one.adjustment().after().options_size(), loaded.scenario.options_size());
  EXPECT_EQ(one.adjustment().changed(), one.adjustment().recommended_before() != one.adjustment().recommended_after());
  EXPECT_FALSE(one.adjustment().why().empty());
  // The observations say war has returned: the futures given them are at war far more often.
  EXPECT_GT(one.p_war_so_far_posterior(), one.p_war_so_far_prior() + 0.3);
  for (const auto& q : one.quantities()) {
    EXPECT_LE(q.posterior().p05(), q.posterior().p50()) << q.path();
    EXPECT_LE(q.posterior().p50(), q.posterior().p95()) << q.path();
  }
  // Quantities are listed the most moved first.
  for (int k = 1; k < one.quantities_size(); ++k) EXPECT_GE(one.quantities(k - 1).shift(), one.quantities(k).shift());
}

TEST(Assessment, WithNoUnActionItScreensForLevelOnePlanning) {
  const io::LoadedScenario loaded = carana();
  io::LoadedObservations observations = bundled_observations();
  observations.observations.clear_implemented_option();
  AssessRequest request;
  request.particles = 200;
  const v1::Assessment a = run_assessment(loaded.scenario, observations, request);
  ASSERT_TRUE(a.has_level_one());
  EXPECT_FALSE(a.has_adjustment());
  const v1::LevelOneScreen& l = a.level_one();
  EXPECT_LE(l.p_war_12(), l.p_war_24());
  const v1::LevelOneAdvice expected = l.p_war_12() >= 0.25   ? v1::LEVEL_ONE_ADVICE_START_PLANNING
                                      : l.p_war_12() >= 0.10 ? v1::LEVEL_ONE_ADVICE_DEFER
                                                             : v1::LEVEL_ONE_ADVICE_DO_NOT_PLAN;
  EXPECT_EQ(l.advice(), expected);
  EXPECT_FALSE(l.drivers().empty());
  // A threshold above any probability: do not plan.
  request.start_threshold = request.defer_threshold = 1;
  EXPECT_EQ(run_assessment(loaded.scenario, observations, request).level_one().advice(),
            l.p_war_12() >= 1 ? v1::LEVEL_ONE_ADVICE_START_PLANNING : v1::LEVEL_ONE_ADVICE_DO_NOT_PLAN);
  request.defer_threshold = 0.5;
  request.start_threshold = 0.2;
  EXPECT_THROW(run_assessment(loaded.scenario, observations, request), std::invalid_argument);
}

}  // namespace
}  // namespace peacesim
