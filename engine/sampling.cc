// Distributions sampled by inversion; see sampling.h.
#include "engine/sampling.h"

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "engine/rng.h"

namespace peacesim {
namespace {

// Standard deviations at which log-normal draws are cut (probability 1e-16 beyond): this keeps
// draws finite and lets validation check a log-normal against a field's range.
constexpr double kLogNormalTail = 8.3;

[[noreturn]] void fail(const char* function, const std::string& what) {
  throw std::invalid_argument(std::string(function) + ": " + what);
}

std::string num(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

void check_finite(const char* function, const char* name, double x) {
  if (!std::isfinite(x)) fail(function, std::string(name) + " is " + num(x) + ", but must be finite");
}

// AS 241's central region, |q| <= 0.425 with q = p - 1/2.
inline double central_quantile(double q) {
  const double r = 0.180625 - q * q;
  return q *
         (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
              45921.953931549871457) *
                 r +
             13731.693765509461125) *
                r +
            1971.5909503065514427) *
               r +
           133.14166789178437745) *
              r +
          3.387132872796366608) /
         (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
              21213.794301586595867) *
                 r +
             5394.1960214247511077) *
                r +
            687.1870074920579083) *
               r +
           42.313330701600911252) *
              r +
          1.0);
}

}  // namespace

// Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the normal distribution.
// Applied Statistics 37(3), 477-484. PPND16, accurate to about 1e-16.
double normal_quantile(double p) {
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) return central_quantile(q);
  double r = q < 0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double x;
  if (r <= 5.0) {
    r -= 1.6;
    x = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
             1.27045825245236838258) *
                r +
            3.64784832476320460504) *
               r +
           5.7694972214606914055) *
              r +
          4.6303378461565452959) *
             r +
         1.42343711074968357734) /
        (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
             0.14810397642748007459) *
                r +
            0.68976733498510000455) *
               r +
           1.6763848301838038494) *
              r +
          2.05319162663775882187) *
             r +
         1.0);
  } else {
    r -= 5.0;
    x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
             0.026532189526576123093) *
                r +
            0.29656057182850489123) *
               r +
           1.7848265399172913358) *
              r +
          5.4637849111641143699) *
             r +
         6.6579046435011037772) /
        (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
             7.868691311456132591e-4) *
                r +
            0.0148753612908506148525) *
               r +
           0.13692988092273580531) *
              r +
          0.59983220655588793769) *
             r +
         1.0);
  }
  return q < 0 ? -x : x;
}

