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
  double base_risk = 0;             // alpha0
  double structural_risk = 0;       // s0, already scaled to latent units
  double polarisation_weight = 0;   // beta_P
  double spoiler_weight = 0;        // beta_S
  double gbv_weight = 0;            // beta_G
  double participation_weight = 0;  // beta_W
  double inequality_weight = 0;     // beta_I
  double war_trap = 0;              // beta_war
  double duration_dependence = 0;   // beta_dur
  double troop_deterrence = 0;      // beta_T
  double police_deterrence = 0;     // beta_Pol
  double observer_deterrence = 0;   // beta_Obs
  double robust_multiplier = 1;     // k_robust
  double persistence = 0.85;        // rho
  double noise = 0.06;              // sigma_y
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
};

// What the other models contribute to this month's risk.
struct RiskFactors {
  double driver_risk = 0;
  double polarisation = 0;
  double spoiler = 0;
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

struct DynamicsState {
  double intensity = 0;  // y(t)
  Regime regime = Regime::kUnstablePeace;
  double months_at_peace = 0;
  double displaced = 0;
};

struct MonthViolence {
  double battle_deaths = 0;
  double civilian_deaths = 0;
  double new_displaced = 0;
  double returned = 0;
};

Regime regime_of(const DynamicsParams& p, double y);

// y(0) at the middle of the initial regime's band.
DynamicsState initial_dynamics(const DynamicsParams& p, Regime regime, double months_at_peace, double displaced);

// deterrence = (beta_T ln(1 + troops/1000) + beta_Pol ln(1 + police/1000)) (robust ? k_robust : 1)
//              + beta_Obs ln(1 + observers/100).
double deterrence(const DynamicsParams& p, const Presence& presence);

// risk = alpha0 + s0 + driver_risk + beta_P P + beta_S S + beta_G gbv - beta_W wp + beta_I inequality
//        + beta_war 1[war] - beta_dur ln(1 + months_at_peace / 12) - deterrence + push.
double risk(const DynamicsParams& p, const DynamicsState& s, const RiskFactors& f);

// One month: y(t+1) = rho y + (1 - rho) risk + sigma_y noise_y; the regime; battle deaths
// (lognormal around the regime's median, scaled by armed strength, reduced by troops);
// civilian deaths; displacement and returns. `armed_ratio` is total fighters relative to month 0.
void step_dynamics(const DynamicsParams& p, const RiskFactors& f, const Presence& presence, double armed_ratio,
                   double noise_y, double noise_violence, DynamicsState& s, MonthViolence& out);

}  // namespace peacesim::models
