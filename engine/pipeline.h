// The whole analysis for one validated scenario: compile, apply the run settings, simulate every
// option on every realisation, and summarise as a peacesim.v1.Results message.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/sensitivity.h"
#include "peacesim/v1/results.pb.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim {

struct RunRequest {
  std::optional<std::int64_t> runs;   // default: the scenario's simulation.runs, else 10,000
  std::optional<int> horizon;         // months; default: the scenario's, else 60
  std::optional<std::uint64_t> seed;  // default: the scenario's, else 1
  int threads = 0;                    // 0 = all cores
  double hurwicz_alpha = 0.5;         // weight of the worst case in the Hurwicz metric, [0, 1]
  // Stop once the leading option is settled (runs is then the cap; Monte Carlo or Sobol' only).
  bool until_settled = false;
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

// Throws std::invalid_argument for settings out of their documented ranges.
v1::Results run_scenario(const v1::Scenario& scenario, const RunRequest& request);

struct SensitivityRequest {
  int base = 256;                     // N base points (Saltelli design: N (d + 2) realisations)
  std::optional<int> horizon;         // months; default: the scenario's
  std::optional<std::uint64_t> seed;  // default: the scenario's
  int threads = 0;
  int replicates = 200;  // bootstrap replicates of the intervals
};

// Sobol' indices of every uncertain quantity (and of the planning scenario drawn, when there
// are several) on each option's score and on the score difference between the two leading
// options. The realisations of one base point share their noise (common random numbers), so the
// indices apportion the variance due to the uncertain quantities.
struct SensitivityReport {
  std::vector<std::string> inputs;               // quantity paths, then "planning_scenario"
  std::vector<std::string> outputs;              // option ids, then "LEAD - SECOND"
  std::vector<std::vector<SobolIndex>> indices;  // [output][input]
  std::int64_t evaluations = 0;                  // realisations simulated
  int base = 0;
};
SensitivityReport run_sensitivity(const v1::Scenario& scenario, const SensitivityRequest& request);

}  // namespace peacesim