void normal_quantiles(double* p, int n) {
  constexpr int kChunk = 32;
  double central[kChunk];
  for (int first = 0; first < n; first += kChunk) {
    const int m = std::min(kChunk, n - first);
    double* x = p + first;
    // The central region's formula for every value at once (a loop the compiler vectorises), kept
    // where it applies; the tails one by one.
    for (int j = 0; j < m; ++j) central[j] = central_quantile(x[j] - 0.5);
    for (int j = 0; j < m; ++j) x[j] = std::fabs(x[j] - 0.5) <= 0.425 ? central[j] : normal_quantile(x[j]);
  }
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

Distribution fixed(double value) {
  check_finite("fixed", "value", value);
  Distribution d;
  d.a = value;
  return d;
}

Distribution uniform(double min, double max) {
  check_finite("uniform", "min", min);
  check_finite("uniform", "max", max);
  if (min > max) fail("uniform", "min is " + num(min) + ", but must be <= max (" + num(max) + ")");
  Distribution d;
  d.kind = Distribution::Kind::kUniform;
  d.a = min;
  d.b = max;
  return d;
}

Distribution triangular(double min, double mode, double max) {
  check_finite("triangular", "min", min);
  check_finite("triangular", "mode", mode);
  check_finite("triangular", "max", max);
  if (!(min < max)) fail("triangular", "min is " + num(min) + ", but must be < max (" + num(max) + ")");
  if (mode < min || mode > max)
    fail("triangular", "mode is " + num(mode) + ", but must lie in [min, max] = [" + num(min) + ", " + num(max) + "]");
  Distribution d;
  d.kind = Distribution::Kind::kTriangular;
  d.a = min;
  d.b = max;
  d.c = mode;
  return d;
}

Distribution normal(double mean, double sd, double lower, double upper) {
  check_finite("normal", "mean", mean);
  check_finite("normal", "sd", sd);
  if (!(sd > 0)) fail("normal", "sd is " + num(sd) + ", but must be > 0");
  if (std::isnan(lower) || std::isnan(upper) || !(lower < upper))
    fail("normal", "lower is " + num(lower) + ", but must be < upper (" + num(upper) + ")");
  const double plo = normal_cdf((lower - mean) / sd), phi = normal_cdf((upper - mean) / sd);
  if (!(phi - plo > 1e-12))
    fail("normal", "the bounds [" + num(lower) + ", " + num(upper) + "] hold almost no probability of normal(" +
                       num(mean) + ", " + num(sd) + ")");
  Distribution d;
  d.kind = Distribution::Kind::kNormal;
  d.a = mean;
  d.b = sd;
  d.lower = lower;
  d.upper = upper;
  return d;
}

Distribution lognormal(double median, double sigma) {
  check_finite("lognormal", "median", median);
  check_finite("lognormal", "sigma", sigma);
  if (!(median > 0)) fail("lognormal", "median is " + num(median) + ", but must be > 0");
  if (!(sigma > 0)) fail("lognormal", "sigma is " + num(sigma) + ", but must be > 0");
  Distribution d;
  d.kind = Distribution::Kind::kLogNormal;
  d.a = median;
  d.b = sigma;
  return d;
}

Distribution beta(double mean, double concentration) {
  check_finite("beta", "mean", mean);
  check_finite("beta", "concentration", concentration);
  if (!(mean > 0 && mean < 1)) fail("beta", "mean is " + num(mean) + ", but must lie in (0, 1)");
  if (!(concentration > 0)) fail("beta", "concentration is " + num(concentration) + ", but must be > 0");
  // Beyond these the inverse incomplete beta function loses its accuracy or takes very long: a
  // concentration above 10^6 is a point (write { value: ... }), and both shape parameters
  // mean x concentration and (1 - mean) x concentration must be at least 10^-6.
  if (concentration > 1e6)
    fail("beta", "concentration is " + num(concentration) + ", but must be at most 1000000 (for a known share, " +
                     "write { value: " + num(mean) + " })");
  if (mean * concentration < 1e-6 || (1 - mean) * concentration < 1e-6)
    fail("beta", "mean x concentration and (1 - mean) x concentration are " + num(mean * concentration) + " and " +
                     num((1 - mean) * concentration) + ", but must both be at least 0.000001");
  Distribution d;
  d.kind = Distribution::Kind::kBeta;
  d.a = mean * concentration;
  d.b = (1 - mean) * concentration;
  return d;
}

Distribution choice(std::vector<double> values, std::vector<double> weights) {
  if (values.empty()) fail("choice", "values is empty, but must list at least one value");
  for (double v : values) check_finite("choice", "a value", v);
  if (weights.empty()) weights.assign(values.size(), 1.0);
  if (weights.size() != values.size())
    fail("choice", "weights has " + std::to_string(weights.size()) + " entries, but must have one per value (" +
                       std::to_string(values.size()) + ")");
  double total = 0;
  for (double w : weights) {
    if (!(w >= 0) || !std::isfinite(w)) fail("choice", "a weight is " + num(w) + ", but weights must be >= 0");
    total += w;
  }
  if (!(total > 0)) fail("choice", "the weights sum to 0, but must sum to more than 0");
  Distribution d;
  d.kind = Distribution::Kind::kChoice;
  d.values = std::move(values);
  d.cumulative.resize(weights.size());
  double run = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    run += weights[i];
    d.cumulative[i] = run / total;
  }
  d.cumulative.back() = 1.0;
  return d;
}

