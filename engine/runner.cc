// Parallel Monte Carlo with deterministic merging; see runner.h.
#include "engine/runner.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>

#include "engine/realisation.h"
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
  static const Scale counts = Scale::log(1e-2, 1e9, 20);
  static const Scale shares = Scale::linear(0, 1, 200);
  static const Scale intensity = Scale::linear(-1.5, 2.5, 200);
  switch (static_cast<Indicator>(indicator)) {
    case Indicator::kConflictIntensity:
      return intensity;
    case Indicator::kWomenParticipation:
    case Indicator::kWomenRepresentation:
    case Indicator::kGbv:
      return shares;
    default:
      return counts;
  }
}

int fan_bins() {
  int n = 0;
  for (int i = 0; i < kIndicatorCount; ++i) n = std::max(n, fan_scale(i).size());
  return n;
}

namespace {

// Floating-point partial sums of one block, merged in block order.
struct BlockPartial {
  struct Evaluation {
    Moments score, regret, vs_baseline;
    double best_share = 0;
    std::array<Moments, kMetricCount> metrics;
  };
  std::vector<Evaluation> evaluations;  // [o * groups + g]
  std::vector<double> fan_sum;

  void reset(std::size_t evaluations_size, std::size_t fan_size) {
    evaluations.assign(evaluations_size, Evaluation{});
    fan_sum.assign(fan_size, 0.0);
  }
};

// Integer counts of one thread; summed exactly in any order.
struct Tally {
  std::vector<std::uint64_t> satisficed;  // [o * groups + g]
  std::vector<std::uint32_t> score_hist;  // [(o * groups + g) * S + b]
  std::vector<std::uint32_t> regret_hist;
  std::vector<std::uint64_t> first_war;  // [(o * groups + g) * (H + 1) + t]
  std::vector<std::uint32_t> metric_hist;
  std::vector<std::uint32_t> fan_hist;
  std::vector<std::uint64_t> regimes;
};

struct Layout {
  int options, groups, horizon, points, fan_bins, score_bins, metric_bins;
  std::vector<int> fan_months;
  std::vector<int> fan_point_of_month;  // -1 when the month is not sampled
  std::array<const Scale*, kIndicatorCount> fan_scales{};
  const Scale* score = nullptr;
  const Scale* metric = nullptr;

  std::size_t evaluations() const { return static_cast<std::size_t>(options) * groups; }
  std::size_t fan_cells() const { return static_cast<std::size_t>(options) * kIndicatorCount * points; }

