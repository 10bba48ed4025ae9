// Observations in, assessments out: observations (validated against their scenario) compiled into
// probes of the model and observed values for the sampler (engine/assessment.h).
#pragma once

#include <vector>

#include "engine/assessment.h"
#include "engine/model.h"
#include "peacesim/v1/observations.pb.h"

namespace peacesim::io {

struct CompiledObservations {
  std::vector<ObservedValue> observed;  // in the observations' order
  int implemented = -1;                 // option index; -1 no UN action
  int since = 0;
};

// Adds a probe to `model` for every observed (month, measure) and returns the observed values.
// `observations` were validated against the scenario `model` was compiled from.
CompiledObservations compile_observations(const v1::Observations& observations, Model& model);

}  // namespace peacesim::io
