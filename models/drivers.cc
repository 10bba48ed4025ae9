// Causal factors of peace and conflict; see drivers.h and docs/model.md.
#include "models/drivers.h"

#include "models/clamp.h"
#include "models/lanes.h"

namespace peacesim::models {

DriverState initial_drivers(const DriverParams& p, int lanes) {
  const Eigen::Index n = p.initial.size();
  DriverState s;
  s.lanes = lanes;
  s.level = in_every_lane(p.initial, lanes);
  s.baseline = in_every_lane(p.baseline, lanes);
  s.next.resize(n * lanes);
  return s;
}

void step_drivers(const DriverParams& p, const Eigen::VectorXd& push_in, const double* noise, DriverState& s) {
  const int lanes = s.lanes;
  const Eigen::Index n = p.initial.size();
  double* __restrict next = s.next.data();
  double* __restrict level = s.level.data();
  double* __restrict baseline = s.baseline.data();
  const double* __restrict push = push_in.data();
  for (Eigen::Index k = 0; k < n; ++k) {
    const double kappa = p.reversion[k], shock = p.volatility[k] * noise[k];
    const Eigen::Index i = k * lanes;
    for (int l = 0; l < lanes; ++l)
      next[i + l] = level[i + l] + kappa * (baseline[i + l] - level[i + l]) + push[i + l] + shock;
  }
  for (const Edge& e : p.edges) {
    const Eigen::Index to = e.to * lanes, from = e.from * lanes;
    for (int l = 0; l < lanes; ++l) next[to + l] += e.weight * (level[from + l] - baseline[from + l]);
  }
  const double eta = p.hysteresis;
  for (Eigen::Index i = 0; i < n * lanes; ++i) {
    const double d = clamp(next[i], 0.0, 1.0);
    level[i] = d;
    baseline[i] += eta * (d - baseline[i]);
  }
}

void driver_risk(const DriverParams& p, const DriverState& s, double* risk) {
  const int lanes = s.lanes;
  for (int l = 0; l < lanes; ++l) risk[l] = 0;
  for (Eigen::Index k = 0; k < p.initial.size(); ++k) {
    const double weight = p.risk_weight[k] * p.polarity[k];
    for (int l = 0; l < lanes; ++l) risk[l] += weight * s.level[k * lanes + l];
  }
}

double driver_risk(const DriverParams& p, const DriverState& s) {
  double risk = 0;
  driver_risk(p, s, &risk);
  return risk;
}

}  // namespace peacesim::models
