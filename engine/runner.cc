// Parallel Monte Carlo with deterministic merging; see runner.h.
#include "engine/runner.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <new>
#include <numeric>
#include <string>

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
};

// Integer counts of one thread; summed exactly in any order. Fan-chart counts are 16-bit, to keep
// the per-thread tables small enough to stay in cache; they are flushed into FanCounts before any
// cell can pass 65,535 (each realisation adds at most one to a cell).
struct Tally {
  std::vector<std::uint64_t> satisficed;  // [o * groups + g]
  std::vector<std::uint32_t> score_hist;  // [(o * groups + g) * S + b]
  std::vector<std::uint32_t> regret_hist;
  std::vector<std::uint64_t> first_war;  // [(o * groups + g) * (H + 1) + t]
  std::vector<std::uint32_t> metric_hist;
  std::vector<std::uint16_t, HugePageAllocator<std::uint16_t>> fan_hist;  // [stored.fan_count(...)]
  std::uint32_t since_flush = 0;                                          // realisations counted in fan_hist
  std::vector<std::uint64_t> regimes;                                     // [stored.regime_cell(...) + regime]
};

// The fan-chart counts of all threads, added under a lock when a thread flushes.
struct FanCounts {
  std::mutex mutex;
  std::vector<std::uint32_t> hist;

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
  std::vector<int> fan_months;
  std::vector<int> fan_point_of_month;  // -1 when the month is not sampled
  std::array<const Scale*, kIndicatorCount> fan_scales{};
  const Scale* score = nullptr;
  const Scale* metric = nullptr;

  std::size_t evaluations() const { return static_cast<std::size_t>(options) * groups; }
  // Fan charts and regimes are counted per planning scenario when they fit (the overall ones are
  // their sums), else only overall: `stored` is the layout counted, `trajectories` the one reported.
  bool per_scenario = false;
  TrajectoryLayout stored, trajectories;
  int stored_group(int planning_scenario) const { return per_scenario ? planning_scenario : 0; }

  // A thread's tally; the merged one has no fan table (fans are merged into FanCounts).
  Tally make_tally(bool fans = true) const {
    Tally t;
    t.satisficed.assign(evaluations(), 0);
    t.score_hist.assign(evaluations() * score_bins, 0);
    t.regret_hist.assign(evaluations() * score_bins, 0);
    t.first_war.assign(evaluations() * (horizon + 1), 0);
    t.metric_hist.assign(static_cast<std::size_t>(options) * kMetricCount * metric_bins, 0);
    if (fans) t.fan_hist.assign(stored.fan_counts(), 0);
    t.regimes.assign(stored.regime_cells(), 0);
    return t;
  }
};

Layout make_layout(const Model& model, int horizon) {
  Layout l;
  l.options = static_cast<int>(model.options.size());
  l.groups = 1 + static_cast<int>(model.planning_scenarios.size());
  l.horizon = horizon;
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
  return l;
}

// Everything one thread reuses between realisations.
struct Workspace {
  Workspace(const Model& model, int horizon, std::uint64_t seed) : future(model, horizon, seed) {}
  Future future;
  std::vector<Outcome> outcomes;
  Trajectory trajectory;
  std::vector<double> scores, shares;
  std::vector<double> values, weights, scratch;  // criterion values [o * C + c]; a weight draw
  std::vector<std::size_t> slots;                // fan histogram slots of one path
};

// Rows of the first realisations, each written by the thread that runs it (distinct rows).
struct Sample {
  AnalysisInputs inputs;
  std::int64_t rows = 0;
  std::size_t width = 0;
  std::vector<double> values, scores;
  std::vector<std::uint8_t> relapse;
};

