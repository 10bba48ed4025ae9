// One realisation (sampled future): the draw of every uncertain quantity under the realisation's
// planning scenario, the parameters of every model built from that draw, each option's realised
// plan (resources and activity schedule), and the exogenous noise. All of it is shared by every
// option of the realisation (common random numbers).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/model.h"
#include "models/actors.h"
#include "models/drivers.h"
#include "models/dynamics.h"
#include "models/gender.h"
#include "models/situation.h"

namespace peacesim {

// What one kind of activity does per month at full intensity, in this realisation.
struct ActivityEffect {
  std::vector<std::pair<int, double>> drivers;
  std::vector<std::pair<int, double>> actors;
  double mediation = 0, ddr = 0, participation = 0, representation = 0, gbv = 0, risk = 0;
};

// An activity with its realised schedule. Month indices k = 0, 1, ... (k = t - 1 for simulated
// month t); the activity runs while start <= k < end.
struct ScheduledActivity {
  ActivityKind kind = ActivityKind::kMediation;
  Lead lead = Lead::kCivilian;
  int start = 0;
  int end = 0;
  double intensity = 1;
  double cost = 0;  // US dollars per month at the planned intensity
};

struct OptionPlan {
  double troops = 0, police = 0, civilians = 0, observers = 0;
  double budget_per_month = 0;
  double deployment_months = 0;
  bool protection_of_civilians = false, robust = false;
  const std::vector<StrengthStep>* drawdown = nullptr;  // the option's drawdown (OptionSpec)
  std::vector<ScheduledActivity> activities;            // in funding order: priority, then declaration
};

// Share of each component's authorised strength in month index k under the drawdown `steps`
// (1 before the first step).
std::array<double, kPersonnelCount> strength_share(const std::vector<StrengthStep>& steps, int k);

struct Shock {
  int start = 0, end = 0;  // month indices, start <= k < end
  ShockTarget target = ShockTarget::kRisk;
  int index = 0;
  double delta = 0;
};

struct RealisationParams {
  int horizon = 0;
  models::Profile profile;
  models::DriverParams drivers;
  models::ActorParams actors;
  models::GenderParams gender;
  models::DynamicsParams dynamics;
  std::array<ActivityEffect, kActivityKindCount> effects;
  double bargaining_pull = 0;
  double effect_without_guarantee = 1;                        // g0: mediation and DDR without a security guarantee
  double troop_cost = 0, police_cost = 0, civilian_cost = 0;  // per person per month
  std::vector<OptionPlan> options;
  std::vector<Shock> shocks;
  const std::vector<Probe>* probes = nullptr;  // what every future reads in its months (Model)
};

// Standard normal noise of one realisation, month-major.
struct Noise {
  int drivers = 0, actors = 0;
  std::vector<double> driver;    // [k * drivers + d]
  std::vector<double> actor;     // [k * actors + a]
  std::vector<double> dynamics;  // [k * 2 + j], j = 0 latent intensity, 1 battle deaths
};

// Draws realisations' quantities under the model's sampling design. Thread-safe (const).
class Sampler {
 public:
  // `runs` is needed by the Latin hypercube (its strata); the other designs ignore it.
  Sampler(const Model& model, std::uint64_t seed, std::int64_t runs);
  ~Sampler();

  // Planning scenario of realisation i: stratified by weight along the golden-ratio sequence
  // frac(u0 + i / phi), so every prefix of realisations holds each scenario in its share.
  int planning_scenario(std::int64_t i) const;

  // The uniforms of realisation i, one per dimension, in (0, 1).
  void uniforms(std::int64_t i, std::vector<double>& u) const;

  // theta[q] for every quantity q of realisation i under planning scenario p.
  void draw(std::int64_t i, int p, std::vector<double>& theta) const;

 private:
  const Model& model_;
  std::uint64_t seed_;
  std::int64_t runs_;
  double allocation_offset_;
  std::vector<std::uint64_t> sobol_shift_;  // random shift, 64-bit fixed point
  struct SobolPrototype;
  std::unique_ptr<SobolPrototype> sobol_;
};

// theta[q] for every quantity q from the uniforms `u` of the model's dimensions, under planning
// scenario p (the quantile of each quantity's distribution, or of its override in p).
void draw_from(const Model& model, const std::vector<double>& u, int p, std::vector<double>& theta);

// The inputs of the analyses that need per-realisation rows: one per uncertain dimension, named
// by its key and valued by its first quantity, then the planning scenario (by index) when there
// are several.
struct AnalysisInputs {
  std::vector<std::string> names;
  std::vector<int> quantity;  // per dimension: the quantity whose value stands for it
  bool planning_scenario = false;
};
AnalysisInputs analysis_inputs(const Model& model);

// The input row of a realisation: its representative quantity values, then its planning scenario.
void input_row(const AnalysisInputs& in, const std::vector<double>& theta, int planning_scenario, double* row);

// The planning scenario whose cumulative weight first exceeds v in [0, 1).
int planning_scenario_of(const Model& model, double v);

// Builds the realisation's parameters from theta.
// The months each activity of `spec` runs, [start, end): its planned start plus the delay for its
// kind, and never before every activity it comes `after` has ended (sequencing, seed 000). An
// activity without a duration runs to the end; one after it never starts (kNever). Activities led
// by a mission component end when the mission withdraws.
struct ActivityWindow {
  static constexpr int kNever = 1 << 30;
  int start = 0, end = kNever;
};
std::vector<ActivityWindow> schedule(const OptionSpec& spec, const std::array<int, kActivityKindCount>& delay);

void build_realisation(const Model& model, const std::vector<double>& theta, int planning_scenario, int horizon,
                       RealisationParams& out);

// The realisation's noise for months 1..horizon.
void draw_noise(const Model& model, std::uint64_t seed, std::int64_t realisation, int horizon, Noise& out);

// The noise of month index k of a realisation: `drivers` and `actors` standard normals, and the two
// of the dynamics (latent intensity, battle deaths). draw_noise is this for every month.
void draw_month_noise(std::uint64_t seed, std::int64_t realisation, int k, int drivers, int actors, double* driver,
                      double* actor, double* dynamics);

// A pseudo-random permutation of [0, n) keyed by (seed, key): a 4-round Feistel network on the
// next power of four with cycle walking (Black & Rogaway 2002). Used for Latin-hypercube strata.
std::uint64_t permute(std::uint64_t i, std::uint64_t n, std::uint64_t seed, std::uint32_t key);

}  // namespace peacesim
