// Stakeholder dynamics; see actors.h and docs/model.md.
#include "models/actors.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/clamp.h"
#include "models/lanes.h"
#include "models/sums.h"

namespace peacesim::models {

Eigen::MatrixXd influence_matrix(const Eigen::MatrixXd& trust, const Eigen::VectorXd& capability,
                                 const Eigen::VectorXd& salience) {
  const Eigen::Index n = capability.size();
  Eigen::MatrixXd w(n, n);
  const Eigen::VectorXd weight = capability.cwiseProduct(salience);
  for (Eigen::Index a = 0; a < n; ++a) {
    w.row(a) = trust.row(a).cwiseProduct(weight.transpose());
    const double total = sum_in_order(w.row(a));
    if (total > 0) {
      w.row(a) /= total;
    } else {
      w.row(a).setZero();
      w(a, a) = 1;
    }
  }
  return w;
}

ActorState initial_actors(const ActorParams& p, int lanes) {
  const Eigen::Index n = p.initial.size();
  ActorState s;
  s.lanes = lanes;
  s.position = in_every_lane(p.initial, lanes);
  s.strength = in_every_lane(p.strength, lanes);
  s.consent.setOnes(lanes);
  s.next.resize(n * lanes);
  s.lane.resize(5 * lanes);
  s.order.resize(n * lanes);
  for (int l = 0; l < lanes; ++l) std::iota(s.order.data() + l * n, s.order.data() + (l + 1) * n, 0);
  order_actors(p, s);
  return s;
}

double pair_weight(const Eigen::VectorXd& c) {
  const double total = sum_in_order(c);
  return 0.5 * (total * total - sum_of_squares_in_order(c));
}

void sort_by_position(const double* x, int stride, int* order, int n) {
  // by (position, index)
  auto before = [&](int a, double xa, int b) { return xa < x[b * stride] || (xa == x[b * stride] && a < b); };
  for (int i = 1; i < n; ++i) {
    const int v = order[i];
    const double xv = x[v * stride];
    if (!before(v, xv, order[i - 1])) continue;  // in place: most actors are, month to month
    int j = i;
    do {
      order[j] = order[j - 1];
      --j;
    } while (j > 0 && before(v, xv, order[j - 1]));
    order[j] = v;
  }
}

void sort_by_position(const Eigen::VectorXd& x, std::vector<int>& order) {
  sort_by_position(x.data(), 1, order.data(), static_cast<int>(order.size()));
}

void order_actors(const ActorParams& p, ActorState& s) {
  const int lanes = s.lanes;
  const int n = static_cast<int>(p.initial.size());
  s.polarisation.resize(lanes);
  s.bargaining.resize(lanes);
  const double half = 0.5 * sum_in_order(p.power);
  for (int l = 0; l < lanes; ++l) {
    const double* x = s.position.data() + l;
    int* order = s.order.data() + l * n;
    sort_by_position(x, lanes, order, n);
    // Polarisation over the sorted actors: sum_k c_k (x_k C_k - (cx)_k), with C_k and (cx)_k the
    // sums of c and c x over the actors before k. The bargaining outcome: the first position at
    // which the cumulative power reaches half of it (the lower weighted median).
    double num = 0, c_before = 0, cx_before = 0, power = 0;
    double median = n > 0 ? x[order[n - 1] * lanes] : 0.0;
    bool found = false;
    for (int r = 0; r < n; ++r) {
      const int k = order[r];
      const double c = p.capability[k], xk = x[k * lanes];
      num += c * (xk * c_before - cx_before);
      c_before += c;
      cx_before += c * xk;
      power += p.power[k];
      if (!found && power >= half) {
        median = xk;
        found = true;
      }
    }
    s.polarisation[l] = p.pair_weight > 0 ? num / p.pair_weight : 0.0;
    s.bargaining[l] = median;
  }
}

namespace {

// next[a * lanes + l] = sum_b w_ab x[b * lanes + l], each sum over b = 0, 1, ... in turn, for the K
// lanes from l0: K running sums in registers.
template <int K>
void social_sums_of_lanes(const double* __restrict w, int n, const double* __restrict x, int lanes, int l0,
                          double* __restrict next) {
  for (int a = 0; a < n; ++a) {
    double sum[K];
    for (int j = 0; j < K; ++j) sum[j] = 0;
    for (int b = 0; b < n; ++b) {
      const double wab = w[b * n + a];  // W_A is column-major: column b at w + b n
      for (int j = 0; j < K; ++j) sum[j] += wab * x[b * lanes + l0 + j];
    }
    for (int j = 0; j < K; ++j) next[a * lanes + l0 + j] = sum[j];
  }
}

// The same for one lane: four actors' sums at once in registers.
void social_sums_of_lane(const double* __restrict w, int n, const double* __restrict x, int lanes, int l,
                         double* __restrict next) {
  int a0 = 0;
  for (; a0 + 4 <= n; a0 += 4) {
    double sum[4] = {0, 0, 0, 0};
    for (int b = 0; b < n; ++b)
      for (int j = 0; j < 4; ++j) sum[j] += w[b * n + a0 + j] * x[b * lanes + l];
    for (int j = 0; j < 4; ++j) next[(a0 + j) * lanes + l] = sum[j];
  }
  for (; a0 < n; ++a0) {
    double sum = 0;
    for (int b = 0; b < n; ++b) sum += w[b * n + a0] * x[b * lanes + l];
    next[a0 * lanes + l] = sum;
  }
}

// W_A x of every lane: eight lanes at a time, then four, then one.
void social_sums(const double* w, int n, const double* x, int lanes, double* next) {
  int l = 0;
  for (; l + 8 <= lanes; l += 8) social_sums_of_lanes<8>(w, n, x, lanes, l, next);
  for (; l + 4 <= lanes; l += 4) social_sums_of_lanes<4>(w, n, x, lanes, l, next);
  for (; l < lanes; ++l) social_sums_of_lane(w, n, x, lanes, l, next);
}

// Each lane's inputs this month (step_actors).
struct LaneInputs {
  const double* mediation;  // mu
  const double* target;     // the bargaining outcome, where mu > 0
  const double* ddr;
  const double* attrition;
  const double* recruit;  // recruitment x max(0, driver risk)
  bool mediating;         // mu > 0 in some lane
};

// The positions (into next) and strengths (in place) of `lanes` lanes (K when K > 0).
template <int K>
void move_lanes(const ActorParams& p, int lanes_at_run_time, const LaneInputs& in, const double* __restrict push,
                const double* noise, const double* __restrict position, double* __restrict strength,
                double* __restrict next) {
  const int lanes = K > 0 ? K : lanes_at_run_time;
  const int n = static_cast<int>(p.initial.size());
  const double* __restrict mediation = in.mediation;
  const double* __restrict target = in.target;
  // W_A x: each actor's sum over b = 0, 1, ... in turn (social_sums), into next.
  social_sums(p.influence.data(), n, position, lanes, next);
  for (int a = 0; a < n; ++a) {
    double* __restrict x = next + a * lanes;
    const double keep = 1 - p.anchoring[a], anchor = p.anchoring[a] * p.initial[a];
    const double shock = p.volatility[a] * noise[a];
    for (int l = 0; l < lanes; ++l) x[l] = keep * x[l] + anchor + shock;
    const double* __restrict xa = position + a * lanes;
    if (in.mediating)
      for (int l = 0; l < lanes; ++l) {  // every lane's pull worked out, kept where mediation > 0
        const double mediated = x[l] + mediation[l] * (target[l] - xa[l]);
        x[l] = mediation[l] > 0 ? mediated : x[l];
      }
    if (push)
      for (int l = 0; l < lanes; ++l) x[l] += push[a * lanes + l];
    for (int l = 0; l < lanes; ++l) x[l] = clamp(x[l], 0.0, 1.0);
  }
  const double* __restrict ddr = in.ddr;
  const double* __restrict attrition = in.attrition;
  const double* __restrict recruit = in.recruit;
  for (int a = 0; a < n; ++a) {
    const int i = a * lanes;
    // Every term worked out, then chosen, and ddr read in every lane: no branch, so the loop is
    // vectorised.
    for (int l = 0; l < lanes; ++l) {
      const double m = strength[i + l], d = ddr[l];
      const bool supports = position[i + l] >= 0.5;
      const double recruited = recruit[l] * m;
      const double loss = attrition[l] + (supports ? d : 0.0);
      const double after = std::max(0.0, m * (1 - std::min(1.0, loss)) + (supports ? 0.0 : recruited));
      strength[i + l] = m <= 0 ? m : after;
    }
  }
}

}  // namespace

void step_actors(const ActorParams& p, const ActorInputs* in, const double* push, const double* noise, ActorState& s) {
  const int lanes = s.lanes;
  // Each lane's mediation, its target (the bargaining outcome), DDR, attrition and recruitment.
  double* mediation = s.lane.data();
  double* target = mediation + lanes;
  double* ddr = target + lanes;
  double* attrition = ddr + lanes;
  double* recruit = attrition + lanes;
  bool mediating = false;
  for (int l = 0; l < lanes; ++l) {
    mediation[l] = in[l].mediation;
    target[l] = 0;
    if (in[l].mediation > 0) {
      target[l] = s.bargaining[l];
      mediating = true;
    }
    ddr[l] = in[l].ddr;
    attrition[l] = in[l].at_war ? p.attrition_war : p.attrition_peace;
    recruit[l] = p.recruitment * std::max(0.0, in[l].driver_risk);
  }
  const LaneInputs inputs{mediation, target, ddr, attrition, recruit, mediating};
  with_lanes(lanes, [&](auto one) {
    move_lanes<decltype(one)::value>(p, lanes, inputs, push, noise, s.position.data(), s.strength.data(),
                                     s.next.data());
  });
  s.position.swap(s.next);
  order_actors(p, s);
  for (int l = 0; l < lanes; ++l) {
    const double* x = s.position.data() + l;
    bool consent = true;
    for (int a : p.consent_holders) consent = consent && x[a * lanes] >= p.consent_threshold;
    s.consent[l] = consent ? 1.0 : s.consent[l] * (1 - p.consent_decay);
  }
}

void step_actors(const ActorParams& p, const ActorInputs& in, const double* noise, ActorState& s) {
  step_actors(p, &in, in.push ? in.push->data() : nullptr, noise, s);
}

namespace {

template <int K>
void fighters_of(const double* __restrict m, const double* __restrict x, Eigen::Index n, int lanes_at_run_time,
                 double* __restrict total, double* __restrict supporting) {
  const int lanes = K > 0 ? K : lanes_at_run_time;
  for (int l = 0; l < lanes; ++l) total[l] = supporting[l] = 0;
  for (Eigen::Index a = 0; a < n; ++a)
    for (int l = 0; l < lanes; ++l) {
      total[l] += m[a * lanes + l];
      supporting[l] += m[a * lanes + l] * x[a * lanes + l];
    }
}

}  // namespace

void fighters(const ActorState& s, double* total, double* supporting) {
  with_lanes(s.lanes, [&](auto one) {
    fighters_of<decltype(one)::value>(s.strength.data(), s.position.data(), s.strength.size() / s.lanes, s.lanes, total,
                                      supporting);
  });
}

double spoiler_strength(double initial, double total, double supporting) {
  if (!(initial > 0)) return 0;
  return (total - supporting) / initial;
}

double spoiler_strength(const ActorParams& p, const ActorState& s) {
  double total = 0, supporting = 0;
  fighters_of<1>(s.strength.data(), s.position.data(), s.strength.size(), 1, &total, &supporting);
  return spoiler_strength(sum_in_order(p.strength), total, supporting);
}

}  // namespace peacesim::models
