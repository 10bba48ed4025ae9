// Scenarios at the documented limits (scenario.proto comments, the validator): random valid
// scenarios whose distributions sit at the edges the samplers accept (beta concentration 10^6 and
// shape parameters 10^-6, normals truncated deep in a tail or with a vanishing spread, lognormals
// as wide as the field allows, choices of many values), criteria weights from 0 to 10^6, a
// 600-month horizon and the largest counts of drivers and actors. Each must validate, run to the
// end and give finite results in their ranges. The bound on time is this test's ctest TIMEOUT
// (tests/CMakeLists.txt): a sampler or a step that hangs on such input fails it.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/model.h"
#include "engine/pipeline.h"

namespace peacesim {
namespace {

// The validator's messages for a scenario built in code (empty when it is valid).
std::string problems(const v1::Scenario& s) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(s, &text);
  std::string out;
  for (const auto& d : io::validate(io::parse_scenario(text, "limits.textproto", io::Format::kText)))
    out += d.path + ": " + d.message + "\n";
  return out;
}

// A share in [0, 1] drawn at one of the samplers' edges.
void edge_share(v1::Quantity* q, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  q->Clear();
  switch (static_cast<int>(6 * u(rng))) {
    case 0: {  // the largest concentration: nearly a point
      auto* b = q->mutable_beta();
      b->set_mean(0.001 + 0.998 * u(rng));
      b->set_concentration(1e6);
      break;
    }
    case 1: {  // the smallest shape parameter: nearly all mass at 0 or 1
      auto* b = q->mutable_beta();
      b->set_concentration(1 + u(rng));
      b->set_mean(1e-6 / b->concentration() * (1 + 1e-9));
      if (u(rng) < 0.5) b->set_mean(1 - b->mean());
      break;
    }
    case 2: {  // a normal truncated 6.9 standard deviations into its tail: its bounds hold about
               // 2.6e-12 of its probability (the validator's limit is 1e-12)
      auto* n = q->mutable_normal();
      n->set_mean(0.1);
      n->set_sd(0.01);
      n->set_lower(0.169);
      n->set_upper(1);
      break;
    }
    case 3: {  // a normal with a vanishing spread
      auto* n = q->mutable_normal();
      n->set_mean(u(rng));
      n->set_sd(1e-300);
      n->set_lower(0);
      n->set_upper(1);
      break;
    }
    case 4: {  // a choice of many values
      auto* c = q->mutable_choice();
      for (int k = 0; k < 1000; ++k) {
        c->add_values(k / 999.0);
        c->add_weights(k % 7 == 0 ? 0 : 1 + k);
      }
      break;
    }
    default:
      q->set_value(u(rng) < 0.5 ? 0 : 1);  // the range's ends
  }
}

v1::Scenario at_the_limits(std::mt19937_64& rng) {
  io::LoadedScenario loaded =
      io::load_scenario(std::string(PEACESIM_SOURCE_DIR) + "/scenarios/examples/tiny.textproto");
  v1::Scenario s = loaded.scenario;
  std::uniform_real_distribution<double> u(0, 1);
  // Many drivers and actors (up to the limits) in some scenarios; a long causal chain among them.
  const int drivers = u(rng) < 0.3 ? kMaxDrivers : 3 + static_cast<int>(20 * u(rng));
  while (s.drivers_size() < drivers) {
    v1::Driver* d = s.add_drivers();
    *d = s.drivers(0);
    d->set_id("driver_" + std::to_string(s.drivers_size()));
    d->clear_name();
    auto* e = s.add_causal_map();
    e->set_from(s.drivers(s.drivers_size() - 2).id());
    e->set_to(d->id());
    e->mutable_weight()->set_value(0.001);
  }
  const int actors = u(rng) < 0.3 ? kMaxActors : 3 + static_cast<int>(20 * u(rng));
  while (s.actors_size() < actors) {
    v1::Actor* a = s.add_actors();
    *a = s.actors(2);
    a->set_id("actor_" + std::to_string(s.actors_size()));
    a->clear_name();
  }
  for (auto& d : *s.mutable_drivers()) {
    edge_share(d.mutable_initial(), rng);
    edge_share(d.mutable_volatility(), rng);
  }
  for (auto& a : *s.mutable_actors()) {
    edge_share(a.mutable_position(), rng);
    edge_share(a.mutable_salience(), rng);
    // Fighters: a lognormal as wide as the field's range [0, 10^7] allows (8.3 sigma to 10^7).
    if (u(rng) < 0.5) {
      a.mutable_armed_strength()->Clear();
      auto* l = a.mutable_armed_strength()->mutable_lognormal();
      l->set_median(100);
      l->set_sigma(std::log(1e7 / 100) / 8.3 * 0.999);
    }
  }
  edge_share(s.mutable_gender()->mutable_gbv(), rng);
  edge_share(s.mutable_situation()->mutable_state_capacity(), rng);
  for (auto& c : *s.mutable_criteria()) c.set_weight(u(rng) < 0.3 ? 0 : u(rng) < 0.5 ? 1e6 : 1e-300);
  s.mutable_criteria(0)->set_weight(1e6);
  s.mutable_simulation()->set_horizon_months(kMaxHorizon);
  return s;
}

TEST(Limits, RandomScenariosAtTheDocumentedLimitsRunToTheEnd) {
  std::mt19937_64 rng(20261130);
  for (int k = 0; k < 12; ++k) {
    const v1::Scenario s = at_the_limits(rng);
    ASSERT_EQ(problems(s), "") << "scenario " << k;
    RunRequest q;
    q.runs = 16;
    q.threads = 2;
    q.seed = static_cast<std::uint64_t>(k);
    const v1::Results r = run_scenario(s, q);
    ASSERT_EQ(r.options_size(), s.options_size());
    for (const auto& o : r.options()) {
      const v1::Evaluation& e = o.overall();
      EXPECT_TRUE(std::isfinite(e.score().mean())) << "scenario " << k << " " << o.option_id();
      EXPECT_GE(e.score().mean(), 0) << "scenario " << k << " " << o.option_id();
      EXPECT_LE(e.score().mean(), 1) << "scenario " << k << " " << o.option_id();
      ASSERT_EQ(e.p_relapse_by_month_size(), kMaxHorizon);
      for (double p : e.p_relapse_by_month()) ASSERT_TRUE(p >= 0 && p <= 1) << "scenario " << k;
      for (const auto& m : e.metrics()) EXPECT_TRUE(std::isfinite(m.distribution().mean())) << "scenario " << k;
    }
  }
}

}  // namespace
}  // namespace peacesim
