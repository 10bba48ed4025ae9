// Gender indicators; see gender.h and docs/model.md.
#include "models/gender.h"

#include <algorithm>

namespace peacesim::models {

GenderState initial_gender(const GenderParams& p) { return GenderState{p.participation0, p.representation0, p.gbv0}; }

void step_gender(const GenderParams& p, const GenderInputs& in, GenderState& s) {
  s.participation = std::clamp(
      s.participation + p.participation_reversion * (p.participation0 - s.participation) + in.participation_push, 0.0,
      1.0);
  s.representation = std::clamp(s.representation + in.representation_push, 0.0, 1.0);
  s.gbv =
      std::clamp(s.gbv + p.gbv_from_violence * in.violence - p.gbv_recovery * (s.gbv - p.gbv0) + in.gbv_push, 0.0, 1.0);
}

}  // namespace peacesim::models