  Tally make_tally() const {
    Tally t;
    t.satisficed.assign(evaluations(), 0);
    t.score_hist.assign(evaluations() * score_bins, 0);
    t.regret_hist.assign(evaluations() * score_bins, 0);
    t.first_war.assign(evaluations() * (horizon + 1), 0);
    t.metric_hist.assign(static_cast<std::size_t>(options) * kMetricCount * metric_bins, 0);
    t.fan_hist.assign(fan_cells() * fan_bins, 0);
    t.regimes.assign(static_cast<std::size_t>(options) * (horizon + 1) * 4, 0);
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
  std::vector<double> theta;
  RealisationParams params;
  Noise noise;
  WorldScratch world;
  std::vector<Outcome> outcomes;
  Trajectory trajectory;
  std::vector<double> scores, shares;
};

void run_block(const Model& model, const Sampler& sampler, const Layout& l, const RunSettings& settings,
               std::int64_t begin, std::int64_t end, Workspace& ws, BlockPartial& partial, Tally& tally) {
  const int no = l.options;
  ws.outcomes.resize(no);
  ws.scores.resize(no);
  for (std::int64_t i = begin; i < end; ++i) {
    const int p = sampler.planning_scenario(i);
    sampler.draw(i, p, ws.theta);
    build_realisation(model, ws.theta, p, l.horizon, ws.params);
    draw_noise(model, settings.seed, i, l.horizon, ws.noise);
    for (int o = 0; o < no; ++o) {
      simulate(ws.params, o, ws.noise, ws.world, ws.outcomes[o], &ws.trajectory);
      for (int t = 0; t <= l.horizon; ++t) {
        tally.regimes[(static_cast<std::size_t>(o) * (l.horizon + 1) + t) * 4 + ws.trajectory.regime[t]] += 1;
        const int point = l.fan_point_of_month[t];
        if (point < 0) continue;
        const double* x = &ws.trajectory.indicators[static_cast<std::size_t>(t) * kIndicatorCount];
        for (int ind = 0; ind < kIndicatorCount; ++ind) {
          const std::size_t cell = (static_cast<std::size_t>(o) * kIndicatorCount + ind) * l.points + point;
          partial.fan_sum[cell] += x[ind];
          tally.fan_hist[cell * l.fan_bins + l.fan_scales[ind]->bin(x[ind])] += 1;
        }
      }
      for (int m = 0; m < kMetricCount; ++m)
        tally.metric_hist[(static_cast<std::size_t>(o) * kMetricCount + m) * l.metric_bins +
                          l.metric->bin(ws.outcomes[o].metrics[m])] += 1;
      ws.scores[o] = score(model, ws.outcomes[o]);
    }
    const double best = best_shares(ws.scores, ws.shares);
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
  }
}

template <typename T>
void add_into(std::vector<T>& total, const std::vector<T>& part) {
  for (std::size_t k = 0; k < total.size(); ++k) total[k] += part[k];
}

}  // namespace

RunTotals run(const Model& model, const RunSettings& settings) {
  const Layout l = make_layout(model, settings.horizon);
  const Sampler sampler(model, settings.seed, settings.runs);
  const std::int64_t blocks = (settings.runs + kBlockSize - 1) / kBlockSize;

  // Wave size bounds the memory of block partials; it does not affect the results.
  const std::size_t partial_bytes = l.evaluations() * sizeof(BlockPartial::Evaluation) + l.fan_cells() * sizeof(double);
  const std::int64_t wave = std::clamp<std::int64_t>(static_cast<std::int64_t>((64u << 20) / partial_bytes), 4, 64);

  BlockPartial total;
  total.reset(l.evaluations(), l.fan_cells());
  std::vector<BlockPartial> partials(static_cast<std::size_t>(std::min(wave, blocks)));
  tbb::enumerable_thread_specific<Tally> tallies([&] { return l.make_tally(); });
  tbb::enumerable_thread_specific<Workspace> workspaces;

  const int threads = settings.threads > 0 ? settings.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  for (std::int64_t first = 0; first < blocks; first += wave) {
    const std::int64_t count = std::min(wave, blocks - first);
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::int64_t>(0, count, 1),
          [&](const tbb::blocked_range<std::int64_t>& range) {
            for (std::int64_t b = range.begin(); b < range.end(); ++b) {
              BlockPartial& partial = partials[b];
              partial.reset(l.evaluations(), l.fan_cells());
              const std::int64_t begin = (first + b) * kBlockSize;
              const std::int64_t end = std::min(settings.runs, begin + kBlockSize);
              run_block(model, sampler, l, settings, begin, end, workspaces.local(), partial, tallies.local());
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
    }
    if (settings.progress) settings.progress(std::min(settings.runs, (first + count) * kBlockSize), settings.runs);
  }

  Tally counts = l.make_tally();
  for (const Tally& t : tallies) {
    add_into(counts.satisficed, t.satisficed);
    add_into(counts.score_hist, t.score_hist);
    add_into(counts.regret_hist, t.regret_hist);
    add_into(counts.first_war, t.first_war);
    add_into(counts.metric_hist, t.metric_hist);
    add_into(counts.fan_hist, t.fan_hist);
    add_into(counts.regimes, t.regimes);
  }

  RunTotals r;
  r.options = l.options;
  r.groups = l.groups;
  r.horizon = l.horizon;
  r.fan_months = l.fan_months;
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
  r.fan_hist = std::move(counts.fan_hist);
  r.fan_sum = std::move(total.fan_sum);
  r.regimes = std::move(counts.regimes);
  return r;
}

}  // namespace peacesim
