// Month-by-month composition of the models; see world.h and docs/model.md ("one month").
#include "engine/world.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/actors.h"
#include "models/drivers.h"
#include "models/dynamics.h"
#include "models/gender.h"
#include "models/sums.h"

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
                     const models::ActorState& actors, const models::ActorParams& actor_params, int lane) {
  switch (measure.kind) {
    case MeasureKind::kIndicator:
      return indicators[measure.index];
    case MeasureKind::kDriver:
      return drivers.level[measure.index * drivers.lanes + lane];
    case MeasureKind::kActorPosition:
      return actors.position[measure.index * actors.lanes + lane];
    case MeasureKind::kActorStrength: {
      const double initial = actor_params.strength[measure.index];
      return initial > 0 ? actors.strength[measure.index * actors.lanes + lane] / initial : 0.0;
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

// One lane: one course of the future, with everything it keeps besides the drivers and actors that
// the lanes step together.
struct WorldLane {
  const Course* course = nullptr;
  int horizon = 0;
  models::DynamicsState dyn;
  models::GenderState gender;
  std::vector<double> intensity;  // of each activity this month
  // The course: the plan running now and the month index that is its month 0.
  const OptionPlan* plan = nullptr;
  int origin = 0;
  // The drawdown's shares (strength_share), stepped through as the months pass.
  std::array<double, kPersonnelCount> share{1, 1, 1, 1};
  std::size_t next_step = 0;
  ActivityTotals activities;
  Gates activities_gate;
  int activities_until = 0;  // the plan's month from which `activities` must be worked out again
  models::Presence last_presence;
  models::PresenceEffects effects;  // recomputed only when the presence changes
  bool presence_changed = true;
  // This month's.
  double ramp = 0, armed_ratio = 1, female_deaths = 0, displaced_before = 0;
  models::MonthViolence violence;
  // Toward the outcome.
  double displaced_share0 = 0;  // of the population, at the start
  double displaced_peak = 0, displaced_female_peak = 0, gbv_sum = 0;
  int first_stable = -1;
  int probe_due = 0;
  double now[kIndicatorCount];  // the month's indicators, for probes

  void enter(const OptionPlan& next, int month0) {
    plan = &next;
    origin = month0;
    share = {1, 1, 1, 1};
    next_step = 0;
    activities_until = 0;
    presence_changed = true;
  }
};

std::vector<Course> every_option(int options) {
  std::vector<Course> courses(options);
  for (int o = 0; o < options; ++o) courses[o].option = o;
  return courses;
}

WorldScratch::WorldScratch() = default;
WorldScratch::~WorldScratch() = default;

namespace {

// The activities of the lane's plan in month index k under `gate`: funded in priority order from the
// month's programme budget, gated by consent (mission components), deployment (military and
// police) and drawdown; their pushes go to lane l's entries of the scratch's activity pushes.
ActivityTotals run_activities(const RealisationParams& r, int k, const Gates& gate, WorldLane& lane, int l,
                              WorldScratch& w) {
  const OptionPlan& plan = *lane.plan;
  const int lanes = static_cast<int>(w.lanes.size());
  ActivityTotals t;
  for (Eigen::Index d = l; d < w.activity_driver_push.size(); d += lanes) w.activity_driver_push[d] = 0;
  for (Eigen::Index a = l; a < w.activity_actor_push.size(); a += lanes) w.activity_actor_push[a] = 0;
  t.spent = fund_activities(plan, k, gate, lane.intensity);
  for (std::size_t j = 0; j < plan.activities.size(); ++j) {
    const ScheduledActivity& a = plan.activities[j];
    const double u = lane.intensity[j];
    if (u <= 0) continue;
    const ActivityEffect& e = r.effects[static_cast<int>(a.kind)];
    for (const auto& [d, x] : e.drivers) w.activity_driver_push[d * lanes + l] += u * x;
    for (const auto& [actor, x] : e.actors) w.activity_actor_push[actor * lanes + l] += u * x;
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

// The month's indicators, as the fan charts record them: indicator i at x[i * stride].
void indicators_now(const WorldLane& lane, const models::MonthViolence& v, double female_deaths, double armed_ratio,
                    double* x, std::size_t stride = 1) {
  auto set = [&](Indicator i, double value) { x[static_cast<std::size_t>(i) * stride] = value; };
  set(Indicator::kBattleDeaths, v.battle_deaths);
  set(Indicator::kCivilianDeaths, v.civilian_deaths);
  set(Indicator::kCivilianDeathsFemale, female_deaths);
  set(Indicator::kDisplaced, lane.dyn.displaced);
  set(Indicator::kDisplacedFemale, lane.gender.displaced_female);
  set(Indicator::kConflictIntensity, lane.dyn.intensity);
  set(Indicator::kWomenParticipation, lane.gender.participation);
  set(Indicator::kWomenRepresentation, lane.gender.representation);
  set(Indicator::kGbv, lane.gender.gbv);
  set(Indicator::kArmedStrength, armed_ratio);
}

}  // namespace

void simulate(const RealisationParams& r, std::span<const Course> courses, const Noise& noise, WorldScratch& w,
              std::span<Outcome> outcomes, Trajectory* trajectories) {
  static const OptionPlan kNoAction;
  static const std::vector<Probe> kNoProbes;
  auto plan_of = [&](int option) -> const OptionPlan& { return option < 0 ? kNoAction : r.options[option]; };
  const int lanes = static_cast<int>(courses.size());
  const int nd = noise.drivers, na = noise.actors;
  const std::vector<Probe>& probes = r.probes ? *r.probes : kNoProbes;
  const double strength0 = models::sum_in_order(r.actors.strength);

  w.drivers = models::initial_drivers(r.drivers, lanes);
  w.actors = models::initial_actors(r.actors, lanes);
  w.driver_push.setZero(static_cast<Eigen::Index>(nd) * lanes);
  w.actor_push.setZero(static_cast<Eigen::Index>(na) * lanes);
  w.activity_driver_push.setZero(static_cast<Eigen::Index>(nd) * lanes);
  w.activity_actor_push.setZero(static_cast<Eigen::Index>(na) * lanes);
  w.actor_inputs.resize(lanes);
  w.driver_risk.resize(lanes);
  w.fighters.resize(lanes);
  w.supporting.resize(lanes);
  w.lanes.resize(lanes);

  // What the lanes' factors of risk read from their drivers and actors at the start of a month.
  auto start_month = [&] {
    models::driver_risk(r.drivers, w.drivers, w.driver_risk.data());
    models::fighters(w.actors, w.fighters.data(), w.supporting.data());
  };
  // The factors of risk of lane l this month, from the state at its start.
  auto factors = [&](int l, double deterrence_now, double coercion, double push) {
    const WorldLane& lane = w.lanes[l];
    models::RiskFactors f;
    f.driver_risk = w.driver_risk[l];
    f.polarisation = models::polarisation(w.actors, l);
    f.spoiler = models::spoiler_strength(strength0, w.fighters[l], w.supporting[l]);
    f.gbv = lane.gender.gbv;
    f.participation = lane.gender.participation;
    f.inequality = r.gender.inequality;
    f.deterrence = deterrence_now;
    f.coercion = coercion;
    f.push = push;
    return f;
  };
  // The probes of month t of lane l; returns the next month with one, or 0.
  auto read_probes = [&](int l, int t) {
    WorldLane& lane = w.lanes[l];
    Outcome& out = outcomes[l];
    int next = 0;
    for (std::size_t p = 0; p < probes.size(); ++p) {
      if (probes[p].month == t)
        out.probes[p] = measure_value(probes[p].measure, lane.now, w.drivers, w.actors, r.actors, l);
      if (probes[p].month > t && probes[p].month <= lane.horizon && (next == 0 || probes[p].month < next))
        next = probes[p].month;
    }
    return next;
  };

  start_month();
  int months = 0;
  for (int l = 0; l < lanes; ++l) {
    WorldLane& lane = w.lanes[l];
    const Course& course = courses[l];
    lane.course = &course;
    lane.horizon = course.months < 0 ? r.horizon : std::min(course.months, r.horizon);
    months = std::max(months, lane.horizon);
    lane.dyn = models::initial_dynamics(r.dynamics, r.profile);
    lane.gender = models::initial_gender(r.gender, lane.dyn.displaced);
    lane.displaced_share0 = lane.dyn.displaced / r.dynamics.population;
    // y(0) starts at the month-0 risk without any mission (the same for every option), inside the
    // initial regime's band.
    models::start_intensity(r.dynamics, models::risk(r.dynamics, lane.dyn, factors(l, 0, 1, 0)), lane.dyn);

    Outcome& out = outcomes[l];
    {
      std::vector<double> kept = std::move(out.probes);  // keeps its memory from future to future
      out = Outcome{};
      out.probes = std::move(kept);
    }
    lane.displaced_peak = lane.dyn.displaced;
    lane.displaced_female_peak = lane.gender.displaced_female;
    lane.gbv_sum = 0;
    lane.first_stable = lane.dyn.regime == models::Regime::kStablePeace ? 0 : -1;
    if (trajectories) {
      Trajectory& traj = trajectories[l];
      traj.indicators.assign(static_cast<std::size_t>(lane.horizon + 1) * kIndicatorCount, 0.0);
      traj.regime.assign(lane.horizon + 1, 0);
      indicators_now(lane, models::MonthViolence{}, 0.0, 1.0, traj.indicators.data(), lane.horizon + 1);
      traj.regime[0] = static_cast<std::uint8_t>(lane.dyn.regime);
    }
    // Probes (what benchmarks and assessments read): each read once, at the end of its month.
    out.probes.assign(probes.size(), std::numeric_limits<double>::quiet_NaN());
    lane.probe_due = 0;
    if (!probes.empty()) {
      indicators_now(lane, models::MonthViolence{}, 0.0, 1.0, lane.now);
      lane.probe_due = read_probes(l, 0);
    }
    lane.last_presence = {};
    lane.effects = {};
    lane.activities = {};
    lane.activities_gate = {};
    lane.enter(kNoAction, 0);
    if (course.start <= 0) lane.enter(plan_of(course.option), 0);
  }

  for (int k = 0; k < months; ++k) {
    // The scheduled shocks of this month, the same in every lane, in their order.
    w.shocks_now.clear();
    for (const Shock& s : r.shocks)
      if (k >= s.start && k < s.end) w.shocks_now.push_back(&s);
    // Every lane's pushes start from its activities' (a lane whose activities are worked out again
    // below takes its new ones then); the shocks add to them.
    w.driver_push = w.activity_driver_push;
    w.actor_push = w.activity_actor_push;
    // Each lane's month up to the drivers and actors, from the state at its start.
    for (int l = 0; l < lanes; ++l) {
      WorldLane& lane = w.lanes[l];
      if (k >= lane.horizon) continue;
      const Course& course = *lane.course;
      Outcome& out = outcomes[l];
      if (k == course.score_from && k > 0) {  // the scored months start: what came before is history
        out.metrics = {};
        out.relapse_month = 0;
        lane.displaced_peak = lane.dyn.displaced;
        lane.displaced_female_peak = lane.gender.displaced_female;
        lane.gbv_sum = 0;
        lane.first_stable = lane.dyn.regime == models::Regime::kStablePeace ? k : -1;
      }
      if (k == course.start && k > 0) lane.enter(plan_of(course.option), k);
      if (k == course.switch_month && course.then != course.option) lane.enter(plan_of(course.then), k);
      const OptionPlan& plan = *lane.plan;
      const int kp = k - lane.origin;  // the month of the running plan
      lane.ramp = deployment_ramp(plan.deployment_months, kp);
      const double ramp = lane.ramp;
      const double consent = w.actors.consent[l];
      if (plan.drawdown)
        for (; lane.next_step < plan.drawdown->size() && (*plan.drawdown)[lane.next_step].month <= kp; ++lane.next_step)
          lane.share = (*plan.drawdown)[lane.next_step].share;
      const auto& share = lane.share;

      // Activities, worked out again only when their gates change or one starts or ends: in the
      // months between, they do the same.
      const Gates gate = gates(ramp, consent, share);
      if (kp >= lane.activities_until || !same(gate, lane.activities_gate)) {
        lane.activities = run_activities(r, kp, gate, lane, l, w);
        lane.activities_gate = gate;
        lane.activities_until = next_change(plan, kp);
        for (Eigen::Index d = l; d < w.driver_push.size(); d += lanes) w.driver_push[d] = w.activity_driver_push[d];
        for (Eigen::Index a = l; a < w.actor_push.size(); a += lanes) w.actor_push[a] = w.activity_actor_push[a];
      }
      double risk_push = lane.activities.risk;
      for (const Shock* s : w.shocks_now) {
        switch (s->target) {
          case ShockTarget::kDriver:
            w.driver_push[s->index * lanes + l] += s->delta;
            break;
          case ShockTarget::kActor:
            w.actor_push[s->index * lanes + l] += s->delta;
            break;
          case ShockTarget::kRisk:
            risk_push += s->delta;
            break;
        }
      }

      models::Presence presence;
      presence.troops = plan.troops * ramp * consent * share[static_cast<int>(Personnel::kTroops)];
      presence.police = plan.police * ramp * consent * share[static_cast<int>(Personnel::kPolice)];
      presence.observers = plan.observers * ramp * consent * share[static_cast<int>(Personnel::kObservers)];
      presence.protection_of_civilians = plan.protection_of_civilians;
      presence.robust = plan.robust;
      if (lane.presence_changed || presence.troops != lane.last_presence.troops ||
          presence.police != lane.last_presence.police || presence.observers != lane.last_presence.observers) {
        lane.effects = models::presence_effects(r.dynamics, presence);
        lane.last_presence = presence;
        lane.presence_changed = false;
      }

      const models::RiskFactors f = factors(l, lane.effects.deterrence, lane.effects.coercion, risk_push);
      lane.armed_ratio = strength0 > 0 ? w.fighters[l] / strength0 : 1.0;
      const double displaced_before = lane.dyn.displaced;
      models::MonthViolence& v = lane.violence;
      v = {};
      models::step_dynamics(r.dynamics, f, lane.effects, lane.armed_ratio, noise.dynamics[2 * k],
                            noise.dynamics[2 * k + 1], lane.dyn, v);
      lane.displaced_before = displaced_before;
    }
    // Each lane's gender indicators and the actors' inputs, from its dynamics (a second pass: the
    // lanes' chains of dependent steps overlap).
    for (int l = 0; l < lanes; ++l) {
      WorldLane& lane = w.lanes[l];
      if (k >= lane.horizon) continue;
      const models::MonthViolence& v = lane.violence;
      const double displaced_before = lane.displaced_before;
      const bool at_war = lane.dyn.regime == models::Regime::kWar;
      lane.female_deaths = v.civilian_deaths * models::female_death_share(
                                                   r.gender, lane.gender,
                                                   lane.dyn.displaced / r.dynamics.population - lane.displaced_share0);

      models::GenderInputs gi;
      gi.participation_push = lane.activities.participation;
      // Women's share of seats changes only when seats are filled: in months an election is held.
      gi.representation_push = lane.activities.election ? lane.activities.representation : 0.0;
      gi.gbv_push = lane.activities.gbv;
      gi.violence =
          r.dynamics.battle_deaths_war > 0 ? std::min(1.0, v.battle_deaths / r.dynamics.battle_deaths_war) : 0;
      models::step_female_displaced(r.gender, at_war, v.new_displaced, v.returned, displaced_before, lane.dyn.displaced,
                                    lane.gender);
      models::step_gender(r.gender, gi, lane.gender);

      models::ActorInputs& ai = w.actor_inputs[l];
      // Commitment (Walter 2002): parties move toward a settlement and disarm fully only when a third
      // party can guarantee their security; robust troops provide that guarantee (1 - coercion).
      const double guarantee =
          r.effect_without_guarantee + (1 - r.effect_without_guarantee) * (1 - lane.effects.coercion);
      ai.mediation = std::min(1.0, r.bargaining_pull * lane.activities.mediation * guarantee);
      ai.ddr = std::min(1.0, lane.activities.ddr * guarantee);
      ai.at_war = at_war;
      ai.driver_risk = w.driver_risk[l];  // at the start of the month, as in the factors of risk
    }

    // The drivers and actors of every lane, stepped together.
    models::step_drivers(r.drivers, w.driver_push, &noise.driver[static_cast<std::size_t>(k) * nd], w.drivers);
    models::step_actors(r.actors, w.actor_inputs.data(), w.actor_push.data(),
                        &noise.actor[static_cast<std::size_t>(k) * na], w.actors);
    start_month();

    // Each lane's month from the drivers and actors on.
    const int t = k + 1;
    for (int l = 0; l < lanes; ++l) {
      WorldLane& lane = w.lanes[l];
      if (k >= lane.horizon) continue;
      Outcome& out = outcomes[l];
      auto& m = out.metrics;
      const OptionPlan& plan = *lane.plan;
      const auto& share = lane.share;
      const models::MonthViolence& v = lane.violence;
      out.consent_held = out.consent_held && w.actors.consent[l] >= 1;
      for (int a : r.actors.regional_states)
        out.regional_support_min = std::min(out.regional_support_min, w.actors.position[a * lanes + l]);
      if (lane.dyn.regime == models::Regime::kWar) {
        m[static_cast<int>(Metric::kMonthsInWar)] += 1;
        if (out.relapse_month == 0) out.relapse_month = t;
      }
      if (lane.first_stable < 0 && lane.dyn.regime == models::Regime::kStablePeace) lane.first_stable = t;
      m[static_cast<int>(Metric::kBattleDeaths)] += v.battle_deaths;
      m[static_cast<int>(Metric::kCivilianDeaths)] += v.civilian_deaths;
      m[static_cast<int>(Metric::kCivilianDeathsFemale)] += lane.female_deaths;
      lane.displaced_peak = std::max(lane.displaced_peak, lane.dyn.displaced);
      lane.displaced_female_peak = std::max(lane.displaced_female_peak, lane.gender.displaced_female);
      lane.gbv_sum += lane.gender.gbv;
      const double personnel_cost = (plan.troops * share[static_cast<int>(Personnel::kTroops)] +
                                     plan.observers * share[static_cast<int>(Personnel::kObservers)]) *
                                        r.troop_cost +
                                    plan.police * share[static_cast<int>(Personnel::kPolice)] * r.police_cost +
                                    plan.civilians * share[static_cast<int>(Personnel::kCivilians)] * r.civilian_cost;
      m[static_cast<int>(Metric::kCostUsd)] += personnel_cost * lane.ramp + lane.activities.spent;
      if (trajectories) {
        Trajectory& traj = trajectories[l];
        indicators_now(lane, v, lane.female_deaths, lane.armed_ratio, &traj.indicators[t], lane.horizon + 1);
        traj.regime[t] = static_cast<std::uint8_t>(lane.dyn.regime);
      }
      if (t == lane.probe_due) {
        indicators_now(lane, v, lane.female_deaths, lane.armed_ratio, lane.now);
        lane.probe_due = read_probes(l, t);
      }
    }
  }

  for (int l = 0; l < lanes; ++l) {
    const WorldLane& lane = w.lanes[l];
    Outcome& out = outcomes[l];
    auto& m = out.metrics;
    m[static_cast<int>(Metric::kRelapse)] = out.relapse_month > 0 ? 1.0 : 0.0;
    m[static_cast<int>(Metric::kDisplacedPeak)] = lane.displaced_peak;
    m[static_cast<int>(Metric::kDisplacedPeakFemale)] = lane.displaced_female_peak;
    m[static_cast<int>(Metric::kWomenParticipation)] = lane.gender.participation;
    m[static_cast<int>(Metric::kWomenRepresentation)] = lane.gender.representation;
    const int scored = lane.horizon - std::min(std::max(lane.course->score_from, 0), lane.horizon);
    m[static_cast<int>(Metric::kGbvMean)] = scored > 0 ? lane.gbv_sum / scored : lane.gender.gbv;
    m[static_cast<int>(Metric::kStablePeaceAtHorizon)] = lane.dyn.regime == models::Regime::kStablePeace ? 1.0 : 0.0;
    m[static_cast<int>(Metric::kMonthsToStablePeace)] = lane.first_stable >= 0 ? lane.first_stable : lane.horizon + 1;
  }
}

}  // namespace peacesim
