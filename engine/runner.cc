// Parallel Monte Carlo with deterministic merging; see runner.h.
#include "engine/runner.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <new>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>

#include "engine/future.h"
#include "engine/parallel.h"
#include "engine/realisation.h"
#include "engine/rng.h"
#include "engine/scoring.h"
#include "engine/world.h"

namespace peacesim {

const Scale& score_scale() {
  static const Scale s = Scale::linear(0, 1, 2000);
  return s;
}

const Scale& metric_scale() {
  static const Scale s = Scale::log(1e-3, 1e13, 100);
  return s;
}

const Scale& fan_scale(int indicator) {
  static const Scale counts = Scale::log(1e-1, 1e8, 20);
  static const Scale shares = Scale::linear(0, 1, 100);
  static const Scale intensity = Scale::linear(-1.5, 2.5, 100);
  static const Scale strength = Scale::linear(0, 2, 100);
  switch (static_cast<Indicator>(indicator)) {
    case Indicator::kConflictIntensity:
      return intensity;
    case Indicator::kArmedStrength:
      return strength;
    case Indicator::kWomenParticipation:
    case Indicator::kWomenRepresentation:
    case Indicator::kGbv:
      return shares;
    default:
      return counts;
  }
}

int fan_bins() {
  static const int n = [] {
    int m = 0;
    for (int i = 0; i < kIndicatorCount; ++i) m = std::max(m, fan_scale(i).size());
    return m;
  }();
  return n;
}

namespace {

// An allocator for large tables touched at random (histograms): 2 MiB-aligned and advised to use
// transparent huge pages, which removes most TLB misses of the histogram updates.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(std::size_t n) {
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    const std::size_t bytes = (n * sizeof(T) + kHuge - 1) / kHuge * kHuge;
    void* p = std::aligned_alloc(kHuge, bytes);
    if (p == nullptr) throw std::bad_alloc();
    ::madvise(p, bytes, MADV_HUGEPAGE);
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) { std::free(p); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

// Floating-point partial sums of one block, merged in block order.
struct BlockPartial {
  struct Evaluation {
    Moments score, regret, vs_baseline;
    double best_share = 0;
    std::array<Moments, kMetricCount> metrics;
  };
  std::vector<Evaluation> evaluations;  // [o * groups + g]
  std::vector<double> fan_sum;
  std::vector<Moments> pairwise;  // [a * options + b], a < b
  std::vector<double> boot_weight, boot_score, boot_best;
  std::vector<Moments> criterion_values;  // [o * criteria + c]
  AcceptabilityTally acceptability;

  void reset(std::size_t evaluations_size, std::size_t fan_size, std::size_t options, std::size_t criteria) {
    criterion_values.assign(options * criteria, Moments{});
    acceptability = AcceptabilityTally(static_cast<int>(options), static_cast<int>(criteria));
    evaluations.assign(evaluations_size, Evaluation{});
    fan_sum.assign(fan_size, 0.0);
    pairwise.assign(options * options, Moments{});
    boot_weight.assign(kBootstrapReplicates, 0.0);
    boot_score.assign(kBootstrapReplicates * options, 0.0);
    boot_best.assign(kBootstrapReplicates * options, 0.0);
  }

  // Adds the sums of `o`, the blocks just after these.
  void merge(const BlockPartial& o) {
    for (std::size_t e = 0; e < evaluations.size(); ++e) {
      Evaluation& t = evaluations[e];
      const Evaluation& x = o.evaluations[e];
      t.score.merge(x.score);
      t.regret.merge(x.regret);
      t.vs_baseline.merge(x.vs_baseline);
      t.best_share += x.best_share;
      for (int m = 0; m < kMetricCount; ++m) t.metrics[m].merge(x.metrics[m]);
    }
    add(fan_sum, o.fan_sum);
    for (std::size_t k = 0; k < pairwise.size(); ++k) pairwise[k].merge(o.pairwise[k]);
    add(boot_weight, o.boot_weight);
    add(boot_score, o.boot_score);
    add(boot_best, o.boot_best);
    for (std::size_t k = 0; k < criterion_values.size(); ++k) criterion_values[k].merge(o.criterion_values[k]);
    acceptability.merge(o.acceptability);
  }

  // Calls f(double&) on every floating-point sum and f(std::int64_t&) on every count, always in
  // the same order: the flat form of a state.
  template <typename F>
  void each(F&& f) {
    auto moments = [&](Moments& m) {
      f(m.n);
      f(m.mean);
      f(m.m2);
      f(m.min);
      f(m.max);
    };
    for (Evaluation& e : evaluations) {
      moments(e.score);
      moments(e.regret);
      moments(e.vs_baseline);
      f(e.best_share);
      for (Moments& m : e.metrics) moments(m);
    }
    for (double& x : fan_sum) f(x);
    for (Moments& m : pairwise) moments(m);
    for (auto* v : {&boot_weight, &boot_score, &boot_best})
      for (double& x : *v) f(x);
    for (Moments& m : criterion_values) moments(m);
    f(acceptability.draws);
    for (double& x : acceptability.rank) f(x);
    for (double& x : acceptability.central) f(x);
  }

 private:
  static void add(std::vector<double>& total, const std::vector<double>& part) {
    for (std::size_t k = 0; k < total.size(); ++k) total[k] += part[k];
  }
};

// The fixed binary tree over block indices (see runner.h). Nodes are pushed in block order; a node
// whose left sibling is the last one held merges with it, and so on up.
class BlockFold {
 public:
  struct Node {
    int level = 0;
    std::int64_t index = 0;
    BlockPartial sums;
  };

  void push(int level, std::int64_t index, BlockPartial&& sums) {
    while (!nodes_.empty() && index % 2 == 1 && nodes_.back().level == level && nodes_.back().index == index - 1) {
      nodes_.back().sums.merge(sums);
      sums = std::move(nodes_.back().sums);
      nodes_.pop_back();
      ++level;
      index /= 2;
    }
    nodes_.push_back({level, index, std::move(sums)});
  }
  // The merge of the nodes held, left to right.
  BlockPartial total() const {
    BlockPartial t = nodes_.front().sums;
    for (std::size_t k = 1; k < nodes_.size(); ++k) t.merge(nodes_[k].sums);
    return t;
  }
  const std::vector<Node>& nodes() const { return nodes_; }
  bool empty() const { return nodes_.empty(); }

 private:
  std::vector<Node> nodes_;
};

// Integer counts of one thread; summed exactly in any order. Fan-chart counts are 16-bit, to keep
// the per-thread tables small enough to stay in cache; they are flushed into the run's counts
// (FanCounts) before any cell can pass 65,535 (each realisation adds at most one to a cell).
struct Tally {
  std::vector<std::uint64_t> satisficed;  // [o * groups + g]
  std::vector<std::uint32_t> score_hist;  // [(o * groups + g) * S + b]
  std::vector<std::uint32_t> regret_hist;
  std::vector<std::uint64_t> first_war;  // [(o * groups + g) * (H + 1) + t]
  std::vector<std::uint32_t> metric_hist;
  std::vector<std::uint16_t, HugePageAllocator<std::uint16_t>> fan_hist;  // [stored.fan_count(...)]
  std::uint32_t since_flush = 0;                                          // realisations counted in fan_hist
  std::vector<std::uint64_t> regimes;                                     // [stored.regime_cell(...) + regime]
  std::vector<std::uint64_t> benchmark_met;                               // [(o * groups + g) * B + b]

  // The counts other than the fan chart's, in the order of a state's flat counts.
  std::array<std::vector<std::uint64_t>*, 4> wide() { return {&satisficed, &first_war, &regimes, &benchmark_met}; }
  std::array<std::vector<std::uint32_t>*, 3> narrow() { return {&score_hist, &regret_hist, &metric_hist}; }
};

// Where threads flush their fan-chart counts as they run blocks: the run's counts, added to under a
// lock (when a pass of blocks ends, the run moves what is left in the threads' tables there itself).
struct FanCounts {
  explicit FanCounts(std::vector<std::uint32_t>& into) : hist(into) {}
  std::mutex mutex;
  std::vector<std::uint32_t>& hist;

  void flush(Tally& t) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      for (std::size_t k = 0; k < hist.size(); ++k) hist[k] += t.fan_hist[k];
    }
    std::fill(t.fan_hist.begin(), t.fan_hist.end(), 0);
    t.since_flush = 0;
  }
};

