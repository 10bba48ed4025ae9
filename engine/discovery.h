// Scenario discovery with PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as used
// in robust decision making (Bryant & Lempert 2010, "Thinking inside the box", Technological
// Forecasting & Social Change 77:34-49): find a box in the space of uncertain inputs where the
// option mostly fails, described by few restrictions, so that planners can read the conditions
// under which a strategy fails.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/factors.h"

namespace peacesim {

struct Restriction {
  int dimension = 0;
  double lower = 0, upper = 1;  // the box keeps lower <= x <= upper (in the inputs' units)
  double quasi_p = 1;           // one-sided binomial p-value of the restriction (Bryant & Lempert 2010):
                                // the larger of its sides'
  // Each restricted side on its own (as the EMA Workbench does), so that one side can be dropped
  // alone; 1 for a side that is not restricted. A categorical restriction has one side, the lower.
  double quasi_p_lower = 1, quasi_p_upper = 1;
  // A categorical input (such as the planning scenario): the categories the box keeps, in
  // increasing order (lower and upper are then -inf and +inf); empty for an ordered input.
  std::vector<int> categories;
};

struct PrimBox {
  double coverage = 0;                    // share of all failures inside the box
  double density = 0;                     // share of failures among the cases inside the box
  double mass = 0;                        // share of all cases inside the box
  std::vector<Restriction> restrictions;  // the dimensions the box restricts
};

inline constexpr int kMaxCategories = 64;

struct PrimSettings {
  double alpha = 0.05;     // share of the box's cases removed by each peel
  double min_mass = 0.05;  // stop peeling below this mass
  // Per input, its number of categories when it is categorical (values 0, 1, ..., m - 1, m at
  // most kMaxCategories), 0 when it is ordered; empty: every input is ordered.
  std::vector<int> categories;
};

// The peeling trajectory, from the whole space to the smallest box, each box pasted (its
// boundaries widened while that raises density). x is row-major n x d; fail[i] marks failures.
// An ordered input is peeled by alpha of the box's cases from either end; a categorical one by
// one of its categories at a time (as the EMA Workbench does), and pasted one category back.
std::vector<PrimBox> prim(const std::vector<double>& x, int d, const std::vector<bool>& fail,
                          const PrimSettings& settings);

// The box of a trajectory that planners read by default: the best balance of coverage and density
// (their harmonic mean; the earlier box on ties). Planners may pick another from the trajectory.
int choose_box(const std::vector<PrimBox>& trajectory);

// The box without the restrictions that the data do not support: while the largest quasi-p value
// of any restricted side exceeds `max_quasi_p`, that side is dropped and the box re-described
// (Bryant & Lempert 2010 recommend removing restrictions that are not significant).
PrimBox simplify(const std::vector<double>& x, int d, const std::vector<bool>& fail, const PrimBox& box,
                 const PrimSettings& settings, double max_quasi_p = 0.05);

// How often each dimension is restricted when PRIM runs on `replicates` bootstrap resamples of the
// cases (choosing the box as choose_box does): resampling stability.
std::vector<double> restriction_frequency(const std::vector<double>& x, int d, const std::vector<bool>& fail,
                                          const PrimSettings& settings, int replicates, std::uint64_t seed);

// A scenario's discovery (run_discovery and discover_in_results, engine/pipeline.h): the failures of
// one option, the inputs searched in planners' words, and the boxes PRIM found.
struct DiscoveryReport {
  std::string option, failure;
  std::vector<std::string> inputs;              // dimension keys searched
  std::vector<Factor> factors;                  // each input in planners' words
  int model_factors_left_out = 0;               // model factors not searched
  std::vector<std::string> planning_scenarios;  // names by index, for reading a restriction on it
  std::int64_t runs = 0;
  double failure_rate = 0;
  std::vector<PrimBox> trajectory;
  int chosen = 0;
  PrimBox box;                    // the chosen box without its restrictions of quasi-p > 0.05
  std::vector<double> stability;  // [input]: share of resamples whose box restricts it
  // The IMPP's conditions for involvement, as events of each future: success (no failure) when the
  // condition holds and when it does not (from the scenario only; empty from a results file). The
  // four the engine observes (host consent, regional backing, force generation, funding; each where
  // it applies, and not when it repeats a declared one), then each the scenario declares.
  struct Condition {
    std::string name;
    std::int64_t holds = 0, success_when_holds = 0, fails = 0, success_when_fails = 0;
  };
  std::vector<Condition> conditions;
};

}  // namespace peacesim
