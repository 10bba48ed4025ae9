// The engine's parallel Monte Carlo: realisations x options on oneTBB.
//
// Realisations are cut into fixed blocks of kBlockSize. Blocks go through a pipeline (issued in
// order, run in parallel, merged in order; no barrier between them); each block fills its own
// floating-point partial sums, while integer counts (histograms, relapse months,
// regimes) go to per-thread tallies summed exactly. The block sums are combined along one fixed
// binary tree over block indices (pairwise summation): node (level k, index j) holds blocks
// [j 2^k, (j + 1) 2^k) and is the merge of its two children, left then right; the total is the
// merge, left to right, of the largest such runs that tile [0, blocks). The tree depends only on the
// number of blocks, so results are the same bytes for any thread count, any split into shards or
// MPI ranks, and any resumed run; and memory is bounded by options x planning scenarios x months x
// bins, not by the number of realisations.
#pragma once

#include <oneapi/tbb/task_arena.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/future.h"
#include "engine/model.h"
#include "engine/stats.h"
#include "engine/weights.h"

namespace peacesim {

inline constexpr int kBlockSize = 256;
inline constexpr int kMaxFanPoints = 121;
inline constexpr int kSettleCheckBlocks = 8;      // 2,048 realisations between checks of --until-settled
inline constexpr int kBootstrapReplicates = 200;  // Poisson bootstrap replicates of the overall ranking

// Worker threads for `requested` (0 = all cores).
inline int worker_threads(int requested) { return requested > 0 ? requested : tbb::this_task_arena::max_concurrency(); }

struct RunState;

// The futures of one block, for a stream of every future (peacesim run --stream).
struct FutureRows {
  std::int64_t first = 0;  // realisation of row 0
  int count = 0, width = 0, options = 0;
  std::vector<double> inputs;                 // [i * width + k]: analysis_inputs() values
  std::vector<int> planning_scenario;         // [i]
  std::vector<double> scores;                 // [i * options + o]
  std::vector<int> relapse_month;             // [i * options + o]; 0 when none
  std::vector<double> metrics;                // [(i * options + o) * kMetricCount + m]
  int benchmarks = 0;                         // of the results framework
  std::vector<std::uint64_t> benchmarks_met;  // [i * options + o]: bit b set when benchmark b is met
};

struct RunSettings {
  std::int64_t runs = 10000;
  int horizon = 60;
  std::uint64_t seed = 1;
  int threads = 0;  // 0 = all cores
  // Stop early, at a checkpoint every kSettleCheckBlocks blocks, once the leading option is
  // settled (see RunTotals::settled_by); `runs` is then the cap.
  bool until_settled = false;
  std::int64_t sample = 0;  // keep the rows of the first `sample` realisations (see RunTotals)
  // Only the blocks [first_block, end_block) of the run (a shard); end_block -1 = to the last.
  std::int64_t first_block = 0, end_block = -1;
  // checkpoint_due() is asked before each block is issued (from a worker thread), except the first
  // of the run and the first after a checkpoint; each yes is acted on: the blocks in flight are
  // merged and checkpoint() receives the state, from the calling thread.
  std::function<bool()> checkpoint_due;
  std::function<void(const RunState&)> checkpoint;
  // Every future, block by block in realisation order, as each block is merged (from whichever
  // thread merges it; never two calls at once).
  std::function<void(const FutureRows&)> stream;
  // Called as each block is merged (from whichever thread merges it; never two calls at once).
  std::function<void(std::int64_t done, std::int64_t total)> progress;
  // Where realisation i's future comes from (default: realisation i of the model's design), and
  // the course option o follows in it (default: o's plan from month 0). Both are called from the
  // worker threads and must be pure functions of their arguments.
  std::function<void(std::int64_t i, Future& future)> draw;
  std::function<Course(int option)> course;
};

// Scales of the histograms.
const Scale& score_scale();   // [0, 1], 2,000 bins
const Scale& metric_scale();  // log, 1e-3 .. 1e13, 100 bins per decade
const Scale& fan_scale(int indicator);
int fan_bins();  // width of one fan histogram slot (the largest fan scale)

// Statistics of one option in one group (group 0 = all realisations, 1 + p = planning scenario p).
struct EvaluationTotals {
  Moments score, regret, vs_baseline;
  double best_share = 0;  // sum over realisations of the option's share of "best"
  std::uint64_t satisficed = 0;
  std::array<Moments, kMetricCount> metrics;
  std::vector<std::uint32_t> score_hist, regret_hist;  // score_scale()
  std::vector<std::uint64_t> first_war;                // [t]: realisations whose first war month is t (1..H)
  std::vector<std::uint64_t> benchmark_met;            // [b]: realisations meeting benchmark b
};

// Where fan-chart and regime counts of (option, group, indicator, month) live in flat arrays.
// Groups with fan charts are all groups, or only the overall one when they would not fit in memory.
struct TrajectoryLayout {
  int options = 0, fan_groups = 0, points = 0, horizon = 0, bins = 0;

