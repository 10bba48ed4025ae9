// The whole analysis for one validated scenario: compile, apply the run settings, simulate every
// option on every realisation, and summarise as a peacesim.v1.Results message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/discovery.h"
#include "engine/factors.h"
#include "engine/io/partial_io.h"
#include "engine/sensitivity.h"
#include "peacesim/v1/partial.pb.h"
#include "peacesim/v1/results.pb.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim {

struct RunRequest {
  std::optional<std::int64_t> runs;   // default: the scenario's simulation.runs, else 10,000
  std::optional<int> horizon;         // months; default: the scenario's, else 60
  std::optional<std::uint64_t> seed;  // default: the scenario's, else 1
  int threads = 0;                    // 0 = all cores
  double hurwicz_alpha = 0.5;         // weight of the worst case in the Hurwicz metric, [0, 1]
  // Stop once the leading option is settled (runs is then the cap; Monte Carlo or Sobol' only).
  bool until_settled = false;
  // Keep the input row, scores and relapse of the first `sample` realisations (for discovery
  // from the results file); 0 keeps none. At most 100,000.
  std::int64_t sample = 0;
  std::function<void(std::int64_t done, std::int64_t total)> progress;
  // Only shard `shard` of `shards` (1-based; see run_part): an even, block-aligned share.
  int shard = 1, shards = 1;
  // A checkpoint of this very run (io::read_partial) to carry on from; the results are the same
  // bytes as an uninterrupted run's.
  const v1::RunPartial* resume = nullptr;
  // checkpoint_due() is asked before each block is issued (from a worker thread), except the first
  // of the run and the first after a checkpoint; each yes is acted on: the blocks in flight are
  // merged and checkpoint() receives the run so far (its blocks from the shard's first), as the
  // bytes of a part (io::partial_bytes; io::parse_partial reads them).
  std::function<bool()> checkpoint_due;
  std::function<void(const std::string&)> checkpoint;
  // Write every future of the run (or shard) to this file, one record each (io/stream_io.h).
  std::string stream;
};

// The request of the run a part (a shard, or a checkpoint) is of: its runs, horizon, seed, Hurwicz
// alpha, sample, until-settled and shard; nothing to resume from, all cores.
RunRequest request_of(const v1::RunPartial& part);

// Throws std::invalid_argument for settings out of their documented ranges.
v1::Results run_scenario(const v1::Scenario& scenario, const RunRequest& request);

// The request's shard of the run, unsummarised, for PartsMerge: the bytes of its part
// (io::partial_bytes), as `peacesim run --shard` writes them.
std::string run_part(const v1::Scenario& scenario, const RunRequest& request);

// The parts of a run, read one at a time: `count` of them, the bytes of part i (a partial file's,
// unchecked) read by `bytes(i)` each time they are needed, and named in messages by `name(i)`.
struct PartSource {
  std::size_t count = 0;
  std::function<std::string(std::size_t)> bytes, name;
};

// The parts of a run added one at a time in shard order, each checked whole (io::parse_partial) and
// its state added in: how PartsMerge adds the parts up, and how rank 0 of an MPI launch merges the
// parts its ranks send in turn, holding one at a time. The parts must be of the run given: its
// scenario, that scenario's fingerprint and the settings of one of its shards (from any part's
// header, io::parse_part_header). Throws as prepare_run does for settings out of range.
class ShardsInOrder {
 public:
  ShardsInOrder(v1::Scenario scenario, std::string fingerprint, io::PartSettings settings);
  ShardsInOrder(ShardsInOrder&&) noexcept;
  ~ShardsInOrder();
  // Adds the next shard's part, `bytes`, named `name` in messages. Throws io::InputError when the
  // bytes are not a part, and std::invalid_argument, naming the shards, when the part is of another
  // run, unfinished, or not the next shard.
  void add(std::string_view bytes, const std::string& name);
  // Throws std::invalid_argument unless every shard was added.
  v1::Results results() &&;

 private:
  struct Merge;
  std::unique_ptr<Merge> merge_;
};

