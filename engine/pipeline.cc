// The analysis pipeline; see pipeline.h.
#include "engine/pipeline.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "engine/compile.h"
#include "engine/future.h"
#include "engine/io/brief.h"
#include "engine/io/factor_names.h"
#include "engine/io/partial_io.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"
#include "engine/io/stream_io.h"
#include "engine/parallel.h"
#include "engine/realisation.h"
#include "engine/resolve.h"
#include "engine/runner.h"
#include "engine/scoring.h"
#include "engine/world.h"

namespace peacesim {
namespace {

// What counts as failure, in words.
std::string failure_text(std::optional<double> threshold, int horizon) {
  return threshold ? "score below " + std::to_string(*threshold)
                   : "relapse to war within " + std::to_string(horizon) + " months";
}

// Keeps the columns of x (`names` wide) that discovery searches: context and planning factors, and
// model factors too when asked. Fills report.inputs and report.factors; returns the kept columns.
std::vector<double> searched_factors(DiscoveryReport& report, const std::vector<std::string>& names,
                                     const std::vector<double>& x, const v1::Scenario& scenario, bool model_factors) {
  const std::map<std::string, std::string> labels = factor_names(scenario);
  std::vector<int> keep;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const Factor f = describe_factor(names[k], labels);
    if (f.kind == FactorKind::kModel && !model_factors) {
      ++report.model_factors_left_out;
      continue;
    }
    keep.push_back(static_cast<int>(k));
    report.inputs.push_back(names[k]);
    report.factors.push_back(f);
  }
  if (keep.empty())
    throw std::invalid_argument(
        "the scenario has no uncertain context or planning factor to discover with; declare some (or search the "
        "model's constants with --model-factors)");
  const std::size_t d = names.size(), rows = d > 0 ? x.size() / d : 0;
  std::vector<double> kept(rows * keep.size());
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t k = 0; k < keep.size(); ++k) kept[i * keep.size() + k] = x[i * d + keep[k]];
  return kept;
}

// PRIM, the box without unsupported restrictions, and stability, for the rows x (report.inputs
// wide) and their failures; fills the rest of `report`.
void analyse_failures(DiscoveryReport& report, const std::vector<double>& x, const std::vector<bool>& fail,
                      int replicates, std::uint64_t seed) {
  const int d = static_cast<int>(report.inputs.size());
  report.runs = static_cast<std::int64_t>(fail.size());
  report.failure_rate =
      static_cast<double>(std::count(fail.begin(), fail.end(), true)) / static_cast<double>(fail.size());
  PrimSettings settings;  // the planning scenario and the conditions are categories, not ordered numbers
  for (const std::string& input : report.inputs)
    settings.categories.push_back(input_categories(input, static_cast<int>(report.planning_scenarios.size())));
  report.trajectory = prim(x, d, fail, settings);
  report.chosen = choose_box(report.trajectory);
  report.box = simplify(x, d, fail, report.trajectory[report.chosen], settings);
  report.stability = restriction_frequency(x, d, fail, settings, replicates, seed);
}

// A run as asked for: the compiled model, the settings resolved and checked, and the part's.
struct PreparedRun {
  Model model;
  RunSettings settings;
  io::PartSettings part;
};

