// Peace and conflict dynamics; see dynamics.h and docs/model.md.
#include "models/dynamics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "models/clamp.h"

namespace peacesim::models {

Regime regime_of(const DynamicsParams& p, double y) {
  if (y >= p.threshold_war) return Regime::kWar;
  if (y >= p.threshold_crisis) return Regime::kCrisis;
  if (y >= p.threshold_unstable) return Regime::kUnstablePeace;
  return Regime::kStablePeace;
}

double war_history(const DynamicsParams& p, double war_years, double months_ago, double earlier_years) {
  // sum_{a = months_ago}^{months_ago + n - 1} lambda^a / 12 for n = 12 war_years, then the earlier
  // years just before; closed form of the geometric sums.
  const double lambda = p.war_history_retention;
  auto years = [&](double from, double months) {
    if (months <= 0) return 0.0;
    if (lambda >= 1) return months / 12;
    return std::pow(lambda, from) * (1 - std::pow(lambda, months)) / (12 * (1 - lambda));
  };
  return years(months_ago, 12 * war_years) + years(months_ago + 12 * war_years, 12 * earlier_years);
}

DynamicsState initial_dynamics(const DynamicsParams& p, Regime regime, double months_at_peace, double displaced) {
  DynamicsState s;
  const double band = p.threshold_crisis - p.threshold_unstable;
  switch (regime) {
    case Regime::kStablePeace:
      s.intensity = p.threshold_unstable - 0.5 * band;
      break;
    case Regime::kUnstablePeace:
      s.intensity = 0.5 * (p.threshold_unstable + p.threshold_crisis);
      break;
    case Regime::kCrisis:
      s.intensity = 0.5 * (p.threshold_crisis + p.threshold_war);
      break;
    case Regime::kWar:
      s.intensity = p.threshold_war + 0.5 * band;
      break;
  }
  s.regime = regime;
  s.months_at_peace = regime == Regime::kWar ? 0 : months_at_peace;
  s.displaced = displaced;
  return s;
}

DynamicsState initial_dynamics(const DynamicsParams& p, const Profile& profile) {
  const bool war = profile.initial_regime == Regime::kWar;
  DynamicsState s = initial_dynamics(p, profile.initial_regime, profile.months_since_agreement,
                                     std::min(profile.initial_displaced, p.population));
  s.war_months = war ? 12 * profile.war_years : 0;
  s.war_history = war_history(p, profile.war_years, s.months_at_peace, profile.earlier_war_years);
  return s;
}

void start_intensity(const DynamicsParams& p, double risk0, DynamicsState& s) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double lo = -kInf, hi = kInf;  // the regime's band [lo, hi)
  switch (s.regime) {
    case Regime::kStablePeace:
      hi = p.threshold_unstable;
      break;
    case Regime::kUnstablePeace:
      lo = p.threshold_unstable;
      hi = p.threshold_crisis;
      break;
    case Regime::kCrisis:
      lo = p.threshold_crisis;
      hi = p.threshold_war;
      break;
    case Regime::kWar:
      lo = p.threshold_war;
      break;
  }
  // The band is half-open; a realisation that draws out-of-order thresholds has an empty band and
  // starts at its lower edge.
  const double top = std::max(lo, std::nextafter(hi, -kInf));
  s.intensity = std::clamp(risk0, lo, top);
}

double deterrence(const DynamicsParams& p, const Presence& presence) {
  const double d = p.troop_deterrence * std::log1p(presence.troops / 1000.0) +
                   p.police_deterrence * std::log1p(presence.police / 1000.0);
  return (presence.robust ? d * p.robust_multiplier : d) +
         p.observer_deterrence * std::log1p(presence.observers / 100.0);
}

double coercion(const DynamicsParams& p, const Presence& presence) {
  return presence.robust ? std::exp(-p.spoiler_coercion * std::log1p(presence.troops / 1000.0)) : 1.0;
}

double log_years_at_peace(double months) {
  // Built at run time, by the same libm call as the fallback: a table of constants could be
  // folded by the compiler with a differently rounded logarithm.
  static const std::vector<double> table = [] {
    std::vector<double> t(kWholeMonthsTabled);
    for (int m = 0; m < kWholeMonthsTabled; ++m) t[m] = std::log1p(m / 12.0);
    return t;
  }();
  if (months >= 0 && months < kWholeMonthsTabled) {
    const int m = static_cast<int>(months);
    if (m == months) return table[m];
  }
  return std::log1p(months / 12.0);
}

