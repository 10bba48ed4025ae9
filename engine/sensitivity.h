// Global sensitivity analysis: Sobol' first-order and total-order indices with the Saltelli (2010)
// first-order and Jansen (1999) total-order estimators on a radial (A, B, AB_i) design, and
// bootstrap confidence intervals (Saltelli et al. 2010, "Variance based sensitivity analysis of
// model output", Comput. Phys. Commun. 181:259-270).
//
// For d inputs and N base points: f_A and f_B are the outputs at the rows of two independent
// N x d sample matrices A and B; f_AB[i] at A with column i taken from B. Then, with V the
// variance of all f_A and f_B,
//   S_i  = mean(f_B (f_AB[i] - f_A)) / V            (Saltelli 2010, Table 2 (b))
//   ST_i = mean((f_A - f_AB[i])^2) / (2 V)          (Jansen 1999; Saltelli 2010, Table 2 (f))
#pragma once

#include <cstdint>
#include <vector>

namespace peacesim {

struct SobolIndex {
  double first = 0, first_low = 0, first_high = 0;  // S_i with its 95% bootstrap interval
  double total = 0, total_low = 0, total_high = 0;  // ST_i with its 95% bootstrap interval
};

// Indices of every input. f_ab[i] holds the N outputs with column i from B. Bootstrap intervals
// resample the N rows `replicates` times with counter-based random numbers keyed by `seed`.
std::vector<SobolIndex> sobol_indices(const std::vector<double>& f_a, const std::vector<double>& f_b,
                                      const std::vector<std::vector<double>>& f_ab, int replicates, std::uint64_t seed);

// The sample matrices: rows of N points in [0, 1)^(2d) from the Sobol' sequence (the origin
// first), randomised by a digital shift (XOR with random bits per dimension, which keeps the
// points' net structure; L'Ecuyer & Lemieux 2002). Columns 0..d-1 form A, columns d..2d-1 form B.
// Returns row-major N x 2d values in (0, 1).
std::vector<double> saltelli_points(int n, int d, std::uint64_t seed);

}  // namespace peacesim