PreparedRun prepare_run(const v1::Scenario& scenario, const RunRequest& request) {
  PreparedRun run{compile(scenario), {}, {}};
  const Settings resolved = resolve(run.model, request.runs, request.horizon, request.seed);
  check_threads(request.threads);
  if (!(request.hurwicz_alpha >= 0 && request.hurwicz_alpha <= 1))
    throw std::invalid_argument("--hurwicz-alpha is " + std::to_string(request.hurwicz_alpha) +
                                ", but must lie in [0, 1]");
  if (request.until_settled && run.model.design == Design::kLatinHypercube)
    throw std::invalid_argument(
        "--until-settled adds realisations as it goes, which a Latin hypercube (fixed to its run count) cannot; "
        "use SAMPLING_DESIGN_MONTE_CARLO or SAMPLING_DESIGN_SOBOL");
  if (request.sample < 0 || request.sample > 100000)
    throw std::invalid_argument("--sample is " + std::to_string(request.sample) + ", but must lie in [0, 100000]");
  if (request.shards < 1 || request.shards > 1000000 || request.shard < 1 || request.shard > request.shards)
    throw std::invalid_argument("--shard is " + std::to_string(request.shard) + "/" + std::to_string(request.shards) +
                                ", but must be K/N with 1 <= K <= N <= 1000000");
  if (request.until_settled && request.shards > 1)
    throw std::invalid_argument("--until-settled decides as the run goes, which a shard cannot: run it whole");

  // -0 is 0 (+ 0.0 makes it so): both are the same alpha, and must give the same bytes.
  run.part = {resolved.runs,  resolved.horizon,      resolved.seed, request.hurwicz_alpha + 0.0,
              request.sample, request.until_settled, request.shard, request.shards};
  run.settings = run.part.run_settings();
  run.settings.threads = request.threads;
  run.settings.progress = request.progress;
  return run;
}

// The run's blocks, carried on from request.resume when given, streaming and saving checkpoints as
// asked: `blocks(settings, resume)` runs them (into a state for a part, into totals for a whole
// run) and its result is returned.
template <typename Blocks>
auto run_as_asked(const v1::Scenario& scenario, PreparedRun& run, const RunRequest& request, Blocks&& blocks) {
  RunState resume;
  if (request.resume != nullptr) {
    const v1::RunPartial& r = *request.resume;
    const io::PartSettings a = io::settings_of(r), b = run.part;
    if (r.scenario_sha256() != io::scenario_fingerprint(scenario) || !a.same_run(b) ||
        a.until_settled != b.until_settled || a.shard != b.shard)
      throw std::invalid_argument(
          "the checkpoint is of another run (scenario, runs, horizon, seed, --hurwicz-alpha, --sample, "
          "--until-settled or --shard differ); remove it, or give the command that wrote it");
    resume = io::state_of(r);
  }
  // A checkpoint saved with a stream is carried on only with one, and one without only without.
  const bool resume_streamed = request.resume != nullptr && request.resume->stream_bytes() > 0;
  if (request.resume != nullptr && resume_streamed != !request.stream.empty())
    throw std::invalid_argument(resume_streamed
                                    ? "the checkpoint was saved by a run that streams its futures: give the same "
                                      "--stream FILE to carry on, or remove the checkpoint to start afresh"
                                    : "the checkpoint was saved by a run without --stream, so the futures it counted "
                                      "were not streamed: carry on without --stream, or remove the checkpoint to "
                                      "start afresh");
  std::optional<io::StreamWriter> stream;
  if (!request.stream.empty()) {
    if (run.settings.until_settled)
      throw std::invalid_argument("--stream does not go with --until-settled: the stream announces its length first");
    const std::int64_t first = std::min(run.settings.runs, run.settings.first_block * kBlockSize);
    const std::int64_t end = std::min(run.settings.runs, run.settings.end_block * kBlockSize);
    const v1::StreamHeader header = io::stream_header(run.model, scenario, run.settings.seed, run.settings.runs,
                                                      run.settings.horizon, first, end - first);
    if (!request.checkpoint && request.resume == nullptr) {
      stream.emplace(request.stream, header);
    } else {  // beside the checkpoints, carried on with them
      std::optional<io::StreamProgress> from;
      if (request.resume != nullptr)
        from = io::StreamProgress{request.resume->stream_bytes(),
                                  std::min(run.settings.runs, request.resume->end_block() * kBlockSize) - first};
      stream.emplace(request.stream, header, from);
    }
    run.settings.stream = [&](const FutureRows& rows) { stream->write(rows); };
  }
  if (request.checkpoint) {
    run.settings.checkpoint_due = request.checkpoint_due;
    run.settings.checkpoint = [&](const RunState& state) {
      // The stream's futures so far are on disk before the checkpoint that counts them is saved.
      const std::int64_t streamed = stream ? stream->sync() : 0;
      request.checkpoint(io::partial_bytes(scenario, run.part, state, streamed));
    };
  }
  auto out = blocks(run.settings, request.resume != nullptr ? &resume : nullptr);
  if (stream) stream->commit();
  return out;
}

