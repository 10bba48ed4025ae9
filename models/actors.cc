// Stakeholder dynamics; see actors.h and docs/model.md.
#include "models/actors.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/clamp.h"

namespace peacesim::models {

Eigen::MatrixXd influence_matrix(const Eigen::MatrixXd& trust, const Eigen::VectorXd& capability,
                                 const Eigen::VectorXd& salience) {
  const Eigen::Index n = capability.size();
  Eigen::MatrixXd w(n, n);
  const Eigen::VectorXd weight = capability.cwiseProduct(salience);
  for (Eigen::Index a = 0; a < n; ++a) {
    w.row(a) = trust.row(a).cwiseProduct(weight.transpose());
    const double total = w.row(a).sum();
    if (total > 0) {
      w.row(a) /= total;
    } else {
      w.row(a).setZero();
      w(a, a) = 1;
    }
  }
  return w;
}

ActorState initial_actors(const ActorParams& p) {
  ActorState s;
  s.position = p.initial;
  s.strength = p.strength;
  s.consent = 1;
  s.next.resize(p.initial.size());
  s.order.resize(p.initial.size());
  std::iota(s.order.begin(), s.order.end(), 0);
  sort_by_position(s.position, s.order);
  return s;
}

double pair_weight(const Eigen::VectorXd& c) {
  const double total = c.sum();
  return 0.5 * (total * total - c.squaredNorm());
}

void sort_by_position(const Eigen::VectorXd& x, std::vector<int>& order) {
  // by (position, index)
  auto before = [&](int a, double xa, int b) { return xa < x[b] || (xa == x[b] && a < b); };
  for (std::size_t i = 1; i < order.size(); ++i) {
    const int v = order[i];
    const double xv = x[v];
    if (!before(v, xv, order[i - 1])) continue;  // in place: most actors are, month to month
    std::size_t j = i;
    do {
      order[j] = order[j - 1];
      --j;
    } while (j > 0 && before(v, xv, order[j - 1]));
    order[j] = v;
  }
}

double weighted_median(const Eigen::VectorXd& x, const Eigen::VectorXd& w, const std::vector<int>& order) {
  const double half = 0.5 * w.sum();
  double run = 0;
  for (int k : order) {
    run += w[k];
    if (run >= half) return x[k];
  }
  return x[order.back()];
}

void step_actors(const ActorParams& p, const ActorInputs& in, const double* noise, ActorState& s) {
  const Eigen::Index n = s.position.size();
  double target = 0;
  if (in.mediation > 0) target = weighted_median(s.position, p.power, s.order);
  // W_A x, each actor's sum taken over b = 0, 1, ... in turn, four actors at once in registers.
  double* __restrict social = s.next.data();
  const double* __restrict position = s.position.data();
  const double* __restrict w = p.influence.data();  // column b at w + b n
  Eigen::Index a0 = 0;
  for (; a0 + 4 <= n; a0 += 4) {
    double sum[4] = {0, 0, 0, 0};
    for (Eigen::Index b = 0; b < n; ++b)
      for (int j = 0; j < 4; ++j) sum[j] += w[b * n + a0 + j] * position[b];
    for (int j = 0; j < 4; ++j) social[a0 + j] = sum[j];
  }
  for (; a0 < n; ++a0) {
    double sum = 0;
    for (Eigen::Index b = 0; b < n; ++b) sum += w[b * n + a0] * position[b];
    social[a0] = sum;
  }
  for (Eigen::Index a = 0; a < n; ++a) {
    double x = (1 - p.anchoring[a]) * social[a] + p.anchoring[a] * p.initial[a] + p.volatility[a] * noise[a];
    if (in.mediation > 0) x += in.mediation * (target - s.position[a]);
    if (in.push) x += (*in.push)[a];
    s.next[a] = clamp(x, 0.0, 1.0);
  }
  const double attrition = in.at_war ? p.attrition_war : p.attrition_peace;
  const double recruit = p.recruitment * std::max(0.0, in.driver_risk);
  for (Eigen::Index a = 0; a < n; ++a) {
    const double m = s.strength[a];
    if (m <= 0) continue;
    const bool supports = s.position[a] >= 0.5;
    const double loss = attrition + (supports ? in.ddr : 0.0);
    s.strength[a] = std::max(0.0, m * (1 - std::min(1.0, loss)) + (supports ? 0.0 : recruit * m));
  }
  s.position.swap(s.next);
  sort_by_position(s.position, s.order);
  bool consent = true;
  for (int a : p.consent_holders) consent = consent && s.position[a] >= p.consent_threshold;
  s.consent = consent ? 1.0 : s.consent * (1 - p.consent_decay);
}

double polarisation(const ActorParams& p, const ActorState& s) {
  if (!(p.pair_weight > 0)) return 0.0;
  // Over actors sorted by position: sum_k c_k (x_k C_k - (cx)_k), with C_k and (cx)_k the sums of
  // c and c x over the actors before k.
  double num = 0, c_before = 0, cx_before = 0;
  for (int k : s.order) {
    const double c = p.capability[k], x = s.position[k];
    num += c * (x * c_before - cx_before);
    c_before += c;
    cx_before += c * x;
  }
  return num / p.pair_weight;
}

double spoiler_strength(const ActorParams& p, const ActorState& s) {
  const double initial = p.strength.sum();
  if (!(initial > 0)) return 0;
  return (s.strength.sum() - s.strength.dot(s.position)) / initial;
}

}  // namespace peacesim::models
