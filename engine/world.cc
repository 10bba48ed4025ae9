// Month-by-month composition of the models; see world.h and docs/model.md ("one month").
#include "engine/world.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/actors.h"
#include "models/drivers.h"
#include "models/dynamics.h"
#include "models/gender.h"

namespace peacesim {

Gates gates(double ramp, double consent, const std::array<double, kPersonnelCount>& share) {
  Gates g;
  g.military = ramp * consent * share[static_cast<int>(Personnel::kTroops)];
  g.police = ramp * consent * share[static_cast<int>(Personnel::kPolice)];
  g.civilian = consent * share[static_cast<int>(Personnel::kCivilians)];
  return g;
}

double fund_activities(const OptionPlan& plan, int k, const Gates& gate, std::vector<double>& intensity) {
  intensity.assign(plan.activities.size(), 0.0);
  double budget = plan.budget_per_month, spent = 0;
  for (std::size_t j = 0; j < plan.activities.size(); ++j) {  // in priority order
    const ScheduledActivity& a = plan.activities[j];
    if (k < a.start || k >= a.end) continue;
    const double need = a.cost;
    const double funded = need > 0 ? std::clamp(budget / need, 0.0, 1.0) : 1.0;
    budget -= funded * need;
    spent += funded * need;
    double g = 1;
    switch (a.lead) {
      case Lead::kMilitary:
        g = gate.military;
        break;
      case Lead::kPolice:
        g = gate.police;
        break;
      case Lead::kCivilian:
        g = gate.civilian;
        break;
      case Lead::kUnCountryTeam:
      case Lead::kHostGovernment:
        g = 1;
        break;
    }
    intensity[j] = a.intensity * funded * g;
  }
  return spent;
}

double measure_value(const Measure& measure, const double* indicators, const models::DriverState& drivers,
                     const models::ActorState& actors, const models::ActorParams& actor_params) {
  switch (measure.kind) {
    case MeasureKind::kIndicator:
      return indicators[measure.index];
    case MeasureKind::kDriver:
      return drivers.level[measure.index];
    case MeasureKind::kActorPosition:
      return actors.position[measure.index];
    case MeasureKind::kActorStrength: {
      const double initial = actor_params.strength[measure.index];
      return initial > 0 ? actors.strength[measure.index] / initial : 0.0;
    }
  }
  return 0;
}

namespace {

// What the activities of a month do, besides their pushes on drivers and actors.
struct ActivityTotals {
  double mediation = 0, ddr = 0, participation = 0, representation = 0, gbv = 0, risk = 0;
  double spent = 0;
  bool election = false;
};

// The activities of `plan` in month index k under `gate`: funded in priority order from the
// month's programme budget, gated by consent (mission components), deployment (military and
// police) and drawdown; their pushes go to w.activity_driver_push and w.activity_actor_push.
ActivityTotals run_activities(const RealisationParams& r, const OptionPlan& plan, int k, const Gates& gate,
                              WorldScratch& w) {
  ActivityTotals t;
  w.activity_driver_push.setZero();
  w.activity_actor_push.setZero();
  t.spent = fund_activities(plan, k, gate, w.intensity);
  for (std::size_t j = 0; j < plan.activities.size(); ++j) {
    const ScheduledActivity& a = plan.activities[j];
    const double u = w.intensity[j];
    if (u <= 0) continue;
    const ActivityEffect& e = r.effects[static_cast<int>(a.kind)];
    for (const auto& [d, x] : e.drivers) w.activity_driver_push[d] += u * x;
    for (const auto& [actor, x] : e.actors) w.activity_actor_push[actor] += u * x;
    t.mediation += u * e.mediation;
    t.ddr += u * e.ddr;
    t.participation += u * e.participation;
    t.representation += u * e.representation;
    t.gbv += u * e.gbv;
    t.risk += u * e.risk;
    t.election = t.election || a.kind == ActivityKind::kElections;
  }
  return t;
}

// The first month index after k in which an activity of `plan` starts or ends (INT_MAX if none).
int next_change(const OptionPlan& plan, int k) {
  int next = std::numeric_limits<int>::max();
  for (const ScheduledActivity& a : plan.activities) {
    if (a.start > k) next = std::min(next, a.start);
    if (a.end > k) next = std::min(next, a.end);
  }
  return next;
}

bool same(const Gates& a, const Gates& b) {
  return a.military == b.military && a.police == b.police && a.civilian == b.civilian;
}

}  // namespace

void simulate(const RealisationParams& r, const Course& course, const Noise& noise, WorldScratch& w, Outcome& out,
              Trajectory* traj) {
  static const OptionPlan kNoAction;
  auto plan_of = [&](int option) -> const OptionPlan& { return option < 0 ? kNoAction : r.options[option]; };
  const int horizon = course.months < 0 ? r.horizon : std::min(course.months, r.horizon);
  const int nd = noise.drivers, na = noise.actors;

  w.drivers = models::initial_drivers(r.drivers);
  w.actors = models::initial_actors(r.actors);
  w.driver_push.setZero(nd);
  w.actor_push.setZero(na);
  w.activity_driver_push.setZero(nd);
  w.activity_actor_push.setZero(na);
  models::DynamicsState dyn = models::initial_dynamics(r.dynamics, r.profile);
  models::GenderState gender = models::initial_gender(r.gender, dyn.displaced);
  const double displaced_share0 = dyn.displaced / r.dynamics.population;
  const double strength0 = r.actors.strength.sum();

  // Month-0 factors; y(0) starts at the month-0 risk without any mission (the same for every
  // option), inside the initial regime's band.
  auto factors = [&](double deterrence_now, double coercion, double push) {
    models::RiskFactors f;
    f.driver_risk = models::driver_risk(r.drivers, w.drivers);
    f.polarisation = models::polarisation(r.actors, w.actors);
    f.spoiler = models::spoiler_strength(r.actors, w.actors);
    f.gbv = gender.gbv;
    f.participation = gender.participation;
    f.inequality = r.gender.inequality;
    f.deterrence = deterrence_now;
    f.coercion = coercion;
    f.push = push;
    return f;
  };
  models::start_intensity(r.dynamics, models::risk(r.dynamics, dyn, factors(0, 1, 0)), dyn);

  {
    std::vector<double> probes = std::move(out.probes);  // keeps its memory from future to future
    out = Outcome{};
    out.probes = std::move(probes);
  }
  auto& m = out.metrics;
  double displaced_peak = dyn.displaced, displaced_female_peak = gender.displaced_female, gbv_sum = 0;
  int first_stable = dyn.regime == models::Regime::kStablePeace ? 0 : -1;
  // The month's indicators, as the fan charts record them.
  auto indicators_now = [&](double* x, const models::MonthViolence& v, double female_deaths, double armed_ratio) {
    x[static_cast<int>(Indicator::kBattleDeaths)] = v.battle_deaths;
    x[static_cast<int>(Indicator::kCivilianDeaths)] = v.civilian_deaths;
    x[static_cast<int>(Indicator::kCivilianDeathsFemale)] = female_deaths;
    x[static_cast<int>(Indicator::kDisplaced)] = dyn.displaced;
    x[static_cast<int>(Indicator::kDisplacedFemale)] = gender.displaced_female;
    x[static_cast<int>(Indicator::kConflictIntensity)] = dyn.intensity;
    x[static_cast<int>(Indicator::kWomenParticipation)] = gender.participation;
    x[static_cast<int>(Indicator::kWomenRepresentation)] = gender.representation;
    x[static_cast<int>(Indicator::kGbv)] = gender.gbv;
    x[static_cast<int>(Indicator::kArmedStrength)] = armed_ratio;
  };
  auto record = [&](int t, const models::MonthViolence& v, double female_deaths, double armed_ratio) {
    if (!traj) return;
    indicators_now(&traj->indicators[static_cast<std::size_t>(t) * kIndicatorCount], v, female_deaths, armed_ratio);
    traj->regime[t] = static_cast<std::uint8_t>(dyn.regime);
  };
  if (traj) {
    traj->indicators.assign(static_cast<std::size_t>(horizon + 1) * kIndicatorCount, 0.0);
    traj->regime.assign(horizon + 1, 0);
    record(0, models::MonthViolence{}, 0.0, 1.0);
  }

  // Probes (what benchmarks and assessments read): each read once, at the end of its month.
  static const std::vector<Probe> kNoProbes;
  const std::vector<Probe>& probes = r.probes ? *r.probes : kNoProbes;
  out.probes.assign(probes.size(), std::numeric_limits<double>::quiet_NaN());
  double now[kIndicatorCount];
  auto read_probes = [&](int t) {  // reads the probes of month t; returns the next month with one, or 0
    int next = 0;
    for (std::size_t p = 0; p < probes.size(); ++p) {
      if (probes[p].month == t) out.probes[p] = measure_value(probes[p].measure, now, w.drivers, w.actors, r.actors);
      if (probes[p].month > t && probes[p].month <= horizon && (next == 0 || probes[p].month < next))
        next = probes[p].month;
    }
    return next;
  };
  int probe_due = 0;
  if (!probes.empty()) {
    indicators_now(now, models::MonthViolence{}, 0.0, 1.0);
    probe_due = read_probes(0);
  }

  models::Presence last_presence;
  models::PresenceEffects effects;  // recomputed only when the presence changes
  // The drawdown's shares (strength_share), stepped through as the months pass.
  std::array<double, kPersonnelCount> share{1, 1, 1, 1};
  std::size_t next_step = 0;
  ActivityTotals activities;
  Gates activities_gate;
  int activities_until = 0;  // the plan's month from which `activities` must be worked out again
  // The course: the plan running now and the month index that is its month 0.
  const OptionPlan* plan = &kNoAction;
  int origin = 0;
  bool presence_changed = true;
  auto enter = [&](const OptionPlan& next, int month0) {
    plan = &next;
    origin = month0;
    share = {1, 1, 1, 1};
    next_step = 0;
    activities_until = 0;
    presence_changed = true;
  };
  if (course.start <= 0) enter(plan_of(course.option), 0);
  for (int k = 0; k < horizon; ++k) {
    if (k == course.score_from && k > 0) {  // the scored months start: what came before is history
      m = {};
      out.relapse_month = 0;
      displaced_peak = dyn.displaced;
      displaced_female_peak = gender.displaced_female;
      gbv_sum = 0;
      first_stable = dyn.regime == models::Regime::kStablePeace ? k : -1;
    }
    if (k == course.start && k > 0) enter(plan_of(course.option), k);
    if (k == course.switch_month && course.then != course.option) enter(plan_of(course.then), k);
    const int kp = k - origin;  // the month of the running plan
    const double ramp = deployment_ramp(plan->deployment_months, kp);
    const double consent = w.actors.consent;
    if (plan->drawdown)
      for (; next_step < plan->drawdown->size() && (*plan->drawdown)[next_step].month <= kp; ++next_step)
        share = (*plan->drawdown)[next_step].share;

    // Activities, worked out again only when their gates change or one starts or ends: in the
    // months between, they do the same.
    const Gates gate = gates(ramp, consent, share);
    if (kp >= activities_until || !same(gate, activities_gate)) {
      activities = run_activities(r, *plan, kp, gate, w);
      activities_gate = gate;
      activities_until = next_change(*plan, kp);
    }
    w.driver_push = w.activity_driver_push;
    w.actor_push = w.activity_actor_push;
    const double mediation = activities.mediation, ddr = activities.ddr, spent = activities.spent;
    double risk_push = activities.risk;
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
    presence.troops = plan->troops * ramp * consent * share[static_cast<int>(Personnel::kTroops)];
    presence.police = plan->police * ramp * consent * share[static_cast<int>(Personnel::kPolice)];
    presence.observers = plan->observers * ramp * consent * share[static_cast<int>(Personnel::kObservers)];
    presence.protection_of_civilians = plan->protection_of_civilians;
    presence.robust = plan->robust;
    if (presence_changed || presence.troops != last_presence.troops || presence.police != last_presence.police ||
        presence.observers != last_presence.observers) {
      effects = models::presence_effects(r.dynamics, presence);
      last_presence = presence;
      presence_changed = false;
    }
    const double coercion = effects.coercion;

    const models::RiskFactors f = factors(effects.deterrence, coercion, risk_push);
    const double armed_ratio = strength0 > 0 ? w.actors.strength.sum() / strength0 : 1.0;
    const double displaced_before = dyn.displaced;
    models::MonthViolence v;
    models::step_dynamics(r.dynamics, f, effects, armed_ratio, noise.dynamics[2 * k], noise.dynamics[2 * k + 1], dyn,
                          v);
    const bool at_war = dyn.regime == models::Regime::kWar;
    const double female_deaths =
        v.civilian_deaths *
        models::female_death_share(r.gender, gender, dyn.displaced / r.dynamics.population - displaced_share0);

    models::GenderInputs gi;
    gi.participation_push = activities.participation;
    // Women's share of seats changes only when seats are filled: in months an election is held.
    gi.representation_push = activities.election ? activities.representation : 0.0;
    gi.gbv_push = activities.gbv;
    gi.violence = r.dynamics.battle_deaths_war > 0 ? std::min(1.0, v.battle_deaths / r.dynamics.battle_deaths_war) : 0;
    models::step_female_displaced(r.gender, at_war, v.new_displaced, v.returned, displaced_before, dyn.displaced,
                                  gender);
    models::step_gender(r.gender, gi, gender);

    models::step_drivers(r.drivers, w.driver_push, &noise.driver[static_cast<std::size_t>(k) * nd], w.drivers);

    models::ActorInputs ai;
    // Commitment (Walter 2002): parties move toward a settlement and disarm fully only when a third
    // party can guarantee their security; robust troops provide that guarantee (1 - coercion).
    const double guarantee = r.effect_without_guarantee + (1 - r.effect_without_guarantee) * (1 - coercion);
    ai.mediation = std::min(1.0, r.bargaining_pull * mediation * guarantee);
    ai.ddr = std::min(1.0, ddr * guarantee);
    ai.at_war = at_war;
    ai.driver_risk = f.driver_risk;
    ai.push = &w.actor_push;
    models::step_actors(r.actors, ai, &noise.actor[static_cast<std::size_t>(k) * na], w.actors);

    out.consent_held = out.consent_held && w.actors.consent >= 1;
    for (int a : r.actors.regional_states)
      out.regional_support_min = std::min(out.regional_support_min, w.actors.position[a]);
    const int t = k + 1;
    if (at_war) {
      m[static_cast<int>(Metric::kMonthsInWar)] += 1;
      if (out.relapse_month == 0) out.relapse_month = t;
    }
    if (first_stable < 0 && dyn.regime == models::Regime::kStablePeace) first_stable = t;
    m[static_cast<int>(Metric::kBattleDeaths)] += v.battle_deaths;
    m[static_cast<int>(Metric::kCivilianDeaths)] += v.civilian_deaths;
    m[static_cast<int>(Metric::kCivilianDeathsFemale)] += female_deaths;
    displaced_peak = std::max(displaced_peak, dyn.displaced);
    displaced_female_peak = std::max(displaced_female_peak, gender.displaced_female);
    gbv_sum += gender.gbv;
    const double personnel_cost = (plan->troops * share[static_cast<int>(Personnel::kTroops)] +
                                   plan->observers * share[static_cast<int>(Personnel::kObservers)]) *
                                      r.troop_cost +
                                  plan->police * share[static_cast<int>(Personnel::kPolice)] * r.police_cost +
                                  plan->civilians * share[static_cast<int>(Personnel::kCivilians)] * r.civilian_cost;
    m[static_cast<int>(Metric::kCostUsd)] += personnel_cost * ramp + spent;
    record(t, v, female_deaths, armed_ratio);
    if (t == probe_due) {
      indicators_now(now, v, female_deaths, armed_ratio);
      probe_due = read_probes(t);
    }
  }

  m[static_cast<int>(Metric::kRelapse)] = out.relapse_month > 0 ? 1.0 : 0.0;
  m[static_cast<int>(Metric::kDisplacedPeak)] = displaced_peak;
  m[static_cast<int>(Metric::kDisplacedPeakFemale)] = displaced_female_peak;
  m[static_cast<int>(Metric::kWomenParticipation)] = gender.participation;
  m[static_cast<int>(Metric::kWomenRepresentation)] = gender.representation;
  const int scored = horizon - std::min(std::max(course.score_from, 0), horizon);
  m[static_cast<int>(Metric::kGbvMean)] = scored > 0 ? gbv_sum / scored : gender.gbv;
  m[static_cast<int>(Metric::kStablePeaceAtHorizon)] = dyn.regime == models::Regime::kStablePeace ? 1.0 : 0.0;
  m[static_cast<int>(Metric::kMonthsToStablePeace)] = first_stable >= 0 ? first_stable : horizon + 1;
}

}  // namespace peacesim
