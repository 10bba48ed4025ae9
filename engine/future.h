// One future at a time: the evaluation kernel that `run`, `sensitivity` and `discover` share. A
// Future belongs to one thread and holds everything a future needs (its draws, its realisation, its
// noise and the world's scratch), allocated once; the compiled Model is shared and never changes.
// It is drawn either as realisation i of the run's design (the Sampler) or from a given row of
// uniforms (a sensitivity design), and then simulated for any option: every option of a future
// sees the same draws and the same noise (common random numbers).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/model.h"
#include "engine/realisation.h"
#include "engine/world.h"

namespace peacesim {

class Future {
 public:
  Future(const Model& model, int horizon, std::uint64_t seed);

  // Realisation i of the design: its planning scenario, its draws and its noise.
  void draw(const Sampler& sampler, std::int64_t i);

  // The future of the uniforms `u` (one per design dimension, then the planning scenario's when
  // there are several) with the noise of realisation `noise`; the noise is drawn again only when
  // it changes.
  void draw(const std::vector<double>& u, std::int64_t noise);

  // The same, except that the noise of the first `months` months is given: `noise_prefix` holds, for
  // each month k in turn, its drivers', then its actors', then its two dynamics' standard normals.
  void draw(const std::vector<double>& u, std::int64_t noise, const double* noise_prefix, int months);

  // Simulates `option` in the future drawn last into `outcome`; fills `trajectory` when it is not
  // null.
  void simulate(int option, Outcome& outcome, Trajectory* trajectory = nullptr);

  // Simulates `course` in the future drawn last.
  void simulate(const Course& course, Outcome& outcome, Trajectory* trajectory = nullptr);

  // Simulates every course of `courses` in the future drawn last, month by month together (see
  // peacesim::simulate): outcomes[l] and, if not null, trajectories[l] are course l's.
  void simulate(std::span<const Course> courses, std::span<Outcome> outcomes, Trajectory* trajectories = nullptr);

  int planning_scenario() const { return planning_scenario_; }
  const std::vector<double>& theta() const { return theta_; }  // [quantity]
  const RealisationParams& params() const { return params_; }

 private:
  void draw_quantities(const std::vector<double>& u);  // theta, planning scenario, parameters
  void draw_noise_of(std::int64_t realisation);

  const Model& model_;
  int horizon_;
  std::uint64_t seed_;
  int planning_scenario_ = 0;
  std::int64_t noise_of_ = -1;  // the realisation whose noise `noise_` holds
  std::vector<double> theta_;
  RealisationParams params_;
  Noise noise_;
  WorldScratch world_;
};

}  // namespace peacesim
