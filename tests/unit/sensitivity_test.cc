// Sobol' indices validated on the Ishigami function (Ishigami & Homma 1990), a = 7, b = 0.1,
// inputs uniform on [-pi, pi], against its analytic indices (e.g. Saltelli et al. 2000, Sobol'
// & Levitan 1999):
//   V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,  V1 = (1 + b pi^4/5)^2 / 2,  V2 = a^2/8,  V3 = 0,
//   V13 = b^2 pi^8 (1/18 - 1/50),  ST1 = (V1 + V13)/V,  ST2 = V2/V,  ST3 = V13/V.
#include "engine/sensitivity.h"

#include <gtest/gtest.h>

#include <cmath>

namespace peacesim {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kA = 7, kB = 0.1;

double ishigami(double x1, double x2, double x3) {
  return std::sin(x1) + kA * std::sin(x2) * std::sin(x2) + kB * std::pow(x3, 4) * std::sin(x1);
}

struct Analytic {
  double s[3], st[3];
};

Analytic analytic() {
  const double pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double v = kA * kA / 8 + kB * pi4 / 5 + kB * kB * pi8 / 18 + 0.5;
  const double v1 = 0.5 * std::pow(1 + kB * pi4 / 5, 2), v2 = kA * kA / 8, v13 = kB * kB * pi8 * (1.0 / 18 - 1.0 / 50);
  return {{v1 / v, v2 / v, 0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

std::vector<SobolIndex> ishigami_indices(int n) {
  const int d = 3;
  const std::vector<double> u = saltelli_points(n, d, 11);
  auto x = [&](int j, int k) { return -kPi + 2 * kPi * u[static_cast<std::size_t>(j) * 2 * d + k]; };
  std::vector<double> fa(n), fb(n);
  std::vector<std::vector<double>> fab(d, std::vector<double>(n));
  for (int j = 0; j < n; ++j) {
    double a[3], b[3];
    for (int k = 0; k < d; ++k) {
      a[k] = x(j, k);
      b[k] = x(j, d + k);
    }
    fa[j] = ishigami(a[0], a[1], a[2]);
    fb[j] = ishigami(b[0], b[1], b[2]);
    for (int i = 0; i < d; ++i) {
      double ab[3] = {a[0], a[1], a[2]};
      ab[i] = b[i];
      fab[i][j] = ishigami(ab[0], ab[1], ab[2]);
    }
  }
  return sobol_indices(fa, fb, fab, 200, 5);
}

TEST(Sensitivity, AnalyticIshigamiIndices) {
  const Analytic a = analytic();
  EXPECT_NEAR(a.s[0], 0.3139, 1e-4);
  EXPECT_NEAR(a.s[1], 0.4424, 1e-4);
  EXPECT_NEAR(a.st[0], 0.5576, 1e-4);
  EXPECT_NEAR(a.st[2], 0.2437, 1e-4);
}

TEST(Sensitivity, IshigamiEstimatesMatchTheAnalyticIndices) {
  const Analytic a = analytic();
  const auto idx = ishigami_indices(8192);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(idx[i].first, a.s[i], 0.02) << "S" << i + 1;
    EXPECT_NEAR(idx[i].total, a.st[i], 0.02) << "ST" << i + 1;
    // The 95% bootstrap intervals contain the true values (a widened check: 200 replicates).
    EXPECT_LE(idx[i].first_low, a.s[i] + 0.005) << "S" << i + 1;
    EXPECT_GE(idx[i].first_high, a.s[i] - 0.005) << "S" << i + 1;
    EXPECT_LE(idx[i].total_low, a.st[i] + 0.005) << "ST" << i + 1;
    EXPECT_GE(idx[i].total_high, a.st[i] - 0.005) << "ST" << i + 1;
  }
}

TEST(Sensitivity, IntervalsNarrowWithMorePoints) {
  const auto small = ishigami_indices(512), large = ishigami_indices(8192);
  for (int i = 0; i < 3; ++i)
    EXPECT_LT(large[i].total_high - large[i].total_low, small[i].total_high - small[i].total_low) << i;
}

TEST(Sensitivity, PointsAreADigitallyShiftedNet) {
  // The first 2^6 points, in every one of the 2d dimensions, fall one per interval of width 1/64.
  const int n = 64, d = 5;
  const std::vector<double> u = saltelli_points(n, d, 3);
  for (int k = 0; k < 2 * d; ++k) {
    std::vector<int> hits(n, 0);
    for (int j = 0; j < n; ++j) hits[static_cast<int>(u[j * 2 * d + k] * n)] += 1;
    for (int h : hits) EXPECT_EQ(h, 1) << "dimension " << k;
  }
}

TEST(Sensitivity, RejectsMismatchedInputs) {
  EXPECT_THROW(sobol_indices({1.0}, {1.0}, {}, 0, 1), std::invalid_argument);
  EXPECT_THROW(sobol_indices({1.0, 2.0}, {1.0, 2.0}, {{1.0}}, 0, 1), std::invalid_argument);
}

}  // namespace
}  // namespace peacesim
