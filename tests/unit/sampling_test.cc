// Tests of the counter-based random streams (engine/rng.h) and of the distributions of uncertain
// quantities (engine/sampling.h), in the three ways Stan Math tests its samplers:
//   (a) exact outputs for fixed counters: Philox4x32-10 known answers, the documented counter
//       layout of RandomStream, and that random numbers are addressed, not sequenced;
//   (b) quantiles against closed forms and reference values, cdf/quantile round trips, and
//       goodness of fit (one-sample Kolmogorov-Smirnov, chi-square for choice);
//   (c) invalid parameters throw std::invalid_argument naming the parameter.
#include "engine/sampling.h"

#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/rng.h"

namespace peacesim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// (a) Exact outputs for fixed counters.
// ---------------------------------------------------------------------------------------------

struct PhiloxKat {
  std::array<std::uint32_t, 4> ctr;
  std::array<std::uint32_t, 2> key;
  std::array<std::uint32_t, 4> expected;
};

// Philox4x32, 10 rounds, from the kat_vectors file of the Random123 distribution (as copied into
// DEShawResearch/Random123-Boost, libs/random/test/test_philox.cpp, test_kat_philox4x32).
const PhiloxKat kPhiloxKats[] = {
    {{0x00000000, 0x00000000, 0x00000000, 0x00000000},
     {0x00000000, 0x00000000},
     {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

TEST(Rng, Philox4x32KnownAnswerVectors) {
  for (const PhiloxKat& kat : kPhiloxKats) {
    r123::Philox4x32::ctr_type ctr = {{kat.ctr[0], kat.ctr[1], kat.ctr[2], kat.ctr[3]}};
    r123::Philox4x32::key_type key = {{kat.key[0], kat.key[1]}};
    const r123::Philox4x32::ctr_type out = r123::Philox4x32()(ctr, key);
    for (int w = 0; w < 4; ++w) EXPECT_EQ(out.v[w], kat.expected[w]) << "word " << w << " of ctr " << kat.ctr[0];
  }
}

// The Philox block of an address, built independently from the layout documented in rng.h:
// word 0 = index / 2, word 1 = stream << 16 | month, words 2-3 = realisation (low, high);
// key = seed (low, high). Lane index % 2 is the 64-bit word (v[2 lane + 1] << 32 | v[2 lane]).
std::uint64_t documented_bits(std::uint64_t seed, std::uint64_t realisation, Stream stream, std::uint32_t month,
                              std::uint64_t index) {
  r123::Philox4x32::ctr_type ctr = {
      {static_cast<std::uint32_t>(index / 2), (static_cast<std::uint32_t>(stream) << 16) | month,
       static_cast<std::uint32_t>(realisation & 0xffffffffu), static_cast<std::uint32_t>(realisation >> 32)}};
  r123::Philox4x32::key_type key = {
      {static_cast<std::uint32_t>(seed & 0xffffffffu), static_cast<std::uint32_t>(seed >> 32)}};
  const r123::Philox4x32::ctr_type out = r123::Philox4x32()(ctr, key);
  const unsigned lane = static_cast<unsigned>(index % 2);
  return (std::uint64_t{out.v[2 * lane + 1]} << 32) | out.v[2 * lane];
}

TEST(Rng, BitsAreTheDocumentedFunctionOfThePhiloxBlock) {
  const std::uint64_t seed = 0x0123456789abcdefULL, realisation = 0xfedcba9876543210ULL;
  const RandomStream rs(seed, realisation, Stream::kDynamics, 37);
  for (std::uint64_t index : {0ULL, 1ULL, 2ULL, 3ULL, 1000ULL, 1001ULL, 0xfffffffeULL, 0xffffffffULL})
    EXPECT_EQ(rs.bits(index), documented_bits(seed, realisation, Stream::kDynamics, 37, index)) << "index " << index;
}

TEST(Rng, RandomStreamReproducesTheKnownAnswerVectors) {
  // Each Philox counter and key of the known-answer vectors, written as a RandomStream address:
  // word 0 = index / 2, word 1 = stream << 16 | month, words 2-3 = realisation, key = seed.
  // Stream values outside the enumerators are legal for an enum with a fixed underlying type.
  const RandomStream zeros(0, 0, static_cast<Stream>(0), 0);
  EXPECT_EQ(zeros.bits(0), 0xe169c58d6627e8d5ULL);
  EXPECT_EQ(zeros.bits(1), 0x9b00dbd8bc57ac4cULL);

  const RandomStream ones(~0ULL, ~0ULL, static_cast<Stream>(0xffff), 0xffff);
  EXPECT_EQ(ones.bits(2 * 0xffffffffULL), 0x41c83b0e408f276dULL);
  EXPECT_EQ(ones.bits(2 * 0xffffffffULL + 1), 0x6d5451fda20bc7c6ULL);

  const RandomStream pi(0x299f31d0a4093822ULL, 0x0370734413198a2eULL, static_cast<Stream>(0x85a3), 0x08d3);
  EXPECT_EQ(pi.bits(2 * 0x243f6a88ULL), 0x94fdccebd16cfe09ULL);
  EXPECT_EQ(pi.bits(2 * 0x243f6a88ULL + 1), 0x24126ea15001e420ULL);
}

TEST(Rng, UniformIsTheTop52BitsCentredInTheirCell) {
  const RandomStream rs(42, 7, Stream::kDrivers, 3);
  for (std::uint64_t i = 0; i < 64; ++i) {
    const double expected = (static_cast<double>(rs.bits(i) >> 12) + 0.5) / 4503599627370496.0;  // 2^52
    EXPECT_EQ(rs.uniform(i), expected) << "index " << i;
  }
}

TEST(Rng, UniformLiesInTheOpenUnitInterval) {
  const RandomStream rs(7, 1, Stream::kActors, 11);
  double lo = 1, hi = 0;
  for (std::uint64_t i = 0; i < 200000; ++i) {
    const double u = rs.uniform(i);
    ASSERT_GT(u, 0.0) << "index " << i;
    ASSERT_LT(u, 1.0) << "index " << i;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  // 200,000 uniforms cover the interval: the extremes are within 1e-3 of its ends.
  EXPECT_LT(lo, 1e-3);
  EXPECT_GT(hi, 1 - 1e-3);
}

// Two addresses of stream kParameters, month 0, whose 64 bits are all ones and all zeros. Found
// offline by inverting Philox4x32-10 from the target output block (each round is invertible for
// a fixed key: the low word of each product gives back its input through the inverse of the odd
// multiplier mod 2^32) and trying seeds until counter word 1 came out as kParameters << 16 | 0.
struct Address {
  std::uint64_t seed, realisation, index;
};
constexpr Address kAllOnesAddress = {3639608194ULL, 0x2b991fcede573a55ULL, 2 * 0x8694a826ULL};
constexpr Address kAllZerosAddress = {286837018ULL, 0x390b4af1a142f365ULL, 2 * 0xb4a9bf50ULL};

RandomStream stream_at(const Address& a) { return RandomStream(a.seed, a.realisation, Stream::kParameters, 0); }

TEST(Rng, ExtremeAddressesGiveExtremeBits) {
  EXPECT_EQ(stream_at(kAllOnesAddress).bits(kAllOnesAddress.index), ~std::uint64_t{0});
  EXPECT_EQ(stream_at(kAllZerosAddress).bits(kAllZerosAddress.index), std::uint64_t{0});
}

TEST(Rng, SmallestUniformIsHalfACellAboveZero) {
  const RandomStream rs = stream_at(kAllZerosAddress);
  EXPECT_EQ(rs.uniform(kAllZerosAddress.index), 0x1p-53);
  const double z = rs.normal(kAllZerosAddress.index);
  EXPECT_TRUE(std::isfinite(z));
  EXPECT_LT(z, -8.0);
}

// All 64 bits set: the largest uniform, 1 - 2^-53, is still below 1 and its normal is finite.
// (An earlier formula, (bits >> 11 + 0.5) 2^-53, rounded this cell to exactly 1.0.)
TEST(Rng, LargestUniformIsBelowOne) {
  const RandomStream rs = stream_at(kAllOnesAddress);
  EXPECT_EQ(rs.uniform(kAllOnesAddress.index), 1 - 0x1p-53);
  EXPECT_TRUE(std::isfinite(rs.normal(kAllOnesAddress.index)));
}

TEST(Rng, NormalIsTheNormalQuantileOfTheUniform) {
  const RandomStream rs(5, 2, Stream::kDynamics, 9);
  for (std::uint64_t i = 0; i < 32; ++i) EXPECT_EQ(rs.normal(i), normal_quantile(rs.uniform(i))) << "index " << i;
}

// The batch transform is normal_quantile to the bit: over uniforms of a stream, at the central
// region's edges (|p - 1/2| = 0.425 and the doubles beside them), in both tails, and for counts that
// are not a multiple of its chunk.
TEST(Rng, NormalQuantilesAreNormalQuantileOfEachValue) {
  std::vector<double> p;
  const RandomStream rs(3, 7, Stream::kActors, 4);
  for (std::uint64_t i = 0; i < 1000; ++i) p.push_back(rs.uniform(i));
  for (const double edge : {0.075, 0.925})
    for (const double x : {std::nextafter(edge, 0.0), edge, std::nextafter(edge, 1.0)}) p.push_back(x);
  for (const double x : {0x1p-53, 1e-300, 1e-10, 0.5, 1 - 1e-10, 1 - 0x1p-53}) p.push_back(x);
  for (const int n : {0, 1, 2, 31, 32, 33, static_cast<int>(p.size())}) {
    std::vector<double> x(p.begin(), p.begin() + n);
    normal_quantiles(x.data(), n);
    for (int i = 0; i < n; ++i) {
      const double expected = normal_quantile(p[i]);
      EXPECT_EQ(std::memcmp(&x[i], &expected, sizeof expected), 0) << "p = " << p[i] << ", n = " << n;
    }
  }
}

TEST(Rng, EveryCoordinateOfTheAddressChangesTheValue) {
  const std::uint64_t base = RandomStream(11, 22, Stream::kDrivers, 33).bits(44);
  // Each coordinate, including the high 32 bits of seed and realisation.
  EXPECT_NE(base, RandomStream(12, 22, Stream::kDrivers, 33).bits(44)) << "seed";
  EXPECT_NE(base, RandomStream(11 + (1ULL << 32), 22, Stream::kDrivers, 33).bits(44)) << "seed high word";
  EXPECT_NE(base, RandomStream(11, 23, Stream::kDrivers, 33).bits(44)) << "realisation";
  EXPECT_NE(base, RandomStream(11, 22 + (1ULL << 32), Stream::kDrivers, 33).bits(44)) << "realisation high word";
  EXPECT_NE(base, RandomStream(11, 22, Stream::kActors, 33).bits(44)) << "stream";
  EXPECT_NE(base, RandomStream(11, 22, Stream::kDrivers, 34).bits(44)) << "month";
  EXPECT_NE(base, RandomStream(11, 22, Stream::kDrivers, 33).bits(45)) << "index, other lane";
  EXPECT_NE(base, RandomStream(11, 22, Stream::kDrivers, 33).bits(46)) << "index, next block";
}

TEST(Rng, DistinctAddressesGiveDistinctValuesOverAGrid) {
  // 2 seeds x 3 realisations x 6 streams x 4 months x 16 indices = 2304 addresses; 64-bit values
  // collide with probability about 2304^2 / 2^65, i.e. never.
  std::set<std::uint64_t> seen;
  std::size_t count = 0;
  for (std::uint64_t seed : {1ULL, 2ULL})
    for (std::uint64_t r : {0ULL, 1ULL, 1ULL << 40})
      for (std::uint32_t st = 1; st <= 6; ++st)
        for (std::uint32_t month : {0u, 1u, 119u, 120u}) {
          const RandomStream rs(seed, r, static_cast<Stream>(st), month);
          for (std::uint64_t i = 0; i < 16; ++i, ++count) seen.insert(rs.bits(i));
        }
  EXPECT_EQ(seen.size(), count);
}

TEST(Rng, SameAddressSameValueRegardlessOfCallOrder) {
  const std::uint64_t n = 257;
  const RandomStream forward(99, 3, Stream::kParameters, 0);
  std::vector<std::uint64_t> in_order(n);
  for (std::uint64_t i = 0; i < n; ++i) in_order[i] = forward.bits(i);

  // The same stream read backwards, in a scrambled order, and one fresh object per value.
  const RandomStream backward(99, 3, Stream::kParameters, 0);
  for (std::uint64_t i = n; i-- > 0;) EXPECT_EQ(backward.bits(i), in_order[i]) << "backward, index " << i;
  const RandomStream scrambled(99, 3, Stream::kParameters, 0);
  for (std::uint64_t k = 0; k < n; ++k) {
    const std::uint64_t i = (k * 101) % n;  // 101 is coprime to 257: a permutation
    EXPECT_EQ(scrambled.bits(i), in_order[i]) << "scrambled, index " << i;
    EXPECT_EQ(scrambled.bits(n - 1 - i), in_order[n - 1 - i]) << "interleaved, index " << n - 1 - i;
  }
  for (std::uint64_t i = 0; i < n; ++i)
    EXPECT_EQ(RandomStream(99, 3, Stream::kParameters, 0).bits(i), in_order[i]) << "fresh, index " << i;
  // And reading another stream in between does not disturb this one.
  const RandomStream other(99, 4, Stream::kParameters, 0);
  const RandomStream again(99, 3, Stream::kParameters, 0);
  for (std::uint64_t i = 0; i < n; ++i) {
    (void)other.bits(n - i);
    EXPECT_EQ(again.bits(i), in_order[i]) << "with another stream between, index " << i;
  }
}

// ---------------------------------------------------------------------------------------------
// (b) Quantiles against reference values and closed forms; round trips; goodness of fit.
// ---------------------------------------------------------------------------------------------

void expect_relative(double actual, double expected, double tolerance, const std::string& what) {
  EXPECT_LE(std::fabs(actual - expected), tolerance * std::fabs(expected))
      << what << ": actual " << actual << ", expected " << expected;
}

TEST(Sampling, NormalQuantileMatchesReferenceValues) {
  // Reference values to 20 digits, from mpmath at 40 digits (root of ncdf(x) = p).
  expect_relative(normal_quantile(0.975), 1.9599639845400542355, 1e-12, "p = 0.975");
  expect_relative(normal_quantile(0.025), -1.9599639845400542355, 1e-12, "p = 0.025");
  expect_relative(normal_quantile(0.9), 1.281551565544600467, 1e-12, "p = 0.9 (central region)");
  expect_relative(normal_quantile(0.3), -0.52440051270804078404, 1e-12, "p = 0.3 (central region)");
  expect_relative(normal_quantile(1e-6), -4.7534243088228989482, 1e-12, "p = 1e-6 (r <= 5)");
  expect_relative(normal_quantile(1e-10), -6.3613409024040562047, 1e-12, "p = 1e-10 (r > 5)");
  EXPECT_EQ(normal_quantile(0.5), 0.0);
}

TEST(Sampling, NormalQuantileIsAntisymmetric) {
  // p and 1 - p are both exact in binary for these p.
  for (double p : {0.5 - 0x1p-20, 0.375, 0.25, 0.0625, 0x1p-10, 0x1p-30}) {
    const double lower = normal_quantile(p), upper = normal_quantile(1 - p);
    EXPECT_LT(lower, 0) << "p = " << p;
    EXPECT_NEAR(lower, -upper, 1e-15 * std::fabs(upper)) << "p = " << p;
  }
}

TEST(Sampling, NormalQuantileInvertsNormalCdf) {
  // Relative to the smaller tail probability; in the upper half, plus the rounding of 1 - p.
  for (double p : {1e-300, 1e-20, 1e-5, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-9}) {
    const double x = normal_quantile(p);
    const double tolerance = 1e-12 * std::min(p, 1 - p) + (p > 0.5 ? 4e-16 : 0.0);
    EXPECT_LE(std::fabs(normal_cdf(x) - p), tolerance) << "p = " << p;
  }
}

TEST(Sampling, UniformQuantileIsLinear) {
  const Distribution d = uniform(2, 6);
  EXPECT_DOUBLE_EQ(quantile(d, 0.25), 3.0);
  EXPECT_DOUBLE_EQ(quantile(d, 0.5), 4.0);
  EXPECT_DOUBLE_EQ(quantile(d, 0.9), 5.6);
}

TEST(Sampling, DegenerateUniformAndFixedAlwaysGiveTheirValue) {
  for (double u : {1e-9, 0.5, 1 - 1e-9}) {
    EXPECT_EQ(quantile(uniform(3, 3), u), 3.0);
    EXPECT_EQ(quantile(fixed(-1.5), u), -1.5);
  }
  EXPECT_FALSE(fixed(1).uncertain());
  EXPECT_TRUE(uniform(3, 3).uncertain());
}

TEST(Sampling, TriangularQuantileMatchesClosedForm) {
  // min 0, mode 1, max 4: F(mode) = 1/4; Q(u) = 2 sqrt(u) below it, 4 - sqrt(12 (1 - u)) above.
  const Distribution d = triangular(0, 1, 4);
  EXPECT_DOUBLE_EQ(quantile(d, 0.0625), 0.5);
  EXPECT_DOUBLE_EQ(quantile(d, 0.25), 1.0);
  EXPECT_DOUBLE_EQ(quantile(d, 0.8125), 2.5);
  EXPECT_NEAR(quantile(d, 1 - 0.0625 / 12), 3.75, 1e-12);  // 4 - sqrt(12 * 0.0625 / 12)
}

TEST(Sampling, TriangularWithModeAtAnEndIsValid) {
  const Distribution left = triangular(0, 0, 2), right = triangular(0, 2, 2);
  // Mode at min: Q(u) = 2 - 2 sqrt(1 - u). Mode at max: Q(u) = 2 sqrt(u).
  EXPECT_DOUBLE_EQ(quantile(left, 0.75), 1.0);
  EXPECT_DOUBLE_EQ(quantile(right, 0.25), 1.0);
}

TEST(Sampling, NormalQuantileMatchesClosedForm) {
  const Distribution d = normal(10, 2, -kInf, kInf);
  expect_relative(quantile(d, 0.975), 10 + 2 * 1.9599639845400542355, 1e-12, "untruncated");
  EXPECT_DOUBLE_EQ(quantile(d, 0.5), 10.0);
  // Truncated at the mean from below: the half-normal, Q(u) = Phi^-1((1 + u) / 2).
  const Distribution half = normal(0, 1, 0, kInf);
  expect_relative(quantile(half, 0.95), 1.9599639845400542355, 1e-12, "half-normal");
}

TEST(Sampling, TruncatedNormalStaysWithinItsBounds) {
  const Distribution d = normal(0, 1, -0.5, 0.25);
  for (double u : {1e-300, 1e-16, 1e-3, 0.5, 0.999, 1 - 0x1p-53}) {
    const double x = quantile(d, u);
    EXPECT_GE(x, -0.5) << "u = " << u;
    EXPECT_LE(x, 0.25) << "u = " << u;
  }
}

TEST(Sampling, LogNormalQuantileMatchesClosedForm) {
  const Distribution d = lognormal(5, 0.4);
  EXPECT_DOUBLE_EQ(quantile(d, 0.5), 5.0);  // the median
  expect_relative(quantile(d, 0.975), 5 * std::exp(0.4 * 1.9599639845400542355), 1e-12, "97.5%");
  expect_relative(quantile(d, 0.025), 5 * std::exp(-0.4 * 1.9599639845400542355), 1e-12, "2.5%");
}

TEST(Sampling, BetaQuantileMatchesBoost) {
  // beta(mean m, concentration k) is Beta(alpha = m k, beta = (1 - m) k).
  const double m = 0.3, k = 8;
  const Distribution d = beta(m, k);
  const boost::math::beta_distribution<double> ref(m * k, (1 - m) * k);
  for (double u : {0.01, 0.1, 0.5, 0.77, 0.99})
    expect_relative(quantile(d, u), boost::math::quantile(ref, u), 1e-12, "u = " + std::to_string(u));
}

TEST(Sampling, BetaMeanIsTheGivenMean) {
  // The mean of the draws is the integral of the quantile over (0, 1): midpoint rule.
  for (double m : {0.1, 0.5, 0.8}) {
    const Distribution d = beta(m, 5);
    const int n = 20000;
    double total = 0;
    for (int i = 0; i < n; ++i) total += quantile(d, (i + 0.5) / n);
    EXPECT_NEAR(total / n, m, 1e-4) << "mean " << m;
    EXPECT_NEAR(boost::math::mean(boost::math::beta_distribution<double>(d.a, d.b)), m, 1e-14) << "mean " << m;
  }
}

TEST(Sampling, ChoiceQuantileFollowsCumulativeWeights) {
  const Distribution d = choice({10, 20, 30}, {1, 2, 7});  // cumulative 0.1, 0.3, 1
  EXPECT_EQ(quantile(d, 0.05), 10);
  EXPECT_EQ(quantile(d, 0.2), 20);
  EXPECT_EQ(quantile(d, 0.31), 30);
  EXPECT_EQ(quantile(d, 1 - 1e-12), 30);
  const Distribution equal = choice({1, 2, 3, 4}, {});  // empty weights: equal weights
  EXPECT_EQ(quantile(equal, 0.2), 1);
  EXPECT_EQ(quantile(equal, 0.3), 2);
  EXPECT_EQ(quantile(equal, 0.6), 3);
  EXPECT_EQ(quantile(equal, 0.9), 4);
}

TEST(Sampling, ChoiceNeverDrawsAZeroWeightValue) {
  const Distribution d = choice({1, 2, 3}, {1, 0, 1});
  const RandomStream rs(3, 0, Stream::kParameters, 0);
  for (std::uint64_t i = 0; i < 20000; ++i) ASSERT_NE(quantile(d, rs.uniform(i)), 2.0) << "index " << i;
}

TEST(Sampling, NominalIsTheMedian) {
  EXPECT_EQ(nominal(fixed(3)), 3);
  EXPECT_DOUBLE_EQ(nominal(uniform(2, 6)), 4);
  EXPECT_DOUBLE_EQ(nominal(triangular(0, 0.5, 1)), 0.5);
  EXPECT_DOUBLE_EQ(nominal(lognormal(7, 1.3)), 7);
  EXPECT_DOUBLE_EQ(nominal(normal(-2, 3, -kInf, kInf)), -2);
  EXPECT_EQ(nominal(choice({1, 2, 3}, {})), 2);
  EXPECT_NEAR(nominal(beta(0.5, 4)), 0.5, 1e-12);  // symmetric
}

std::vector<Distribution> continuous_distributions() {
  return {uniform(-1, 3),        triangular(0, 1, 4),   triangular(2, 2, 5), normal(1, 2, -kInf, kInf),
          normal(0, 1, -0.5, 2), normal(5, 1, 4, kInf), lognormal(3, 0.7),   beta(0.3, 8),
          beta(0.5, 1)};
}

TEST(Sampling, CdfOfQuantileRoundTrips) {
  const auto ds = continuous_distributions();
  for (std::size_t k = 0; k < ds.size(); ++k)
    for (double u : {1e-6, 0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999, 1 - 1e-6})
      EXPECT_NEAR(cdf(ds[k], quantile(ds[k], u)), u, 1e-9) << "distribution " << k << ", u = " << u;
}

TEST(Sampling, CdfIsZeroBelowAndOneAboveTheSupport) {
  const auto ds = continuous_distributions();
  for (std::size_t k = 0; k < ds.size(); ++k) {
    double lo, hi;
    support(ds[k], lo, hi);
    if (std::isfinite(lo)) {
      EXPECT_EQ(cdf(ds[k], lo - 1), 0.0) << "distribution " << k;
    }
    if (std::isfinite(hi)) {
      EXPECT_EQ(cdf(ds[k], hi + 1), 1.0) << "distribution " << k;
    }
  }
  const Distribution c = choice({10, 20, 30}, {1, 2, 7});
  EXPECT_EQ(cdf(c, 9.9), 0.0);
  EXPECT_NEAR(cdf(c, 10), 0.1, 1e-15);
  EXPECT_NEAR(cdf(c, 25), 0.3, 1e-15);
  EXPECT_NEAR(cdf(c, 30), 1.0, 1e-15);
}

TEST(Sampling, SupportOfEachKind) {
  double lo, hi;
  support(fixed(2.5), lo, hi);
  EXPECT_EQ(lo, 2.5);
  EXPECT_EQ(hi, 2.5);
  support(uniform(-1, 3), lo, hi);
  EXPECT_EQ(lo, -1);
  EXPECT_EQ(hi, 3);
  support(triangular(0, 1, 4), lo, hi);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 4);
  support(normal(0, 1, -2, kInf), lo, hi);
  EXPECT_EQ(lo, -2);
  EXPECT_EQ(hi, kInf);
  support(beta(0.2, 3), lo, hi);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 1);
  support(choice({3, -1, 7}, {}), lo, hi);
  EXPECT_EQ(lo, -1);
  EXPECT_EQ(hi, 7);
}

TEST(Sampling, LogNormalSupportIsCutAt8Point3Sigma) {
  double lo, hi;
  support(lognormal(2, 0.5), lo, hi);
  expect_relative(lo, 2 * std::exp(-8.3 * 0.5), 1e-15, "lower end");
  expect_relative(hi, 2 * std::exp(8.3 * 0.5), 1e-15, "upper end");
  // A uniform far in the tail is cut exactly at the end of the support.
  EXPECT_EQ(quantile(lognormal(2, 0.5), 1e-300), lo);
}

// The smallest and largest uniforms RandomStream::uniform returns: (0 + 1/2) 2^-52 and
// (2^52 - 1/2) 2^-52.
constexpr double kSmallestUniform = 0x1p-53;
constexpr double kLargestUniform = 1 - 0x1p-53;

TEST(Sampling, QuantileNeverLeavesTheSupport) {
  auto ds = continuous_distributions();
  ds.push_back(lognormal(1, 3));
  ds.push_back(choice({3, -1, 7}, {0.2, 0.3, 0.5}));
  ds.push_back(fixed(4));
  for (std::size_t k = 0; k < ds.size(); ++k) {
    double lo, hi;
    support(ds[k], lo, hi);
    std::vector<double> us = {kSmallestUniform, 1e-12, 0.5, 1 - 1e-12, kLargestUniform};
    // Far beyond what RandomStream produces, for the kinds computed in closed form (beta is
    // tested separately below).
    if (ds[k].kind != Distribution::Kind::kBeta) us.push_back(1e-300);
    for (double u : us) {
      const double x = quantile(ds[k], u);
      EXPECT_TRUE(std::isfinite(x)) << "distribution " << k << ", u = " << u;
      EXPECT_GE(x, lo) << "distribution " << k << ", u = " << u;
      EXPECT_LE(x, hi) << "distribution " << k << ", u = " << u;
    }
  }
}

// Far in the tails ibeta_inv's root finder may not converge; quantile must still return a value
// in the support for every u in (0, 1), including the smallest uniform and Latin-hypercube values.
TEST(Sampling, BetaQuantileIsDefinedForEveryUniformInTheOpenInterval) {
  const Distribution cases[] = {beta(0.9, 2), beta(0.55, 2), beta(0.9, 5), beta(0.3, 8)};
  for (const Distribution& d : cases)
    for (double u : {stream_at(kAllZerosAddress).uniform(kAllZerosAddress.index), 1e-100, 1e-300}) {
      double x = kNaN;
      EXPECT_NO_THROW(x = quantile(d, u)) << "alpha " << d.a << ", beta " << d.b << ", u = " << u;
      EXPECT_GE(x, 0.0) << "alpha " << d.a << ", beta " << d.b << ", u = " << u;
      EXPECT_LE(x, 1.0) << "alpha " << d.a << ", beta " << d.b << ", u = " << u;
    }
}

TEST(Sampling, BetaQuantileIsDefinedForUniformsJustAboveTheSmallest) {
  // Just above the smallest uniform and at the top, the same distributions.
  const Distribution cases[] = {beta(0.9, 2), beta(0.55, 2), beta(0.9, 5), beta(0.3, 8)};
  for (const Distribution& d : cases)
    for (double u : {std::exp2(-52.5), 1e-12, 0.5, kLargestUniform}) {
      const double x = quantile(d, u);
      EXPECT_GE(x, 0.0) << "alpha " << d.a << ", beta " << d.b << ", u = " << u;
      EXPECT_LE(x, 1.0) << "alpha " << d.a << ", beta " << d.b << ", u = " << u;
    }
}

// One-sample Kolmogorov-Smirnov statistic D = sup |F_n(x) - F(x)| of `x` against d's cdf.
double ks_statistic(std::vector<double> x, const Distribution& d) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double stat = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(d, x[i]);
    stat = std::max({stat, f - i / n, (i + 1) / n - f});
  }
  return stat;
}

