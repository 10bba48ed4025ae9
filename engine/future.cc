// The evaluation kernel; see future.h.
#include "engine/future.h"

#include <algorithm>

namespace peacesim {

Future::Future(const Model& model, int horizon, std::uint64_t seed) : model_(model), horizon_(horizon), seed_(seed) {}

void Future::draw_noise_of(std::int64_t realisation) {
  if (realisation == noise_of_) return;
  draw_noise(model_, seed_, realisation, horizon_, noise_);
  noise_of_ = realisation;
}

void Future::draw(const Sampler& sampler, std::int64_t i) {
  planning_scenario_ = sampler.planning_scenario(i);
  sampler.draw(i, planning_scenario_, theta_);
  build_realisation(model_, theta_, planning_scenario_, horizon_, params_);
  draw_noise_of(i);
}

void Future::draw_quantities(const std::vector<double>& u) {
  planning_scenario_ = model_.planning_scenarios.size() > 1 ? planning_scenario_of(model_, u.back()) : 0;
  draw_from(model_, u, planning_scenario_, theta_);
  build_realisation(model_, theta_, planning_scenario_, horizon_, params_);
}

void Future::draw(const std::vector<double>& u, std::int64_t noise) {
  draw_quantities(u);
  draw_noise_of(noise);
}

void Future::draw(const std::vector<double>& u, std::int64_t noise, const double* noise_prefix, int months) {
  draw_quantities(u);
  months = std::min(months, horizon_);
  if (months < horizon_) {
    draw_noise_of(noise);
  } else {  // every month given: nothing to draw, only the shape
    noise_.drivers = static_cast<int>(model_.drivers.size());
    noise_.actors = static_cast<int>(model_.actors.size());
    noise_.driver.resize(static_cast<std::size_t>(horizon_) * noise_.drivers);
    noise_.actor.resize(static_cast<std::size_t>(horizon_) * noise_.actors);
    noise_.dynamics.resize(static_cast<std::size_t>(horizon_) * 2);
  }
  noise_of_ = -1;  // the prefix below overwrites the realisation's noise
  const int nd = noise_.drivers, na = noise_.actors;
  const double* z = noise_prefix;
  for (int k = 0; k < months; ++k) {
    std::copy(z, z + nd, &noise_.driver[static_cast<std::size_t>(k) * nd]);
    std::copy(z + nd, z + nd + na, &noise_.actor[static_cast<std::size_t>(k) * na]);
    noise_.dynamics[2 * k] = z[nd + na];
    noise_.dynamics[2 * k + 1] = z[nd + na + 1];
    z += nd + na + 2;
  }
}

void Future::simulate(const Course& course, Outcome& outcome, Trajectory* trajectory) {
  peacesim::simulate(params_, course, noise_, world_, outcome, trajectory);
}

void Future::simulate(std::span<const Course> courses, std::span<Outcome> outcomes, Trajectory* trajectories) {
  peacesim::simulate(params_, courses, noise_, world_, outcomes, trajectories);
}

void Future::simulate(int option, Outcome& outcome, Trajectory* trajectory) {
  peacesim::simulate(params_, option, noise_, world_, outcome, trajectory);
}

}  // namespace peacesim