// The results of a whole run's totals.
v1::Results results_of(const v1::Scenario& scenario, const PreparedRun& run, const RunTotals& totals) {
  const Model& model = run.model;
  const RunSettings& settings = run.settings;

  io::RunInfo info;
  info.scenario_sha256 = io::scenario_fingerprint(scenario);
  info.runs = totals.realisations;
  info.horizon = settings.horizon;
  info.seed = settings.seed;
  info.hurwicz_alpha = run.part.hurwicz_alpha;
  v1::Results results = io::to_results(model, scenario, totals, info);
  *results.mutable_scenario() = scenario;
  if (totals.sample_rows > 0) {
    v1::DiscoverySample* s = results.mutable_sample();
    s->set_rows(static_cast<int>(totals.sample_rows));
    for (const auto& name : analysis_inputs(model).names) s->add_inputs(name);
    for (const auto& p : model.planning_scenarios) s->add_planning_scenarios(p.id);
    for (const auto& o : model.options) s->add_options(o.id);
    s->mutable_values()->Add(totals.sample_values.begin(), totals.sample_values.end());
    s->mutable_scores()->Add(totals.sample_scores.begin(), totals.sample_scores.end());
    for (std::uint8_t x : totals.sample_relapse) s->add_relapse(x != 0);
  }
  if (settings.until_settled) {
    auto* s = results.mutable_settling();
    s->set_requested(true);
    s->set_settled(totals.settled);
    s->set_cap(settings.runs);
    s->set_realisations(totals.realisations);
    s->set_rule(totals.settled_by);
  }
  return results;
}

}  // namespace

namespace {

RunRequest request_of(const io::PartSettings& s) {
  RunRequest request;
  request.runs = s.runs;
  request.horizon = s.horizon;
  request.seed = s.seed;
  request.hurwicz_alpha = s.hurwicz_alpha;
  request.sample = s.sample;
  request.until_settled = s.until_settled;
  request.shard = s.shard;
  request.shards = s.shards;
  return request;
}

}  // namespace

RunRequest request_of(const v1::RunPartial& part) { return request_of(io::settings_of(part)); }

v1::Results run_scenario(const v1::Scenario& scenario, const RunRequest& request) {
  if (request.shards != 1) throw std::invalid_argument("a shard's results are a part: write them with run_part");
  PreparedRun run = prepare_run(scenario, request);
  const RunTotals totals = run_as_asked(scenario, run, request, [&](const RunSettings& s, const RunState* resume) {
    return peacesim::run(run.model, s, resume);
  });
  return results_of(scenario, run, totals);
}

std::string run_part(const v1::Scenario& scenario, const RunRequest& request) {
  PreparedRun run = prepare_run(scenario, request);
  const RunState state = run_as_asked(scenario, run, request, [&](const RunSettings& s, const RunState* resume) {
    return run_blocks(run.model, s, resume);
  });
  return io::partial_bytes(scenario, run.part, state);
}

