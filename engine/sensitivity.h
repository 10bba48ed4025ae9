// Global sensitivity analysis of a stochastic model: Sobol' first-order and total-order indices
// with the Saltelli (2010) first-order and Jansen (1999) total-order estimators on a radial
// (A, B, AB_i) design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
// Comput. Phys. Commun. 181:259-270).
//
// For d inputs and N base points: f_A and f_B are the outputs at the rows of two independent
// N x d sample matrices A and B; f_AB[i] at A with column i taken from B. With every output centred
// on the mean of f_A and f_B, and V the variance of all f_A and f_B,
//   S_i  = mean(f_B (f_AB[i] - f_A)) / V            (Saltelli 2010, Table 2 (b))
//   ST_i = mean((f_A - f_AB[i])^2) / (2 V)          (Jansen 1999; Saltelli 2010, Table 2 (f))
// A stochastic model's noise is one of the inputs ("chance"): the rows of A and of B draw their own
// noise, and AB_chance is A with B's noise, so every index is of the model as simulated.
// Intervals come from R independent randomisations of the design: the estimate is the mean of the
// R estimates and the 95% interval is Student's t with R - 1 degrees of freedom on their spread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace peacesim {

struct SobolIndex {
  double first = 0, first_low = 0, first_high = 0;  // S_i with its 95% interval
  double total = 0, total_low = 0, total_high = 0;  // ST_i with its 95% interval
};

// Whether an index interval [low, high] is a finding: within +-0.05 and inside [0, 1]. The brief and
// the report call any other index "not resolved".
inline bool index_resolved(double low, double high) { return low >= 0 && high <= 1 && (high - low) / 2 <= 0.05; }

// The outputs of one randomisation of the design: f_ab[i] holds the N outputs with column i from B.
struct SaltelliOutputs {
  std::vector<double> f_a, f_b;
  std::vector<std::vector<double>> f_ab;
};

// Indices of every input from R >= 2 independent randomisations (each with the same inputs and at
// least 2 base points).
std::vector<SobolIndex> sobol_indices(const std::vector<SaltelliOutputs>& randomisations);

// First-order indices from given data (any independent sample of rows, e.g. a run's stored
// futures): for input i the rows are cut into bins of about sqrt(n) rows by the input's value (a
// categorical input: one bin per category), and S_i = (variance of the bin means - the mean
// within-bin variance over the bin size) / Var(Y), the bias-corrected correlation ratio (Plischke,
// Borgonovo & Smith 2013). x is row-major n x d; 95% intervals from a Poisson bootstrap of the rows
// (seed; stream kBootstrap). Only first-order indices: total indices need a design.
struct GivenDataIndex {
  double first = 0, low = 0, high = 0;
};
std::vector<GivenDataIndex> given_data_first_order(const std::vector<double>& x, int d, const std::vector<double>& y,
                                                   const std::vector<bool>& categorical, std::uint64_t seed,
                                                   int replicates = 200);

// The sample matrices of randomisation r: rows of N points in [0, 1)^(2d) from the Sobol' sequence
// (the origin first), randomised by a digital shift (XOR with random bits per dimension, which
// keeps the points' net structure; L'Ecuyer & Lemieux 2002), independent for each r. Columns
// 0..d-1 form A, columns d..2d-1 form B. Returns row-major N x 2d values in (0, 1).
std::vector<double> saltelli_points(int n, int d, std::uint64_t seed, int randomisation = 0);

// A scenario's sensitivity analysis (run_sensitivity, engine/pipeline.h): the indices of each input
// on each output.
struct SensitivityReport {
  std::vector<std::string> inputs;               // quantity paths, "planning_scenario", then "chance"
  std::vector<std::string> outputs;              // option ids, then "LEAD - SECOND"
  std::vector<std::vector<SobolIndex>> indices;  // [output][input]
  std::int64_t evaluations = 0;                  // realisations simulated
  int base = 0;
};

}  // namespace peacesim
