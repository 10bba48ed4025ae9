// The analysis pipeline; see pipeline.h.
#include "engine/pipeline.h"

#include <stdexcept>
#include <string>

#include "engine/compile.h"
#include "engine/io/results_io.h"
#include "engine/runner.h"

namespace peacesim {

v1::Results run_scenario(const v1::Scenario& scenario, const RunRequest& request) {
  Model model = compile(scenario);
  if (request.runs) {
    if (*request.runs < 1 || *request.runs > kMaxRuns)
      throw std::invalid_argument("--runs is " + std::to_string(*request.runs) + ", but must lie in [1, 1000000000]");
    model.runs = *request.runs;
  }
  if (request.horizon) {
    if (*request.horizon < 1 || *request.horizon > kMaxHorizon)
      throw std::invalid_argument("--horizon is " + std::to_string(*request.horizon) +
                                  ", but must lie in [1, 600] months");
    model.horizon = *request.horizon;
  }
  if (request.seed) model.seed = *request.seed;
  if (request.threads < 0 || request.threads > 4096)
    throw std::invalid_argument("--threads is " + std::to_string(request.threads) +
                                ", but must lie in [0, 4096] (0 = all cores)");

  if (!(request.hurwicz_alpha >= 0 && request.hurwicz_alpha <= 1))
    throw std::invalid_argument("--hurwicz-alpha is " + std::to_string(request.hurwicz_alpha) +
                                ", but must lie in [0, 1]");

  if (request.until_settled && model.design == Design::kLatinHypercube)
    throw std::invalid_argument(
        "--until-settled adds realisations as it goes, which a Latin hypercube (fixed to its run count) cannot; "
        "use SAMPLING_DESIGN_MONTE_CARLO or SAMPLING_DESIGN_SOBOL");

  RunSettings settings;
  settings.runs = model.runs;
  settings.horizon = model.horizon;
  settings.seed = model.seed;
  settings.threads = request.threads;
  settings.progress = request.progress;
  settings.until_settled = request.until_settled;
  const RunTotals totals = run(model, settings);

  io::RunInfo info;
  info.scenario_sha256 = io::scenario_fingerprint(scenario);
  info.runs = totals.realisations;
  info.horizon = model.horizon;
  info.seed = model.seed;
  info.hurwicz_alpha = request.hurwicz_alpha;
  v1::Results results = io::to_results(model, scenario, totals, info);
  if (request.until_settled) {
    auto* s = results.mutable_settling();
    s->set_requested(true);
    s->set_settled(totals.settled);
    s->set_cap(model.runs);
    s->set_realisations(totals.realisations);
    s->set_rule(totals.settled_by);
  }
  return results;
}

}  // namespace peacesim
