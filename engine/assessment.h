// Assessment (CPAS: ASSESS): what the futures of a scenario become once some months have been
// observed. A sequential Monte Carlo sampler (a resample-move particle filter; Gilks & Berzuini
// 2001) over the futures simulated under the course actually followed, up to the last observed
// month.
//
// A future is a point z of a standard normal space: the uncertain quantities (u = Phi(z) per
// dimension; the planning scenario by one more uniform when there are several) and the noise of
// every month up to the last observed one. Its prior is N(0, I). An observation of month t is the
// future's probe value plus a normal error of the stated standard deviation. The sampler takes the
// observation months in turn; within a month it raises the new observations' likelihood from power
// 0 to 1 in steps chosen so that the effective sample size falls to half the particles at each
// (adaptive tempering; Jasra et al. 2011), resamples systematically (Kitagawa 1996) after each
// step, and rejuvenates the particles with Metropolis-Hastings moves that leave the posterior so
// far invariant: preconditioned Crank-Nicolson proposals z' = rho z + sqrt(1 - rho^2) xi (Cotter
// et al. 2013), accepted with the likelihood ratio (the proposal preserves the prior).
//
// Every random number is a pure function of (seed, particle, move), and every sum runs over
// particles in order, so the assessment is the same for any thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/future.h"
#include "engine/model.h"
#include "engine/world.h"

namespace peacesim {

// An observation, compiled: probe `probe` of the model was `value`, give or take `sd`.
struct ObservedValue {
  int probe = 0;
  int month = 0;
  double value = 0;
  double sd = 1;
};

struct AssessmentSettings {
  int implemented = -1;  // the option followed (-1: no UN action)
  int since = 0;         // the month index from which it has been followed
  int horizon = 60;      // of the futures drawn (realisation parameters)
  int particles = 2000;
  std::uint64_t seed = 1;
  int threads = 0;  // 0 = all cores
  int moves = 8;    // rounds of Metropolis-Hastings moves after each resampling (docs/analysis.md)
};

// One step of the sampler: the observations of `month` raised to `power`.
struct FilterStep {
  int month = 0;
  double power = 0;
  double ess = 0;         // effective sample size of the weights before resampling
  double acceptance = 0;  // share of moves accepted in the rejuvenation
  int distinct = 0;       // particles distinct after the rejuvenation
};

// An equally weighted cloud of futures and what each read.
struct Cloud {
  int width = 0;                   // of z
  std::vector<double> z;           // [i * width + k]
  std::vector<double> probes;      // [i * probes + p]: each future's probe values
  std::vector<int> relapse_month;  // [i]: first month at war up to the last observed month; 0 none
  int size() const { return width > 0 ? static_cast<int>(z.size() / width) : 0; }
};

struct Assessment {
  int last_month = 0;  // the last observed month
  std::vector<FilterStep> steps;
  Cloud prior, posterior;
  double min_ess = 0;  // the smallest effective sample size of any step
  // Collapsed: the moves could not spread the particles again (too few distinct futures left, or
  // almost no move accepted): the observations lie where the scenario's futures hardly go.
  bool collapsed = false;
};

// Where the parts of z lie, for `model` observed up to month `last_month`.
struct LatentLayout {
  LatentLayout(const Model& model, int last_month);
  int dimensions = 0;  // the uncertain quantities
  int scenario = -1;   // the planning scenario's coordinate, -1 when there is one scenario
  int drivers = 0, actors = 0, months = 0;
  int noise = 0;  // first noise coordinate: month k's drivers, then its actors, then its two dynamics
  int width = 0;
};

// Runs the sampler on `model` (whose probes include the observed ones) for the course of
// `settings`. Throws std::invalid_argument when there is no observation.
Assessment assess(const Model& model, const std::vector<ObservedValue>& observed, const AssessmentSettings& settings);

// The shares of `cloud`'s futures (observed up to `last_month` under the course of `settings`) at war
// in some month of the 12, and of the 24, after the last observed month, with no UN action from then
// on; the noise beyond it is realisation i's of settings.seed for particle i.
struct WarAhead {
  double within12 = 0, within24 = 0;
};
WarAhead war_ahead(const Model& model, const Cloud& cloud, int last_month, const AssessmentSettings& settings);

// Draws the future of particle `z` into `future` (of any horizon from the last observed month on):
// its quantities, its planning scenario and its noise up to the last observed month; beyond it, the
// noise of realisation `noise_of` of the future's seed.
void draw_particle(const LatentLayout& layout, const double* z, std::int64_t noise_of, Future& future);

}  // namespace peacesim
