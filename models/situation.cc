// Structural risk of the country profile; see situation.h and docs/model.md.
#include "models/situation.h"

#include <algorithm>
#include <cmath>

namespace peacesim::models {
namespace {

// Collier & Hoeffler (2004), primary commodity exports / GDP: 18.9 s - 27.8 s^2 (log-odds).
double resource_term(double s) { return 18.9 * s - 27.8 * s * s; }

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
  // Doyle & Sambanis (2000), Fortna (2004): longer wars end in more durable peace; deadlier wars in
  // less durable peace.
  z += -0.25 * std::log(std::max(p.war_years, 0.25) / r.war_years);
  z += 0.2 * std::log1p(p.battle_deaths_last_year / 1000.0) - 0.2 * std::log1p(r.battle_deaths_last_year / 1000.0);
  return z;
}

}  // namespace peacesim::models