namespace {

std::string shard_name(const io::PartSettings& s) {
  return "shard " + std::to_string(s.shard) + "/" + std::to_string(s.shards);
}

// Throws unless `part` (the file or rank `file`) is a finished shard of the run whose scenario has
// `fingerprint` and whose settings (those of one of its shards) are `run`.
void check_shard_of(const v1::RunPartial& part, const std::string& file, const std::string& fingerprint,
                    const io::PartSettings& run) {
  const io::PartSettings b = io::settings_of(part);
  const std::string name = io::printable(file) + ": " + shard_name(b);
  if (part.scenario_sha256() != fingerprint)
    throw std::invalid_argument(name + " ran another scenario than " + shard_name(run) +
                                " (scenario fingerprints differ)");
  if (!b.same_run(run) || b.until_settled)
    throw std::invalid_argument(name +
                                " is of another run: its --runs, --horizon, --seed, --hurwicz-alpha, "
                                "--sample or shard count differ from " +
                                shard_name(run) + "'s");
  if (part.end_block() != shard_blocks(b.runs, b.shard - 1, b.shards).second)
    throw std::invalid_argument(name + " is unfinished (a checkpoint): carry it on with the command that wrote it");
}

}  // namespace

struct ShardsInOrder::Merge {
  // The run: its scenario, fingerprint and the settings of one of its shards.
  v1::Scenario scenario;
  std::string fingerprint;
  io::PartSettings settings;
  PreparedRun run;
  StateMerger merger;  // of shards 1 to next - 1
  int next = 1;

  Merge(v1::Scenario s, std::string f, io::PartSettings p, PreparedRun prepared)
      : scenario(std::move(s)),
        fingerprint(std::move(f)),
        settings(p),
        run(std::move(prepared)),
        merger(run.model, run.settings) {}
};

namespace {

RunRequest whole_run(const io::PartSettings& settings) {
  RunRequest request = request_of(settings);
  request.shard = request.shards = 1;
  return request;
}

}  // namespace

// The merge's tables are laid out before any part is read, so that each part's fit where the last
// one's were (16 Carana parts: 142 MB at the peak, against 184 MB with the tables laid out after the
// first part).
ShardsInOrder::ShardsInOrder(v1::Scenario scenario, std::string fingerprint, io::PartSettings settings)
    : merge_(std::make_unique<Merge>(scenario, std::move(fingerprint), settings,
                                     prepare_run(scenario, whole_run(settings)))) {}

ShardsInOrder::ShardsInOrder(ShardsInOrder&&) noexcept = default;
ShardsInOrder::~ShardsInOrder() = default;

void ShardsInOrder::add(std::string_view bytes, const std::string& name) {
  Merge& m = *merge_;
  RunState state;
  {  // the part's message freed before its state is added in
    const v1::RunPartial part = io::parse_partial(bytes, name, &state);
    check_shard_of(part, name, m.fingerprint, m.settings);
    if (part.shard() != m.next)
      throw std::invalid_argument(io::printable(name) + " is " + shard_name(io::settings_of(part)) + " where shard " +
                                  std::to_string(m.next) + "/" + std::to_string(m.settings.shards) +
                                  " comes next: it changed while the parts were merged");
  }
  m.merger.add(std::move(state));
  ++m.next;
}

v1::Results ShardsInOrder::results() && {
  Merge& m = *merge_;
  if (m.next <= m.settings.shards)
    throw std::invalid_argument("shards " + std::to_string(m.next) + "/" + std::to_string(m.settings.shards) +
                                " onward are missing");
  return results_of(m.scenario, m.run, finish_run(m.run.model, m.run.settings, std::move(m.merger).finish()));
}

