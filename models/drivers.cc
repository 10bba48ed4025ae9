// Causal factors of peace and conflict; see drivers.h and docs/model.md.
#include "models/drivers.h"

#include "models/clamp.h"

namespace peacesim::models {

DriverState initial_drivers(const DriverParams& p) {
  DriverState s;
  s.level = p.initial;
  s.baseline = p.baseline;
  s.next.resize(p.initial.size());
  return s;
}

void step_drivers(const DriverParams& p, const Eigen::VectorXd& push, const double* noise, DriverState& s) {
  const Eigen::Index n = s.level.size();
  for (Eigen::Index k = 0; k < n; ++k)
    s.next[k] = s.level[k] + p.reversion[k] * (s.baseline[k] - s.level[k]) + push[k] + p.volatility[k] * noise[k];
  for (const Edge& e : p.edges) s.next[e.to] += e.weight * (s.level[e.from] - s.baseline[e.from]);
  for (Eigen::Index k = 0; k < n; ++k) {
    const double d = s.next[k];
    const double level = clamp(d, 0.0, 1.0);
    s.level[k] = level;
    s.baseline[k] += p.hysteresis * (level - s.baseline[k]);
  }
}

double driver_risk(const DriverParams& p, const DriverState& s) {
  double r = 0;
  for (Eigen::Index k = 0; k < s.level.size(); ++k) r += p.risk_weight[k] * p.polarity[k] * s.level[k];
  return r;
}

}  // namespace peacesim::models
