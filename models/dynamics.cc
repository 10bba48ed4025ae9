// Peace and conflict dynamics; see dynamics.h and docs/model.md.
#include "models/dynamics.h"

#include <algorithm>
#include <cmath>

namespace peacesim::models {

Regime regime_of(const DynamicsParams& p, double y) {
  if (y >= p.threshold_war) return Regime::kWar;
  if (y >= p.threshold_crisis) return Regime::kCrisis;
  if (y >= p.threshold_unstable) return Regime::kUnstablePeace;
  return Regime::kStablePeace;
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

double deterrence(const DynamicsParams& p, const Presence& presence) {
  const double d = p.troop_deterrence * std::log1p(presence.troops / 1000.0) +
                   p.police_deterrence * std::log1p(presence.police / 1000.0);
  return (presence.robust ? d * p.robust_multiplier : d) +
         p.observer_deterrence * std::log1p(presence.observers / 100.0);
}

double risk(const DynamicsParams& p, const DynamicsState& s, const RiskFactors& f) {
  return p.base_risk + p.structural_risk + f.driver_risk + p.polarisation_weight * f.polarisation +
         p.spoiler_weight * f.spoiler + p.gbv_weight * f.gbv - p.participation_weight * f.participation +
         p.inequality_weight * f.inequality + (s.regime == Regime::kWar ? p.war_trap : 0.0) -
         p.duration_dependence * std::log1p(s.months_at_peace / 12.0) - f.deterrence + f.push;
}

void step_dynamics(const DynamicsParams& p, const RiskFactors& f, const Presence& presence, double armed_ratio,
                   double noise_y, double noise_violence, DynamicsState& s, MonthViolence& out) {
  const double r = risk(p, s, f);
  s.intensity = p.persistence * s.intensity + (1 - p.persistence) * r + p.noise * noise_y;
  s.regime = regime_of(p, s.intensity);
  s.months_at_peace = s.regime == Regime::kWar ? 0 : s.months_at_peace + 1;

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
  if (median > 0) {
    const double troops = std::log1p(presence.troops / 1000.0);
    out.battle_deaths = median * std::max(armed_ratio, 0.1) *
                        std::exp(p.battle_deaths_sigma * noise_violence - p.troop_battle_effect * troops);
  }
  const double capacity = presence.protection_of_civilians ? presence.troops + presence.police : 0.0;
  out.civilian_deaths = out.battle_deaths * p.civilian_ratio * std::exp(-p.poc_effect * std::log1p(capacity / 1000.0));
  out.new_displaced = p.displaced_per_death * (out.battle_deaths + out.civilian_deaths);
  out.returned = s.regime <= Regime::kUnstablePeace ? p.return_rate * s.displaced : 0.0;
  s.displaced = std::max(0.0, s.displaced + out.new_displaced - out.returned);
}

}  // namespace peacesim::models