struct Layout {
  int options, groups, horizon, points, fan_bins, score_bins, metric_bins;
  int benchmarks;  // of the results framework
  std::vector<int> fan_months;
  std::vector<int> fan_point_of_month;  // -1 when the month is not sampled
  bool every_month = false;             // every month is a point: fan_months[p] = p
  std::array<const Scale*, kIndicatorCount> fan_scales{};
  const Scale* score = nullptr;
  const Scale* metric = nullptr;

  std::size_t evaluations() const { return static_cast<std::size_t>(options) * groups; }
  // Fan charts and regimes are counted per planning scenario when they fit (the overall ones are
  // their sums), else only overall: `stored` is the layout counted, `trajectories` the one reported.
  bool per_scenario = false;
  TrajectoryLayout stored, trajectories;
  int stored_group(int planning_scenario) const { return per_scenario ? planning_scenario : 0; }

  // The sizes of a tally's counts besides the fan chart's, in the order of Tally::wide(), then
  // Tally::narrow(): the order of a state's flat counts, which end with the fan chart's.
  std::array<std::size_t, 7> count_sizes() const {
    const std::size_t e = evaluations();
    return {e,
            e * (horizon + 1),
            stored.regime_cells(),
            e * benchmarks,
            e * score_bins,
            e * score_bins,
            static_cast<std::size_t>(options) * kMetricCount * metric_bins};
  }
  std::size_t flat_counts() const {
    const auto sizes = count_sizes();
    return std::accumulate(sizes.begin(), sizes.end(), stored.fan_counts());
  }

  // A thread's tally; the merged one has no fan table (the run's fan counts are Counts::fan).
  Tally make_tally(bool fans = true) const {
    Tally t;
    const auto sizes = count_sizes();
    std::size_t k = 0;
    for (auto* counts : t.wide()) counts->assign(sizes[k++], 0);
    for (auto* counts : t.narrow()) counts->assign(sizes[k++], 0);
    if (fans) t.fan_hist.assign(stored.fan_counts(), 0);
    return t;
  }
};

Layout make_layout(const Model& model, int horizon) {
  Layout l;
  l.options = static_cast<int>(model.options.size());
  l.groups = 1 + static_cast<int>(model.planning_scenarios.size());
  l.horizon = horizon;
  l.benchmarks = static_cast<int>(model.benchmarks.size());
  l.points = std::min(horizon + 1, kMaxFanPoints);
  l.fan_bins = fan_bins();
  l.score_bins = score_scale().size();
  l.metric_bins = metric_scale().size();
  for (int i = 0; i < kIndicatorCount; ++i) l.fan_scales[i] = &fan_scale(i);
  l.score = &score_scale();
  l.metric = &metric_scale();
  // Per planning scenario unless their 16-bit histograms would exceed kFanBudget bytes per thread.
  constexpr std::size_t kFanBudget = std::size_t{64} << 20;
  const int scenarios = l.groups - 1;
  const std::size_t per_group = static_cast<std::size_t>(l.options) * kIndicatorCount * l.points * l.fan_bins * 2;
  l.per_scenario = per_group * scenarios <= kFanBudget;
  l.stored = {l.options, l.per_scenario ? scenarios : 1, l.points, horizon, l.fan_bins};
  l.trajectories = {l.options, l.per_scenario ? l.groups : 1, l.points, horizon, l.fan_bins};
  l.fan_point_of_month.assign(horizon + 1, -1);
  for (int p = 0; p < l.points; ++p) {
    const int month =
        l.points == horizon + 1 ? p : static_cast<int>(std::lround(static_cast<double>(p) * horizon / (l.points - 1)));
    l.fan_months.push_back(month);
    l.fan_point_of_month[month] = p;
  }
  l.every_month = l.points == horizon + 1;
  return l;
}

// Everything one thread reuses between realisations.
struct Workspace {
  Workspace(const Model& model, int horizon, std::uint64_t seed) : future(model, horizon, seed) {}
  Future future;
  std::vector<Course> courses;
  std::vector<Outcome> outcomes;
  std::vector<Trajectory> trajectories;
  std::vector<double> scores, shares;
  std::vector<std::uint64_t> met;                // [o]: benchmarks_met of each option's outcome
  std::vector<double> values, weights, scratch;  // criterion values [o * C + c]; a weight draw
  std::vector<std::size_t> slots;                // fan histogram slots of one path [indicator * points + point]
  std::vector<double> at_points;                 // one indicator's path at the fan chart's points
  std::vector<int> bins;                         // and their bins
};

// Rows of the realisations [first, first + rows), each written by the thread that runs it
// (distinct rows).
struct Sample {
  AnalysisInputs inputs;
  std::int64_t first = 0, rows = 0;
  std::size_t width = 0;
  std::vector<double> values, scores;
  std::vector<std::uint8_t> relapse;
};

