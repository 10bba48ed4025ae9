// Structural risk of the country profile; see situation.h and docs/model.md.
#include "models/situation.h"

#include <algorithm>
#include <cmath>

namespace peacesim::models {
namespace {

// Collier & Hoeffler (2004), primary commodity exports / GDP: 18.9 s - 27.8 s^2 (log-odds).
double resource_term(double s) { return 18.9 * s - 27.8 * s * s; }

// Government victory, rebel victory, truce; a negotiated settlement is the reference (0). Fortna's
// episodes relapse within five years after 13%, 36%, 44% and 71% of these endings; the sizes are
// calibrated so that the engine reproduces them on Carana (docs/model.md, V10).
constexpr double kWarEndingLogOdds[3] = {-2.2, -0.3, 1.9};

}  // namespace

double structural_log_odds(const Profile& p) {
  const Profile r;  // reference post-war profile
  double z = 0;
  // Fearon & Laitin (2003), Table 1 model 1: ln GDP per capita -0.34 per $1,000 near $1,000, i.e.
  // about -0.5 per log unit at low incomes; ln population +0.27.
  z += -0.5 * std::log(p.gdp_per_capita_usd / r.gdp_per_capita_usd);
  z += 0.27 * std::log(p.population_millions / r.population_millions);
  // Fearon & Laitin (2003): ln(% mountainous) +0.22.
  z += 0.22 * (std::log1p(100 * p.mountainous_share) - std::log1p(100 * r.mountainous_share));
  z += resource_term(p.resource_dependence) - resource_term(r.resource_dependence);
  // Goldstone et al. (2010): infant mortality is the strongest structural predictor (odds ratio
  // about 4 between the top and bottom quartiles, a factor of ~4 in the rate): ~ +0.7 per log unit.
  z += 0.7 * std::log(p.infant_mortality_per_1000 / r.infant_mortality_per_1000);
  // Goldstone et al. (2010): bad neighbourhood (armed conflict in bordering states).
  z += 0.3 * std::min(p.neighbours_at_war, 4.0);
  // State capacity (Fearon & Laitin's mechanism; Hegre & Nygard 2015 on governance and recurrence).
  z += -1.0 * (p.state_capacity - r.state_capacity);
  // Doyle & Sambanis (2000), Fortna (2004): deadlier wars end in less durable peace.
  z += 0.2 * std::log1p(p.battle_deaths_last_year / 1000.0) - 0.2 * std::log1p(r.battle_deaths_last_year / 1000.0);
  if (p.initial_regime != Regime::kWar) z += war_ending_log_odds(p.war_ending);
  return z;
}

double war_ending_log_odds(WarEnding e) {
  switch (e) {
    case WarEnding::kGovernmentVictory:
      return kWarEndingLogOdds[0];
    case WarEnding::kRebelVictory:
      return kWarEndingLogOdds[1];
    case WarEnding::kSettlement:
      return 0;
    case WarEnding::kTruce:
      return kWarEndingLogOdds[2];
  }
  return 0;
}

}  // namespace peacesim::models