PartsMerge::PartsMerge(PartSource parts) : parts_(std::move(parts)) {
  if (parts_.count == 0) throw std::invalid_argument("no parts to merge");
  for (std::size_t i = 0; i < parts_.count; ++i) {
    // The first part checked whole, since its scenario is handed out; the others' settings only.
    const v1::RunPartial part = i == 0 ? io::parse_partial(parts_.bytes(i), parts_.name(i))
                                       : io::parse_part_header(parts_.bytes(i), parts_.name(i));
    if (i == 0) {
      scenario_ = part.scenario();
      fingerprint_ = part.scenario_sha256();
      settings_ = io::settings_of(part);
      part_of_shard_.assign(settings_.shards, parts_.count);
    }
    check_shard_of(part, parts_.name(i), fingerprint_, settings_);
    std::size_t& slot = part_of_shard_[part.shard() - 1];
    if (slot != parts_.count)
      throw std::invalid_argument(io::printable(parts_.name(i)) + ": " + shard_name(io::settings_of(part)) +
                                  " is given twice (" + io::printable(parts_.name(slot)) + " is it too)");
    slot = i;
  }
  std::string missing;
  int missing_count = 0;
  for (int k = 1; k <= settings_.shards; ++k)
    if (part_of_shard_[k - 1] == parts_.count && ++missing_count <= 20)
      missing += (missing.empty() ? "" : ", ") + std::to_string(k);
  if (missing_count > 20) missing += ", ... (" + std::to_string(missing_count) + " in all)";
  if (missing_count > 0)
    throw std::invalid_argument("shard(s) " + missing + " of " + std::to_string(settings_.shards) + " are missing");
}

v1::Results PartsMerge::results() const {
  ShardsInOrder in_order(scenario_, fingerprint_, settings_);
  for (const std::size_t i : part_of_shard_) in_order.add(parts_.bytes(i), parts_.name(i));
  return std::move(in_order).results();
}

v1::Results merge_parts(const std::vector<v1::RunPartial>& parts) {
  return PartsMerge({parts.size(), [&](std::size_t i) { return io::deterministic_bytes(parts[i]); },
                     [](std::size_t i) { return "part " + std::to_string(i + 1); }})
      .results();
}

SensitivityReport run_sensitivity(const v1::Scenario& scenario, const SensitivityRequest& request) {
  const Model model = compile(scenario);
  if (request.base < 16 || request.base > 1 << 20)
    throw std::invalid_argument("--base is " + std::to_string(request.base) + ", but must lie in [16, 1048576]");
  check_threads(request.threads);
  const Settings resolved = resolve(model, std::nullopt, request.horizon, request.seed);

  // Inputs: each uncertain dimension (named by its first quantity), the planning scenario, and
  // chance: the noise of the futures, which the rows of A and of B draw independently.
  SensitivityReport report;
  report.base = request.base;
  report.inputs = analysis_inputs(model).names;
  const int d = static_cast<int>(report.inputs.size());
  if (d == 0) throw std::invalid_argument("the scenario has no uncertain quantity to analyse");
  report.inputs.push_back(kChance);
  const int rand = kSensitivityRandomisations, n = std::max(2, request.base / rand);
  const int options = static_cast<int>(model.options.size()), matrices = d + 3;  // A, B, AB_i, AB_chance
  std::vector<std::vector<double>> points(rand);
  for (int r = 0; r < rand; ++r) points[r] = saltelli_points(n, d, resolved.seed, r);

  // Rows A (0), B (1), AB_i (2 .. d + 1) and AB_chance (d + 2), in the order they are evaluated.
  std::vector<int> matrix_order{0};
  for (int m = 2; m < d + 2; ++m) matrix_order.push_back(m);
  matrix_order.push_back(1);
  matrix_order.push_back(d + 2);
  // Scores of base point g = r n + j, matrix m, option o: [(g * matrices + m) * options + o].
  const std::int64_t bases = static_cast<std::int64_t>(rand) * n;
  std::vector<double> scores(static_cast<std::size_t>(bases) * matrices * options);
  const int threads = worker_threads(request.threads);
  tbb::task_arena arena(threads);
  arena.execute([&] {
    peacesim::parallel_for(
        tbb::blocked_range<std::int64_t>(0, bases), [&](const tbb::blocked_range<std::int64_t>& range) {
          std::vector<double> u(d);
          Future future(model, resolved.horizon, resolved.seed);
          const std::vector<Course> courses = every_option(options);
          std::vector<Outcome> outcomes(options);
          for (std::int64_t g = range.begin(); g < range.end(); ++g) {
            const int r = static_cast<int>(g / n), j = static_cast<int>(g % n);
            const double* a = &points[r][static_cast<std::size_t>(j) * 2 * d];
            // The rows with the noise of A (realisation 2g) first, then those with B's (2g + 1), so that
            // each base point draws its two noises once.
            for (int m : matrix_order) {
              for (int k = 0; k < d; ++k) u[k] = m == 1 ? a[d + k] : a[k];
              if (m >= 2 && m < d + 2) u[m - 2] = a[d + m - 2];
              future.draw(u, m == 1 || m == d + 2 ? 2 * g + 1 : 2 * g);
              future.simulate(courses, outcomes);
              for (int o = 0; o < options; ++o)
                scores[(static_cast<std::size_t>(g) * matrices + m) * options + o] = score(model, outcomes[o]);
            }
          }
        });
  });
  report.evaluations = bases * matrices;

  // The design's outputs for output f(o-scores of one row), per randomisation.
  auto outputs = [&](const std::function<double(const double*)>& f) {
    std::vector<SaltelliOutputs> out(rand);
    for (int r = 0; r < rand; ++r) {
      auto column = [&](int m) {
        std::vector<double> x(n);
        for (int j = 0; j < n; ++j) x[j] = f(&scores[(static_cast<std::size_t>(r * n + j) * matrices + m) * options]);
        return x;
      };
      out[r].f_a = column(0);
      out[r].f_b = column(1);
      for (int i = 0; i <= d; ++i) out[r].f_ab.push_back(column(2 + i));
    }
    return out;
  };
  std::vector<double> mean(options, 0.0);
  for (int o = 0; o < options; ++o) {
    report.outputs.push_back(model.options[o].id);
    const std::vector<SaltelliOutputs> out = outputs([o](const double* row) { return row[o]; });
    report.indices.push_back(sobol_indices(out));
    for (const auto& x : out)
      for (double v : x.f_a) mean[o] += v;
  }
  if (options >= 2) {
    std::vector<int> order(options);
    for (int o = 0; o < options; ++o) order[o] = o;
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return mean[x] > mean[y]; });
    int lead = order[0], second = order[1];
    if (request.pair)
      for (int o = 0; o < options; ++o) {
        if (model.options[o].id == request.pair->first) lead = o;
        if (model.options[o].id == request.pair->second) second = o;
      }
    report.outputs.push_back(model.options[lead].id + " - " + model.options[second].id);
    report.indices.push_back(
        sobol_indices(outputs([lead, second](const double* row) { return row[lead] - row[second]; })));
  }
  return report;
}