void run_block(const Model& model, const Sampler& sampler, const Layout& l, const RunSettings& settings,
               std::int64_t begin, std::int64_t end, Workspace& ws, BlockPartial& partial, Tally& tally,
               FanCounts& fans, Sample& sample, FutureRows* rows) {
  const int no = l.options;
  const int nc = static_cast<int>(model.criteria.size());
  const bool uncertain_weights = model.weights_uncertain();
  ws.courses = every_option(no);
  if (settings.course)
    for (int o = 0; o < no; ++o) ws.courses[o] = settings.course(o);
  ws.outcomes.resize(no);
  ws.trajectories.resize(no);
  ws.scores.resize(no);
  ws.met.resize(no);
  ws.values.resize(static_cast<std::size_t>(no) * nc);
  ws.slots.resize(static_cast<std::size_t>(kIndicatorCount) * l.points);
  ws.at_points.resize(l.points);
  ws.bins.resize(l.points);
  for (std::int64_t i = begin; i < end; ++i) {
    if (settings.draw)
      settings.draw(i, ws.future);
    else
      ws.future.draw(sampler, i);
    const int p = ws.future.planning_scenario();
    ws.future.simulate(ws.courses, ws.outcomes, ws.trajectories.data());
    for (int o = 0; o < no; ++o) {
      const Trajectory& trajectory = ws.trajectories[o];
      ws.met[o] = benchmarks_met(model, ws.outcomes[o]);
      const int g = l.stored_group(p);
      // First the histogram slots of the whole path, then the increments: independent updates in
      // a tight loop let the processor overlap their cache misses.
      std::uint64_t* regimes = &tally.regimes[l.stored.regime_cell(o, g, 0)];
      for (int t = 0; t <= l.horizon; ++t) regimes[4 * t + trajectory.regime[t]] += 1;
      std::size_t* slot = ws.slots.data();
      for (int ind = 0; ind < kIndicatorCount; ++ind) {
        // The path at the fan chart's points: every month when they are all sampled.
        const double* x = trajectory.path(ind);
        if (!l.every_month) {
          for (int point = 0; point < l.points; ++point) ws.at_points[point] = x[l.fan_months[point]];
          x = ws.at_points.data();
        }
        double* sum = &partial.fan_sum[l.stored.fan_cell(o, g, ind, 0)];  // point 0; the points follow
        for (int point = 0; point < l.points; ++point) sum[point] += x[point];
        l.fan_scales[ind]->bins(x, l.points, ws.bins.data());
        const std::size_t first = l.stored.fan_count(o, g, ind, 0, 0);
        const int points = l.points;  // bin * points + point < fan_bins() * kMaxFanPoints: an int
        for (int point = 0; point < points; ++point)
          slot[point] = first + static_cast<std::size_t>(ws.bins[point] * points + point);
        slot += points;
      }
      for (const std::size_t* s = ws.slots.data(); s != slot; ++s) tally.fan_hist[*s] += 1;
      for (int m = 0; m < kMetricCount; ++m)
        tally.metric_hist[(static_cast<std::size_t>(o) * kMetricCount + m) * l.metric_bins +
                          l.metric->bin(ws.outcomes[o].metrics[m])] += 1;
      // The criterion values, once: the score is their weighted sum, in score()'s order.
      double s = 0;
      for (int c = 0; c < nc; ++c) {
        const CriterionSpec& spec = model.criteria[c];
        const double v = criterion_value(spec, ws.outcomes[o].metrics[static_cast<int>(spec.metric)]);
        ws.values[static_cast<std::size_t>(o) * nc + c] = v;
        partial.criterion_values[static_cast<std::size_t>(o) * nc + c].add(v);
        s += spec.weight * v;
      }
      ws.scores[o] = s;
    }
    if (uncertain_weights)
      for (int k = 0; k < kWeightDrawsPerFuture; ++k) {
        draw_weights(model, settings.seed, i, k, ws.weights);
        partial.acceptability.add(ws.values.data(), ws.weights, ws.scratch);
      }
    if (i - sample.first < sample.rows) {
      const auto row = static_cast<std::size_t>(i - sample.first);
      input_row(sample.inputs, ws.future.theta(), p, &sample.values[row * sample.width]);
      for (int o = 0; o < no; ++o) {
        sample.scores[row * no + o] = ws.scores[o];
        sample.relapse[row * no + o] = ws.outcomes[o].relapse_month > 0;
      }
    }
    if (rows != nullptr) {
      const auto row = static_cast<std::size_t>(i - rows->first);
      input_row(sample.inputs, ws.future.theta(), p, &rows->inputs[row * rows->width]);
      rows->planning_scenario[row] = p;
      for (int o = 0; o < no; ++o) {
        const std::size_t k = row * no + o;
        rows->scores[k] = ws.scores[o];
        rows->relapse_month[k] = ws.outcomes[o].relapse_month;
        std::copy(ws.outcomes[o].metrics.begin(), ws.outcomes[o].metrics.end(), &rows->metrics[k * kMetricCount]);
        rows->benchmarks_met[k] = ws.met[o];
      }
    }
    const double best = best_shares(ws.scores, ws.shares);
    for (int a = 0; a < no; ++a)
      for (int b = a + 1; b < no; ++b) partial.pairwise[a * no + b].add(ws.scores[a] - ws.scores[b]);
    const RandomStream boot(settings.seed, static_cast<std::uint64_t>(i), Stream::kBootstrap, 0);
    for (int b = 0; b < kBootstrapReplicates; ++b) {
      const double w = poisson_one(boot.uniform(b));
      if (w == 0) continue;
      partial.boot_weight[b] += w;
      for (int o = 0; o < no; ++o) {
        partial.boot_score[b * no + o] += w * ws.scores[o];
        partial.boot_best[b * no + o] += w * ws.shares[o];
      }
    }
    const double baseline = ws.scores[model.baseline];
    for (int o = 0; o < no; ++o) {
      const Outcome& out = ws.outcomes[o];
      const bool ok = satisficed(model, out);
      const double regret = best - ws.scores[o];
      for (int g : {0, 1 + p}) {
        const std::size_t e = static_cast<std::size_t>(o) * l.groups + g;
        BlockPartial::Evaluation& ev = partial.evaluations[e];
        ev.score.add(ws.scores[o]);
        ev.regret.add(regret);
        ev.vs_baseline.add(ws.scores[o] - baseline);
        ev.best_share += ws.shares[o];
        for (int m = 0; m < kMetricCount; ++m) ev.metrics[m].add(out.metrics[m]);
        tally.satisficed[e] += ok ? 1 : 0;
        tally.score_hist[e * l.score_bins + l.score->bin(ws.scores[o])] += 1;
        tally.regret_hist[e * l.score_bins + l.score->bin(regret)] += 1;
        tally.first_war[e * (l.horizon + 1) + out.relapse_month] += 1;
        for (int b = 0; b < l.benchmarks; ++b) tally.benchmark_met[e * l.benchmarks + b] += (ws.met[o] >> b) & 1;
      }
    }
    if (++tally.since_flush == 65535) fans.flush(tally);
  }
}

// The stopping rule of --until-settled, on the totals so far (overall group): the leader by mean
// score is settled when the 95% interval of its paired difference to the runner-up excludes 0, or
// when the 95% interval of its P(best) lies above the runner-up's. Returns the rule met, in words,
// or "" when neither is.
std::string settling_rule(const BlockPartial& total, const Layout& l) {
  if (l.options < 2) return "only one option";
  std::vector<int> order(l.options);
  std::iota(order.begin(), order.end(), 0);
  auto overall = [&](int o) -> const BlockPartial::Evaluation& { return total.evaluations[o * l.groups]; };
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return overall(a).score.mean > overall(b).score.mean; });
  const int lead = order[0], second = order[1];
  const Moments& d = total.pairwise[std::min(lead, second) * l.options + std::max(lead, second)];
  const double h = d.ci95_half_width();
  if (d.n > 1 && std::fabs(d.mean) > h) return "the paired difference of the top two options excludes 0";
  const double n = static_cast<double>(overall(lead).score.n);
  auto interval = [&](int o, double sign) {
    const double p = overall(o).best_share / n;
    return p + sign * 1.959963984540054 * std::sqrt(p * (1 - p) / n);
  };
  std::vector<int> by_best(order);
  std::stable_sort(by_best.begin(), by_best.end(),
                   [&](int a, int b) { return overall(a).best_share > overall(b).best_share; });
  if (n > 1 && interval(by_best[0], -1) > interval(by_best[1], +1))
    return "the P(best) interval of the option most often best lies above the runner-up's";
  return "";
}

