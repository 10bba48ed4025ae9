// Sums in a fixed order, for the models. Eigen's sum(), dot() and squaredNorm() add in an order
// that depends on the vector instructions a build uses (pairs with SSE2, fours with AVX, eights
// with AVX-512), so the same model built for another machine would give other last digits. The
// models add one term after another, in declaration order (docs/model.md, "Sums").
#pragma once

#include <Eigen/Core>

namespace peacesim::models {

// x(0) + x(1) + ..., left to right.
template <class Vector>
double sum_in_order(const Vector& x) {
  double s = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) s += x(i);
  return s;
}

// x(0)^2 + x(1)^2 + ..., left to right.
template <class Vector>
double sum_of_squares_in_order(const Vector& x) {
  double s = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) s += x(i) * x(i);
  return s;
}

}  // namespace peacesim::models
