// Gender indicators; see gender.h and docs/model.md.
#include "models/gender.h"

#include <algorithm>

#include "models/clamp.h"

namespace peacesim::models {

GenderState initial_gender(const GenderParams& p, double displaced) {
  return GenderState{p.participation0, p.representation0, p.gbv0, p.female_share_displaced * displaced};
}

void step_gender(const GenderParams& p, const GenderInputs& in, GenderState& s) {
  s.participation =
      clamp(s.participation + p.participation_reversion * (p.participation0 - s.participation) + in.participation_push,
            0.0, 1.0);
  s.representation = clamp(s.representation + in.representation_push, 0.0, 1.0);
  s.gbv = clamp(s.gbv + p.gbv_from_violence * in.violence - p.gbv_recovery * (s.gbv - p.gbv0) + in.gbv_push, 0.0, 1.0);
}

double female_death_share(const GenderParams& p, const GenderState& s, double displaced_share_change) {
  return clamp(p.female_share_deaths + p.death_share_per_gbv * (s.gbv - p.gbv0) +
                   p.death_share_per_displaced * displaced_share_change,
               0.0, 1.0);
}

void step_female_displaced(const GenderParams& p, bool at_war, double new_displaced, double returned,
                           double displaced_before, double displaced, GenderState& s) {
  const double share = clamp(p.female_share_displaced + p.displaced_share_per_gbv * (s.gbv - p.gbv0) +
                                 (at_war ? p.displaced_share_at_war : 0.0),
                             0.0, 1.0);
  const double returning = displaced_before > 0 ? returned * s.displaced_female / displaced_before : 0.0;
  s.displaced_female = clamp(s.displaced_female + share * new_displaced - returning, 0.0, displaced);
}

}  // namespace peacesim::models