void require_brief_factors(const v1::Scenario& scenario) {
  const std::map<std::string, std::string> labels = factor_names(scenario);
  for (const std::string& name : analysis_inputs(compile(scenario)).names)
    if (describe_factor(name, labels).kind != FactorKind::kModel) return;
  throw std::invalid_argument(
      "--brief looks for the conditions under which the recommended option fails among the scenario's uncertain "
      "context and planning factors, and this scenario has none; declare some, or run without --brief");
}

void add_strategy_brief(const v1::Scenario& scenario, v1::Results& results, v1::RobustnessMetric rank_by, int threads) {
  std::string best;
  for (const auto& k : results.robustness())
    if (k.metric() == rank_by && k.option_ids_size() > 0) best = k.option_ids(0);
  DiscoveryRequest dq;
  dq.option = best;
  dq.horizon = results.provenance().horizon_months();
  dq.seed = results.provenance().seed();
  dq.threads = threads;
  const DiscoveryReport discovery = run_discovery(scenario, dq);
  SensitivityRequest sq;
  sq.base = 128;
  sq.horizon = dq.horizon;
  sq.seed = dq.seed;
  sq.threads = threads;
  // The same pair the brief names: the recommended option and its runner-up.
  for (const auto& k : results.robustness())
    if (k.metric() == rank_by && k.option_ids_size() > 1) sq.pair = std::pair{k.option_ids(0), k.option_ids(1)};
  const SensitivityReport sensitivity = run_sensitivity(scenario, sq);
  io::add_brief(results, compile(scenario), rank_by, &discovery, &sensitivity);
}

