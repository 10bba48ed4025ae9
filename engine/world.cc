// Month-by-month composition of the models; see world.h and docs/model.md ("one month").
#include "engine/world.h"

#include <algorithm>
#include <cmath>

#include "models/actors.h"
#include "models/drivers.h"
#include "models/dynamics.h"
#include "models/gender.h"

namespace peacesim {

double fund_activities(const OptionPlan& plan, int k, double ramp, double consent, std::vector<double>& intensity) {
  intensity.assign(plan.activities.size(), 0.0);
  double budget = plan.budget_per_month, spent = 0;
  for (std::size_t j = 0; j < plan.activities.size(); ++j) {  // in priority order
    const ScheduledActivity& a = plan.activities[j];
    if (k < a.start || k >= a.end) continue;
    const double need = a.cost;
    const double funded = need > 0 ? std::clamp(budget / need, 0.0, 1.0) : 1.0;
    budget -= funded * need;
    spent += funded * need;
    double gate = 1;
    switch (a.lead) {
      case Lead::kMilitary:
      case Lead::kPolice:
        gate = ramp * consent;
        break;
      case Lead::kCivilian:
        gate = consent;
        break;
      case Lead::kUnCountryTeam:
      case Lead::kHostGovernment:
        gate = 1;
        break;
    }
    intensity[j] = a.intensity * funded * gate;
  }
  return spent;
}

void simulate(const RealisationParams& r, int option, const Noise& noise, WorldScratch& w, Outcome& out,
              Trajectory* traj) {
  const OptionPlan& plan = r.options[option];
  const int horizon = r.horizon;
  const int nd = noise.drivers, na = noise.actors;

  w.drivers = models::initial_drivers(r.drivers);
  w.actors = models::initial_actors(r.actors);
  w.driver_push.setZero(nd);
  w.actor_push.setZero(na);
  models::GenderState gender = models::initial_gender(r.gender);
  models::DynamicsState dyn = models::initial_dynamics(r.dynamics, r.profile.initial_regime,
                                                       r.profile.months_since_agreement, r.profile.initial_displaced);
  const double strength0 = r.actors.strength.sum();
  const double personnel_cost =
      (plan.troops + plan.observers) * r.troop_cost + plan.police * r.police_cost + plan.civilians * r.civilian_cost;

  out = Outcome{};
  auto& m = out.metrics;
  double displaced_peak = dyn.displaced, gbv_sum = 0;
  int first_stable = dyn.regime == models::Regime::kStablePeace ? 0 : -1;
  auto record = [&](int t, const models::MonthViolence& v, double armed_ratio) {
    if (!traj) return;
    double* x = &traj->indicators[static_cast<std::size_t>(t) * kIndicatorCount];
    x[static_cast<int>(Indicator::kBattleDeaths)] = v.battle_deaths;
    x[static_cast<int>(Indicator::kCivilianDeaths)] = v.civilian_deaths;
    x[static_cast<int>(Indicator::kCivilianDeathsFemale)] = v.civilian_deaths * r.gender.female_share_deaths;
    x[static_cast<int>(Indicator::kDisplaced)] = dyn.displaced;
    x[static_cast<int>(Indicator::kDisplacedFemale)] = dyn.displaced * r.gender.female_share_displaced;
    x[static_cast<int>(Indicator::kConflictIntensity)] = dyn.intensity;
    x[static_cast<int>(Indicator::kWomenParticipation)] = gender.participation;
    x[static_cast<int>(Indicator::kWomenRepresentation)] = gender.representation;
    x[static_cast<int>(Indicator::kGbv)] = gender.gbv;
    x[static_cast<int>(Indicator::kArmedStrength)] = armed_ratio;
    traj->regime[t] = static_cast<std::uint8_t>(dyn.regime);
  };
  if (traj) {
    traj->indicators.assign(static_cast<std::size_t>(horizon + 1) * kIndicatorCount, 0.0);
    traj->regime.assign(horizon + 1, 0);
    record(0, models::MonthViolence{}, 1.0);
  }

  models::Presence last_presence;
  double deterrence = 0;  // recomputed only when the presence changes
  for (int k = 0; k < horizon; ++k) {
    const double ramp = deployment_ramp(plan.deployment_months, k);
    const double consent = w.actors.consent;

    // Activities: funded in priority order from the month's programme budget, gated by consent
    // (mission components) and deployment (military and police).
    w.driver_push.setZero();
    w.actor_push.setZero();
    double mediation = 0, ddr = 0, wp_push = 0, wr_push = 0, gbv_push = 0, risk_push = 0;
    const double spent = fund_activities(plan, k, ramp, consent, w.intensity);
    for (std::size_t j = 0; j < plan.activities.size(); ++j) {
      const ScheduledActivity& a = plan.activities[j];
      const double u = w.intensity[j];
      if (u <= 0) continue;
      const ActivityEffect& e = r.effects[static_cast<int>(a.kind)];
      for (const auto& [d, x] : e.drivers) w.driver_push[d] += u * x;
      for (const auto& [actor, x] : e.actors) w.actor_push[actor] += u * x;
      mediation += u * e.mediation;
      ddr += u * e.ddr;
      wp_push += u * e.participation;
      wr_push += u * e.representation;
      gbv_push += u * e.gbv;
      risk_push += u * e.risk;
    }
    for (const Shock& s : r.shocks) {
      if (k < s.start || k >= s.end) continue;
      switch (s.target) {
        case ShockTarget::kDriver:
          w.driver_push[s.index] += s.delta;
          break;
        case ShockTarget::kActor:
          w.actor_push[s.index] += s.delta;
          break;
        case ShockTarget::kRisk:
          risk_push += s.delta;
          break;
      }
    }

    models::Presence presence;
    presence.troops = plan.troops * ramp * consent;
    presence.police = plan.police * ramp * consent;
    presence.observers = plan.observers * ramp * consent;
    presence.protection_of_civilians = plan.protection_of_civilians;
    presence.robust = plan.robust;
    if (k == 0 || presence.troops != last_presence.troops || presence.police != last_presence.police ||
        presence.observers != last_presence.observers) {
      deterrence = models::deterrence(r.dynamics, presence);
      last_presence = presence;
    }

    models::RiskFactors f;
    f.driver_risk = models::driver_risk(r.drivers, w.drivers);
    f.polarisation = models::polarisation(r.actors, w.actors);
    f.spoiler = models::spoiler_strength(r.actors, w.actors);
    f.gbv = gender.gbv;
    f.participation = gender.participation;
    f.inequality = r.gender.inequality;
    f.deterrence = deterrence;
    f.push = risk_push;

    const double armed_ratio = strength0 > 0 ? w.actors.strength.sum() / strength0 : 1.0;
    models::MonthViolence v;
    models::step_dynamics(r.dynamics, f, presence, armed_ratio, noise.dynamics[2 * k], noise.dynamics[2 * k + 1], dyn,
                          v);

    models::GenderInputs gi;
    gi.participation_push = wp_push;
    gi.representation_push = wr_push;
    gi.gbv_push = gbv_push;
    gi.violence = r.dynamics.battle_deaths_war > 0 ? std::min(1.0, v.battle_deaths / r.dynamics.battle_deaths_war) : 0;
    models::step_gender(r.gender, gi, gender);

    models::step_drivers(r.drivers, w.driver_push, &noise.driver[static_cast<std::size_t>(k) * nd], w.drivers);

    models::ActorInputs ai;
    ai.mediation = std::min(1.0, r.bargaining_pull * mediation);
    ai.ddr = std::min(1.0, ddr);
    ai.at_war = dyn.regime == models::Regime::kWar;
    ai.driver_risk = f.driver_risk;
    ai.push = &w.actor_push;
    models::step_actors(r.actors, ai, &noise.actor[static_cast<std::size_t>(k) * na], w.actors);

    const int t = k + 1;
    if (dyn.regime == models::Regime::kWar) {
      m[static_cast<int>(Metric::kMonthsInWar)] += 1;
      if (out.relapse_month == 0) out.relapse_month = t;
    }
    if (first_stable < 0 && dyn.regime == models::Regime::kStablePeace) first_stable = t;
    m[static_cast<int>(Metric::kBattleDeaths)] += v.battle_deaths;
    m[static_cast<int>(Metric::kCivilianDeaths)] += v.civilian_deaths;
    displaced_peak = std::max(displaced_peak, dyn.displaced);
    gbv_sum += gender.gbv;
    m[static_cast<int>(Metric::kCostUsd)] += personnel_cost * ramp + spent;
    record(t, v, armed_ratio);
  }

  m[static_cast<int>(Metric::kRelapse)] = out.relapse_month > 0 ? 1.0 : 0.0;
  m[static_cast<int>(Metric::kCivilianDeathsFemale)] =
      m[static_cast<int>(Metric::kCivilianDeaths)] * r.gender.female_share_deaths;
  m[static_cast<int>(Metric::kDisplacedPeak)] = displaced_peak;
  m[static_cast<int>(Metric::kDisplacedPeakFemale)] = displaced_peak * r.gender.female_share_displaced;
  m[static_cast<int>(Metric::kWomenParticipation)] = gender.participation;
  m[static_cast<int>(Metric::kWomenRepresentation)] = gender.representation;
  m[static_cast<int>(Metric::kGbvMean)] = horizon > 0 ? gbv_sum / horizon : gender.gbv;
  m[static_cast<int>(Metric::kStablePeaceAtHorizon)] = dyn.regime == models::Regime::kStablePeace ? 1.0 : 0.0;
  m[static_cast<int>(Metric::kMonthsToStablePeace)] = first_stable >= 0 ? first_stable : horizon + 1;
}

}  // namespace peacesim
