// Clamping without branches, for the models' monthly updates.
#pragma once

#include <algorithm>

namespace peacesim::models {

// x < lo ? lo : (hi < x ? hi : x), which is what std::clamp computes (NaN passes through), written
// as min(max(x, lo), hi) so that it compiles to maxsd/minsd: std::clamp's branches are
// mispredicted when values sit at a bound, as positions and shares often do.
inline double clamp(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }

}  // namespace peacesim::models
