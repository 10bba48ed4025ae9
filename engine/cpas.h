// The CPAS loop after the plan: ASSESS what the observed months say about the futures, ADJUST by
// re-scoring every option from the last observed month on those futures, or, with no UN action
// yet, screen for Level One planning. See docs/analysis.md, "Assessing observed months".
#pragma once

#include <cstdint>
#include <optional>

#include "engine/io/load.h"
#include "peacesim/v1/assessment.pb.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim {

struct AssessRequest {
  int particles = 2000;               // futures in the sampler's cloud, [100, 100000]
  std::optional<int> horizon;         // months; default: the scenario's
  std::optional<std::uint64_t> seed;  // default: the scenario's
  int threads = 0;                    // 0 = all cores
  // Level One: start Level Two planning when P(war within 12 months) is at least `start_threshold`;
  // defer (monitor and assess again) when it is at least `defer_threshold`; else do not plan.
  double start_threshold = 0.25, defer_threshold = 0.10;
};

// Assesses `observations` (read, not yet validated) of `scenario` (validated). Throws
// io::InputError, located in the observations file, when they do not fit the scenario, and
// std::invalid_argument for settings out of range.
v1::Assessment run_assessment(const v1::Scenario& scenario, const io::LoadedObservations& observations,
                              const AssessRequest& request);

}  // namespace peacesim
