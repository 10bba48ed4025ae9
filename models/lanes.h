// Lanes: the worlds of one future's options, stepped together (see DriverState and ActorState).
// Value i of lane l sits at [i * lanes + l], beside the other lanes' values of i, so that an update
// is a loop over lanes with the same arithmetic in every lane.
#pragma once

#include <Eigen/Core>

namespace peacesim::models {

// `v` in every one of `lanes` lanes: [i * lanes + l] = v[i].
inline Eigen::VectorXd in_every_lane(const Eigen::VectorXd& v, int lanes) {
  return v.transpose().replicate(lanes, 1).reshaped();
}

}  // namespace peacesim::models
