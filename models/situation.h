// The situation: a static country profile and initial conditions, and the structural risk it
// implies, s0 = scale * sum_j gamma_j z_j, with coefficients from the conflict-onset and
// conflict-recurrence literature (Fearon & Laitin 2003; Collier & Hoeffler 2004; Goldstone et al.
// 2010; Doyle & Sambanis 2000; Fortna 2004). Each z_j is measured from a reference post-war
// profile, so s0 = 0 for that profile. Coefficients and references: docs/model.md, "situation".
#pragma once

namespace peacesim::models {

enum class Regime { kStablePeace = 0, kUnstablePeace = 1, kCrisis = 2, kWar = 3 };
inline constexpr int kRegimeCount = 4;

struct Profile {
  double population_millions = 10;
  double gdp_per_capita_usd = 1000;
  double state_capacity = 0.4;
  double infant_mortality_per_1000 = 50;
  double war_years = 5;
  double battle_deaths_last_year = 1000;
  double neighbours_at_war = 0;
  double mountainous_share = 0.2;
  double resource_dependence = 0.15;
  double initial_displaced = 0;
  double months_since_agreement = 0;
  Regime initial_regime = Regime::kUnstablePeace;
};

// Log-odds of relapse of `p` relative to the reference profile (the default Profile above).
double structural_log_odds(const Profile& p);

}  // namespace peacesim::models