  std::size_t fan_cells() const { return static_cast<std::size_t>(options) * fan_groups * kIndicatorCount * points; }
  std::size_t fan_cell(int option, int group, int indicator, int point) const {
    return ((static_cast<std::size_t>(option) * fan_groups + group) * kIndicatorCount + indicator) * points + point;
  }
  // Fan histogram counts of each (option, group, indicator) by bin, then point: a path's value
  // moves little from month to month, so its counts fall on a few cache lines instead of one per
  // month. The bins of one cell are `points` apart.
  std::size_t fan_counts() const { return fan_cells() * bins; }
  std::size_t fan_count(int option, int group, int indicator, int bin, int point) const {
    return fan_cell(option, group, indicator, 0) * bins + static_cast<std::size_t>(bin) * points + point;
  }
  std::size_t regime_cells() const { return static_cast<std::size_t>(options) * fan_groups * (horizon + 1) * 4; }
  std::size_t regime_cell(int option, int group, int month) const {
    return ((static_cast<std::size_t>(option) * fan_groups + group) * (horizon + 1) + month) * 4;
  }
};

struct RunTotals {
  int options = 0, groups = 0, horizon = 0;
  std::int64_t realisations = 0;  // run; fewer than requested when the run stopped once settled
  bool settled = false;           // with until_settled: whether a stopping rule was met
  std::string settled_by;         // which rule, in words
  // Paired differences of scores over all realisations: [a * options + b] = score_a - score_b, a < b.
  std::vector<Moments> pairwise;
  // Poisson bootstrap (Hanley & MacGibbon 2006): replicate b weights realisation i by
  // w ~ Poisson(1) drawn from (seed, i, kBootstrap, 0, b), the same for every option (paired).
  std::vector<double> boot_weight;  // [b]: sum of weights
  std::vector<double> boot_score;   // [b * options + o]: sum of w * score
  std::vector<double> boot_best;    // [b * options + o]: sum of w * share of best
  // Value judgements: each option's criterion values, and SMAA-2 counts when the weights are
  // declared uncertain (kWeightDrawsPerFuture draws per future; see weights.h).
  std::vector<Moments> criterion_values;  // [o * criteria + c], over all futures
  AcceptabilityTally acceptability;
  // The first settings.sample realisations: input rows (analysis_inputs), scores and relapse.
  std::int64_t sample_rows = 0;
  std::vector<double> sample_values;         // [i * inputs + k]
  std::vector<double> sample_scores;         // [i * options + o]
  std::vector<std::uint8_t> sample_relapse;  // [i * options + o]
  TrajectoryLayout trajectories;
  std::vector<int> fan_months;                // months sampled by fan charts
  std::vector<EvaluationTotals> evaluations;  // [o * groups + g]
  std::vector<std::uint32_t> metric_hist;     // [(o * kMetricCount + m) * metric_scale().size() + b], group 0
  std::vector<std::uint32_t> fan_hist;        // [trajectories.fan_count(o, g, i, b, p)]
  std::vector<double> fan_sum;                // [trajectories.fan_cell(o, g, i, p)]
  std::vector<std::uint64_t> regimes;         // [trajectories.regime_cell(o, g, t) + regime]

  const EvaluationTotals& evaluation(int option, int group) const { return evaluations[option * groups + group]; }
};

// The mergeable state of a run over the blocks [first_block, end_block): what a shard, an MPI rank
// or a checkpoint holds. Plain numbers, so the edge can store it and check what it reads.
struct RunState {
  std::int64_t first_block = 0, end_block = 0;
  // The tree nodes the blocks have formed so far (see above), in block order: each the block sums
  // of blocks [index 2^level, (index + 1) 2^level), flattened (state_shape().node_values values).
  struct Node {
    int level = 0;
    std::int64_t index = 0;
    std::vector<double> values;
  };
  std::vector<Node> nodes;
  std::vector<std::uint64_t> counts;  // the integer tallies, flattened (state_shape().counts)
  // Sample rows of the realisations [first_block * kBlockSize, ...) below settings.sample.
  std::vector<double> sample_values, sample_scores;
  std::vector<std::uint8_t> sample_relapse;
  std::string settled_by;  // with until_settled: the rule met, when the run stopped early
};

// Blocks of a run of `runs` realisations, and the blocks of shard k of n (0 <= k < n): an even,
// block-aligned split.
inline std::int64_t block_count(std::int64_t runs) { return (runs + kBlockSize - 1) / kBlockSize; }
inline std::pair<std::int64_t, std::int64_t> shard_blocks(std::int64_t runs, int k, int n) {
  const std::int64_t blocks = block_count(runs);
  return {blocks * k / n, blocks * (k + 1) / n};
}

// The sizes a state of `model` over `horizon` months must have.
struct StateShape {
  std::size_t node_values = 0, counts = 0, sample_width = 0;
  int options = 0;
};
StateShape state_shape(const Model& model, int horizon);

// Throws std::invalid_argument, in words, when `state` cannot be a state of this run: sizes, tree
// nodes that do not tile its blocks, counts above its realisations, or sums of a wrong count.
void check_state(const Model& model, const RunSettings& settings, const RunState& state);

// Runs the blocks [settings.first_block, settings.end_block), carrying on from `resume` when it is
// given (a checked state whose blocks start at first_block).
RunState run_blocks(const Model& model, const RunSettings& settings, const RunState* resume = nullptr);

// The states of adjacent block ranges, added up one at a time in block order (checked states), so
// that the parts of a run need not all be held at once.
class StateMerger {
 public:
  StateMerger(const Model& model, const RunSettings& settings);
  StateMerger(StateMerger&&) noexcept;
  ~StateMerger();
  // Throws std::invalid_argument when `part` does not start where the states added so far end.
  void add(RunState part);
  // The states added, as one (an empty state when none was).
  RunState finish() &&;

 private:
  struct Sums;
  std::unique_ptr<Sums> sums_;
};

// The totals of a state over all the run's blocks (or fewer when it settled). Takes the state, so
// that its counts are freed before the totals are laid out.
RunTotals finish_run(const Model& model, const RunSettings& settings, RunState state);

// Runs every option on `settings.runs` realisations of `model` (carrying on from `resume` when it
// is given): run_blocks and finish_run in one, without the flat state between them.
RunTotals run(const Model& model, const RunSettings& settings, const RunState* resume = nullptr);

}  // namespace peacesim
