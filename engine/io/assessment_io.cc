// Observations compiled for the sampler; see assessment_io.h.
#include "engine/io/assessment_io.h"

#include "engine/compile.h"

namespace peacesim::io {

CompiledObservations compile_observations(const v1::Observations& observations, Model& model) {
  CompiledObservations out;
  for (std::size_t o = 0; o < model.options.size(); ++o)
    if (model.options[o].id == observations.implemented_option()) out.implemented = static_cast<int>(o);
  out.since = observations.implemented_since_month();
  for (const v1::Observation& x : observations.observations()) {
    const int probe = model.probe_index({x.month(), compile_measure(model, x.measure())});
    out.observed.push_back({probe, x.month(), x.value(), x.uncertainty()});
  }
  return out;
}

}  // namespace peacesim::io
