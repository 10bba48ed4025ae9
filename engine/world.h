// The world: the five models composed for one realisation and one option, stepped month by month.
// This is the hot loop: plain structs and Eigen only.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/model.h"
#include "engine/realisation.h"

namespace peacesim {

// Outcome of one (realisation, option).
struct Outcome {
  std::array<double, kMetricCount> metrics{};
  int relapse_month = 0;  // first month at war, 1..H; 0 when the peace holds
  // Conditions for involvement (IMPP): whether host consent held in every month, and the lowest
  // support for the process of any regional state over the horizon (1 when there is none).
  bool consent_held = true;
  double regional_support_min = 1;
  // The value of each of the model's probes (RealisationParams::probes); NaN for a probe whose month
  // was not simulated.
  std::vector<double> probes;
};

// Monthly path of one (realisation, option) for fan charts: months 0..H.
struct Trajectory {
  // Each indicator's path, one after another: [indicator * (H + 1) + t], so that the fan charts
  // read a path in order.
  std::vector<double> indicators;
  std::vector<std::uint8_t> regime;  // [t], models::Regime

  const double* path(int indicator) const { return &indicators[static_cast<std::size_t>(indicator) * regime.size()]; }
  double at(int t, Indicator indicator) const { return path(static_cast<int>(indicator))[t]; }
};

struct WorldLane;  // one course's own state (world.cc)

// Reusable state of the simulation (no allocation per month). The courses simulated together are
// its lanes: their drivers and actors are stepped together, lane by lane in each update.
struct WorldScratch {
  WorldScratch();
  ~WorldScratch();
  models::DriverState drivers;
  models::ActorState actors;
  Eigen::VectorXd driver_push, actor_push;                    // this month's, every lane's: activities', then shocks'
  Eigen::VectorXd activity_driver_push, activity_actor_push;  // the activities' alone, as they were last worked out
  std::vector<models::ActorInputs> actor_inputs;
  // Of each lane at the start of the month: driver risk, and fighters in all and supporting the
  // process (models::fighters).
  std::vector<double> driver_risk, fighters, supporting;
  std::vector<const Shock*> shocks_now;  // the scheduled shocks of the month
  std::vector<WorldLane> lanes;
};

// What gates the activities of each lead this month: military and police ones by deployment ramp x
// consent x the component's share of authorised strength (drawdown); civilian ones by consent x
// the civilians' share; the UN country team's and the host government's by nothing.
struct Gates {
  double military = 1, police = 1, civilian = 1;
};

// The gates in month index k: `ramp`, consent `consent` and drawdown shares `share`.
Gates gates(double ramp, double consent, const std::array<double, kPersonnelCount>& share);

// Prioritisation (seed 000: "a function of the importance of an activity"): the activities of
// `plan` active in month index k are funded in priority order from the month's programme budget;
// the first that cannot be funded in full runs at the funded share, and those after it at none.
// Fills each activity's effective intensity (planned intensity x funded share x its lead's gate;
// 0 when inactive) and returns the money spent.
double fund_activities(const OptionPlan& plan, int k, const Gates& gate, std::vector<double>& intensity);

// The value of `measure` now in lane `lane`: `indicators` holds this month's indicators
// (kIndicatorCount, as the fan charts record them), `drivers` and `actors` the state at the end of
// the month.
double measure_value(const Measure& measure, const double* indicators, const models::DriverState& drivers,
                     const models::ActorState& actors, const models::ActorParams& actor_params, int lane = 0);

// Which plan runs in which months of a future. Before month index `start` there is no UN action;
// from `start`, option `option`'s plan runs, with `start` as its month 0 (option -1: no UN action
// at all); from `switch_month`, option `then`'s plan runs, started afresh with `switch_month` as
// its month 0 (`then` -1: no UN action from then on; `then` equal to `option`: the plan goes on
// unchanged, there is no switch). Only the first `months` months are simulated (-1: the
// realisation's horizon). The outcome's metrics count the months from month index `score_from` on
// (months t = score_from + 1, ...; the months before are history): relapse is war in one of them,
// the displacement peak is over them from the state they start in, and a month to stable peace is
// counted from month 0 as always.
struct Course {
  static constexpr int kNever = 1 << 30;
  int option = 0;
  int start = 0;
  int switch_month = kNever;
  int then = 0;
  int months = -1;
  int score_from = 0;
};

// Simulates every course of `courses` on realisation `r` with noise `noise` (common random numbers),
// month by month, all courses in each month: outcome l is that of course l. Each course's outcome is
// what it would be simulated alone. Fills trajectories[l] (one per course) if `trajectories` is
// non-null.
void simulate(const RealisationParams& r, std::span<const Course> courses, const Noise& noise, WorldScratch& scratch,
              std::span<Outcome> outcomes, Trajectory* trajectories);

// Simulates `course` on realisation `r` with noise `noise`. Fills `trajectory` if non-null.
inline void simulate(const RealisationParams& r, const Course& course, const Noise& noise, WorldScratch& scratch,
                     Outcome& outcome, Trajectory* trajectory) {
  simulate(r, std::span<const Course>(&course, 1), noise, scratch, std::span<Outcome>(&outcome, 1), trajectory);
}

// Every option of `options`, each from month 0 to the horizon: course o runs option o.
std::vector<Course> every_option(int options);

// Option `option` from month 0 to the horizon.
inline void simulate(const RealisationParams& r, int option, const Noise& noise, WorldScratch& scratch,
                     Outcome& outcome, Trajectory* trajectory) {
  Course course;
  course.option = option;
  simulate(r, course, noise, scratch, outcome, trajectory);
}

// Share of full strength deployed in month index k (0-based), with `months` to full strength.
inline double deployment_ramp(double months, int k) {
  if (months <= 0) return 1.0;
  const double x = (k + 1) / months;
  return x < 1 ? x : 1.0;
}

}  // namespace peacesim