std::vector<double> draws(const Distribution& d, std::uint64_t realisation, std::size_t n) {
  const RandomStream rs(20240601, realisation, Stream::kParameters, 0);
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = quantile(d, rs.uniform(i));
  return x;
}

// Goodness of fit at alpha = 0.001: the asymptotic Kolmogorov critical value is 1.9495 / sqrt(N)
// (the 0.999 quantile of the Kolmogorov distribution). For a random seed a correct sampler would
// fail each of these tests with probability 0.1%; the seed is fixed, so the tests are
// deterministic.
constexpr std::size_t kDraws = 20000;
const double kKsCritical = 1.949 / std::sqrt(static_cast<double>(kDraws));

TEST(Sampling, KolmogorovSmirnovAcceptsEveryContinuousKind) {
  const auto ds = continuous_distributions();
  for (std::size_t k = 0; k < ds.size(); ++k) {
    const double stat = ks_statistic(draws(ds[k], k, kDraws), ds[k]);
    EXPECT_LE(stat, kKsCritical) << "distribution " << k << " (kind " << static_cast<int>(ds[k].kind) << ")";
  }
}

TEST(Sampling, KolmogorovSmirnovRejectsAWrongDistribution) {
  // The power check that makes the goodness-of-fit test meaningful: draws of normal(0.1, 1)
  // tested against normal(0, 1) (D about 0.04 > 0.0138), and uniform draws against a triangle.
  EXPECT_GT(ks_statistic(draws(normal(0.1, 1, -kInf, kInf), 100, kDraws), normal(0, 1, -kInf, kInf)), kKsCritical);
  EXPECT_GT(ks_statistic(draws(uniform(0, 1), 101, kDraws), triangular(0, 0.5, 1)), kKsCritical);
}