// From the stored layout (per planning scenario, or overall only) to the reported one, where
// group 0 is overall, the sum of the planning scenarios in their order.
void expand_trajectories(const Layout& l, const std::vector<std::uint32_t>& hist, const std::vector<double>& sum,
                         const std::vector<std::uint64_t>& regimes, RunTotals& r) {
  const TrajectoryLayout& out = l.trajectories;
  r.fan_hist.assign(out.fan_counts(), 0);
  r.fan_sum.assign(out.fan_cells(), 0.0);
  r.regimes.assign(out.regime_cells(), 0);
  for (int o = 0; o < l.options; ++o) {
    for (int g = 0; g < l.stored.fan_groups; ++g) {
      const int target = l.per_scenario ? 1 + g : 0;
      for (int ind = 0; ind < kIndicatorCount; ++ind) {
        // Both layouts keep the counts of an (option, group, indicator) together, by bin, then point.
        const std::uint32_t* from = &hist[l.stored.fan_count(o, g, ind, 0, 0)];
        const std::size_t counts = static_cast<std::size_t>(l.fan_bins) * l.points;
        for (int to_group : {target, 0}) {
          for (int p = 0; p < l.points; ++p)
            r.fan_sum[out.fan_cell(o, to_group, ind, p)] += sum[l.stored.fan_cell(o, g, ind, p)];
          std::uint32_t* to = &r.fan_hist[out.fan_count(o, to_group, ind, 0, 0)];
          for (std::size_t k = 0; k < counts; ++k) to[k] += from[k];
          if (to_group == 0) break;
        }
      }
      for (int t = 0; t <= l.horizon; ++t) {
        for (int to_group : {target, 0}) {
          for (int k = 0; k < 4; ++k)
            r.regimes[out.regime_cell(o, to_group, t) + k] += regimes[l.stored.regime_cell(o, g, t) + k];
          if (to_group == 0) break;
        }
      }
    }
  }
}

// Realisations in the blocks [first, end) of a run of `runs`.
std::int64_t realisations_in(std::int64_t runs, std::int64_t first, std::int64_t end) {
  return std::min(runs, end * kBlockSize) - std::min(runs, first * kBlockSize);
}

std::int64_t end_block_of(const RunSettings& settings) {
  return settings.end_block < 0 ? block_count(settings.runs) : settings.end_block;
}

// Sample rows of the blocks [first, end): realisations below settings.sample.
std::pair<std::int64_t, std::int64_t> sample_rows(const RunSettings& settings, std::int64_t first, std::int64_t end) {
  const std::int64_t cap = std::clamp<std::int64_t>(settings.sample, 0, settings.runs);
  const std::int64_t a = std::min(cap, first * kBlockSize), b = std::min(cap, end * kBlockSize);
  return {a, b - a};
}

std::vector<double> flatten(BlockPartial sums) {
  std::vector<double> v;
  sums.each([&](auto& x) { v.push_back(static_cast<double>(x)); });
  return v;
}

// The block sums of a flat node; counts must be whole numbers in [0, max_count].
BlockPartial unflatten(const Layout& l, std::size_t criteria, const std::vector<double>& v, std::int64_t max_count) {
  BlockPartial sums;
  sums.reset(l.evaluations(), l.stored.fan_cells(), l.options, criteria);
  std::size_t k = 0;
  sums.each([&](auto& x) {
    const double value = v.at(k++);
    if constexpr (std::is_same_v<std::remove_reference_t<decltype(x)>, std::int64_t>) {
      if (!(value >= 0 && value <= static_cast<double>(max_count) && value == std::floor(value)))
        throw std::invalid_argument("a count of the block sums is " + std::to_string(value) +
                                    ", but must be a whole number in [0, " + std::to_string(max_count) + "]");
      x = static_cast<std::int64_t>(value);
    } else {
      // No sum of a run is NaN (the minimum and maximum of no values are infinite, which is kept).
      if (std::isnan(value)) throw std::invalid_argument("a value of the block sums is not a number");
      x = value;
    }
  });
  return sums;
}

// The integer tallies of a run in progress: all threads' counts, summed exactly.
struct Counts {
  Tally merged;                    // no fan table
  std::vector<std::uint32_t> fan;  // [stored.fan_count(...)]

  Counts(const Layout& l) : merged(l.make_tally(false)), fan(l.stored.fan_counts(), 0) {}

  // Moves a thread's counts here (the thread's tally is left at zero).
  void take(Tally& t) {
    for (std::size_t a = 0; a < merged.wide().size(); ++a) take(*merged.wide()[a], *t.wide()[a]);
    for (std::size_t a = 0; a < merged.narrow().size(); ++a) take(*merged.narrow()[a], *t.narrow()[a]);
    for (std::size_t k = 0; k < fan.size(); ++k) fan[k] += t.fan_hist[k];
    std::fill(t.fan_hist.begin(), t.fan_hist.end(), 0);
    t.since_flush = 0;
  }
  // Takes `other`'s counts off these (counts they include).
  void subtract(Counts& other) {
    for (std::size_t a = 0; a < merged.wide().size(); ++a) subtract(*merged.wide()[a], *other.merged.wide()[a]);
    for (std::size_t a = 0; a < merged.narrow().size(); ++a) subtract(*merged.narrow()[a], *other.merged.narrow()[a]);
    subtract(fan, other.fan);
  }
  std::vector<std::uint64_t> flat() {
    std::vector<std::uint64_t> v;
    for (auto* counts : merged.wide()) v.insert(v.end(), counts->begin(), counts->end());
    for (auto* counts : merged.narrow()) v.insert(v.end(), counts->begin(), counts->end());
    v.insert(v.end(), fan.begin(), fan.end());
    return v;
  }
  // Adds flat counts (of a checked state).
  void add(const std::vector<std::uint64_t>& v) {
    std::size_t k = 0;
    auto into = [&](auto& target) {
      for (auto& x : target) x += static_cast<std::remove_reference_t<decltype(x)>>(v[k++]);
    };
    for (auto* counts : merged.wide()) into(*counts);
    for (auto* counts : merged.narrow()) into(*counts);
    into(fan);
  }

 private:
  template <typename T>
  static void take(std::vector<T>& total, std::vector<T>& part) {
    for (std::size_t k = 0; k < total.size(); ++k) total[k] += part[k];
    std::fill(part.begin(), part.end(), 0);
  }
  template <typename T>
  static void subtract(std::vector<T>& total, const std::vector<T>& part) {
    for (std::size_t k = 0; k < total.size(); ++k) total[k] -= part[k];
  }
};

