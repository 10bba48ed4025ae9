// Validation against the published record (shared/design/VALIDATION.md, facts V1-V8, and V9-V12 of
// docs/model.md §8): each test runs the engine with the default (Carana) profile or a stated
// variant, at least 10,000 realisations and a fixed seed, and requires the 95% Monte-Carlo interval
// of the estimate to lie inside the published range (V4, V10: orderings with Monte-Carlo tolerance;
// V5, V6: signs of effects). How each estimate is computed is documented in docs/model.md,
// "Validation".
//
// The seed is fixed, so each test is deterministic. Were the seed drawn at random, a check whose
// true value sat exactly on a range boundary would fail with probability 2.5%; the calibrated
// values sit well inside the ranges (docs/model.md lists them).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "engine/compile.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/realisation.h"
#include "engine/world.h"

namespace peacesim {
namespace {

constexpr std::int64_t kRuns = 10000;
constexpr std::uint64_t kSeed = 20261123;
constexpr double kZ = 1.959963984540054;

struct Estimate {
  double value, low, high;
};

std::ostream& operator<<(std::ostream& os, const Estimate& e) {
  return os << e.value << " [" << e.low << ", " << e.high << "]";
}

void expect_inside(const Estimate& e, double lo, double hi, const char* fact) {
  std::cout << fact << ": " << e << " (published range [" << lo << ", " << hi << "])\n";
  EXPECT_GE(e.low, lo) << fact << ": " << e << " must lie inside [" << lo << ", " << hi << "]";
  EXPECT_LE(e.high, hi) << fact << ": " << e << " must lie inside [" << lo << ", " << hi << "]";
}

v1::Scenario carana() {
  io::LoadedScenario loaded = io::load_default_scenario();
  io::require_valid(loaded);
  return loaded.scenario;
}

// The scenario with only the listed options (in that order).
v1::Scenario with_options(v1::Scenario s, const std::vector<std::string>& ids) {
  google::protobuf::RepeatedPtrField<v1::Option> kept;
  for (const auto& id : ids)
    for (const auto& o : s.options())
      if (o.id() == id) *kept.Add() = o;
  s.mutable_options()->Swap(&kept);
  s.mutable_simulation()->set_baseline_option(ids.front());
  return s;
}

const v1::Evaluation& overall(const v1::Results& r, const std::string& id) {
  for (const auto& o : r.options())
    if (o.option_id() == id) return o.overall();
  ADD_FAILURE() << "no option " << id;
  return v1::Evaluation::default_instance();
}

v1::Results run(const v1::Scenario& s, int horizon = 60) {
  RunRequest q;
  q.runs = kRuns;
  q.horizon = horizon;
  q.seed = kSeed;
  return run_scenario(s, q);
}

// Probability of relapse within the horizon, with its normal-approximation interval.
Estimate relapse(const v1::Evaluation& e) {
  const double p = e.p_relapse_by_month(e.p_relapse_by_month_size() - 1);
  const double h = kZ * std::sqrt(p * (1 - p) / static_cast<double>(e.realisations()));
  return {p, p - h, p + h};
}

// Pooled monthly hazard of relapse: first relapses per month at risk (a realisation is at risk
// from month 1 until its first war month, inclusive, or the horizon).
struct Hazard {
  double events = 0, exposure = 0;
};

Hazard hazard(const v1::Evaluation& e) {
  const double n = static_cast<double>(e.realisations());
  Hazard h;
  double previous = 0;
  for (double f : e.p_relapse_by_month()) {
    h.exposure += n * (1 - previous);
    previous = f;
  }
  h.events = n * previous;
  return h;
}

// Ratio of pooled hazards; 95% interval from the Poisson variance of log counts, 1/e1 + 1/e0
// (conservative under common random numbers, which correlate the two arms positively).
Estimate hazard_ratio(const v1::Evaluation& treated, const v1::Evaluation& control) {
  const Hazard t = hazard(treated), c = hazard(control);
  const double log_hr = std::log((t.events / t.exposure) / (c.events / c.exposure));
  const double se = std::sqrt(1 / t.events + 1 / c.events);
  return {std::exp(log_hr), std::exp(log_hr - kZ * se), std::exp(log_hr + kZ * se)};
}

const v1::Results& carana_60() {
  static const v1::Results r = run(carana());
  return r;
}

TEST(Validation, V1RelapseWithinFiveYearsWithoutMission) {
  expect_inside(relapse(overall(carana_60(), "no_mission")), 0.23, 0.45, "V1");
}

TEST(Validation, V2RelapseWithinTenYearsWithoutMission) {
  const v1::Results r = run(with_options(carana(), {"no_mission"}), 120);
  expect_inside(relapse(overall(r, "no_mission")), 0.35, 0.55, "V2");
}

TEST(Validation, V3LargePeacekeepingOperationHazardRatio) {
  expect_inside(hazard_ratio(overall(carana_60(), "large_pko"), overall(carana_60(), "no_mission")), 0.15, 0.50, "V3");
}

TEST(Validation, V4RelapseFallsWithTheStrengthOfTheUnRole) {
  const std::vector<std::string> order = {"no_mission",       "good_offices", "special_political_mission",
                                          "observer_mission", "small_pko",    "large_pko"};
  for (std::size_t k = 0; k + 1 < order.size(); ++k) {
    const Estimate a = relapse(overall(carana_60(), order[k])), b = relapse(overall(carana_60(), order[k + 1]));
    std::cout << "V4: " << order[k] << " " << a << " >= " << order[k + 1] << " " << b << "\n";
    // a >= b within Monte-Carlo tolerance: the difference may fall short of 0 by at most 1.96 SE.
    const double se = std::hypot((a.high - a.value) / kZ, (b.high - b.value) / kZ);
    EXPECT_GE(a.value - b.value, -kZ * se)
        << "V4: P(relapse) of " << order[k] << " (" << a << ") must be >= that of " << order[k + 1] << " (" << b << ")";
  }
}

// Per-realisation outcomes of every option of a scenario, for effects estimated within
// realisations (common random numbers make these paired comparisons).
template <typename Visit>
void each_realisation(const v1::Scenario& s, Visit visit, std::uint64_t seed = kSeed, int horizon = 0) {
  Model m = compile(s);
  if (horizon > 0) m.horizon = horizon;
  const Sampler sampler(m, seed, kRuns);
  RealisationParams params;
  Noise noise;
  WorldScratch scratch;
  std::vector<double> theta;
  std::vector<Outcome> outcomes(m.options.size());
  std::vector<Trajectory> paths(m.options.size());
  for (std::int64_t i = 0; i < kRuns; ++i) {
    const int p = sampler.planning_scenario(i);
    sampler.draw(i, p, theta);
    build_realisation(m, theta, p, m.horizon, params);
    draw_noise(m, seed, i, m.horizon, noise);
    for (std::size_t o = 0; o < m.options.size(); ++o)
      simulate(params, static_cast<int>(o), noise, scratch, outcomes[o], &paths[o]);
    visit(outcomes, paths);
  }
}

// A copy of Carana's large PKO (protection-of-civilians mandate) with fixed personnel.
v1::Option pko(const v1::Scenario& s, const std::string& id, double troops, double police, double observers) {
  v1::Option o;
  for (const auto& x : s.options())
    if (x.id() == "large_pko") o = x;
  o.set_id(id);
  o.mutable_resources()->mutable_troops()->set_value(troops);
  o.mutable_resources()->mutable_police()->set_value(police);
  o.mutable_resources()->mutable_observers()->set_value(observers);
  return o;
}

Estimate mean_interval(double sum, double sum_squares, double n) {
  const double mean = sum / n, var = (sum_squares - n * mean * mean) / (n - 1);
  const double h = kZ * std::sqrt(var / n);
  return {mean, mean - h, mean + h};
}

TEST(Validation, V5CivilianKillingsFallAsTroopsAndPoliceRiseUnderAProtectionMandate) {
  v1::Scenario s = carana();
  s.clear_options();
  const std::vector<double> troops = {0, 2500, 5000, 10000, 15000, 20000};
  for (double t : troops) *s.add_options() = pko(carana(), "pko_" + std::to_string(static_cast<int>(t)), t, t / 10, 0);
  s.mutable_simulation()->set_baseline_option("pko_0");
  // Slope of civilian deaths on thousands of troops and police, fitted within each realisation.
  std::vector<double> x;
  double mx = 0;
  for (double t : troops) x.push_back(1.1 * t / 1000);
  for (double v : x) mx += v / static_cast<double>(x.size());
  double sxx = 0;
  for (double v : x) sxx += (v - mx) * (v - mx);
  double sum = 0, sum2 = 0;
  each_realisation(s, [&](const std::vector<Outcome>& out, const std::vector<Trajectory>&) {
    double sxy = 0;
    for (std::size_t o = 0; o < out.size(); ++o)
      sxy += (x[o] - mx) * out[o].metrics[static_cast<int>(Metric::kCivilianDeaths)];
    const double slope = sxy / sxx;
    sum += slope;
    sum2 += slope * slope;
  });
  const Estimate slope = mean_interval(sum, sum2, kRuns);
  std::cout << "V5: civilian deaths per 1,000 troops and police: " << slope << "\n";
  EXPECT_LT(slope.high, 0) << "V5: civilian deaths per 1,000 troops and police: " << slope;
}

TEST(Validation, V6BattleDeathsFallWithTroopsButNotWithPoliceOrObservers) {
  // Hultman, Kathman & Shannon (2014) regress the battle deaths of each conflict month on the
  // deployment, controlling for the conflict's state (its intensity the month before). Here: the
  // mean, over a realisation's months at war, of log battle deaths less log armed strength (the
  // state the model's battle deaths scale with), the base deployment on one set of futures and
  // each variant on an independent set (another seed), as each conflict is observed once.
  // Without that control, police and observers show a small positive selection effect: by
  // deterring the weaker relapses they leave the wars of stronger armed groups (printed below as
  // "uncontrolled"; docs/model.md, "Validation").
  v1::Scenario s = carana();
  s.clear_options();
  *s.add_options() = pko(carana(), "base", 5000, 500, 0);
  *s.add_options() = pko(carana(), "more_troops", 15000, 500, 0);
  *s.add_options() = pko(carana(), "more_police", 5000, 2500, 0);
  *s.add_options() = pko(carana(), "observers", 5000, 500, 200);
  s.mutable_simulation()->set_baseline_option("base");
  struct Arm {
    double sum = 0, sum2 = 0, n = 0;
    void add(double x) {
      sum += x;
      sum2 += x * x;
      n += 1;
    }
    double mean() const { return sum / n; }
    double variance() const { return (sum2 - n * mean() * mean()) / (n - 1); }
  };
  struct Arms {
    Arm controlled, uncontrolled;
    void add(const Trajectory& t) {
      double deaths = 0, strength = 0;
      int months = 0;
      for (std::size_t m = 1; m < t.regime.size(); ++m) {
        if (t.regime[m] != static_cast<std::uint8_t>(models::Regime::kWar)) continue;
        deaths += std::log(t.at(static_cast<int>(m), Indicator::kBattleDeaths));
        strength += std::log(std::max(t.at(static_cast<int>(m), Indicator::kArmedStrength), 0.1));
        ++months;
      }
      if (months == 0) return;
      controlled.add((deaths - strength) / months);
      uncontrolled.add(deaths / months);
    }
  };
  Arms arms[4];
  each_realisation(s,
                   [&](const std::vector<Outcome>&, const std::vector<Trajectory>& paths) { arms[0].add(paths[0]); });
  each_realisation(
      s,
      [&](const std::vector<Outcome>&, const std::vector<Trajectory>& paths) {
        for (int o = 1; o < 4; ++o) arms[o].add(paths[o]);
      },
      kSeed + 1);
  auto effect = [&](Arm Arms::*arm, int o) {
    const Arm &a = arms[o].*arm, &b = arms[0].*arm;
    const double d = a.mean() - b.mean();
    const double h = kZ * std::sqrt(a.variance() / a.n + b.variance() / b.n);
    return Estimate{d, d - h, d + h};
  };
  ASSERT_GT(arms[0].controlled.n, 200);
  const Estimate troops = effect(&Arms::controlled, 1), police = effect(&Arms::controlled, 2),
                 observers = effect(&Arms::controlled, 3);
  std::cout << "V6: troops " << troops << ", police " << police << ", observers " << observers << "\n"
            << "V6 uncontrolled: troops " << effect(&Arms::uncontrolled, 1) << ", police "
            << effect(&Arms::uncontrolled, 2) << ", observers " << effect(&Arms::uncontrolled, 3) << "\n";
  EXPECT_LT(troops.high, 0) << "V6: effect of 10,000 more troops on log battle deaths at war: " << troops;
  for (const auto& [name, e] : {std::pair{"police", police}, std::pair{"observers", observers}}) {
    EXPECT_LE(e.low, 0) << "V6: " << name << " must have no detectable effect: " << e;
    EXPECT_GE(e.high, 0) << "V6: " << name << " must have no detectable effect: " << e;
  }
}

// Carana without a mission, with one gender quantity replaced by a fixed value.
v1::Results no_mission_with(const char* field, double value) {
  v1::Scenario s = with_options(carana(), {"no_mission"});
  auto* q = static_cast<v1::Quantity*>(s.mutable_gender()->GetReflection()->MutableMessage(
      s.mutable_gender(), v1::Gender::descriptor()->FindFieldByName(field)));
  q->set_value(value);
  return run(s);
}

TEST(Validation, V7WomensMeaningfulParticipationMakesPeaceMoreDurable) {
  // Meaningful participation: women 35% of negotiators and signatories, against 10%.
  const v1::Results low = no_mission_with("participation", 0.10), high = no_mission_with("participation", 0.35);
  const v1::Evaluation& a = overall(high, "no_mission");
  const v1::Evaluation& b = overall(low, "no_mission");
  expect_inside(hazard_ratio(a, b), 0.65, 0.95, "V7 hazard ratio");
  // P(peace lasts the horizon) rises by more than 0 and at most 35% (relative).
  const Estimate pa = relapse(a), pb = relapse(b);
  const double gain = (1 - pa.value) / (1 - pb.value) - 1;
  std::cout << "V7: P(peace lasts the horizon) relative gain " << gain << "\n";
  EXPECT_GT(gain, 0) << "V7";
  EXPECT_LE(gain, 0.35) << "V7";
  EXPECT_GT(pb.value - pa.value, kZ * std::hypot((pa.high - pa.value) / kZ, (pb.high - pb.value) / kZ))
      << "V7: the gain must be detectable";
}

TEST(Validation, V8HighGenderInequalityMultipliesTheRiskOfRelapse) {
  // High inequality: gender inequality index 0.75 (the top of post-war countries) against 0.30.
  const v1::Results low = no_mission_with("inequality", 0.30), high = no_mission_with("inequality", 0.75);
  expect_inside(hazard_ratio(overall(high, "no_mission"), overall(low, "no_mission")), 1.5, 3.0, "V8");
}

TEST(Validation, V9ATraditionalMandateAchievesAtMostHalfOfARobustMultidimensionalOne) {
  // Hegre, Hultman & Nygard (2019): at equal personnel and budget, a traditional mandate
  // (consent-based observation and mediation; neither robust nor protection of civilians) against
  // Carana's robust multidimensional large PKO. Effect = war-months cut against no mission over 60
  // months, paired by realisation; the ratio's interval is the delta method on the paired cuts.
  v1::Scenario s = with_options(carana(), {"no_mission", "large_pko"});
  v1::Option traditional = s.options(1);
  traditional.set_id("traditional");
  traditional.clear_mandate();
  traditional.clear_activities();
  for (const auto& a : s.options(1).activities())
    if (a.kind() == v1::ACTIVITY_KIND_MEDIATION || a.kind() == v1::ACTIVITY_KIND_BORDER_MONITORING ||
        a.kind() == v1::ACTIVITY_KIND_HUMAN_RIGHTS_MONITORING) {
      v1::Activity* x = traditional.add_activities();
      *x = a;
      x->clear_after();
    }
  *s.add_options() = traditional;
  const int war = static_cast<int>(Metric::kMonthsInWar);
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  each_realisation(s, [&](const std::vector<Outcome>& out, const std::vector<Trajectory>&) {
    const double a = out[0].metrics[war] - out[2].metrics[war];  // traditional's cut
    const double b = out[0].metrics[war] - out[1].metrics[war];  // robust multidimensional's cut
    sa += a, sb += b, saa += a * a, sbb += b * b, sab += a * b;
  });
  const double n = kRuns, ma = sa / n, mb = sb / n, ratio = ma / mb;
  const double va = saa / n - ma * ma, vb = sbb / n - mb * mb, cab = sab / n - ma * mb;
  const double se = std::sqrt((va - 2 * ratio * cab + ratio * ratio * vb) / n) / mb;
  std::cout << "V9: war-months cut, robust multidimensional " << mb << ", traditional " << ma << "\n";
  ASSERT_GT(mb, 1) << "V9: the robust multidimensional mission must cut war-months";
  expect_inside({ratio, ratio - kZ * se, ratio + kZ * se}, 0, 0.5, "V9 traditional / robust multidimensional");
}

// Carana without a mission, its last war ended as `ending`.
Estimate relapse_after(v1::WarEnding ending) {
  v1::Scenario s = with_options(carana(), {"no_mission"});
  s.mutable_situation()->set_war_ending(ending);
  return relapse(overall(run(s), "no_mission"));
}

TEST(Validation, V10RelapseDependsOnHowTheLastWarEnded) {
  // Fortna's episodes (Kaplan-Meier, relapse within five years): government victory 13%, rebel
  // victory 36%, negotiated settlement 44%, truce or ceasefire 71%.
  const std::vector<std::pair<v1::WarEnding, double>> facts = {{v1::WAR_ENDING_GOVERNMENT_VICTORY, 0.13},
                                                               {v1::WAR_ENDING_REBEL_VICTORY, 0.36},
                                                               {v1::WAR_ENDING_NEGOTIATED_SETTLEMENT, 0.44},
                                                               {v1::WAR_ENDING_TRUCE, 0.71}};
  std::vector<Estimate> e;
  for (const auto& [ending, figure] : facts) {
    e.push_back(relapse_after(ending));
    expect_inside(e.back(), figure - 0.10, figure + 0.10, ("V10 " + v1::WarEnding_Name(ending)).c_str());
  }
  auto se = [](const Estimate& a, const Estimate& b) {
    return std::hypot((a.high - a.value) / kZ, (b.high - b.value) / kZ);
  };
  EXPECT_GT(e[1].value - e[0].value, kZ * se(e[0], e[1])) << "V10: government victory < rebel victory";
  EXPECT_GE(e[2].value - e[1].value, -kZ * se(e[1], e[2])) << "V10: rebel victory <= settlement";
  EXPECT_GT(e[3].value - e[2].value, kZ * se(e[2], e[3])) << "V10: settlement < truce";
}

// Carana at the outbreak of a new war (no earlier war on record), without a mission.
v1::Scenario carana_at_war() {
  v1::Scenario s = with_options(carana(), {"no_mission"});
  s.mutable_situation()->set_initial_regime(v1::REGIME_WAR);
  s.mutable_situation()->mutable_war_years()->set_value(0);
  return s;
}

bool at_war(const Trajectory& t, int month) {
  return t.regime[month] == static_cast<std::uint8_t>(models::Regime::kWar);
}

// The month in which a first spell of 12 months without war is complete, or 0 if none by the end.
int war_ended(const Trajectory& t) {
  int run = 0;
  for (int m = 1; m < static_cast<int>(t.regime.size()); ++m) {
    run = at_war(t, m) ? 0 : run + 1;
    if (run == 12) return m;
  }
  return 0;
}

Estimate share_interval(double k, double n) {
  const double p = k / n, h = kZ * std::sqrt(p * (1 - p) / n);
  return {p, p - h, p + h};
}

TEST(Validation, V11CivilWarsEnd) {
  // Fearon (2004): civil wars since 1945 have a median duration of roughly 6-7 years, and only a
  // minority last beyond a decade. Ended = a first spell of 12 months without war.
  double by60 = 0, by240 = 0;
  each_realisation(
      carana_at_war(),
      [&](const std::vector<Outcome>&, const std::vector<Trajectory>& paths) {
        const int m = war_ended(paths[0]);
        by60 += m > 0 && m <= 60;
        by240 += m > 0;
      },
      kSeed, 240);
  expect_inside(share_interval(by60, kRuns), 0.35, 0.60, "V11 war ended by month 60");
  expect_inside(share_interval(by240, kRuns), 0.75, 1.0, "V11 war ended by month 240");
}

TEST(Validation, V12AWarLeavesRiskBehindItTheConflictTrap) {
  // Hegre, Nygard & Raeder (2017): forcing 2-3 years of war at the start adds 5-13 war-years over
  // the following 22 years, against starting at peace. The country is Carana without war history
  // (war_years 0); the forced arm starts at war, and a risk shock of +0.5 a month holds it there for
  // months 1-30. War-years are counted over months 31-294 in both arms, paired by realisation.
  constexpr int kForced = 30, kHorizon = kForced + 22 * 12;
  v1::Scenario peace = with_options(carana(), {"no_mission"});
  peace.mutable_situation()->mutable_war_years()->set_value(0);
  v1::Scenario forced = peace;
  forced.mutable_situation()->set_initial_regime(v1::REGIME_WAR);
  for (auto& p : *forced.mutable_planning_scenarios()) {
    v1::Shock* shock = p.add_shocks();
    shock->set_month(0);
    shock->set_duration_months(kForced);
    shock->set_risk(true);
    shock->mutable_delta()->set_value(0.5);
  }
  auto war_years = [&](const v1::Scenario& s, int from, int to) {
    std::vector<double> years;
    each_realisation(
        s,
        [&](const std::vector<Outcome>&, const std::vector<Trajectory>& paths) {
          int months = 0;
          for (int m = from; m <= to; ++m) months += at_war(paths[0], m);
          years.push_back(months / 12.0);
        },
        kSeed, kHorizon);
    return years;
  };
  const std::vector<double> during = war_years(forced, 1, kForced);
  double held = 0;
  for (double y : during) held += y * 12 / kForced / kRuns;
  std::cout << "V12: share of months 1-30 at war in the forced arm " << held << "\n";
  ASSERT_GT(held, 0.95) << "V12: the forcing must hold the country at war";
  const std::vector<double> a = war_years(forced, kForced + 1, kHorizon), b = war_years(peace, kForced + 1, kHorizon);
  double sum = 0, sum2 = 0, pa = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sum += a[i] - b[i];
    sum2 += (a[i] - b[i]) * (a[i] - b[i]);
    pa += b[i] / kRuns;
  }
  std::cout << "V12: war-years over the following 22 years at peace " << pa << "\n";
  expect_inside(mean_interval(sum, sum2, kRuns), 5, 13, "V12 added war-years");
}

TEST(Validation, V12WarHistoryNeverLowersTheRisk) {
  // A country with no war history is never riskier than one just out of war, other things equal.
  double previous = -1;
  for (double years : {0.0, 2.0, 8.0, 20.0}) {
    v1::Scenario s = with_options(carana(), {"no_mission"});
    s.mutable_situation()->mutable_war_years()->set_value(years);
    const Estimate e = relapse(overall(run(s), "no_mission"));
    std::cout << "V12: relapse within 5 years after a war of " << years << " years: " << e << "\n";
    EXPECT_GT(e.value, previous) << "war of " << years << " years";
    previous = e.value;
  }
}

TEST(Validation, NoMissionHazardFallsFromTheFirstYear) {
  // Post-war relapse risk is highest at once and falls with time at peace (Collier, Hoeffler &
  // Soderbom 2008; Walter 2004): the no-mission hazard of each year is below that of the year before.
  const v1::Evaluation& e = overall(run(with_options(carana(), {"no_mission"}), 120), "no_mission");
  double at_risk = 1, before = 0, previous = 1;
  for (int year = 1; year <= 4; ++year) {
    const double f = e.p_relapse_by_month(12 * year - 1);
    const double hazard = (f - before) / at_risk;
    std::cout << "hazard in year " << year << ": " << hazard << "\n";
    EXPECT_LT(hazard, previous) << "year " << year;
    previous = hazard;
    at_risk = 1 - f;
    before = f;
  }
}

}  // namespace
}  // namespace peacesim
