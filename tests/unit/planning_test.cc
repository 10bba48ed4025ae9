// Planning semantics as the seed documents define them: prioritisation (importance decides who is
// funded when the budget is short), scheduled shocks at their month, host consent gating mission
// effects, and contested evidence (election timing) expressed as a planning-scenario override.
// Sequencing (`after`, delays, cycles) is tested in engine_test.cc and io_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/compile.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/world.h"

namespace peacesim {
namespace {

std::string source(const std::string& rel) { return std::string(PEACESIM_SOURCE_DIR) + "/" + rel; }

v1::Scenario load(const std::string& rel) {
  io::LoadedScenario loaded = rel.empty() ? io::load_default_scenario() : io::load_scenario(source(rel));
  io::require_valid(loaded);
  return loaded.scenario;
}

v1::Results run(const v1::Scenario& s, std::int64_t runs, std::uint64_t seed = 17) {
  RunRequest q;
  q.runs = runs;
  q.seed = seed;
  q.threads = 2;
  return run_scenario(s, q);
}

const v1::Evaluation& overall(const v1::Results& r, const std::string& id) {
  for (const auto& o : r.options())
    if (o.option_id() == id) return o.overall();
  ADD_FAILURE() << "no option " << id;
  return v1::Evaluation::default_instance();
}

double metric_mean(const v1::Evaluation& e, v1::Metric m) {
  for (const auto& x : e.metrics())
    if (x.metric() == m) return x.distribution().mean();
  return 0;
}

v1::Option& option(v1::Scenario& s, const std::string& id) {
  for (auto& o : *s.mutable_options())
    if (o.id() == id) return o;
  throw std::logic_error("no option " + id);
}

ScheduledActivity activity(Lead lead, int start, int end, double intensity, double cost) {
  ScheduledActivity a;
  a.lead = lead;
  a.start = start;
  a.end = end;
  a.intensity = intensity;
  a.cost = cost;
  return a;
}

TEST(Prioritisation, HigherPrioritiesKeepFullIntensityWhenTheBudgetIsShort) {
  OptionPlan plan;
  plan.budget_per_month = 250;
  // In priority order: 100, 200 and 300 a month; a fourth is not active this month.
  plan.activities = {activity(Lead::kUnCountryTeam, 0, 12, 1.0, 100), activity(Lead::kUnCountryTeam, 0, 12, 0.8, 200),
                     activity(Lead::kUnCountryTeam, 0, 12, 1.0, 300), activity(Lead::kUnCountryTeam, 6, 12, 1.0, 10)};
  std::vector<double> u;
  EXPECT_DOUBLE_EQ(fund_activities(plan, 3, Gates{}, u), 250);
  EXPECT_DOUBLE_EQ(u[0], 1.0);         // fully funded
  EXPECT_DOUBLE_EQ(u[1], 0.8 * 0.75);  // the marginal activity: 150 of its 200
  EXPECT_DOUBLE_EQ(u[2], 0.0);         // nothing left
  EXPECT_DOUBLE_EQ(u[3], 0.0);         // not yet started
  plan.budget_per_month = 1000;
  EXPECT_DOUBLE_EQ(fund_activities(plan, 3, Gates{}, u), 600);
  EXPECT_DOUBLE_EQ(u[1], 0.8);
  EXPECT_DOUBLE_EQ(u[2], 1.0);
}

TEST(Prioritisation, ConsentAndDeploymentGateMissionComponentsOnly) {
  OptionPlan plan;
  plan.budget_per_month = 1e9;
  plan.activities = {activity(Lead::kMilitary, 0, 12, 1, 1), activity(Lead::kPolice, 0, 12, 1, 1),
                     activity(Lead::kCivilian, 0, 12, 1, 1), activity(Lead::kUnCountryTeam, 0, 12, 1, 1),
                     activity(Lead::kHostGovernment, 0, 12, 1, 1)};
  std::vector<double> u;
  fund_activities(plan, 0, gates(/*ramp=*/0.5, /*consent=*/0.4, {1, 1, 1, 1}), u);
  EXPECT_DOUBLE_EQ(u[0], 0.2);
  EXPECT_DOUBLE_EQ(u[1], 0.2);
  EXPECT_DOUBLE_EQ(u[2], 0.4);
  EXPECT_DOUBLE_EQ(u[3], 1.0);
  EXPECT_DOUBLE_EQ(u[4], 1.0);
}

TEST(Prioritisation, CuttingTheBudgetCutsTheLowestPriorityAndItsResults) {
  // tiny's small PKO: mediation (priority 1, 0.2 M a month), DDR (2, here 1.0 M a month) and
  // gender/WPS (3, 0.15 M a month). A budget of 1.05 M a month funds DDR in full but only a third
  // of gender/WPS while DDR runs: women's participation falls, and less is spent.
  v1::Scenario full = load("scenarios/examples/tiny.textproto");
  for (auto& a : *option(full, "small_pko").mutable_activities())
    if (a.id() == "ddr") a.mutable_cost_usd_per_month()->set_value(1.0e6);
  v1::Scenario short_budget = full;
  option(full, "small_pko").mutable_resources()->mutable_programme_budget_usd_per_year()->set_value(60e6);
  option(short_budget, "small_pko")
      .mutable_resources()
      ->mutable_programme_budget_usd_per_year()
      ->set_value(12 * 1.05e6);
  const v1::Results a = run(full, 1000), b = run(short_budget, 1000);
  const auto& fa = overall(a, "small_pko");
  const auto& fb = overall(b, "small_pko");
  EXPECT_LT(metric_mean(fb, v1::METRIC_WOMEN_PARTICIPATION), metric_mean(fa, v1::METRIC_WOMEN_PARTICIPATION) - 0.01);
  EXPECT_LT(metric_mean(fb, v1::METRIC_COST_USD), metric_mean(fa, v1::METRIC_COST_USD));
  // Options whose budgets did not change are untouched (common random numbers).
  EXPECT_EQ(overall(a, "good_offices").score().mean(), overall(b, "good_offices").score().mean());
}

TEST(Drawdown, SharesOfStrengthStepThroughTheScheduleAndGateTheirComponents) {
  const std::vector<StrengthStep> steps = {{36, {0.5, 1, 1, 0.8}}, {48, {0, 0, 0, 0}}};
  EXPECT_EQ(strength_share(steps, 35), (std::array<double, kPersonnelCount>{1, 1, 1, 1}));
  EXPECT_EQ(strength_share(steps, 36), (std::array<double, kPersonnelCount>{0.5, 1, 1, 0.8}));
  EXPECT_EQ(strength_share(steps, 47), (std::array<double, kPersonnelCount>{0.5, 1, 1, 0.8}));
  EXPECT_EQ(strength_share(steps, 48), (std::array<double, kPersonnelCount>{0, 0, 0, 0}));
  const Gates g = gates(/*ramp=*/1, /*consent=*/0.9, strength_share(steps, 40));
  EXPECT_NEAR(g.military, 0.45, 1e-12);
  EXPECT_NEAR(g.police, 0.9, 1e-12);
  EXPECT_NEAR(g.civilian, 0.72, 1e-12);
}

TEST(Drawdown, AMissionThatLeavesTakesItsActivitiesAndCostsWithItAndTheFutureGoesOn) {
  v1::Scenario s = load("");
  v1::Option leaving = option(s, "small_pko");
  leaving.set_id("small_pko_leaves");
  leaving.mutable_resources()->set_withdrawal_month(24);
  v1::Activity* recovery = leaving.add_activities();  // the UN country team stays
  recovery->set_id("recovery");
  recovery->set_kind(v1::ACTIVITY_KIND_ECONOMIC_RECOVERY);
  recovery->set_lead(v1::COMPONENT_UN_COUNTRY_TEAM);
  *s.add_options() = leaving;
  const Model m = compile(s);
  const OptionSpec& spec = m.options.back();
  const std::vector<ActivityWindow> w = schedule(spec, {});
  for (std::size_t j = 0; j < spec.activities.size(); ++j) {
    const Lead lead = spec.activities[j].lead;
    if (lead == Lead::kUnCountryTeam || lead == Lead::kHostGovernment)
      EXPECT_EQ(w[j].end, ActivityWindow::kNever) << spec.activities[j].id;
    else
      EXPECT_LE(w[j].end, 24) << spec.activities[j].id;
  }
  const v1::Results r = run(s, 2000);
  const v1::Evaluation& stays = overall(r, "small_pko");
  const v1::Evaluation& leaves = overall(r, "small_pko_leaves");
  // Half the horizon without personnel costs much less; the futures run on and can relapse after
  // the mission has gone.
  EXPECT_LT(metric_mean(leaves, v1::METRIC_COST_USD), 0.7 * metric_mean(stays, v1::METRIC_COST_USD));
  const int h = leaves.p_relapse_by_month_size();
  EXPECT_GT(leaves.p_relapse_by_month(h - 1) - leaves.p_relapse_by_month(24),
            stays.p_relapse_by_month(h - 1) - stays.p_relapse_by_month(24));
}

TEST(Shocks, ApplyAtTheirMonthAndNotBefore) {
  v1::Scenario quiet = load("scenarios/examples/tiny.textproto");
  for (auto& ps : *quiet.mutable_planning_scenarios()) ps.clear_shocks();
  v1::Scenario shocked = quiet;
  for (auto& ps : *shocked.mutable_planning_scenarios()) {
    auto* sh = ps.add_shocks();
    sh->set_month(10);  // month index 10: simulated month 11
    sh->set_duration_months(3);
    sh->set_risk(true);
    sh->mutable_delta()->set_value(5.0);
  }
  const v1::Results a = run(quiet, 500), b = run(shocked, 500);
  for (const auto& id : {"no_mission", "small_pko"}) {
    const auto& qa = overall(a, id).p_relapse_by_month();
    const auto& qb = overall(b, id).p_relapse_by_month();
    for (int m = 0; m < 10; ++m) EXPECT_EQ(qa[m], qb[m]) << id << " month " << m + 1;  // identical before
    EXPECT_GT(qb[12], 0.95) << id;  // a massive risk shock brings war within its three months
    EXPECT_LT(qa[12], 0.5) << id;
  }
}

TEST(Consent, AMissionThatLosesConsentLosesItsEffect) {
  // The host government turns against the process from the first month: its position falls below
  // the consent threshold, consent decays, and the mission's effects are multiplied by it.
  v1::Scenario with = load("");
  with.clear_planning_scenarios();
  v1::Scenario without = with;
  auto* ps = without.add_planning_scenarios();
  ps->set_id("consent_withdrawn");
  ps->set_weight(1);
  auto* sh = ps->add_shocks();
  sh->set_month(0);
  sh->set_duration_months(60);
  sh->set_actor("government");
  sh->mutable_delta()->set_value(-1.0);  // pinned at 0: far below the consent threshold
  auto* base = with.add_planning_scenarios();
  base->set_id("consent_withdrawn");  // same id and weight: the realisations draw alike
  base->set_weight(1);
  const v1::Results a = run(with, 2000), b = run(without, 2000);
  auto effect = [](const v1::Results& r) {
    return metric_mean(overall(r, "no_mission"), v1::METRIC_RELAPSE) -
           metric_mean(overall(r, "large_pko"), v1::METRIC_RELAPSE);
  };
  EXPECT_GT(effect(a), 0.15);             // with consent the large PKO prevents many relapses
  EXPECT_LT(effect(b), 0.5 * effect(a));  // without it, less than half of that effect remains
}

TEST(ContestedEvidence, ElectionTimingIsAPlanningScenarioParameter) {
  // Brancati & Snyder (2013): early elections raise relapse risk while they run; Collier et al.
  // (2008): no effect. The same scenario, with the elections' risk effect overridden per planning
  // scenario, shows how much the early-elections option depends on which is right.
  v1::Scenario s = load("");
  s.clear_planning_scenarios();
  auto* harmful = s.add_planning_scenarios();
  harmful->set_id("brancati_snyder");
  harmful->set_weight(1);
  auto* o = harmful->add_overrides();
  o->set_path("activity_catalogue[ELECTIONS].risk");
  o->mutable_value()->set_value(0.08);
  auto* harmless = s.add_planning_scenarios();
  harmless->set_id("collier_et_al");
  harmless->set_weight(1);
  auto* z = harmless->add_overrides();
  z->set_path("activity_catalogue[ELECTIONS].risk");
  z->mutable_value()->set_value(0.0);
  const v1::Results r = run(s, 2000);
  auto relapse = [&](const std::string& id, const std::string& scenario) {
    for (const auto& opt : r.options())
      if (opt.option_id() == id)
        for (const auto& e : opt.by_planning_scenario())
          if (e.planning_scenario_id() == scenario) return metric_mean(e, v1::METRIC_RELAPSE);
    ADD_FAILURE() << id << " " << scenario;
    return 0.0;
  };
  const double gap_harmful =
      relapse("large_pko_early_elections", "brancati_snyder") - relapse("large_pko", "brancati_snyder");
  const double gap_harmless =
      relapse("large_pko_early_elections", "collier_et_al") - relapse("large_pko", "collier_et_al");
  EXPECT_GT(gap_harmful, 0.03);
  EXPECT_LT(gap_harmless, gap_harmful - 0.03);
}

}  // namespace
}  // namespace peacesim