// Whether the counts of a state's `realisations` futures add up: every future adds one to the
// overall group's histograms of each option (score, regret, first month at war), one to some
// planning scenario's, one to each metric's histogram, and one to some group's regime and fan-chart
// counts at every month and point. Throws naming the first tally that does not.
void check_counts(const Layout& l, const std::vector<std::uint64_t>& flat, std::int64_t realisations) {
  // Each tally's first count in the flat counts (read in place, in the order of l.count_sizes()).
  std::array<const std::uint64_t*, 7> starts{};
  const std::uint64_t* next = flat.data();
  const auto sizes = l.count_sizes();
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    starts[k] = next;
    next += sizes[k];
  }
  const std::uint64_t *first_war_counts = starts[1], *regime_counts = starts[2], *score_counts = starts[4],
                      *regret_counts = starts[5], *metric_counts = starts[6], *fan_counts = next;
  const auto n = static_cast<std::uint64_t>(realisations);
  auto total = [](const auto& v, std::size_t first, std::size_t count) {
    std::uint64_t sum = 0;
    for (std::size_t k = first; k < first + count; ++k) sum += v[k];
    return sum;
  };
  auto expect = [&](std::uint64_t sum, const std::string& what, int option) {
    if (sum != n)
      throw std::invalid_argument("its counts do not add up: option " + std::to_string(option + 1) + "'s " + what +
                                  " holds " + std::to_string(sum) + " futures, but its blocks cover " +
                                  std::to_string(n));
  };
  const auto months = static_cast<std::size_t>(l.horizon + 1), bins = static_cast<std::size_t>(l.score_bins);
  for (int o = 0; o < l.options; ++o) {
    std::uint64_t score = 0, regret = 0, first_war = 0;
    for (int g = 1; g < l.groups; ++g) {
      const std::size_t e = static_cast<std::size_t>(o) * l.groups + g;
      score += total(score_counts, e * bins, bins);
      regret += total(regret_counts, e * bins, bins);
      first_war += total(first_war_counts, e * months, months);
    }
    const std::size_t overall = static_cast<std::size_t>(o) * l.groups;
    expect(total(score_counts, overall * bins, bins), "score histogram", o);
    expect(total(regret_counts, overall * bins, bins), "regret histogram", o);
    expect(total(first_war_counts, overall * months, months), "first months at war", o);
    if (l.groups > 1) {
      expect(score, "score histograms by planning scenario", o);
      expect(regret, "regret histograms by planning scenario", o);
      expect(first_war, "first months at war by planning scenario", o);
    }
    for (int m = 0; m < kMetricCount; ++m)
      expect(total(metric_counts, (static_cast<std::size_t>(o) * kMetricCount + m) * l.metric_bins, l.metric_bins),
             "histogram of metric " + std::to_string(m + 1), o);
    for (int month = 0; month <= l.horizon; ++month) {
      std::uint64_t regimes = 0;
      for (int g = 0; g < l.stored.fan_groups; ++g)
        regimes += total(regime_counts, l.stored.regime_cell(o, g, month), 4);
      expect(regimes, "regimes in month " + std::to_string(month), o);
    }
    for (int ind = 0; ind < kIndicatorCount; ++ind)
      for (int point = 0; point < l.points; ++point) {
        std::uint64_t fans = 0;
        for (int g = 0; g < l.stored.fan_groups; ++g)
          for (int b = 0; b < l.fan_bins; ++b) fans += fan_counts[l.stored.fan_count(o, g, ind, b, point)];
        expect(fans, "fan chart of indicator " + std::to_string(ind + 1) + " at point " + std::to_string(point), o);
      }
  }
}

// Whether moments could be those of some values: none (n 0, mean 0, no spread, min +inf and max
// -inf, as Moments starts), or finite ones with min <= max, m2 >= 0 and the mean in [min, max]
// (widened by far more than its rounding can move it).
bool possible(const Moments& m) {
  if (m.n == 0)
    return m.mean == 0 && m.m2 == 0 && m.min == std::numeric_limits<double>::infinity() &&
           m.max == -std::numeric_limits<double>::infinity();
  const double slack = 1e-6 * (std::abs(m.min) + std::abs(m.max));
  return std::isfinite(m.mean) && std::isfinite(m.m2) && std::isfinite(m.min) && std::isfinite(m.max) && m.m2 >= 0 &&
         m.min <= m.max && m.mean >= m.min - slack && m.mean <= m.max + slack;
}

// Whether the moments of a node of `futures` futures add up: each possible, and each option's
// overall moments (score, regret, paired difference to the baseline, metrics), its criteria's and
// each pair of options' counting every future, its planning scenarios' together too. Throws naming
// the first that does not.
void check_moments(const Layout& l, const BlockPartial& sums, std::int64_t futures) {
  auto check = [&](const Moments& m, std::int64_t n, const std::string& what) {
    if (!possible(m))
      throw std::invalid_argument("its sums are inconsistent: the moments of " + what +
                                  " (mean, spread, least and greatest) could not come from any values");
    if (n >= 0 && m.n != n)
      throw std::invalid_argument("its sums do not add up: the moments of " + what + " count " + std::to_string(m.n) +
                                  " futures, but its blocks cover " + std::to_string(futures));
  };
  for (int o = 0; o < l.options; ++o) {
    const std::string option = "option " + std::to_string(o + 1) + "'s ";
    std::array<std::int64_t, 3 + kMetricCount> by_scenario{};
    for (int g = 0; g < l.groups; ++g) {
      const BlockPartial::Evaluation& e = sums.evaluations[static_cast<std::size_t>(o) * l.groups + g];
      const std::int64_t n = g == 0 ? futures : -1;
      const std::string group = g == 0 ? "" : " in planning scenario " + std::to_string(g);
      check(e.score, n, option + "score" + group);
      check(e.regret, n, option + "regret" + group);
      check(e.vs_baseline, n, option + "difference to the baseline" + group);
      for (int m = 0; m < kMetricCount; ++m) check(e.metrics[m], n, option + "metric " + std::to_string(m + 1) + group);
      if (g == 0) continue;
      by_scenario[0] += e.score.n;
      by_scenario[1] += e.regret.n;
      by_scenario[2] += e.vs_baseline.n;
      for (int m = 0; m < kMetricCount; ++m) by_scenario[3 + m] += e.metrics[m].n;
    }
    if (l.groups > 1)
      for (std::int64_t n : by_scenario)
        if (n != futures)
          throw std::invalid_argument("its sums do not add up: " + option + "moments by planning scenario count " +
                                      std::to_string(n) + " futures, but its blocks cover " + std::to_string(futures));
    for (int b = 0; b < l.options; ++b)
      check(sums.pairwise[static_cast<std::size_t>(o) * l.options + b], o < b ? futures : 0,
            "options " + std::to_string(o + 1) + " and " + std::to_string(b + 1) + " paired");
  }
  const std::size_t criteria = l.options > 0 ? sums.criterion_values.size() / l.options : 0;
  for (std::size_t k = 0; k < sums.criterion_values.size(); ++k)
    check(sums.criterion_values[k], futures,
          "option " + std::to_string(k / criteria + 1) + "'s criterion " + std::to_string(k % criteria + 1));
}