DiscoveryReport run_discovery(const v1::Scenario& scenario, const DiscoveryRequest& request) {
  const Model model = compile(scenario);
  if (request.runs < 100 || request.runs > 1000000)
    throw std::invalid_argument("--runs is " + std::to_string(request.runs) +
                                ", but must lie in [100, 1000000] for discovery");
  check_threads(request.threads);
  const Settings resolved = resolve(model, request.runs, request.horizon, request.seed);
  int option = -1;
  for (std::size_t o = 0; o < model.options.size(); ++o)
    if (model.options[o].id == request.option) option = static_cast<int>(o);
  if (option < 0 && !request.option.empty()) {
    std::string ids;
    for (const auto& o : model.options) ids += (ids.empty() ? "" : ", ") + o.id;
    throw std::invalid_argument("--option " + request.option +
                                " is not an option of the scenario; expected one of: " + ids);
  }
  if (option < 0) {  // the leading option by expected score, from a quick run
    RunRequest q;
    q.runs = std::min<std::int64_t>(request.runs, 2000);
    q.horizon = resolved.horizon;
    q.seed = resolved.seed;
    q.threads = request.threads;
    const v1::Results r = run_scenario(scenario, q);
    for (std::size_t o = 0; o < model.options.size(); ++o)
      if (model.options[o].id == r.ranking(0)) option = static_cast<int>(o);
  }

  DiscoveryReport report;
  report.option = model.options[option].id;
  report.failure = failure_text(request.threshold, resolved.horizon);
  const AnalysisInputs in = analysis_inputs(model);
  for (const auto& p : model.planning_scenarios) report.planning_scenarios.push_back(p.id);
  const int d = static_cast<int>(in.names.size());
  if (d == 0) throw std::invalid_argument("the scenario has no uncertain quantity to discover with");

  const std::int64_t n = request.runs;
  std::vector<double> x(static_cast<std::size_t>(n) * d);
  std::vector<char> failed(n, 0);
  // Conditions for involvement (IMPP): host consent, regional backing, force generation on time and
  // funding, each an event of the future (the last two against the option's median planning figures).
  const OptionSpec& spec = model.options[option];
  auto median = [&](int q) { return nominal(model.quantities[q].base); };
  const double troops = median(spec.troops), deployment = median(spec.deployment), budget = median(spec.budget);
  bool regional = false;
  for (const auto& a : model.actors) regional = regional || a.kind == kActorKindRegionalState;
  bool consent = false;
  for (const auto& a : model.actors) consent = consent || a.holds_consent;
  // Then the conditions the scenario declares, each as drawn.
  enum { kConsent, kRegional, kForce, kFunding, kObserved };
  const int conditions = kObserved + static_cast<int>(model.conditions.size());
  std::vector<signed char> events(static_cast<std::size_t>(n) * conditions);  // 1 holds, 0 not, -1 not applicable
  const Sampler sampler(model, resolved.seed, n);
  const int threads = worker_threads(request.threads);
  tbb::task_arena arena(threads);
  arena.execute([&] {
    peacesim::parallel_for(
        tbb::blocked_range<std::int64_t>(0, n, 64), [&](const tbb::blocked_range<std::int64_t>& range) {
          Future future(model, resolved.horizon, resolved.seed);
          Outcome outcome;
          for (std::int64_t i = range.begin(); i < range.end(); ++i) {
            future.draw(sampler, i);
            future.simulate(option, outcome);
            failed[i] = request.threshold ? score(model, outcome) < *request.threshold : outcome.relapse_month > 0;
            input_row(in, future.theta(), future.planning_scenario(), &x[static_cast<std::size_t>(i) * d]);
            const OptionPlan& plan = future.params().options[option];
            signed char* e = &events[static_cast<std::size_t>(i) * conditions];
            e[kConsent] = consent ? outcome.consent_held : -1;
            e[kRegional] = regional ? outcome.regional_support_min >= 0.4 : -1;
            e[kForce] = troops > 0 ? plan.troops >= 0.9 * troops && plan.deployment_months <= deployment : -1;
            e[kFunding] = budget > 0 ? plan.budget_per_month * 12 >= 0.9 * budget : -1;
            for (std::size_t c = 0; c < model.conditions.size(); ++c)
              e[kObserved + c] = future.theta()[model.conditions[c].holds] >= 0.5;
          }
        });
  });
  std::vector<std::string> names = {
      "Host consent holds: every consent holder stays above the consent threshold in every month",
      "Regional backing holds: no regional state's support for the process falls below 0.4",
      "Force generation on time: at least 90% of the median troop figure, at full strength no later than planned",
      "Funding: at least 90% of the median programme budget"};
  for (const ConditionSpec& c : model.conditions) names.push_back(c.name + " (declared)");
  // An observed event that splits the futures exactly as a declared condition does is a repeat.
  auto repeats_a_declared = [&](int c) {
    for (int declared = kObserved; declared < conditions && c < kObserved; ++declared) {
      bool same = true;
      for (std::int64_t i = 0; i < n && same; ++i)
        same = events[static_cast<std::size_t>(i) * conditions + c] ==
               events[static_cast<std::size_t>(i) * conditions + declared];
      if (same) return true;
    }
    return false;
  };
  for (int c = 0; c < conditions; ++c) {
    if (repeats_a_declared(c)) continue;
    DiscoveryReport::Condition k;
    k.name = names[c];
    for (std::int64_t i = 0; i < n; ++i) {
      const signed char e = events[static_cast<std::size_t>(i) * conditions + c];
      if (e < 0) continue;
      const bool ok = !failed[i];
      if (e == 1) {
        ++k.holds;
        k.success_when_holds += ok;
      } else {
        ++k.fails;
        k.success_when_fails += ok;
      }
    }
    if (k.holds + k.fails > 0) report.conditions.push_back(k);
  }
  const std::vector<double> searched = searched_factors(report, in.names, x, scenario, request.model_factors);
  arena.execute([&] {
    analyse_failures(report, searched, std::vector<bool>(failed.begin(), failed.end()), request.replicates,
                     resolved.seed);
  });
  return report;
}