// Pearson's chi-square statistic of the counts of each value of a choice.
double chi_square(const Distribution& d, const std::vector<double>& probability, std::uint64_t realisation) {
  std::vector<double> count(d.values.size(), 0.0);
  for (double x : draws(d, realisation, kDraws)) {
    const auto at = std::find(d.values.begin(), d.values.end(), x);
    if (at == d.values.end()) return kInf;  // a value that is not a choice: fail
    count[at - d.values.begin()] += 1;
  }
  double stat = 0;
  for (std::size_t j = 0; j < count.size(); ++j) {
    const double expected = probability[j] * kDraws;
    stat += (count[j] - expected) * (count[j] - expected) / expected;
  }
  return stat;
}

// Upper 0.001 critical values of chi-square (NIST/SEMATECH e-Handbook of Statistical Methods,
// section 1.3.6.7.4, "Critical Values of the Chi-Square Distribution"): df = 2: 13.816,
// df = 4: 18.467. A correct sampler fails each with probability 0.1% for a random seed; the
// seed is fixed.
constexpr double kChiSquare001Df2 = 13.816;
constexpr double kChiSquare001Df4 = 18.467;

TEST(Sampling, ChiSquareAcceptsChoiceFrequencies) {
  EXPECT_LE(chi_square(choice({10, 20, 30}, {1, 2, 7}), {0.1, 0.2, 0.7}, 200), kChiSquare001Df2);
  EXPECT_LE(chi_square(choice({5, 4, 3, 2, 1}, {}), {0.2, 0.2, 0.2, 0.2, 0.2}, 201), kChiSquare001Df4);
}

