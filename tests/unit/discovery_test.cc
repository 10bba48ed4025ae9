// PRIM scenario discovery validated on a planted box: failures concentrated where x0 > 0.7 and
// x1 < 0.4 (mass 0.12; 98% of its cases fail) among five uniform inputs, with 0.5% background
// failures elsewhere, so a box can reach coverage and density above 0.9.
#include "engine/discovery.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/rng.h"

namespace peacesim {
namespace {

struct Data {
  std::vector<double> x;
  std::vector<bool> fail;
};

Data planted(int n) {
  const int d = 5;
  Data data;
  for (int i = 0; i < n; ++i) {
    const RandomStream rs(99, static_cast<std::uint64_t>(i), Stream::kParameters, 0);
    for (int k = 0; k < d; ++k) data.x.push_back(rs.uniform(k));
    const bool in_box = data.x[i * d] > 0.7 && data.x[i * d + 1] < 0.4;
    data.fail.push_back(in_box ? rs.uniform(10) < 0.98 : rs.uniform(10) < 0.005);
  }
  return data;
}

TEST(Discovery, PrimFindsThePlantedBox) {
  const Data data = planted(5000);
  const auto trajectory = prim(data.x, 5, data.fail, PrimSettings{});
  ASSERT_GT(trajectory.size(), 3u);
  EXPECT_DOUBLE_EQ(trajectory[0].mass, 1.0);  // the whole space first
  const PrimBox& box = trajectory[choose_box(trajectory)];
  EXPECT_GE(box.coverage, 0.9);
  EXPECT_GE(box.density, 0.9);
  ASSERT_EQ(box.restrictions.size(), 2u);
  EXPECT_EQ(box.restrictions[0].dimension, 0);
  EXPECT_NEAR(box.restrictions[0].lower, 0.7, 0.03);
  EXPECT_EQ(box.restrictions[1].dimension, 1);
  EXPECT_NEAR(box.restrictions[1].upper, 0.4, 0.03);
  for (const Restriction& r : box.restrictions) EXPECT_LT(r.quasi_p, 1e-6);
}

TEST(Discovery, SimplifyingDropsRestrictionsTheDataDoNotSupport) {
  const Data data = planted(5000);
  const auto t = prim(data.x, 5, data.fail, PrimSettings{});
  const PrimBox deep = t.back();  // peeled far past the planted box: noise restrictions too
  const PrimBox simple = simplify(data.x, 5, data.fail, deep, PrimSettings{});
  EXPECT_LE(simple.restrictions.size(), deep.restrictions.size());
  for (const Restriction& r : simple.restrictions) EXPECT_LE(r.quasi_p, 0.05);
  bool x0 = false, x1 = false;
  for (const Restriction& r : simple.restrictions) {
    x0 = x0 || r.dimension == 0;
    x1 = x1 || r.dimension == 1;
  }
  EXPECT_TRUE(x0 && x1);
}

TEST(Discovery, EachSideOfATwoSidedRestrictionHasItsOwnQuasiPAndCanBeDroppedAlone) {
  // Failures concentrate where x0 >= 0.7 (density 0.8 against 0.1 elsewhere); a box on
  // [0.7, 0.95] has a supported lower side and an unsupported upper one.
  const int n = 6000;
  std::vector<double> x(n);
  std::vector<bool> fail(n);
  for (int i = 0; i < n; ++i) {
    const RandomStream r(17, static_cast<std::uint64_t>(i), Stream::kParameters, 0);
    x[i] = r.uniform(0);
    fail[i] = r.uniform(1) < (x[i] >= 0.7 ? 0.8 : 0.1);
  }
  PrimBox box;
  box.restrictions.push_back({0, 0.7, 0.95, 1.0, 0.0, 1.0, {}});  // as if the upper side were unsupported
  const PrimBox simple = simplify(x, 1, fail, box, PrimSettings{});
  ASSERT_EQ(simple.restrictions.size(), 1u);
  EXPECT_EQ(simple.restrictions[0].lower, 0.7);
  EXPECT_TRUE(std::isinf(simple.restrictions[0].upper)) << "the upper side alone is dropped";
  EXPECT_LE(simple.restrictions[0].quasi_p_lower, 1e-6);
  EXPECT_EQ(simple.restrictions[0].quasi_p, simple.restrictions[0].quasi_p_lower);
}

TEST(Discovery, TrajectoryTradesCoverageForDensity) {
  const Data data = planted(3000);
  const auto t = prim(data.x, 5, data.fail, PrimSettings{});
  for (std::size_t k = 1; k < t.size(); ++k) EXPECT_GE(t[k].mass, 0.05 - 1e-12);
  EXPECT_LT(t.back().mass, 0.2);  // peeled down towards the minimum mass
  EXPECT_GT(t[choose_box(t)].density, t[0].density * 3);
}

TEST(Discovery, RestrictionsAreStableUnderResampling) {
  const Data data = planted(3000);
  const auto f = restriction_frequency(data.x, 5, data.fail, PrimSettings{}, 10, 7);
  EXPECT_GE(f[0], 0.9);
  EXPECT_GE(f[1], 0.9);
  for (int k = 2; k < 5; ++k) EXPECT_LE(f[k], 0.3) << k;
}

// A categorical input of four categories (0-3) whose failures concentrate in categories 1 and 3
// (density 0.7 against 0.05), and an ordered input that does not matter. As an ordered number the
// categories cannot be cut to {1, 3}; as a category they are.
Data categorical(int n) {
  Data data;
  for (int i = 0; i < n; ++i) {
    const RandomStream rs(5, static_cast<std::uint64_t>(i), Stream::kParameters, 0);
    const int c = static_cast<int>(rs.uniform(0) * 4);
    data.x.push_back(c);
    data.x.push_back(rs.uniform(1));
    data.fail.push_back(rs.uniform(2) < (c == 1 || c == 3 ? 0.7 : 0.05));
  }
  return data;
}

TEST(Discovery, ACategoricalInputIsPeeledOneCategoryAtATime) {
  const Data data = categorical(4000);
  PrimSettings settings;
  settings.categories = {4, 0};
  const auto t = prim(data.x, 2, data.fail, settings);
  const PrimBox box = simplify(data.x, 2, data.fail, t[choose_box(t)], settings);
  ASSERT_EQ(box.restrictions.size(), 1u);
  const Restriction& r = box.restrictions[0];
  EXPECT_EQ(r.dimension, 0);
  EXPECT_EQ(r.categories, (std::vector<int>{1, 3}));
  EXPECT_TRUE(std::isinf(r.lower) && std::isinf(r.upper));
  EXPECT_LT(r.quasi_p, 1e-6);
  EXPECT_EQ(r.quasi_p, r.quasi_p_lower);
  EXPECT_GE(box.coverage, 0.9);
  EXPECT_GE(box.density, 0.65);
  // Read as an ordered number, no box keeps 1 and 3 without 2: the best box is less dense.
  const auto ordered = prim(data.x, 2, data.fail, PrimSettings{});
  EXPECT_LT(ordered[choose_box(ordered)].density + 0.1, box.density);
}

TEST(Discovery, AnUnsupportedCategoricalRestrictionIsDropped) {
  Data data = categorical(4000);
  for (std::size_t i = 0; i < data.fail.size(); ++i) data.fail[i] = data.x[2 * i + 1] < 0.2;  // category irrelevant
  PrimSettings settings;
  settings.categories = {4, 0};
  PrimBox box;
  Restriction r;
  r.dimension = 0;
  r.lower = -INFINITY;
  r.upper = INFINITY;
  r.quasi_p = r.quasi_p_lower = 0.9;
  r.categories = {0, 2};
  box.restrictions.push_back(r);
  EXPECT_TRUE(simplify(data.x, 2, data.fail, box, settings).restrictions.empty());
}

TEST(Discovery, RejectsMalformedInput) {
  EXPECT_THROW(prim({0.1, 0.2, 0.3}, 2, {true, false}, PrimSettings{}), std::invalid_argument);
  PrimSettings settings;
  settings.categories = {3};
  EXPECT_THROW(prim({0, 1, 3}, 1, {true, false, true}, settings), std::invalid_argument);    // 3 is no category
  EXPECT_THROW(prim({0, 1, 0.5}, 1, {true, false, true}, settings), std::invalid_argument);  // nor is 0.5
  settings.categories = {3, 0};
  EXPECT_THROW(prim({0, 1, 2}, 1, {true, false, true}, settings), std::invalid_argument);  // one count per input
}

}  // namespace
}  // namespace peacesim