// The sums besides the moments (the shares of best, the fan charts', the bootstrap's and the weight
// draws') are sums of finite values, so finite. Throws when one is not.
void check_finite_sums(const BlockPartial& sums) {
  auto finite = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
  };
  bool ok = std::isfinite(sums.acceptability.draws) && finite(sums.fan_sum) && finite(sums.boot_weight) &&
            finite(sums.boot_score) && finite(sums.boot_best) && finite(sums.acceptability.rank) &&
            finite(sums.acceptability.central);
  for (const BlockPartial::Evaluation& e : sums.evaluations) ok = ok && std::isfinite(e.best_share);
  if (!ok)
    throw std::invalid_argument(
        "its sums are inconsistent: a sum of the fan charts, the bootstrap, the shares of best or the weights' draws "
        "is not a finite number");
}

}  // namespace

StateShape state_shape(const Model& model, int horizon) {
  const Layout l = make_layout(model, horizon);
  BlockPartial sums;  // without its fan-chart sums, one value per cell, counted below
  sums.reset(l.evaluations(), 0, l.options, model.criteria.size());
  StateShape shape;
  sums.each([&](auto&) { ++shape.node_values; });
  shape.node_values += l.stored.fan_cells();
  shape.counts = l.flat_counts();
  shape.sample_width = analysis_inputs(model).names.size();
  shape.options = l.options;
  return shape;
}

void check_state(const Model& model, const RunSettings& settings, const RunState& state) {
  const std::int64_t blocks = block_count(settings.runs);
  auto fail = [](const std::string& what) { throw std::invalid_argument(what); };
  if (!(state.first_block >= 0 && state.first_block <= state.end_block && state.end_block <= blocks))
    fail("its blocks [" + std::to_string(state.first_block) + ", " + std::to_string(state.end_block) +
         ") do not lie in the run's [0, " + std::to_string(blocks) + ")");
  const StateShape shape = state_shape(model, settings.horizon);
  std::int64_t next = state.first_block;
  for (const RunState::Node& node : state.nodes) {
    if (node.level < 0 || node.level > 40 || node.index < 0 || node.index > (blocks >> node.level))
      fail("a node of the block tree is out of range (level " + std::to_string(node.level) + ", index " +
           std::to_string(node.index) + ")");
    const std::int64_t first = node.index << node.level, end = (node.index + 1) << node.level;
    if (first != next || end > state.end_block)
      fail("its block-tree nodes do not tile blocks [" + std::to_string(state.first_block) + ", " +
           std::to_string(state.end_block) + ") in order");
    next = end;
    if (node.values.size() != shape.node_values)
      fail("a node of the block tree holds " + std::to_string(node.values.size()) + " values, but this run needs " +
           std::to_string(shape.node_values));
  }
  if (next != state.end_block)
    fail("its block-tree nodes end at block " + std::to_string(next) + ", not at " + std::to_string(state.end_block));
  const std::int64_t realisations = realisations_in(settings.runs, state.first_block, state.end_block);
  if (state.counts.size() != shape.counts)
    fail("it holds " + std::to_string(state.counts.size()) + " counts, but this run needs " +
         std::to_string(shape.counts));
  for (std::uint64_t c : state.counts)
    if (c > static_cast<std::uint64_t>(realisations))
      fail("a count is " + std::to_string(c) + ", more than its " + std::to_string(realisations) + " realisations");
  const Layout l = make_layout(model, settings.horizon);
  check_counts(l, state.counts, realisations);
  const auto [first_row, rows] = sample_rows(settings, state.first_block, state.end_block);
  (void)first_row;
  const auto r = static_cast<std::size_t>(rows);
  if (state.sample_values.size() != r * shape.sample_width || state.sample_scores.size() != r * shape.options ||
      state.sample_relapse.size() != r * shape.options)
    fail("its sample does not hold the " + std::to_string(rows) + " rows its blocks cover");
  for (std::uint8_t x : state.sample_relapse)
    if (x > 1) fail("a relapse flag of its sample is neither 0 nor 1");
  for (double x : state.sample_values)
    if (!std::isfinite(x)) fail("a value of its sample is not a finite number");
  for (double x : state.sample_scores)
    if (!(x >= 0 && x <= 1)) fail("a score of its sample is not a number in [0, 1]");
  if (!state.settled_by.empty()) fail("it settled early, so no other part can follow it");
  // The sums' counts: each node's, within the realisations of its blocks; and their moments.
  for (const RunState::Node& node : state.nodes) {
    const std::int64_t futures =
        realisations_in(settings.runs, node.index << node.level, (node.index + 1) << node.level);
    const BlockPartial sums = unflatten(l, model.criteria.size(), node.values, futures);
    check_moments(l, sums, futures);
    check_finite_sums(sums);
  }
}

namespace {

// A run in progress, in memory: the tree of block sums, every count, the sample's rows, how far it
// got and whether it settled. run_blocks flattens it into a RunState; run finishes from it.
struct Progress {
  explicit Progress(const Layout& l) : counts(l) {}
  BlockFold fold;
  Counts counts;
  Sample sample;
  std::int64_t first_block = 0, end_block = 0;
  std::string settled_by;

