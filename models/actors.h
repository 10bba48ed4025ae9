// Stakeholders ("actors"): Friedkin-Johnsen opinion dynamics on support for the peace process,
// with influence weights proportional to trust x capability x salience (Friedkin & Johnsen 1990,
// J. Math. Sociol. 15:193), a pull toward the expected bargaining outcome under mediation (the
// capability x salience weighted median; Black 1948, Bueno de Mesquita 1994), armed strength with
// DDR that demobilises only supporters of the process, and host consent.
// Equations and sources: docs/model.md, section "actors".
#pragma once

#include <Eigen/Core>
#include <vector>

namespace peacesim::models {

struct ActorParams {
  Eigen::VectorXd initial;     // x(0), support for the peace process in [0, 1]
  Eigen::VectorXd salience;    // s
  Eigen::VectorXd capability;  // c
  Eigen::VectorXd anchoring;   // theta
  Eigen::VectorXd strength;    // m(0), fighters
  Eigen::VectorXd volatility;  // sigma_x, per month
  // W_A, row-stochastic (see influence_matrix); column-major, as the update reads it column by
  // column (every actor's sum in step, which vectorises across actors).
  Eigen::MatrixXd influence;
  Eigen::VectorXd power;   // c * s, the weights of the bargaining outcome
  double pair_weight = 0;  // sum_{a<b} c_a c_b, the denominator of polarisation
  std::vector<int> consent_holders;
  std::vector<int> regional_states;  // actors of kind regional state (for reporting only)
  double consent_threshold = 0.35;
  double consent_decay = 0.15;
  double attrition_war = 0.01;
  double attrition_peace = 0.003;
  double recruitment = 0.03;
};

// The actors of `lanes` worlds that share their parameters and noise (the options of one future,
// stepped together): actor a of lane l at [a * lanes + l].
struct ActorState {
  int lanes = 1;
  Eigen::VectorXd position;  // x(t)
  Eigen::VectorXd strength;  // m(t)
  Eigen::VectorXd consent;   // C(t), per lane
  Eigen::VectorXd next;      // scratch
  Eigen::VectorXd lane;      // scratch: the month's inputs of each lane
  std::vector<int> order;    // [l * actors + rank]: lane l's actors by position, kept sorted (sort_by_position)
  // Of each lane's positions now, worked out from `order` whenever it is sorted again (order_actors):
  // polarisation P and the bargaining outcome, the lower weighted median by power c * s (the first
  // position, in ascending order with ties by index, at which the cumulative power reaches half of
  // the total ½ sum_in_order(power); the greatest position if none does).
  Eigen::VectorXd polarisation, bargaining;
};

// What the rest of the world does to the actors of one lane this month.
struct ActorInputs {
  double mediation = 0;                   // mu(t): pull toward the bargaining outcome, [0, 1]
  double ddr = 0;                         // share of supporters' fighters demobilised this month
  bool at_war = false;                    // regime this month
  double driver_risk = 0;                 // feeds recruitment by opponents of the process
  const Eigen::VectorXd* push = nullptr;  // change of position per actor (activities, shocks); one lane only
};

// w_ab = tau_ab c_b s_b / sum_b' tau_ab' c_b' s_b'. Rows with no weight fall back to self-weight.
Eigen::MatrixXd influence_matrix(const Eigen::MatrixXd& trust, const Eigen::VectorXd& capability,
                                 const Eigen::VectorXd& salience);

ActorState initial_actors(const ActorParams& p, int lanes = 1);

// x(t+1) = clip01((1 - theta) W_A x + theta x(0) + mu (x~ - x) + push + sigma noise)
// m(t+1) = m (1 - attrition - ddr 1[x >= 0.5]) + recruitment m max(0, driver_risk) 1[x < 0.5]
// C(t+1) = 1 while every consent holder has x >= threshold, else C (1 - decay).
// Every lane: `in` holds each lane's inputs (their `push` is not read), `push` the change of position
// per actor and lane laid out as the state (null: none), `noise` one standard normal per actor, the
// same for every lane.
void step_actors(const ActorParams& p, const ActorInputs* in, const double* push, const double* noise, ActorState& s);

// The same, of a single world (lanes 1), its push in `in.push`.
void step_actors(const ActorParams& p, const ActorInputs& in, const double* noise, ActorState& s);

// sum_{a<b} c_a c_b for capabilities c.
double pair_weight(const Eigen::VectorXd& capability);

// Re-sorts the n entries of `order` so that x[order[0] * stride] <= x[order[1] * stride] <= ..., ties
// by index. Insertion sort: positions move little from month to month, so this is close to linear.
void sort_by_position(const double* x, int stride, int* order, int n);
void sort_by_position(const Eigen::VectorXd& x, std::vector<int>& order);

// Sorts each lane's actors by position again (sort_by_position) and records what depends on that
// order: s.polarisation and s.bargaining, in one pass over each lane's sorted actors. Whoever sets
// positions calls it (initial_actors and step_actors do).
void order_actors(const ActorParams& p, ActorState& s);

// P = sum_{a<b} c_a c_b |x_a - x_b| / sum_{a<b} c_a c_b, in [0, 1], of lane `lane`, as order_actors
// recorded it (O(A) by prefix sums over the sorted actors).
inline double polarisation(const ActorState& s, int lane = 0) { return s.polarisation[lane]; }

// The fighters of every lane: total[l] = sum_a m_a and supporting[l] = sum_a m_a x_a, each summed
// over a = 0, 1, ... in turn.
void fighters(const ActorState& s, double* total, double* supporting);

// S = sum_a m_a (1 - x_a) / sum_a m_a(0) = (total - supporting) / initial: armed opposition to the
// process, relative to the start, of one lane's fighters (see fighters); `initial` = sum_a m_a(0),
// summed in order (sum_in_order), and S = 0 when it is 0.
double spoiler_strength(double initial, double total, double supporting);
double spoiler_strength(const ActorParams& p, const ActorState& s);  // of a single world (lanes 1)

}  // namespace peacesim::models
