// Peace and conflict dynamics: a latent conflict intensity y that follows the month's risk, read
// into regimes by thresholds (the conflict curve: stable peace, unstable peace, crisis, war), with
// the conflict trap (war begets war; Collier et al. 2003), duration dependence (peace begets peace;
// Fortna 2004), deterrence by deployed troops and police under consent (Fortna 2008; Hultman,
// Kathman & Shannon 2014), violence by regime, civilian harm reduced by protection capacity
// (Hultman, Kathman & Shannon 2013), and displacement. Equations and sources: docs/model.md.
#pragma once

#include "models/situation.h"

namespace peacesim::models {

// Field defaults here are the engine defaults of docs/model.md; the engine sets every field from
// the scenario (engine/compile.cc).
struct DynamicsParams {
  double base_risk = 0;              // alpha0
  double structural_risk = 0;        // s0, already scaled to latent units
  double polarisation_weight = 0;    // beta_P
  double spoiler_weight = 0;         // beta_S
  double gbv_weight = 0;             // beta_G
  double participation_weight = 0;   // beta_W
  double inequality_weight = 0;      // beta_I
  double war_trap = 0;               // beta_war: persistence while at war
  double war_exhaustion = 0;         // beta_exh: per year of the war episode (war_months / 12)
  double war_history_weight = 0;     // beta_h: per discounted year of past war (conflict trap)
  double war_history_retention = 1;  // lambda: monthly retention of the war-history stock
  double duration_dependence = 0;    // beta_dur
  double troop_deterrence = 0;       // beta_T
  double police_deterrence = 0;      // beta_Pol
  double observer_deterrence = 0;    // beta_Obs
  double robust_multiplier = 1;      // k_robust
  double spoiler_coercion = 0;       // beta_C: robust troops shrink the spoilers' weight in risk
  double persistence = 0.85;         // rho
  double noise = 0.06;               // sigma_y
  double threshold_unstable = 0.25;
  double threshold_crisis = 0.5;
  double threshold_war = 0.75;
  double battle_deaths_crisis = 30;  // median per month
  double battle_deaths_war = 300;    // median per month
  double battle_deaths_sigma = 0.8;
  double civilian_ratio = 0.6;
  double poc_effect = 0;           // beta_POC
  double troop_battle_effect = 0;  // beta_TB
  double displaced_per_death = 150;
  double return_rate = 0.015;
  double harm_scale = 1;    // (population / 10 million)^elasticity: battle deaths per war-month
  double population = 1e7;  // people: bounds deaths and displacement
};

// What the other models contribute to this month's risk.
struct RiskFactors {
  double driver_risk = 0;
  double polarisation = 0;
  double spoiler = 0;
  double coercion = 1;  // multiplies the spoiler term: coercion(p, presence)
  double gbv = 0;
  double participation = 0;
  double inequality = 0;
  double deterrence = 0;
  double push = 0;  // activities (elections, ...) and scheduled shocks
};

// The UN presence this month, after deployment ramp and consent.
struct Presence {
  double troops = 0;
  double police = 0;
  double observers = 0;  // unarmed military observers: deter by monitoring, do not fight
  bool protection_of_civilians = false;
  bool robust = false;
};

// What a presence does, computed once per change of presence (the logarithms and exponentials of
// deterrence, coercion and protection are the month's costliest arithmetic otherwise).
struct PresenceEffects {
  double deterrence = 0;        // deterrence(p, presence)
  double coercion = 1;          // coercion(p, presence)
  double battle_reduction = 0;  // beta_TB ln(1 + troops/1000)
  double civilian_factor = 1;   // exp(-beta_POC ln(1 + protection capacity/1000))
};

struct DynamicsState {
  double intensity = 0;  // y(t)
  Regime regime = Regime::kUnstablePeace;
  double months_at_peace = 0;  // M(t): months since the last war month (or the agreement)
  double war_months = 0;       // w(t): months of the current war so far, 0 when not at war
  double war_history = 0;      // h(t): years at war, each discounted by its age (conflict trap)
  double displaced = 0;
  double deaths = 0;  // battle and civilian deaths since month 0
};

struct MonthViolence {
  double battle_deaths = 0;
  double civilian_deaths = 0;
  double new_displaced = 0;
  double returned = 0;
};

Regime regime_of(const DynamicsParams& p, double y);

// The war-history stock h of `war_years` at war that ended `months_ago` months ago, preceded by
// `earlier_years` at war: sum over those months of lambda^age / 12 (age 0 = the latest month).
double war_history(const DynamicsParams& p, double war_years, double months_ago, double earlier_years);

// A state in `regime` with y at the middle of its band, `months_at_peace` (0 at war) and
// `displaced`; no war so far and no war history.
DynamicsState initial_dynamics(const DynamicsParams& p, Regime regime, double months_at_peace, double displaced);

// The state at month 0 of a country in `profile`: as above, with the war so far (at war:
// war_years), the war-history stock and the displaced (at most the population). The engine then
// sets y(0) with start_intensity once the month-0 risk is known.
DynamicsState initial_dynamics(const DynamicsParams& p, const Profile& profile);

// y(0) = the month-0 risk without any mission, kept inside the initial regime's band, so that a
// future starts where its own risk holds it (and the hazard falls from the first month).
void start_intensity(const DynamicsParams& p, double risk0, DynamicsState& s);

// deterrence = (beta_T ln(1 + troops/1000) + beta_Pol ln(1 + police/1000)) (robust ? k_robust : 1)
//              + beta_Obs ln(1 + observers/100).
double deterrence(const DynamicsParams& p, const Presence& presence);

// Coercion of spoilers (Stedman 1997: custodians of a peace must be able to coerce total
// spoilers): under a robust mandate, (1 + troops/1000)^-beta_C, the share of the spoilers' weight
// in risk that is left; 1 without a robust mandate (a traditional mission does not fight).
double coercion(const DynamicsParams& p, const Presence& presence);

// The effects of `presence`: the above, and the terms of battle and civilian deaths it sets.
PresenceEffects presence_effects(const DynamicsParams& p, const Presence& presence);

// ln(1 + months / 12), the duration term of risk; looked up for whole months below
// kWholeMonthsTabled (months at peace count up from a whole number in most futures), the same
// value as computed.
inline constexpr int kWholeMonthsTabled = 1200;
double log_years_at_peace(double months);

// risk = alpha0 + s0 + driver_risk + beta_P P + beta_S K S + beta_G gbv - beta_W wp + beta_I inequality
//        + beta_h h + (at war: beta_war - beta_exh (w / 12); otherwise 0)
//        - beta_dur log1p(months_at_peace / 12) - deterrence + push, in this order (docs/model.md §2.5).
double risk(const DynamicsParams& p, const DynamicsState& s, const RiskFactors& f);

// One month: y(t+1) = rho y + (1 - rho) risk + sigma_y noise_y; the regime; the war so far and the
// war-history stock; battle deaths (lognormal around the regime's median, scaled by the population
// and by armed strength, reduced by troops); civilian deaths; displacement and returns. Deaths
// never exceed the living population, and displacement saturates as it approaches it.
// `armed_ratio` is total fighters relative to month 0.
void step_dynamics(const DynamicsParams& p, const RiskFactors& f, const PresenceEffects& presence, double armed_ratio,
                   double noise_y, double noise_violence, DynamicsState& s, MonthViolence& out);
// The same with the effects of `presence` computed first.
void step_dynamics(const DynamicsParams& p, const RiskFactors& f, const Presence& presence, double armed_ratio,
                   double noise_y, double noise_violence, DynamicsState& s, MonthViolence& out);

}  // namespace peacesim::models