// The results of a run from all its shards, in any order: the same bytes as run_scenario gives for
// the whole run, holding one part at a time. The constructor reads every part's settings
// (io::parse_part_header; the first part whole, since its scenario() is handed out) to check that
// they are the shards of one run; results() reads the parts again and adds them up in shard order
// (ShardsInOrder). Both throw io::InputError naming a part that is not a part of a run, and
// std::invalid_argument, naming the shards, when the parts are of different runs, some are missing
// or repeated, or a part is no longer the same finished shard at the second reading.
class PartsMerge {
 public:
  explicit PartsMerge(PartSource parts);
  const v1::Scenario& scenario() const { return scenario_; }  // the scenario the parts ran
  v1::Results results() const;

 private:
  PartSource parts_;
  v1::Scenario scenario_;
  std::string fingerprint_;
  io::PartSettings settings_;               // of the first part read
  std::vector<std::size_t> part_of_shard_;  // [k - 1]: the index of shard k's part
};

// PartsMerge of parts held in memory (for tests and the fuzz targets).
v1::Results merge_parts(const std::vector<v1::RunPartial>& parts);

// Independent randomisations of the sensitivity design (their spread gives the intervals), and the
// name of the input that stands for the futures' noise.
inline constexpr int kSensitivityRandomisations = 8;
inline constexpr const char* kChance = "chance";

struct SensitivityRequest {
  int base = 256;                     // N base points in all, split over the randomisations (N (d + 3) realisations)
  std::optional<int> horizon;         // months; default: the scenario's
  std::optional<std::uint64_t> seed;  // default: the scenario's
  int threads = 0;
  // The pair of options whose score difference is analysed (lead, runner-up); default: the two
  // leading options by mean score in this design.
  std::optional<std::pair<std::string, std::string>> pair;
};

// Sobol' indices of every uncertain quantity (and of the planning scenario drawn, when there
// are several, and of the futures' own noise, 'chance') on each option's score and on the score
// difference between the two leading options. Every option of a realisation shares its noise
// (common random numbers); the noise is an input of the design like the others. The report is
// engine/sensitivity.h's SensitivityReport.
SensitivityReport run_sensitivity(const v1::Scenario& scenario, const SensitivityRequest& request);

struct DiscoveryRequest {
  std::string option;               // option id; default: the leading option by expected score
  std::int64_t runs = 5000;         // realisations sampled
  std::optional<double> threshold;  // failure: score below it; default: relapse to war
  std::optional<int> horizon;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  int replicates = 10;  // bootstrap resamples for the stability of the restrictions
  // Also search over the engine's constants and effect sizes (model factors, e.g.
  // dynamics.base_risk); by default only context and planning factors, which planners can observe
  // or decide, form the conditions.
  bool model_factors = false;
};

// Scenario discovery (PRIM) on the realisations where the option fails. Inputs are the uncertain
// quantities (each dimension named and valued by its first quantity) and, when there are several,
// the planning scenario (valued by its index). The report is engine/discovery.h's DiscoveryReport.
DiscoveryReport run_discovery(const v1::Scenario& scenario, const DiscoveryRequest& request);

// Scenario discovery on the per-realisation sample a run stored (peacesim run --sample N). The
// default option is the one ranked first by expected score. `threads`: the search's worker threads,
// 0 for all cores (the report does not depend on it).
DiscoveryReport discover_in_results(const v1::Results& results, const std::string& option,
                                    std::optional<double> threshold, int replicates = 10, bool model_factors = false,
                                    int threads = 0);

// Adds the strategy brief to `results` (a run of `scenario`): the option first by `rank_by`, the
// conditions under which it fails (scenario discovery on 5,000 futures) and what decides between
// the first two options (Sobol' indices, 128 base points), with the run's seed and horizon.
void add_strategy_brief(const v1::Scenario& scenario, v1::Results& results, v1::RobustnessMetric rank_by, int threads);
// Throws unless `scenario` has an uncertain context or planning factor, among which the brief looks
// for the conditions of failure: checked before a run with --brief, not after it.
void require_brief_factors(const v1::Scenario& scenario);

}  // namespace peacesim
