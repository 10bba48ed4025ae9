// Plausibility properties of the calibrated model (docs/model.md §8, "Plausibility"): behaviour
// nobody calibrated to, checked on Carana variants and on randomly generated valid scenarios,
// some of them at the documented limits of every input.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "engine/compile.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/model.h"
#include "engine/pipeline.h"
#include "engine/realisation.h"
#include "engine/world.h"

namespace peacesim {
namespace {

constexpr std::uint64_t kSeed = 20261130;

v1::Scenario load(const std::string& name) {
  io::LoadedScenario loaded = name == "carana"
                                  ? io::load_default_scenario()
                                  : io::load_scenario(std::string(PEACESIM_SOURCE_DIR) + "/scenarios/" + name);
  io::require_valid(loaded);
  return loaded.scenario;
}

// Every (realisation, option) of a scenario with its parameters and monthly path.
template <typename Visit>
void each_path(const v1::Scenario& s, std::int64_t runs, int horizon, Visit visit) {
  Model m = compile(s);
  m.horizon = horizon;
  const Sampler sampler(m, kSeed, runs);
  RealisationParams params;
  Noise noise;
  WorldScratch scratch;
  std::vector<double> theta;
  Outcome outcome;
  Trajectory path;
  for (std::int64_t i = 0; i < runs; ++i) {
    const int p = sampler.planning_scenario(i);
    sampler.draw(i, p, theta);
    build_realisation(m, theta, p, horizon, params);
    draw_noise(m, kSeed, i, horizon, noise);
    for (std::size_t o = 0; o < m.options.size(); ++o) {
      simulate(params, static_cast<int>(o), noise, scratch, outcome, &path);
      visit(m, params, static_cast<int>(o), outcome, path);
    }
  }
}

double indicator(const Trajectory& t, int month, Indicator x) { return t.at(month, x); }

// The validator's messages for a scenario built in code (empty when it is valid).
std::string problems(const v1::Scenario& s) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(s, &text);
  std::string out;
  for (const auto& d : io::validate(io::parse_scenario(text, "random.textproto", io::Format::kText)))
    out += d.path + ": " + d.message + "\n";
  return out;
}

bool at_war(const Trajectory& t, int month) {
  return t.regime[month] == static_cast<std::uint8_t>(models::Regime::kWar);
}

void set(v1::Quantity* q, double value) { q->set_value(value); }

TEST(Plausibility, HarmPerWarMonthScalesWithThePopulation) {
  // Battle deaths per war-month scale as population^0.5 (docs/model.md §2.5): between 9 and 90
  // million people, log battle deaths per war-month (controlling for armed strength, as in V6) rise
  // by 0.5 ln 10 = 1.15; civilian deaths follow battle deaths.
  auto log_deaths = [](double millions) {
    v1::Scenario s = load("carana");
    s.clear_options();
    s.add_options()->set_id("no_mission");
    s.mutable_simulation()->set_baseline_option("no_mission");
    set(s.mutable_situation()->mutable_population_millions(), millions);
    double battle = 0, civilian = 0, months = 0;
    each_path(s, 3000, 60, [&](const Model&, const RealisationParams&, int, const Outcome&, const Trajectory& t) {
      for (int m = 1; m <= 60; ++m) {
        if (!at_war(t, m)) continue;
        const double armed = std::log(std::max(indicator(t, m, Indicator::kArmedStrength), 0.1));
        battle += std::log(indicator(t, m, Indicator::kBattleDeaths)) - armed;
        civilian += std::log(indicator(t, m, Indicator::kCivilianDeaths)) - armed;
        months += 1;
      }
    });
    EXPECT_GT(months, 1000) << millions << " million";
    return std::pair{battle / months, civilian / months};
  };
  const auto [b9, c9] = log_deaths(9);
  const auto [b90, c90] = log_deaths(90);
  std::cout << "log battle deaths per war-month: 9 million " << b9 << ", 90 million " << b90 << "\n";
  EXPECT_NEAR(b90 - b9, 0.5 * std::log(10.0), 0.08);
  EXPECT_NEAR(c90 - c9, 0.5 * std::log(10.0), 0.08);
}

// A valid scenario drawn at random around the teaching example: the population, the violence and
// displacement parameters, the starting regime and displacement over their whole ranges.
v1::Scenario random_scenario(std::mt19937_64& rng) {
  v1::Scenario s = load("examples/tiny.textproto");
  std::uniform_real_distribution<double> u(0, 1);
  auto log_uniform = [&](double lo, double hi) {
    return std::exp(std::log(lo) + u(rng) * (std::log(hi) - std::log(lo)));
  };
  auto* situation = s.mutable_situation();
  set(situation->mutable_population_millions(), log_uniform(1e-3, 2e3));
  set(situation->mutable_initial_displaced(), u(rng) < 0.3 ? 0 : log_uniform(1, 1e9));
  set(situation->mutable_war_years(), 20 * u(rng));
  situation->set_initial_regime(static_cast<v1::Regime>(1 + static_cast<int>(4 * u(rng))));
  situation->set_war_ending(static_cast<v1::WarEnding>(static_cast<int>(5 * u(rng))));
  auto* d = s.mutable_dynamics();
  set(d->mutable_base_risk(), -0.5 + 1.5 * u(rng));
  set(d->mutable_battle_deaths_war(), log_uniform(84, 1e6));
  set(d->mutable_battle_deaths_crisis(), log_uniform(1, 1e5));
  set(d->mutable_civilian_ratio(), 100 * u(rng));
  set(d->mutable_displaced_per_death(), log_uniform(1, 1e5));
  set(d->mutable_return_rate(), u(rng));
  set(d->mutable_harm_population_elasticity(), u(rng));
  return s;
}

TEST(Plausibility, StocksAreBoundedByThePopulationInAnyScenario) {
  // For any valid scenario, in every month of every future: displaced <= population and cumulative
  // deaths <= population (and displaced <= the living).
  std::mt19937_64 rng(7);
  int saturated = 0;  // paths that come near a bound, so that the bounds are exercised
  for (int k = 0; k < 40; ++k) {
    const v1::Scenario s = random_scenario(rng);
    ASSERT_EQ(problems(s), "") << "scenario " << k;
    each_path(s, 50, 120, [&](const Model&, const RealisationParams& r, int o, const Outcome&, const Trajectory& t) {
      const double population = r.profile.population_millions * 1e6;
      double deaths = 0;
      for (int m = 0; m <= 120; ++m) {
        deaths += indicator(t, m, Indicator::kBattleDeaths) + indicator(t, m, Indicator::kCivilianDeaths);
        const double displaced = indicator(t, m, Indicator::kDisplaced);
        ASSERT_LE(deaths, population * (1 + 1e-12)) << "scenario " << k << " option " << o << " month " << m;
        ASSERT_LE(displaced, (population - deaths) * (1 + 1e-12) + 1e-6)
            << "scenario " << k << " option " << o << " month " << m;
        ASSERT_LE(indicator(t, m, Indicator::kDisplacedFemale), displaced * (1 + 1e-12) + 1e-6);
        ASSERT_LE(indicator(t, m, Indicator::kCivilianDeathsFemale),
                  indicator(t, m, Indicator::kCivilianDeaths) * (1 + 1e-12));
        if (m == 120 && (deaths > 0.5 * population || displaced > 0.5 * (population - deaths))) ++saturated;
      }
    });
  }
  std::cout << saturated << " paths end with over half the population dead or displaced\n";
  EXPECT_GT(saturated, 100);
}

TEST(Plausibility, WomensRepresentationChangesOnlyWhenSeatsAreFilled) {
  // For any valid scenario: women's share of seats moves only in months an election is held.
  std::mt19937_64 rng(11);
  for (int k = 0; k < 20; ++k) {
    v1::Scenario s = random_scenario(rng);
    // Every option supports women candidates; only one also holds elections, in months 12-17.
    auto* entry = s.add_activity_catalogue();
    entry->set_kind(v1::ACTIVITY_KIND_ELECTIONS);
    entry->mutable_representation()->set_value(0.004);
    for (auto& c : *s.mutable_activity_catalogue())
      if (c.kind() == v1::ACTIVITY_KIND_GENDER_WPS) c.mutable_representation()->set_value(0.003);
    v1::Activity* elections = s.mutable_options(1)->add_activities();
    elections->set_id("elections");
    elections->set_kind(v1::ACTIVITY_KIND_ELECTIONS);
    elections->set_lead(v1::COMPONENT_UN_COUNTRY_TEAM);
    elections->set_start_month(12);
    elections->set_duration_months(6);
    for (auto& o : *s.mutable_options()) {
      v1::Activity* wps = o.add_activities();
      wps->set_id("wps");
      wps->set_kind(v1::ACTIVITY_KIND_GENDER_WPS);
      wps->set_lead(v1::COMPONENT_UN_COUNTRY_TEAM);
    }
    ASSERT_EQ(problems(s), "") << "scenario " << k;
    each_path(s, 20, 36, [&](const Model&, const RealisationParams&, int o, const Outcome&, const Trajectory& t) {
      for (int m = 1; m <= 36; ++m) {
        const double before = indicator(t, m - 1, Indicator::kWomenRepresentation);
        const double now = indicator(t, m, Indicator::kWomenRepresentation);
        const bool election = o == 1 && m - 1 >= 12 && m - 1 < 18;
        if (election)
          EXPECT_GT(now, before) << "scenario " << k << " month " << m;
        else
          ASSERT_EQ(now, before) << "scenario " << k << " option " << o << " month " << m;
      }
    });
  }
}

TEST(Plausibility, FemaleSharesOfHarmRespondToTheOptions) {
  // The female shares of civilian deaths and of the displaced follow GBV, displacement and war
  // (docs/model.md §2.4), so an option that cuts GBV and war shows other shares than no mission.
  v1::Scenario s = load("carana");
  google::protobuf::RepeatedPtrField<v1::Option> kept;
  for (const auto& o : s.options())
    if (o.id() == "no_mission" || o.id() == "large_pko") *kept.Add() = o;
  s.mutable_options()->Swap(&kept);
  std::vector<double> female(2), all(2), displaced_female(2), displaced(2);
  each_path(s, 2000, 60, [&](const Model&, const RealisationParams&, int o, const Outcome& out, const Trajectory&) {
    female[o] += out.metrics[static_cast<int>(Metric::kCivilianDeathsFemale)];
    all[o] += out.metrics[static_cast<int>(Metric::kCivilianDeaths)];
    displaced_female[o] += out.metrics[static_cast<int>(Metric::kDisplacedPeakFemale)];
    displaced[o] += out.metrics[static_cast<int>(Metric::kDisplacedPeak)];
  });
  const double share_none = female[0] / all[0], share_pko = female[1] / all[1];
  std::cout << "female share of civilian deaths: no mission " << share_none << ", large PKO " << share_pko
            << "; of peak displaced: " << displaced_female[0] / displaced[0] << ", "
            << displaced_female[1] / displaced[1] << "\n";
  EXPECT_GT(share_none - share_pko, 0.005);
  EXPECT_GT(displaced_female[0] / displaced[0] - displaced_female[1] / displaced[1], 0.002);
}

// Scenarios at the documented limits (scenario.proto comments, the validator): random valid
// scenarios whose distributions sit at the edges the samplers accept (beta concentration 10^6 and
// shape parameters 10^-6, normals truncated deep in a tail or with a vanishing spread, lognormals
// as wide as the field allows, choices of many values), criteria weights from 0 to 10^6, a
// 600-month horizon and the largest counts of drivers and actors. Each must validate, run to the
// end and give finite results in their ranges. The bound on time is the ctest TIMEOUT of the
// validation label (tests/CMakeLists.txt): a sampler or a step that hangs on such input fails it.

// A share in [0, 1] drawn at one of the samplers' edges.
void edge_share(v1::Quantity* q, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  q->Clear();
  switch (static_cast<int>(6 * u(rng))) {
    case 0: {  // the largest concentration: nearly a point
      auto* b = q->mutable_beta();
      b->set_mean(0.001 + 0.998 * u(rng));
      b->set_concentration(1e6);
      break;
    }
    case 1: {  // the smallest shape parameter: nearly all mass at 0 or 1
      auto* b = q->mutable_beta();
      b->set_concentration(1 + u(rng));
      b->set_mean(1e-6 / b->concentration() * (1 + 1e-9));
      if (u(rng) < 0.5) b->set_mean(1 - b->mean());
      break;
    }
    case 2: {  // a normal truncated 6.9 standard deviations into its tail: its bounds hold about
               // 2.6e-12 of its probability (the validator's limit is 1e-12)
      auto* n = q->mutable_normal();
      n->set_mean(0.1);
      n->set_sd(0.01);
      n->set_lower(0.169);
      n->set_upper(1);
      break;
    }
    case 3: {  // a normal with a vanishing spread
      auto* n = q->mutable_normal();
      n->set_mean(u(rng));
      n->set_sd(1e-300);
      n->set_lower(0);
      n->set_upper(1);
      break;
    }
    case 4: {  // a choice of many values
      auto* c = q->mutable_choice();
      for (int k = 0; k < 1000; ++k) {
        c->add_values(k / 999.0);
        c->add_weights(k % 7 == 0 ? 0 : 1 + k);
      }
      break;
    }
    default:
      q->set_value(u(rng) < 0.5 ? 0 : 1);  // the range's ends
  }
}

v1::Scenario at_the_limits(std::mt19937_64& rng) {
  io::LoadedScenario loaded =
      io::load_scenario(std::string(PEACESIM_SOURCE_DIR) + "/scenarios/examples/tiny.textproto");
  v1::Scenario s = loaded.scenario;
  std::uniform_real_distribution<double> u(0, 1);
  // Many drivers and actors (up to the limits) in some scenarios; a long causal chain among them.
  const int drivers = u(rng) < 0.3 ? kMaxDrivers : 3 + static_cast<int>(20 * u(rng));
  while (s.drivers_size() < drivers) {
    v1::Driver* d = s.add_drivers();
    *d = s.drivers(0);
    d->set_id("driver_" + std::to_string(s.drivers_size()));
    d->clear_name();
    auto* e = s.add_causal_map();
    e->set_from(s.drivers(s.drivers_size() - 2).id());
    e->set_to(d->id());
    e->mutable_weight()->set_value(0.001);
  }
  const int actors = u(rng) < 0.3 ? kMaxActors : 3 + static_cast<int>(20 * u(rng));
  while (s.actors_size() < actors) {
    v1::Actor* a = s.add_actors();
    *a = s.actors(2);
    a->set_id("actor_" + std::to_string(s.actors_size()));
    a->clear_name();
  }
  for (auto& d : *s.mutable_drivers()) {
    edge_share(d.mutable_initial(), rng);
    edge_share(d.mutable_volatility(), rng);
  }
  for (auto& a : *s.mutable_actors()) {
    edge_share(a.mutable_position(), rng);
    edge_share(a.mutable_salience(), rng);
    // Fighters: a lognormal as wide as the field's range [0, 10^7] allows (8.3 sigma to 10^7).
    if (u(rng) < 0.5) {
      a.mutable_armed_strength()->Clear();
      auto* l = a.mutable_armed_strength()->mutable_lognormal();
      l->set_median(100);
      l->set_sigma(std::log(1e7 / 100) / 8.3 * 0.999);
    }
  }
  edge_share(s.mutable_gender()->mutable_gbv(), rng);
  edge_share(s.mutable_situation()->mutable_state_capacity(), rng);
  for (auto& c : *s.mutable_criteria()) c.set_weight(u(rng) < 0.3 ? 0 : u(rng) < 0.5 ? 1e6 : 1e-300);
  s.mutable_criteria(0)->set_weight(1e6);
  s.mutable_simulation()->set_horizon_months(kMaxHorizon);
  return s;
}

TEST(Limits, RandomScenariosAtTheDocumentedLimitsRunToTheEnd) {
  std::mt19937_64 rng(20261130);
  for (int k = 0; k < 12; ++k) {
    const v1::Scenario s = at_the_limits(rng);
    ASSERT_EQ(problems(s), "") << "scenario " << k;
    RunRequest q;
    q.runs = 16;
    q.threads = 2;
    q.seed = static_cast<std::uint64_t>(k);
    const v1::Results r = run_scenario(s, q);
    ASSERT_EQ(r.options_size(), s.options_size());
    for (const auto& o : r.options()) {
      const v1::Evaluation& e = o.overall();
      EXPECT_TRUE(std::isfinite(e.score().mean())) << "scenario " << k << " " << o.option_id();
      EXPECT_GE(e.score().mean(), 0) << "scenario " << k << " " << o.option_id();
      EXPECT_LE(e.score().mean(), 1) << "scenario " << k << " " << o.option_id();
      ASSERT_EQ(e.p_relapse_by_month_size(), kMaxHorizon);
      for (double p : e.p_relapse_by_month()) ASSERT_TRUE(p >= 0 && p <= 1) << "scenario " << k;
      for (const auto& m : e.metrics()) EXPECT_TRUE(std::isfinite(m.distribution().mean())) << "scenario " << k;
    }
  }
}

}  // namespace
}  // namespace peacesim
