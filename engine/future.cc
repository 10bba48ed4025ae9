// The evaluation kernel; see future.h.
#include "engine/future.h"

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

void Future::draw(const std::vector<double>& u, std::int64_t noise) {
  planning_scenario_ = model_.planning_scenarios.size() > 1 ? planning_scenario_of(model_, u.back()) : 0;
  draw_from(model_, u, planning_scenario_, theta_);
  build_realisation(model_, theta_, planning_scenario_, horizon_, params_);
  draw_noise_of(noise);
}

void Future::simulate(int option, Outcome& outcome, Trajectory* trajectory) {
  peacesim::simulate(params_, option, noise_, world_, outcome, trajectory);
}

}  // namespace peacesim