PresenceEffects presence_effects(const DynamicsParams& p, const Presence& presence) {
  PresenceEffects e;
  e.deterrence = deterrence(p, presence);
  e.coercion = coercion(p, presence);
  e.battle_reduction = p.troop_battle_effect * std::log1p(presence.troops / 1000.0);
  const double capacity = presence.protection_of_civilians ? presence.troops + presence.police : 0.0;
  e.civilian_factor = std::exp(-p.poc_effect * std::log1p(capacity / 1000.0));
  return e;
}

double risk(const DynamicsParams& p, const DynamicsState& s, const RiskFactors& f) {
  return p.base_risk + p.structural_risk + f.driver_risk + p.polarisation_weight * f.polarisation +
         p.spoiler_weight * f.coercion * f.spoiler + p.gbv_weight * f.gbv - p.participation_weight * f.participation +
         p.inequality_weight * f.inequality + p.war_history_weight * s.war_history +
         (s.regime == Regime::kWar ? p.war_trap - p.war_exhaustion * (s.war_months / 12.0) : 0.0) -
         p.duration_dependence * log_years_at_peace(s.months_at_peace) - f.deterrence + f.push;
}

void step_dynamics(const DynamicsParams& p, const RiskFactors& f, const Presence& presence, double armed_ratio,
                   double noise_y, double noise_violence, DynamicsState& s, MonthViolence& out) {
  step_dynamics(p, f, presence_effects(p, presence), armed_ratio, noise_y, noise_violence, s, out);
}

void step_dynamics(const DynamicsParams& p, const RiskFactors& f, const PresenceEffects& presence, double armed_ratio,
                   double noise_y, double noise_violence, DynamicsState& s, MonthViolence& out) {
  const double r = risk(p, s, f);
  s.intensity = p.persistence * s.intensity + (1 - p.persistence) * r + p.noise * noise_y;
  // Hysteresis of the conflict curve: a war goes on until the intensity falls to the crisis band's
  // lower edge; starting one takes the war threshold.
  const bool was_war = s.regime == Regime::kWar;
  s.regime = was_war && s.intensity >= p.threshold_crisis ? Regime::kWar : regime_of(p, s.intensity);
  const bool war = s.regime == Regime::kWar;
  s.months_at_peace = war ? 0 : s.months_at_peace + 1;
  // The war episode's clock runs through lulls and stops once 12 months have passed without war
  // (the UCDP episode rule), so a brief lull does not restore the fighters' will to fight.
  s.war_months = war || (s.war_months > 0 && s.months_at_peace < 12) ? s.war_months + 1 : 0;
  s.war_history = p.war_history_retention * s.war_history + (war ? 1.0 / 12 : 0.0);

  double median = 0;
  switch (s.regime) {
    case Regime::kStablePeace:
      median = 0;
      break;
    case Regime::kUnstablePeace:
      median = 0.05 * p.battle_deaths_crisis;
      break;
    case Regime::kCrisis:
      median = p.battle_deaths_crisis;
      break;
    case Regime::kWar:
      median = p.battle_deaths_war;
      break;
  }
  out.battle_deaths = 0;
  if (median > 0)
    out.battle_deaths = median * p.harm_scale * std::max(armed_ratio, 0.1) *
                        std::exp(p.battle_deaths_sigma * noise_violence - presence.battle_reduction);
  out.civilian_deaths = out.battle_deaths * p.civilian_ratio * presence.civilian_factor;
  // Nobody dies twice: the month's deaths are at most the living population.
  const double alive = std::max(0.0, p.population - s.deaths);
  const double deaths = out.battle_deaths + out.civilian_deaths;
  if (deaths > alive) {
    out.battle_deaths *= alive / deaths;
    out.civilian_deaths *= alive / deaths;
  }
  s.deaths += out.battle_deaths + out.civilian_deaths;
  const double living = std::max(0.0, p.population - s.deaths);
  // Only those not yet displaced can flee: new displacement falls with the displaced share.
  const double undisplaced = living > 0 ? std::max(0.0, 1 - s.displaced / living) : 0.0;
  out.new_displaced = p.displaced_per_death * (out.battle_deaths + out.civilian_deaths) * undisplaced;
  out.returned = s.regime <= Regime::kUnstablePeace ? p.return_rate * s.displaced : 0.0;
  s.displaced = clamp(s.displaced + out.new_displaced - out.returned, 0.0, living);
}

}  // namespace peacesim::models
