// Courses: which plan runs in which months of a future (no UN action, a plan from a month, a switch
// to another option, a shorter simulation), checked against whole-horizon runs of single options.
#include <gtest/gtest.h>

#include <string>

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
      if (a.indicators[t * kIndicatorCount + i] != b.indicators[t * kIndicatorCount + i]) return false;
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

}  // namespace
}  // namespace peacesim
