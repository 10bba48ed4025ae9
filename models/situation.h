// The situation: a static country profile and initial conditions, and the structural risk it
// implies, s0 = scale * sum_j gamma_j z_j, with coefficients from the conflict-onset and
// conflict-recurrence literature (Fearon & Laitin 2003; Collier & Hoeffler 2004; Goldstone et al.
// 2010; Doyle & Sambanis 2000; Fortna 2004). Each z_j is measured from a reference post-war
// profile, so s0 = 0 for that profile. Coefficients and references: docs/model.md, "situation".
#pragma once

namespace peacesim::models {

enum class Regime { kStablePeace = 0, kUnstablePeace = 1, kCrisis = 2, kWar = 3 };
inline constexpr int kRegimeCount = 4;

// How the last war ended, in the order of peacesim.v1.WarEnding (value = index + 1).
enum class WarEnding { kGovernmentVictory = 0, kRebelVictory, kSettlement, kTruce };

struct Profile {
  double population_millions = 10;
  double gdp_per_capita_usd = 1000;
  double state_capacity = 0.4;
  double infant_mortality_per_1000 = 50;
  double war_years = 5;          // the war that ended (at war: the war so far)
  double earlier_war_years = 0;  // at war in the 20 years before it
  double battle_deaths_last_year = 1000;
  double neighbours_at_war = 0;
  double mountainous_share = 0.2;
  double resource_dependence = 0.15;
  double initial_displaced = 0;
  double months_since_agreement = 0;
  Regime initial_regime = Regime::kUnstablePeace;
  WarEnding war_ending = WarEnding::kSettlement;
};

// Log-odds of relapse of `p` relative to the reference profile (the default Profile above). The
// war history is not a structural term: it is the dynamic war-history stock (dynamics.h).
double structural_log_odds(const Profile& p);

// Log-odds of relapse after each way a war ends, relative to a negotiated settlement (0), fitted to
// Fortna's episode data as published (docs/model.md, V10). Not applied when the country starts at
// war: that war has not ended.
double war_ending_log_odds(WarEnding e);

}  // namespace peacesim::models