DiscoveryReport discover_in_results(const v1::Results& results, const std::string& option,
                                    std::optional<double> threshold, int replicates, bool model_factors, int threads) {
  check_threads(threads);
  const v1::DiscoverySample& s = results.sample();
  if (s.rows() == 0)
    throw std::invalid_argument(
        "the results hold no per-realisation sample; write them with 'peacesim run --sample N'");
  const std::string wanted = !option.empty() ? option : results.ranking_size() > 0 ? results.ranking(0) : "";
  const auto at = std::find(s.options().begin(), s.options().end(), wanted);
  if (at == s.options().end()) throw std::invalid_argument("--option " + wanted + " is not an option of the results");
  const int o = static_cast<int>(at - s.options().begin());
  DiscoveryReport report;
  report.option = wanted;
  report.failure = failure_text(threshold, results.provenance().horizon_months());
  report.planning_scenarios.assign(s.planning_scenarios().begin(), s.planning_scenarios().end());
  const std::vector<double> x =
      searched_factors(report, {s.inputs().begin(), s.inputs().end()}, {s.values().begin(), s.values().end()},
                       results.scenario(), model_factors);
  std::vector<bool> fail(s.rows());
  const int no = s.options_size();
  for (int i = 0; i < s.rows(); ++i) fail[i] = threshold ? s.scores(i * no + o) < *threshold : s.relapse(i * no + o);
  tbb::task_arena arena(worker_threads(threads));
  arena.execute([&] { analyse_failures(report, x, fail, replicates, results.provenance().seed()); });
  return report;
}

}  // namespace peacesim
