// Causal factors of peace and conflict ("drivers"): intensities in [0, 1] with mean reversion to
// a slowly drifting baseline (hysteresis), a causal map of cross-influences, intervention effects
// and noise. Equations and sources: docs/model.md, section "drivers".
#pragma once

#include <Eigen/Core>
#include <vector>

namespace peacesim::models {

// An edge of the causal map: each month, `to` moves by weight * (level[from] - baseline[from]).
struct Edge {
  int from = 0;
  int to = 0;
  double weight = 0;
};

struct DriverParams {
  Eigen::VectorXd initial;      // d(0)
  Eigen::VectorXd baseline;     // b(0)
  Eigen::VectorXd reversion;    // kappa, per month
  Eigen::VectorXd volatility;   // sigma, per month
  Eigen::VectorXd risk_weight;  // beta >= 0
  Eigen::VectorXd polarity;     // +1 conflict driver, -1 peace factor
  std::vector<Edge> edges;
  double hysteresis = 0.02;  // eta, per month
};

// The drivers of `lanes` worlds that share their parameters and noise (the options of one future,
// stepped together): driver k of lane l at [k * lanes + l], so that each update is a loop over lanes
// with the same arithmetic in every lane.
struct DriverState {
  int lanes = 1;
  Eigen::VectorXd level;     // d(t)
  Eigen::VectorXd baseline;  // b(t)
  Eigen::VectorXd next;      // scratch for the update
};

DriverState initial_drivers(const DriverParams& p, int lanes = 1);

// d(t+1) = clip01(d + kappa (b - d) + W (d - b) + push + sigma noise);  b(t+1) = b + eta (d(t+1) - b).
// `push` is the month's external change per driver and lane (activities and shocks), laid out as the
// state; `noise` points to one standard normal per driver, the same for every lane.
void step_drivers(const DriverParams& p, const Eigen::VectorXd& push, const double* noise, DriverState& s);

// driver_risk = sum_k beta_k p_k d_k, of every lane into risk[l].
void driver_risk(const DriverParams& p, const DriverState& s, double* risk);

// The same, of a single world (lanes 1).
double driver_risk(const DriverParams& p, const DriverState& s);

}  // namespace peacesim::models
