// The engine against its random-number floor, on Carana, one thread, interleaved in one process:
// the time of a whole run of N futures, against the time to draw every random number that run
// draws and nothing else (the design's uniforms and their quantile transforms, the monthly noise
// of drivers, actors and dynamics by Philox and the normal transform, the bootstrap's Poisson
// weights and the SMAA-2 weight draws). Prints each round, the ratio of the medians and that of the
// fastest rounds.
//
//   build/bench/peacesim_floor_ratio [--runs N] [--rounds R]      (default 10000 futures, 5 rounds)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "engine/compile.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/realisation.h"
#include "engine/rng.h"
#include "engine/runner.h"
#include "engine/stats.h"
#include "engine/weights.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace peacesim;
  long long runs = 10000;
  int rounds = 5;
  for (int k = 1; k + 1 < argc; k += 2) {
    if (std::strcmp(argv[k], "--runs") == 0) runs = std::atoll(argv[k + 1]);
    if (std::strcmp(argv[k], "--rounds") == 0) rounds = std::atoi(argv[k + 1]);
  }
  if (runs < 1 || rounds < 1) {
    std::fprintf(stderr, "usage: peacesim_floor_ratio [--runs N] [--rounds R]\n");
    return 2;
  }
  io::LoadedScenario loaded = io::load_default_scenario();
  io::require_valid(loaded);
  const Model model = compile(loaded.scenario);
  const int horizon = 60;
  const std::uint64_t seed = 1;

  RunSettings settings;
  settings.runs = runs;
  settings.horizon = horizon;
  settings.seed = seed;
  settings.threads = 1;

  double sink = 0;
  auto floor = [&] {
    const Sampler sampler(model, seed, runs);
    std::vector<double> theta, weights;
    Noise noise;
    for (long long i = 0; i < runs; ++i) {
      sampler.draw(i, sampler.planning_scenario(i), theta);
      draw_noise(model, seed, i, horizon, noise);
      const RandomStream boot(seed, static_cast<std::uint64_t>(i), Stream::kBootstrap, 0);
      for (int b = 0; b < kBootstrapReplicates; ++b) sink += poisson_one(boot.uniform(b));
      if (model.weights_uncertain())
        for (int k = 0; k < kWeightDrawsPerFuture; ++k) {
          draw_weights(model, seed, i, k, weights);
          sink += weights[0];
        }
      sink += theta[0] + noise.driver[0];
    }
  };
  std::vector<double> floor_s, run_s;
  std::printf("Carana, %lld futures x %zu options x %d months, one thread\n", runs, model.options.size(), horizon);
  std::printf("%5s %12s %12s %7s\n", "round", "floor s", "run s", "ratio");
  for (int r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    floor();
    floor_s.push_back(seconds_since(start));
    start = Clock::now();
    const RunTotals totals = run(model, settings);
    run_s.push_back(seconds_since(start));
    sink += totals.evaluations[0].score.mean;
    std::printf("%5d %12.3f %12.3f %7.2f\n", r + 1, floor_s.back(), run_s.back(), run_s.back() / floor_s.back());
  }
  const double option_months = static_cast<double>(runs) * static_cast<double>(model.options.size()) * horizon;
  std::printf("median: floor %.3f s, run %.3f s (%.3g option-months/s), run / floor = %.2f\n", median(floor_s),
              median(run_s), option_months / median(run_s), median(run_s) / median(floor_s));
  // The fastest of each: what a neighbour on the shared machine slowed least.
  const double floor_min = *std::min_element(floor_s.begin(), floor_s.end());
  const double run_min = *std::min_element(run_s.begin(), run_s.end());
  std::printf("fastest: floor %.3f s, run %.3f s, run / floor = %.2f\n", floor_min, run_min, run_min / floor_min);
  return sink == 12345.678 ? 1 : 0;  // keeps the floor's draws from being optimised away
}
