// Lanes: the worlds of one future's options, stepped together (see DriverState and ActorState).
// Value i of lane l sits at [i * lanes + l], beside the other lanes' values of i, so that an update
// is a loop over lanes with the same arithmetic in every lane.
#pragma once

#include <Eigen/Core>
#include <type_traits>

namespace peacesim::models {

// `v` in every one of `lanes` lanes: [i * lanes + l] = v[i].
inline Eigen::VectorXd in_every_lane(const Eigen::VectorXd& v, int lanes) {
  return v.transpose().replicate(lanes, 1).reshaped();
}

// Calls f(std::integral_constant<int, 1>{}) for a single lane and f(std::integral_constant<int, 0>{})
// for any other number. An update written for `K ? K : lanes` lanes then compiles to plain scalar
// code for one world (the assessment's futures) and to loops over lanes for many.
template <class F>
inline void with_lanes(int lanes, F&& f) {
  if (lanes == 1)
    f(std::integral_constant<int, 1>{});
  else
    f(std::integral_constant<int, 0>{});
}

}  // namespace peacesim::models