TEST(Sampling, ChiSquareRejectsWrongChoiceFrequencies) {
  // Power check: weights 1:2:7 drawn, tested against 0.12:0.2:0.68.
  EXPECT_GT(chi_square(choice({10, 20, 30}, {1, 2, 7}), {0.12, 0.2, 0.68}, 202), kChiSquare001Df2);
}

// ---------------------------------------------------------------------------------------------
// (c) Invalid parameters.
// ---------------------------------------------------------------------------------------------

// Passes when `make` throws std::invalid_argument whose message contains every one of `parts`.
::testing::AssertionResult ThrowsInvalidArgument(const std::function<void()>& make,
                                                 std::initializer_list<std::string> parts) {
  try {
    make();
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    for (const std::string& part : parts)
      if (message.find(part) == std::string::npos)
        return ::testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << part << "\"";
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw another exception: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

TEST(Sampling, UniformRejectsMinAboveMax) {
  EXPECT_TRUE(ThrowsInvalidArgument([] { uniform(2, 1); }, {"uniform: min is 2, but must be <= max (1)"}));
}

TEST(Sampling, TriangularRejectsBadBoundsAndMode) {
  EXPECT_TRUE(ThrowsInvalidArgument([] { triangular(2, 1.5, 1); }, {"triangular", "min is 2"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { triangular(1, 1, 1); }, {"triangular", "min is 1", "max (1)"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { triangular(0, 1.5, 1); }, {"triangular", "mode is 1.5"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { triangular(0, -0.5, 1); }, {"triangular", "mode is -0.5"}));
}

TEST(Sampling, NormalRejectsNonPositiveSdAndBadBounds) {
  EXPECT_TRUE(ThrowsInvalidArgument([] { normal(0, 0, -kInf, kInf); }, {"normal", "sd is 0"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { normal(0, -1, -kInf, kInf); }, {"normal", "sd is -1"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { normal(0, 1, 1, 1); }, {"normal", "lower is 1", "upper (1)"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { normal(0, 1, 2, 1); }, {"normal", "lower is 2"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { normal(0, 1, kNaN, 1); }, {"normal", "lower is"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { normal(0, 1, 0, kNaN); }, {"normal", "lower is"}));
  // Bounds 50 sd out hold no probability.
  EXPECT_TRUE(ThrowsInvalidArgument([] { normal(0, 1, 50, 60); }, {"normal", "almost no probability"}));
}

TEST(Sampling, LogNormalRejectsNonPositiveMedianAndSigma) {
  EXPECT_TRUE(ThrowsInvalidArgument([] { lognormal(0, 1); }, {"lognormal", "median is 0"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { lognormal(-2, 1); }, {"lognormal", "median is -2"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { lognormal(1, 0); }, {"lognormal", "sigma is 0"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { lognormal(1, -0.5); }, {"lognormal", "sigma is -0.5"}));
}

TEST(Sampling, BetaRejectsMeanOutsideUnitIntervalAndNonPositiveConcentration) {
  EXPECT_TRUE(ThrowsInvalidArgument([] { beta(0, 2); }, {"beta", "mean is 0"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { beta(1, 2); }, {"beta", "mean is 1"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { beta(1.5, 2); }, {"beta", "mean is 1.5"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { beta(0.5, 0); }, {"beta", "concentration is 0"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { beta(0.5, -3); }, {"beta", "concentration is -3"}));
}

TEST(Sampling, ChoiceRejectsEmptyValuesAndBadWeights) {
  EXPECT_TRUE(ThrowsInvalidArgument([] { choice({}, {}); }, {"choice", "values is empty"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { choice({1, 2}, {1}); }, {"choice", "weights has 1 entries", "(2)"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { choice({1, 2}, {1, 2, 3}); }, {"choice", "weights has 3 entries"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { choice({1, 2}, {1, -1}); }, {"choice", "a weight is -1"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { choice({1, 2}, {0, 0}); }, {"choice", "weights sum to 0"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { choice({1, 2}, {1, kInf}); }, {"choice", "a weight is inf"}));
  EXPECT_TRUE(ThrowsInvalidArgument([] { choice({1, 2}, {1, kNaN}); }, {"choice", "a weight is nan"}));
}

TEST(Sampling, EveryConstructorRejectsNonFiniteParameters) {
  for (double bad : {kNaN, kInf, -kInf}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(ThrowsInvalidArgument([&] { fixed(bad); }, {"fixed", "value is", "finite"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { uniform(bad, 1); }, {"uniform", "min is", "finite"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { uniform(0, bad); }, {"uniform", "max is", "finite"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { triangular(bad, 0.5, 1); }, {"triangular", "min is", "finite"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { triangular(0, bad, 1); }, {"triangular", "mode is", "finite"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { triangular(0, 0.5, bad); }, {"triangular", "max is", "finite"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { normal(bad, 1, -kInf, kInf); }, {"normal", "mean is", "finite"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { normal(0, bad, -kInf, kInf); }, {"normal", "sd is"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { lognormal(bad, 1); }, {"lognormal", "median is"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { lognormal(1, bad); }, {"lognormal", "sigma is"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { beta(bad, 1); }, {"beta", "mean is"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { beta(0.5, bad); }, {"beta", "concentration is"}));
    EXPECT_TRUE(ThrowsInvalidArgument([&] { choice({1, bad}, {}); }, {"choice", "a value is", "finite"}));
  }
}

TEST(Sampling, ValidParametersDoNotThrow) {
  EXPECT_NO_THROW(fixed(0));
  EXPECT_NO_THROW(uniform(1, 1));
  EXPECT_NO_THROW(triangular(0, 0, 1));
  EXPECT_NO_THROW(normal(0, 1, -kInf, kInf));
  EXPECT_NO_THROW(normal(0, 1, -1, 1));
  EXPECT_NO_THROW(lognormal(1e-3, 2));
  EXPECT_NO_THROW(beta(0.999, 1e-3));
  EXPECT_NO_THROW(choice({1}, {}));
  EXPECT_NO_THROW(choice({1, 2}, {0, 1}));
}

}  // namespace
}  // namespace peacesim
