// Benchmarks: one month step of each model on a Carana realisation, one option over the horizon,
// one realisation's set-up, the whole run in option-months per second, and the HTML report.
//
//   build/bench/peacesim_bench                                   # everything
//   build/bench/peacesim_bench --benchmark_filter='BM_Run/10000' # the throughput target
#include <benchmark/benchmark.h>

#include "engine/compile.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/realisation.h"
#include "engine/report/report.h"
#include "engine/runner.h"
#include "engine/world.h"
#include "models/actors.h"
#include "models/drivers.h"
#include "models/dynamics.h"
#include "models/gender.h"
#include "models/situation.h"

namespace peacesim {
namespace {

const Model& carana() {
  static const Model model = [] {
    io::LoadedScenario loaded = io::load_default_scenario();
    io::require_valid(loaded);
    return compile(loaded.scenario);
  }();
  return model;
}

struct Fixture {
  RealisationParams params;
  Noise noise;
  Fixture() {
    const Model& m = carana();
    const Sampler sampler(m, 1, 1);
    std::vector<double> theta;
    sampler.draw(0, sampler.planning_scenario(0), theta);
    build_realisation(m, theta, sampler.planning_scenario(0), m.horizon, params);
    draw_noise(m, 1, 0, m.horizon, noise);
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_DriversStep(benchmark::State& state) {
  const auto& p = fixture().params.drivers;
  models::DriverState s = models::initial_drivers(p);
  const Eigen::VectorXd push = Eigen::VectorXd::Zero(p.initial.size());
  const double* noise = fixture().noise.driver.data();
  for (auto _ : state) {
    models::step_drivers(p, push, noise, s);
    benchmark::DoNotOptimize(models::driver_risk(p, s));
  }
}
BENCHMARK(BM_DriversStep);

void BM_ActorsStep(benchmark::State& state) {
  const auto& p = fixture().params.actors;
  models::ActorState s = models::initial_actors(p);
  const Eigen::VectorXd push = Eigen::VectorXd::Zero(p.initial.size());
  models::ActorInputs in;
  in.mediation = 0.2;
  in.ddr = 0.01;
  in.driver_risk = 0.1;
  in.push = &push;
  const double* noise = fixture().noise.actor.data();
  for (auto _ : state) {
    models::step_actors(p, in, noise, s);
    benchmark::DoNotOptimize(models::polarisation(s) + models::spoiler_strength(p, s));
  }
}
BENCHMARK(BM_ActorsStep);

void BM_GenderStep(benchmark::State& state) {
  const auto& p = fixture().params.gender;
  models::GenderState s = models::initial_gender(p);
  models::GenderInputs in;
  in.participation_push = 0.003;
  in.violence = 0.2;
  for (auto _ : state) {
    models::step_gender(p, in, s);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_GenderStep);

void BM_DynamicsStep(benchmark::State& state) {
  const auto& p = fixture().params.dynamics;
  models::DynamicsState s = models::initial_dynamics(p, models::Regime::kUnstablePeace, 18, 6e5);
  models::RiskFactors f;
  f.driver_risk = 0.2;
  f.polarisation = 0.3;
  models::Presence presence;
  presence.troops = 12000;
  presence.police = 1200;
  presence.protection_of_civilians = true;
  models::MonthViolence v;
  int k = 0;
  for (auto _ : state) {
    models::step_dynamics(p, f, presence, 0.9, fixture().noise.dynamics[2 * (k % 60)],
                          fixture().noise.dynamics[2 * (k % 60) + 1], s, v);
    ++k;
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_DynamicsStep);

void BM_StructuralRisk(benchmark::State& state) {
  const models::Profile p = fixture().params.profile;
  for (auto _ : state) benchmark::DoNotOptimize(models::structural_log_odds(p));
}
BENCHMARK(BM_StructuralRisk);

// One option (the large PKO) over the 60-month horizon: the world's month step with all models.
void BM_OptionHorizon(benchmark::State& state) {
  WorldScratch scratch;
  Outcome out;
  Trajectory traj;
  const int option = 5;
  for (auto _ : state) {
    simulate(fixture().params, option, fixture().noise, scratch, out, &traj);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * carana().horizon);
  state.counters["option_months_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * carana().horizon, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OptionHorizon);

// Setting up one realisation: drawing its quantities, building model parameters, drawing noise.
void BM_Realisation(benchmark::State& state) {
  const Model& m = carana();
  const Sampler sampler(m, 1, 1 << 20);
  std::vector<double> theta;
  RealisationParams params;
  Noise noise;
  std::int64_t i = 0;
  for (auto _ : state) {
    const int p = sampler.planning_scenario(i);
    sampler.draw(i, p, theta);
    build_realisation(m, theta, p, m.horizon, params);
    draw_noise(m, 1, i, m.horizon, noise);
    ++i;
  }
}
BENCHMARK(BM_Realisation);

// The whole run: Args(realisations, threads). Throughput in option-months per second.
void BM_Run(benchmark::State& state) {
  const Model& m = carana();
  RunSettings settings;
  settings.runs = state.range(0);
  settings.threads = static_cast<int>(state.range(1));
  settings.horizon = 60;
  settings.seed = 1;
  for (auto _ : state) {
    const RunTotals totals = run(m, settings);
    benchmark::DoNotOptimize(totals.evaluations.data());
  }
  const double option_months = static_cast<double>(settings.runs) * static_cast<double>(m.options.size()) * 60.0;
  state.counters["option_months_per_s"] =
      benchmark::Counter(option_months * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Run)->Args({500, 2})->Args({10000, 1})->Args({10000, 2})->UseRealTime()->Unit(benchmark::kMillisecond);

// The HTML report of a Carana run (2,000 futures; the page's size does not depend on the count).
void BM_HtmlReport(benchmark::State& state) {
  static const v1::Results results = [] {
    io::LoadedScenario loaded = io::load_default_scenario();
    RunRequest q;
    q.runs = 2000;
    return run_scenario(loaded.scenario, q);
  }();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string html = report::html_report(results);
    bytes = html.size();
    benchmark::DoNotOptimize(html.data());
  }
  state.counters["kB"] = static_cast<double>(bytes) / 1000.0;
}
BENCHMARK(BM_HtmlReport)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace peacesim

BENCHMARK_MAIN();
