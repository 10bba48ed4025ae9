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

namespace {

// The month of `lanes` lanes (K when K > 0).
template <int K>
void step_lanes(const DriverParams& p, int lanes_at_run_time, const double* __restrict push, const double* noise,
                double* __restrict level, double* __restrict baseline, double* __restrict next) {
  const int lanes = K > 0 ? K : lanes_at_run_time;
  const Eigen::Index n = p.initial.size();
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

template <int K>
void risk_lanes(const DriverParams& p, int lanes_at_run_time, const double* __restrict level, double* __restrict risk) {
  const int lanes = K > 0 ? K : lanes_at_run_time;
  for (int l = 0; l < lanes; ++l) risk[l] = 0;
  for (Eigen::Index k = 0; k < p.initial.size(); ++k) {
    const double weight = p.risk_weight[k] * p.polarity[k];
    for (int l = 0; l < lanes; ++l) risk[l] += weight * level[k * lanes + l];
  }
}

}  // namespace

void step_drivers(const DriverParams& p, const Eigen::VectorXd& push, const double* noise, DriverState& s) {
  with_lanes(s.lanes, [&](auto one) {
    step_lanes<decltype(one)::value>(p, s.lanes, push.data(), noise, s.level.data(), s.baseline.data(), s.next.data());
  });
}

void driver_risk(const DriverParams& p, const DriverState& s, double* risk) {
  with_lanes(s.lanes, [&](auto one) { risk_lanes<decltype(one)::value>(p, s.lanes, s.level.data(), risk); });
}

double driver_risk(const DriverParams& p, const DriverState& s) {
  double risk = 0;
  risk_lanes<1>(p, 1, s.level.data(), &risk);
  return risk;
}

}  // namespace peacesim::models
