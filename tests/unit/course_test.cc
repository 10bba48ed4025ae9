// Courses: which plan runs in which months of a future (no UN action, a plan from a month, a switch
// to another option, a shorter simulation), checked against whole-horizon runs of single options.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "engine/compile.h"
#include "engine/future.h"
#include "engine/io/load.h"
#include "engine/realisation.h"
#include "engine/world.h"
#include "tests/unit/scenarios.h"

namespace peacesim {
namespace {

struct Carana {
  Carana() {
    io::LoadedScenario loaded = io::load_default_scenario();
    io::require_valid(loaded);
    model = compile(loaded.scenario);
  }
  int option(const std::string& id) const {
    for (std::size_t o = 0; o < model.options.size(); ++o)
      if (model.options[o].id == id) return static_cast<int>(o);
    ADD_FAILURE() << "no option " << id;
    return 0;
  }
  Model model;
};

// Whether two trajectories hold the same indicators in months [from, to].
bool same_months(const Trajectory& a, const Trajectory& b, int from, int to) {
  for (int t = from; t <= to; ++t)
    for (int i = 0; i < kIndicatorCount; ++i)
      if (a.path(i)[t] != b.path(i)[t]) return false;
  return true;
}

TEST(Courses, AreTheSingleOptionRunsTheyReduceTo) {
  const Carana c;
  const int horizon = 48;
  const Sampler sampler(c.model, 9, 100);
  RealisationParams params;
  Noise noise;
  WorldScratch scratch;
  std::vector<double> theta;
  Outcome a, b;
  Trajectory ta, tb;
  const int none = c.option("no_mission"), small = c.option("small_pko"), large = c.option("large_pko");
  int switches_differ = 0, late_starts_differ = 0;
  for (std::int64_t i = 0; i < 100; ++i) {
    const int p = sampler.planning_scenario(i);
    sampler.draw(i, p, theta);
    build_realisation(c.model, theta, p, horizon, params);
    draw_noise(c.model, 9, i, horizon, noise);
    // No UN action at all is the scenario's own "no mission" option, to the bit.
    Course nothing;
    nothing.option = -1;
    simulate(params, nothing, noise, scratch, a, &ta);
    simulate(params, none, noise, scratch, b, &tb);
    EXPECT_EQ(a.metrics, b.metrics) << i;
    EXPECT_TRUE(same_months(ta, tb, 0, horizon)) << i;
    // A switch in month 0 is the other option from the start.
    Course at_once;
    at_once.option = small;
    at_once.switch_month = 0;
    at_once.then = large;
    simulate(params, at_once, noise, scratch, a, &ta);
    simulate(params, large, noise, scratch, b, &tb);
    EXPECT_EQ(a.metrics, b.metrics) << i;
    // A switch in month 12 follows the first option up to it, and continuing is no switch.
    Course switched;
    switched.option = small;
    switched.switch_month = 12;
    switched.then = large;
    simulate(params, switched, noise, scratch, a, &ta);
    simulate(params, small, noise, scratch, b, &tb);
    EXPECT_TRUE(same_months(ta, tb, 0, 12)) << i;
    switches_differ += same_months(ta, tb, 13, horizon) ? 0 : 1;
    switched.then = small;
    simulate(params, switched, noise, scratch, a, &ta);
    EXPECT_EQ(a.metrics, b.metrics) << i;
    // A plan that starts in month 6 leaves months 1-6 to no action.
    Course late;
    late.option = large;
    late.start = 6;
    simulate(params, late, noise, scratch, a, &ta);
    simulate(params, none, noise, scratch, b, &tb);
    EXPECT_TRUE(same_months(ta, tb, 0, 6)) << i;
    late_starts_differ += same_months(ta, tb, 7, horizon) ? 0 : 1;
    // Fewer months: the same first months.
    Course short_run;
    short_run.option = large;
    short_run.months = 18;
    simulate(params, short_run, noise, scratch, a, &ta);
    simulate(params, large, noise, scratch, b, &tb);
    ASSERT_EQ(ta.indicators.size(), static_cast<std::size_t>(19 * kIndicatorCount));
    EXPECT_TRUE(same_months(ta, tb, 0, 18)) << i;
  }
  // The comparisons after the switch and the late start have teeth: the plans do differ there.
  EXPECT_GT(switches_differ, 90);
  EXPECT_GT(late_starts_differ, 90);
}

// Whether two values are the same to the bit (NaN, a probe beyond a course's months, included).
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Courses simulated together, month by month (the lanes of one simulation), are each exactly the run
// it would be alone: the lanes share the future's parameters and noise, nothing else.
TEST(Courses, SimulatedTogetherAreEachTheRunItWouldBeAlone) {
  const Carana c;
  const int horizon = 48;
  const Sampler sampler(c.model, 5, 60);
  RealisationParams params;
  Noise noise;
  WorldScratch together, alone;
  std::vector<double> theta;
  std::vector<Course> courses;
  for (std::size_t o = 0; o < c.model.options.size(); ++o) {
    Course course;
    course.option = static_cast<int>(o);
    courses.push_back(course);
  }
  Course nothing, late, switched, short_run, scored;
  nothing.option = -1;
  late.option = c.option("large_pko");
  late.start = 6;
  switched.option = c.option("small_pko");
  switched.switch_month = 12;
  switched.then = c.option("good_offices");
  short_run.option = c.option("observer_mission");
  short_run.months = 18;
  scored.option = c.option("special_political_mission");
  scored.score_from = 24;
  for (const Course& course : {nothing, late, switched, short_run, scored}) courses.push_back(course);
  const std::size_t lanes = courses.size();
  ASSERT_GE(c.model.probes.size(), 1u);  // Carana's benchmarks are read as probes
  std::vector<Outcome> outcomes(lanes);
  std::vector<Trajectory> trajectories(lanes);
  Outcome one;
  Trajectory path;
  int wars = 0;
  for (std::int64_t i = 0; i < 60; ++i) {
    const int p = sampler.planning_scenario(i);
    sampler.draw(i, p, theta);
    build_realisation(c.model, theta, p, horizon, params);
    draw_noise(c.model, 5, i, horizon, noise);
    simulate(params, courses, noise, together, outcomes, trajectories.data());
    for (std::size_t l = 0; l < lanes; ++l) {
      simulate(params, courses[l], noise, alone, one, &path);
      const Outcome& o = outcomes[l];
      for (int m = 0; m < kMetricCount; ++m) EXPECT_TRUE(same_bits(o.metrics[m], one.metrics[m])) << i << " " << l;
      EXPECT_EQ(o.relapse_month, one.relapse_month) << i << " " << l;
      EXPECT_EQ(o.consent_held, one.consent_held) << i << " " << l;
      EXPECT_TRUE(same_bits(o.regional_support_min, one.regional_support_min)) << i << " " << l;
      ASSERT_EQ(o.probes.size(), one.probes.size());
      for (std::size_t k = 0; k < one.probes.size(); ++k)
        EXPECT_TRUE(same_bits(o.probes[k], one.probes[k])) << i << " " << l << " probe " << k;
      ASSERT_EQ(trajectories[l].indicators.size(), path.indicators.size()) << l;
      for (std::size_t k = 0; k < path.indicators.size(); ++k)
        EXPECT_TRUE(same_bits(trajectories[l].indicators[k], path.indicators[k])) << i << " " << l << " " << k;
      EXPECT_EQ(trajectories[l].regime, path.regime) << i << " " << l;
      wars += one.relapse_month > 0;
    }
  }
  EXPECT_GT(wars, 0);  // the futures include wars, where the lanes' paths part most
}

}  // namespace
}  // namespace peacesim