void run_block(const Model& model, const Sampler& sampler, const Layout& l, const RunSettings& settings,
               std::int64_t begin, std::int64_t end, Workspace& ws, BlockPartial& partial, Tally& tally,
               FanCounts& fans, Sample& sample) {
  const int no = l.options;
  const int nc = static_cast<int>(model.criteria.size());
  const bool uncertain_weights = model.weights_uncertain();
  ws.outcomes.resize(no);
  ws.scores.resize(no);
  ws.values.resize(static_cast<std::size_t>(no) * nc);
  for (std::int64_t i = begin; i < end; ++i) {
    ws.future.draw(sampler, i);
    const int p = ws.future.planning_scenario();
    for (int o = 0; o < no; ++o) {
      ws.future.simulate(o, ws.outcomes[o], &ws.trajectory);
      const int g = l.stored_group(p);
      // First the histogram slots of the whole path, then the increments: independent updates in
      // a tight loop let the processor overlap their cache misses.
      ws.slots.clear();
      for (int t = 0; t <= l.horizon; ++t) {
        tally.regimes[l.stored.regime_cell(o, g, t) + ws.trajectory.regime[t]] += 1;
        const int point = l.fan_point_of_month[t];
        if (point < 0) continue;
        const double* x = &ws.trajectory.indicators[static_cast<std::size_t>(t) * kIndicatorCount];
        for (int ind = 0; ind < kIndicatorCount; ++ind) {
          partial.fan_sum[l.stored.fan_cell(o, g, ind, point)] += x[ind];
          ws.slots.push_back(l.stored.fan_count(o, g, ind, l.fan_scales[ind]->bin(x[ind]), point));
        }
      }
      for (std::size_t slot : ws.slots) tally.fan_hist[slot] += 1;
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
    if (i < sample.rows) {
      input_row(sample.inputs, ws.future.theta(), p, &sample.values[static_cast<std::size_t>(i) * sample.width]);
      for (int o = 0; o < no; ++o) {
        sample.scores[static_cast<std::size_t>(i) * no + o] = ws.scores[o];
        sample.relapse[static_cast<std::size_t>(i) * no + o] = ws.outcomes[o].relapse_month > 0;
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
      }
    }
    if (++tally.since_flush == 65535) fans.flush(tally);
  }
}

template <typename T>
void add_into(std::vector<T>& total, const std::vector<T>& part) {
  for (std::size_t k = 0; k < total.size(); ++k) total[k] += part[k];
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
        for (int p = 0; p < l.points; ++p) {
          const std::size_t from = l.stored.fan_cell(o, g, ind, p);
          for (int to_group : {target, 0}) {
            const std::size_t to = out.fan_cell(o, to_group, ind, p);
            r.fan_sum[to] += sum[from];
            for (int b = 0; b < l.fan_bins; ++b)
              r.fan_hist[out.fan_count(o, to_group, ind, b, p)] += hist[l.stored.fan_count(o, g, ind, b, p)];
            if (to_group == 0) break;
          }
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

}  // namespace

RunTotals run(const Model& model, const RunSettings& settings) {
  const Layout l = make_layout(model, settings.horizon);
  const Sampler sampler(model, settings.seed, settings.runs);
  const std::int64_t blocks = (settings.runs + kBlockSize - 1) / kBlockSize;

  // Blocks run in waves; the wave size does not affect the results. It is at most what 64 MB of
  // block partials hold, and small enough for about 50 progress reports, but gives every thread
  // at least 4 blocks.
  const int threads = worker_threads(settings.threads);
  const std::size_t partial_bytes =
      l.evaluations() * sizeof(BlockPartial::Evaluation) + l.stored.fan_cells() * sizeof(double);
  const std::int64_t memory_bound = std::max<std::int64_t>(1, static_cast<std::int64_t>((64u << 20) / partial_bytes));
  // Until settled, waves end exactly at the checkpoints, whatever the thread count.
  const std::int64_t wave =
      settings.until_settled
          ? kSettleCheckBlocks
          : std::min(memory_bound, std::clamp<std::int64_t>(blocks / 50, std::min<std::int64_t>(4 * threads, 64), 64));

  BlockPartial total;
  total.reset(l.evaluations(), l.stored.fan_cells(), l.options, model.criteria.size());
  FanCounts fans;
  fans.hist.assign(l.stored.fan_counts(), 0);
  std::vector<BlockPartial> partials(static_cast<std::size_t>(std::min(wave, blocks)));
  tbb::enumerable_thread_specific<Tally> tallies([&] { return l.make_tally(); });
  tbb::enumerable_thread_specific<Workspace> workspaces(std::cref(model), l.horizon, settings.seed);

  tbb::task_arena arena(threads);
  Sample sample;
  sample.rows = std::clamp<std::int64_t>(settings.sample, 0, settings.runs);
  if (sample.rows > 0) {
    sample.inputs = analysis_inputs(model);
    sample.width = sample.inputs.names.size();
    sample.values.assign(static_cast<std::size_t>(sample.rows) * sample.width, 0.0);
    sample.scores.assign(static_cast<std::size_t>(sample.rows) * l.options, 0.0);
    sample.relapse.assign(static_cast<std::size_t>(sample.rows) * l.options, 0);
  }
  std::int64_t done = 0;
  std::string settled_by;
  for (std::int64_t first = 0; first < blocks; first += wave) {
    const std::int64_t count = std::min(wave, blocks - first);
    arena.execute([&] {
      peacesim::parallel_for(
          tbb::blocked_range<std::int64_t>(0, count, 1),
          [&](const tbb::blocked_range<std::int64_t>& range) {
            for (std::int64_t b = range.begin(); b < range.end(); ++b) {
              BlockPartial& partial = partials[b];
              partial.reset(l.evaluations(), l.stored.fan_cells(), l.options, model.criteria.size());
              const std::int64_t begin = (first + b) * kBlockSize;
              const std::int64_t end = std::min(settings.runs, begin + kBlockSize);
              run_block(model, sampler, l, settings, begin, end, workspaces.local(), partial, tallies.local(), fans,
                        sample);
            }
          },
          tbb::simple_partitioner());
    });
    for (std::int64_t b = 0; b < count; ++b) {
      const BlockPartial& part = partials[b];
      for (std::size_t e = 0; e < total.evaluations.size(); ++e) {
        auto& t = total.evaluations[e];
        const auto& x = part.evaluations[e];
        t.score.merge(x.score);
        t.regret.merge(x.regret);
        t.vs_baseline.merge(x.vs_baseline);
        t.best_share += x.best_share;
        for (int m = 0; m < kMetricCount; ++m) t.metrics[m].merge(x.metrics[m]);
      }
      add_into(total.fan_sum, part.fan_sum);
      for (std::size_t k = 0; k < total.pairwise.size(); ++k) total.pairwise[k].merge(part.pairwise[k]);
      add_into(total.boot_weight, part.boot_weight);
      add_into(total.boot_score, part.boot_score);
      add_into(total.boot_best, part.boot_best);
      for (std::size_t k = 0; k < total.criterion_values.size(); ++k)
        total.criterion_values[k].merge(part.criterion_values[k]);
      total.acceptability.merge(part.acceptability);
    }
    done = std::min(settings.runs, (first + count) * kBlockSize);
    if (settings.progress) settings.progress(done, settings.runs);
    if (settings.until_settled && done < settings.runs) {
      settled_by = settling_rule(total, l);
      if (!settled_by.empty()) break;
    }
  }

  Tally counts = l.make_tally(false);
  for (Tally& t : tallies) {
    if (t.since_flush > 0) fans.flush(t);
    add_into(counts.satisficed, t.satisficed);
    add_into(counts.score_hist, t.score_hist);
    add_into(counts.regret_hist, t.regret_hist);
    add_into(counts.first_war, t.first_war);
    add_into(counts.metric_hist, t.metric_hist);
    add_into(counts.regimes, t.regimes);
  }

  RunTotals r;
  r.realisations = done;
  r.sample_rows = std::min(sample.rows, done);
  sample.values.resize(static_cast<std::size_t>(r.sample_rows) * sample.width);
  sample.scores.resize(static_cast<std::size_t>(r.sample_rows) * l.options);
  sample.relapse.resize(static_cast<std::size_t>(r.sample_rows) * l.options);
  r.sample_values = std::move(sample.values);
  r.sample_scores = std::move(sample.scores);
  r.sample_relapse = std::move(sample.relapse);
  r.settled = !settled_by.empty();
  r.settled_by = settled_by;
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
  }
  r.metric_hist = std::move(counts.metric_hist);
  expand_trajectories(l, fans.hist, total.fan_sum, counts.regimes, r);
  return r;
}

}  // namespace peacesim