  // The sample's rows of the blocks run so far (fewer than its share when the run settled early).
  std::size_t sample_rows_so_far(const RunSettings& settings) const {
    return static_cast<std::size_t>(sample_rows(settings, first_block, end_block).second);
  }
};

// The flat state of `p`.
RunState flat_state(Progress& p, const RunSettings& settings, const Layout& l) {
  RunState s;
  s.first_block = p.first_block;
  s.end_block = p.end_block;
  for (const auto& node : p.fold.nodes()) s.nodes.push_back({node.level, node.index, flatten(node.sums)});
  s.counts = p.counts.flat();
  const std::size_t rows = p.sample_rows_so_far(settings);
  s.sample_values.assign(p.sample.values.begin(), p.sample.values.begin() + rows * p.sample.width);
  s.sample_scores.assign(p.sample.scores.begin(), p.sample.scores.begin() + rows * l.options);
  s.sample_relapse.assign(p.sample.relapse.begin(), p.sample.relapse.begin() + rows * l.options);
  s.settled_by = p.settled_by;
  return s;
}

// Runs the blocks [settings.first_block, settings.end_block) as run_blocks does, into `p`.
void run_progress(const Model& model, const RunSettings& settings, const RunState* resume, const Layout& l,
                  Progress& p) {
  const Sampler sampler(model, settings.seed, settings.runs);
  const std::int64_t end_block = end_block_of(settings);
  const std::int64_t blocks = end_block - settings.first_block;

  // Blocks go through a pipeline: issued in order, simulated in parallel, and merged in order
  // (engine/parallel.h, ordered_pipeline); no thread waits for the others between blocks. Block b
  // keeps its sums (and its streamed futures) in slot (b - first_block) % tokens until merged. At
  // most 4 blocks per thread are in flight, and no more than 64 MB of block partials hold.
  const int threads = worker_threads(settings.threads);
  const std::size_t partial_bytes =
      l.evaluations() * sizeof(BlockPartial::Evaluation) + l.stored.fan_cells() * sizeof(double);
  const std::int64_t memory_bound = std::max<std::int64_t>(1, static_cast<std::int64_t>((64u << 20) / partial_bytes));
  const std::int64_t tokens = std::clamp<std::int64_t>(4 * static_cast<std::int64_t>(threads), 1,
                                                       std::min(memory_bound, std::max<std::int64_t>(1, blocks)));
  // Until settled, a pass of the pipeline ends at the check after the stretch of kSettleCheckBlocks
  // it starts in or, past 8 threads, as many stretches later as keep every thread busy.
  const std::int64_t stretches = (threads + kSettleCheckBlocks - 1) / kSettleCheckBlocks;

  BlockFold& fold = p.fold;
  Counts& counts = p.counts;
  FanCounts fans(counts.fan);
  std::vector<BlockPartial> partials(static_cast<std::size_t>(tokens));
  tbb::enumerable_thread_specific<Tally> tallies([&] { return l.make_tally(); });
  tbb::enumerable_thread_specific<Workspace> workspaces(std::cref(model), l.horizon, settings.seed);

  Sample& sample = p.sample;
  std::tie(sample.first, sample.rows) = sample_rows(settings, settings.first_block, end_block);
  if (sample.rows > 0 || settings.stream) sample.inputs = analysis_inputs(model);
  std::vector<FutureRows> rows(settings.stream ? partials.size() : 0);
  if (sample.rows > 0) {
    sample.width = sample.inputs.names.size();
    sample.values.assign(static_cast<std::size_t>(sample.rows) * sample.width, 0.0);
    sample.scores.assign(static_cast<std::size_t>(sample.rows) * l.options, 0.0);
    sample.relapse.assign(static_cast<std::size_t>(sample.rows) * l.options, 0);
  }
  p.first_block = settings.first_block;
  std::int64_t& next = p.end_block;
  next = settings.first_block;
  if (resume != nullptr) {
    for (const RunState::Node& node : resume->nodes)
      fold.push(node.level, node.index, unflatten(l, model.criteria.size(), node.values, settings.runs));
    counts.add(resume->counts);
    std::copy(resume->sample_values.begin(), resume->sample_values.end(), sample.values.begin());
    std::copy(resume->sample_scores.begin(), resume->sample_scores.end(), sample.scores.begin());
    std::copy(resume->sample_relapse.begin(), resume->sample_relapse.end(), sample.relapse.begin());
    next = resume->end_block;
  }

  // Every thread's counts, moved into the run's.
  auto take_counts = [&] {
    for (Tally& t : tallies) counts.take(t);
  };

  // Block first_block + i of the run: its sums into its slot of `partials` (and its futures into
  // the slot of `rows`, when streamed), its counts into the thread's tally.
  tbb::task_arena arena(threads);
  auto run_one = [&](std::int64_t i) {
    const std::size_t slot = static_cast<std::size_t>(i % tokens);
    BlockPartial& partial = partials[slot];
    partial.reset(l.evaluations(), l.stored.fan_cells(), l.options, model.criteria.size());
    const std::int64_t begin = (settings.first_block + i) * kBlockSize;
    const std::int64_t end = std::min(settings.runs, begin + kBlockSize);
    FutureRows* block_rows = nullptr;
    if (settings.stream) {
      FutureRows& r = rows[slot];
      r.first = begin;
      r.count = static_cast<int>(end - begin);
      r.width = static_cast<int>(sample.inputs.names.size());
      r.options = l.options;
      r.inputs.resize(static_cast<std::size_t>(r.count) * r.width);
      r.planning_scenario.resize(r.count);
      r.scores.resize(static_cast<std::size_t>(r.count) * l.options);
      r.relapse_month.resize(r.scores.size());
      r.metrics.resize(r.scores.size() * kMetricCount);
      r.benchmarks = l.benchmarks;
      r.benchmarks_met.resize(r.scores.size());
      block_rows = &r;
    }
    run_block(model, sampler, l, settings, begin, end, workspaces.local(), partial, tallies.local(), fans, sample,
              block_rows);
  };
  // The counts of blocks [from, to), run again and taken off the run's: the blocks issued past the
  // point where the run settled. Counts are integers, so what is taken off is exactly what was
  // added.
  auto undo_counts = [&](std::int64_t from, std::int64_t to) {
    take_counts();
    Counts extra(l);
    FanCounts extra_fans(extra.fan);
    tbb::enumerable_thread_specific<Tally> extra_tallies([&] { return l.make_tally(); });
    arena.execute([&] {
      peacesim::parallel_for(
          tbb::blocked_range<std::int64_t>(from, to, 1),
          [&](const tbb::blocked_range<std::int64_t>& range) {
            BlockPartial unused;
            for (std::int64_t b = range.begin(); b < range.end(); ++b) {
              unused.reset(l.evaluations(), l.stored.fan_cells(), l.options, model.criteria.size());
              const std::int64_t begin = b * kBlockSize, end = std::min(settings.runs, begin + kBlockSize);
              run_block(model, sampler, l, settings, begin, end, workspaces.local(), unused, extra_tallies.local(),
                        extra_fans, sample, nullptr);
            }
          },
          tbb::simple_partitioner());
    });
    for (Tally& t : extra_tallies) extra.take(t);
    counts.subtract(extra);
  };

  // Passes of the pipeline, each until the run ends or a checkpoint falls due, or until settled, as
  // above. The rules are checked as each stretch of kSettleCheckBlocks is merged; the blocks issued
  // past the one where the run settled are merged no more, and their counts are taken off again
  // (undo_counts).
  while (next < end_block) {
    const std::int64_t pass_start = next;
    const std::int64_t pass_end =
        settings.until_settled
            ? std::min(end_block,
                       settings.first_block +
                           ((pass_start - settings.first_block) / kSettleCheckBlocks + stretches) * kSettleCheckBlocks)
            : end_block;
    std::int64_t issued = next;
    std::atomic<bool> settled{false};
    bool due = false;  // checkpoint_due() said yes: the pass ends with a checkpoint (asked once)
    arena.execute([&] {
      ordered_pipeline(
          static_cast<std::size_t>(tokens),
          [&]() -> std::optional<std::int64_t> {
            if (issued >= pass_end || settled.load(std::memory_order_relaxed)) return std::nullopt;
            if (issued > pass_start && settings.checkpoint && settings.checkpoint_due && settings.checkpoint_due()) {
              due = true;
              return std::nullopt;
            }
            return issued++ - settings.first_block;
          },
          run_one,
          [&](std::int64_t i) {
            if (settled.load(std::memory_order_relaxed)) return;
            const std::size_t slot = static_cast<std::size_t>(i % tokens);
            fold.push(0, settings.first_block + i, std::move(partials[slot]));
            if (settings.stream) settings.stream(rows[slot]);
            next = settings.first_block + i + 1;
            if (settings.progress)
              settings.progress(realisations_in(settings.runs, settings.first_block, next),
                                realisations_in(settings.runs, settings.first_block, end_block));
            if (settings.until_settled && next < end_block && (next - settings.first_block) % kSettleCheckBlocks == 0) {
              p.settled_by = settling_rule(fold.total(), l);
              if (!p.settled_by.empty()) settled.store(true, std::memory_order_relaxed);
            }
          });
    });
    if (!p.settled_by.empty()) {
      if (next < issued) undo_counts(next, issued);
      break;
    }
    // A pass that ended at a settling check asks at its end, as it would have before its next block.
    if (next < end_block && settings.checkpoint &&
        (due || (issued >= pass_end && settings.checkpoint_due && settings.checkpoint_due()))) {
      take_counts();
      settings.checkpoint(flat_state(p, settings, l));
    }
  }
  take_counts();
}

// The totals of a run's progress over all its blocks (or fewer when it settled).
RunTotals totals_of(const Model& model, const RunSettings& settings, const Layout& l, Progress p) {
  const std::int64_t blocks = block_count(settings.runs);
  if (p.first_block != 0 || (p.end_block != blocks && p.settled_by.empty()))
    throw std::invalid_argument("the parts cover blocks [" + std::to_string(p.first_block) + ", " +
                                std::to_string(p.end_block) + ") of the run's [0, " + std::to_string(blocks) +
                                "): some are missing");
  BlockPartial total;
  if (p.fold.empty())
    total.reset(l.evaluations(), l.stored.fan_cells(), l.options, model.criteria.size());
  else
    total = p.fold.total();
  p.fold = {};
  Tally& counts = p.counts.merged;

  RunTotals r;
  r.realisations = realisations_in(settings.runs, 0, p.end_block);
  r.sample_rows = sample_rows(settings, 0, p.end_block).second;
  const std::size_t rows = p.sample_rows_so_far(settings);
  p.sample.values.resize(rows * p.sample.width);
  p.sample.scores.resize(rows * l.options);
  p.sample.relapse.resize(rows * l.options);
  r.sample_values = std::move(p.sample.values);
  r.sample_scores = std::move(p.sample.scores);
  r.sample_relapse = std::move(p.sample.relapse);
  r.settled = !p.settled_by.empty();
  r.settled_by = p.settled_by;
  r.pairwise = std::move(total.pairwise);
  r.boot_weight = std::move(total.boot_weight);
  r.boot_score = std::move(total.boot_score);
  r.boot_best = std::move(total.boot_best);
  r.criterion_values = std::move(total.criterion_values);
  r.acceptability = std::move(total.acceptability);
  r.options = l.options;
  r.groups = l.groups;
  r.horizon = l.horizon;
  r.fan_months = l.fan_months;
  r.trajectories = l.trajectories;
  r.evaluations.resize(l.evaluations());
  for (std::size_t e = 0; e < l.evaluations(); ++e) {
    EvaluationTotals& out = r.evaluations[e];
    const auto& x = total.evaluations[e];
    out.score = x.score;
    out.regret = x.regret;
    out.vs_baseline = x.vs_baseline;
    out.best_share = x.best_share;
    out.metrics = x.metrics;
    out.satisficed = counts.satisficed[e];
    const auto sb = static_cast<std::ptrdiff_t>(l.score_bins);
    out.score_hist.assign(counts.score_hist.begin() + e * sb, counts.score_hist.begin() + (e + 1) * sb);
    out.regret_hist.assign(counts.regret_hist.begin() + e * sb, counts.regret_hist.begin() + (e + 1) * sb);
    const auto h = static_cast<std::ptrdiff_t>(l.horizon + 1);
    out.first_war.assign(counts.first_war.begin() + e * h, counts.first_war.begin() + (e + 1) * h);
    const auto nb = static_cast<std::ptrdiff_t>(l.benchmarks);
    out.benchmark_met.assign(counts.benchmark_met.begin() + e * nb, counts.benchmark_met.begin() + (e + 1) * nb);
  }
  r.metric_hist = std::move(counts.metric_hist);
  expand_trajectories(l, p.counts.fan, total.fan_sum, counts.regimes, r);
  return r;
}

}  // namespace