double quantile(const Distribution& d, double u) {
  switch (d.kind) {
    case Distribution::Kind::kFixed:
      return d.a;
    case Distribution::Kind::kUniform:
      return d.a + u * (d.b - d.a);
    case Distribution::Kind::kTriangular: {
      const double width = d.b - d.a, left = (d.c - d.a) / width;
      if (u < left) return d.a + std::sqrt(u * width * (d.c - d.a));
      return d.b - std::sqrt((1 - u) * width * (d.b - d.c));
    }
    case Distribution::Kind::kNormal: {
      const double plo = normal_cdf((d.lower - d.a) / d.b), phi = normal_cdf((d.upper - d.a) / d.b);
      const double p = std::clamp(plo + u * (phi - plo), 1e-300, 1 - 1e-16);
      return std::clamp(d.a + d.b * normal_quantile(p), d.lower, d.upper);
    }
    case Distribution::Kind::kLogNormal:
      return d.a * std::exp(d.b * std::clamp(normal_quantile(u), -kLogNormalTail, kLogNormalTail));
    case Distribution::Kind::kBeta: {
      // Far in a tail the root finder may not converge; its last iterate is then as good as any
      // value there, so evaluation errors are not thrown (they would abort a whole run).
      using Policy =
          boost::math::policies::policy<boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
                                        boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
                                        boost::math::policies::underflow_error<boost::math::policies::ignore_error>>;
      const double x = boost::math::ibeta_inv(d.a, d.b, u, Policy());
      return std::isfinite(x) ? std::clamp(x, 0.0, 1.0) : (u < 0.5 ? 0.0 : 1.0);
    }
    case Distribution::Kind::kChoice: {
      const auto it = std::upper_bound(d.cumulative.begin(), d.cumulative.end(), u);
      return d.values[std::min<std::size_t>(it - d.cumulative.begin(), d.values.size() - 1)];
    }
  }
  return d.a;
}

double cdf(const Distribution& d, double x) {
  switch (d.kind) {
    case Distribution::Kind::kFixed:
      return x >= d.a ? 1.0 : 0.0;
    case Distribution::Kind::kUniform:
      if (d.b == d.a) return x >= d.a ? 1.0 : 0.0;
      return std::clamp((x - d.a) / (d.b - d.a), 0.0, 1.0);
    case Distribution::Kind::kTriangular: {
      if (x <= d.a) return 0;
      if (x >= d.b) return 1;
      const double width = d.b - d.a;
      if (x <= d.c) return (x - d.a) * (x - d.a) / (width * (d.c - d.a));
      return 1 - (d.b - x) * (d.b - x) / (width * (d.b - d.c));
    }
    case Distribution::Kind::kNormal: {
      if (x < d.lower) return 0;
      if (x >= d.upper) return 1;
      const double plo = normal_cdf((d.lower - d.a) / d.b), phi = normal_cdf((d.upper - d.a) / d.b);
      return (normal_cdf((x - d.a) / d.b) - plo) / (phi - plo);
    }
    case Distribution::Kind::kLogNormal:
      return x <= 0 ? 0.0 : normal_cdf(std::log(x / d.a) / d.b);
    case Distribution::Kind::kBeta:
      if (x <= 0) return 0;
      if (x >= 1) return 1;
      return boost::math::ibeta(d.a, d.b, x);
    case Distribution::Kind::kChoice: {
      double p = 0, prev = 0;
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        if (d.values[i] <= x) p += d.cumulative[i] - prev;
        prev = d.cumulative[i];
      }
      return p;
    }
  }
  return 0;
}

void support(const Distribution& d, double& lo, double& hi) {
  switch (d.kind) {
    case Distribution::Kind::kFixed:
      lo = hi = d.a;
      return;
    case Distribution::Kind::kUniform:
    case Distribution::Kind::kTriangular:
      lo = d.a;
      hi = d.b;
      return;
    case Distribution::Kind::kNormal:
      lo = d.lower;
      hi = d.upper;
      return;
    case Distribution::Kind::kLogNormal:
      lo = d.a * std::exp(-kLogNormalTail * d.b);
      hi = d.a * std::exp(kLogNormalTail * d.b);
      return;
    case Distribution::Kind::kBeta:
      lo = 0;
      hi = 1;
      return;
    case Distribution::Kind::kChoice:
      lo = *std::min_element(d.values.begin(), d.values.end());
      hi = *std::max_element(d.values.begin(), d.values.end());
      return;
  }
}

}  // namespace peacesim
