// Distributions of uncertain quantities, sampled by inversion: value = quantile(u) for a
// uniform u. Inversion keeps every draw a pure function of one uniform, so any sampling design
// (Monte Carlo, Latin hypercube, Sobol') can drive it and common random numbers hold.
//
// Constructors check their parameters and throw std::invalid_argument with a message in the form
// "uniform: min is 2, but must be <= max (1)" (after Stan Math's argument checks).
#pragma once

#include <string>
#include <vector>

namespace peacesim {

struct Distribution {
  enum class Kind { kFixed, kUniform, kTriangular, kNormal, kLogNormal, kBeta, kChoice };
  Kind kind = Kind::kFixed;
  // kFixed: a. kUniform: [a, b]. kTriangular: min a, mode c, max b. kNormal: mean a, sd b,
  // truncated to [lower, upper]. kLogNormal: median a, sigma b. kBeta: alpha a, beta b.
  double a = 0, b = 0, c = 0;
  double lower = 0, upper = 0;     // kNormal only; infinite when not truncated
  std::vector<double> values;      // kChoice
  std::vector<double> cumulative;  // kChoice: normalised cumulative weights, last = 1

  bool uncertain() const { return kind != Kind::kFixed; }
};

Distribution fixed(double value);
Distribution uniform(double min, double max);
Distribution triangular(double min, double mode, double max);
// Normal(mean, sd) truncated to [lower, upper] (pass +-infinity for no bound).
Distribution normal(double mean, double sd, double lower, double upper);
Distribution lognormal(double median, double sigma);
// Beta given by its mean in (0, 1) and concentration alpha + beta > 0.
Distribution beta(double mean, double concentration);
// Values with relative weights; empty weights mean equal weights.
Distribution choice(std::vector<double> values, std::vector<double> weights);

// The value with cumulative probability u, 0 < u < 1.
double quantile(const Distribution& d, double u);

// A central value (the median), used where a single nominal value is needed (stability checks).
inline double nominal(const Distribution& d) { return quantile(d, 0.5); }

// The closed support [lo, hi] (possibly infinite; a log-normal is cut at 8.3 sigma either side).
void support(const Distribution& d, double& lo, double& hi);

// Cumulative distribution function, for goodness-of-fit tests and truncation.
double cdf(const Distribution& d, double x);

double normal_cdf(double x);

}  // namespace peacesim