RunState run_blocks(const Model& model, const RunSettings& settings, const RunState* resume) {
  const Layout l = make_layout(model, settings.horizon);
  Progress p(l);
  run_progress(model, settings, resume, l, p);
  return flat_state(p, settings, l);
}

struct StateMerger::Sums {
  Sums(const Model& m, const RunSettings& s)
      : model(m), settings(s), layout(make_layout(m, s.horizon)), counts(layout) {}
  const Model& model;
  RunSettings settings;
  Layout layout;
  BlockFold fold;
  Counts counts;
  RunState merged;  // its blocks and sample rows so far
  bool empty = true;
};

StateMerger::StateMerger(const Model& model, const RunSettings& settings)
    : sums_(std::make_unique<Sums>(model, settings)) {}
StateMerger::StateMerger(StateMerger&&) noexcept = default;
StateMerger::~StateMerger() = default;

void StateMerger::add(RunState part) {
  Sums& s = *sums_;
  RunState& merged = s.merged;
  if (s.empty) merged.first_block = merged.end_block = part.first_block;
  s.empty = false;
  if (part.first_block != merged.end_block)
    throw std::invalid_argument(
        "the parts " + std::string(part.first_block < merged.end_block ? "overlap" : "leave a gap") + " at block " +
        std::to_string(std::min(part.first_block, merged.end_block)) + " (realisation " +
        std::to_string(std::min(part.first_block, merged.end_block) * kBlockSize) + ")");
  for (RunState::Node& node : part.nodes)
    s.fold.push(node.level, node.index, unflatten(s.layout, s.model.criteria.size(), node.values, s.settings.runs));
  s.counts.add(part.counts);
  merged.sample_values.insert(merged.sample_values.end(), part.sample_values.begin(), part.sample_values.end());
  merged.sample_scores.insert(merged.sample_scores.end(), part.sample_scores.begin(), part.sample_scores.end());
  merged.sample_relapse.insert(merged.sample_relapse.end(), part.sample_relapse.begin(), part.sample_relapse.end());
  merged.end_block = part.end_block;
}

RunState StateMerger::finish() && {
  Sums& s = *sums_;
  if (s.empty) return {};
  for (const auto& node : s.fold.nodes()) s.merged.nodes.push_back({node.level, node.index, flatten(node.sums)});
  s.merged.counts = s.counts.flat();
  return std::move(s.merged);
}

RunTotals finish_run(const Model& model, const RunSettings& settings, RunState state) {
  const Layout l = make_layout(model, settings.horizon);
  Progress p(l);
  for (const RunState::Node& node : state.nodes)
    p.fold.push(node.level, node.index, unflatten(l, model.criteria.size(), node.values, settings.runs));
  state.nodes = {};
  p.counts.add(state.counts);
  state.counts = {};
  p.first_block = state.first_block;
  p.end_block = state.end_block;
  p.settled_by = std::move(state.settled_by);
  p.sample.width = analysis_inputs(model).names.size();
  p.sample.values = std::move(state.sample_values);
  p.sample.scores = std::move(state.sample_scores);
  p.sample.relapse = std::move(state.sample_relapse);
  return totals_of(model, settings, l, std::move(p));
}

RunTotals run(const Model& model, const RunSettings& settings, const RunState* resume) {
  const Layout l = make_layout(model, settings.horizon);
  Progress p(l);
  run_progress(model, settings, resume, l, p);
  return totals_of(model, settings, l, std::move(p));
}

}  // namespace peacesim
