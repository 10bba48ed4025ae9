// The assessment's sequential Monte Carlo sampler; see assessment.h and docs/analysis.md.
#include "engine/assessment.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "engine/parallel.h"
#include "engine/realisation.h"
#include "engine/rng.h"
#include "engine/runner.h"

namespace peacesim {

LatentLayout::LatentLayout(const Model& model, int last_month) {
  dimensions = model.dimensions;
  int k = dimensions;
  if (model.planning_scenarios.size() > 1) scenario = k++;
  drivers = static_cast<int>(model.drivers.size());
  actors = static_cast<int>(model.actors.size());
  months = last_month;
  noise = k;
  width = k + months * (drivers + actors + 2);
}

namespace {

// The sampler's own draws come from Stream::kAssessment keyed by particle and move (index: a
// coordinate of z, then the acceptance uniform); resampling draws use realisation kResampling +
// step. Moves are numbered 1 to kLastMove (the month field of a stream holds 16 bits, and the last
// value is the expected observations', cpas.cc).
constexpr Stream kAssessment = Stream::kAssessment;
constexpr std::uint64_t kResampling = std::uint64_t{1} << 62;
constexpr std::uint32_t kLastMove = 0xfffe;
// Tempering steps one month's observations may take; beyond it they are more than the futures can
// meet, and the sampler stops (collapsed). A month of observations the futures agree with takes 1-3.
constexpr int kMaxStepsPerMonth = 64;

// u = Phi(z), kept inside (0, 1) as the quantile functions need.
double uniform_of(double z) {
  constexpr double kLow = 0x1.0p-53, kHigh = 1 - 0x1.0p-53;
  return std::clamp(0.5 * std::erfc(-z / std::sqrt(2.0)), kLow, kHigh);
}

// The uniforms of z's quantities (and its planning scenario's, last, when there are several).
void uniforms_of(const LatentLayout& layout, const double* z, std::vector<double>& u) {
  u.resize(layout.scenario >= 0 ? layout.dimensions + 1 : layout.dimensions);
  for (std::size_t d = 0; d < u.size(); ++d) u[d] = uniform_of(z[d]);
}

// Reads particles: a future of the last observed month's length, simulated under the course.
struct Reader {
  Reader(const Model& model, const LatentLayout& layout, const AssessmentSettings& settings)
      : layout(layout), future(model, layout.months, settings.seed) {
    course.option = settings.implemented;
    course.start = settings.since;
  }
  void read(const double* z, double* probes, int& relapse) {
    uniforms_of(layout, z, u);
    future.draw(u, 0, z + layout.noise, layout.months);
    future.simulate(course, outcome);
    std::copy(outcome.probes.begin(), outcome.probes.end(), probes);
    relapse = outcome.relapse_month;
  }
  const LatentLayout& layout;
  Future future;
  Course course;
  Outcome outcome;
  std::vector<double> u;
};

// log N(value; x, sd) up to a constant, summed over the observations `which`.
double log_likelihood(const std::vector<ObservedValue>& observed, const std::vector<int>& which, const double* probes) {
  double ll = 0;
  for (int k : which) {
    const ObservedValue& o = observed[k];
    const double e = (o.value - probes[o.probe]) / o.sd;
    ll -= 0.5 * e * e;
  }
  return ll;
}

// Effective sample size of weights exp(x_i - max x).
double effective_size(const std::vector<double>& log_w) {
  const double top = *std::max_element(log_w.begin(), log_w.end());
  if (!std::isfinite(top)) return 0;  // no future can have made the observations
  double s = 0, s2 = 0;
  for (double x : log_w) {
    const double w = std::exp(x - top);
    s += w;
    s2 += w * w;
  }
  return s * s / s2;
}

// Systematic resampling (Kitagawa 1996): N ancestors for weights exp(log_w - max), one uniform.
std::vector<int> systematic(const std::vector<double>& log_w, double u) {
  const int n = static_cast<int>(log_w.size());
  const double top = *std::max_element(log_w.begin(), log_w.end());
  std::vector<double> w(n);
  double total = 0;
  for (int i = 0; i < n; ++i) total += w[i] = std::exp(log_w[i] - top);
  std::vector<int> ancestors(n);
  double cumulative = 0;
  int j = 0;
  for (int i = 0; i < n; ++i) {
    const double point = (i + u) / n * total;
    while (j < n - 1 && cumulative + w[j] <= point) cumulative += w[j++];
    ancestors[i] = j;
  }
  return ancestors;
}

}  // namespace

void draw_particle(const LatentLayout& layout, const double* z, std::int64_t noise_of, Future& future) {
  std::vector<double> u;
  uniforms_of(layout, z, u);
  future.draw(u, noise_of, z + layout.noise, layout.months);
}

WarAhead war_ahead(const Model& model, const Cloud& cloud, int last_month, const AssessmentSettings& settings) {
  const LatentLayout layout(model, last_month);
  Future future(model, last_month + 24, settings.seed);
  Course course;
  course.option = settings.implemented;
  course.start = settings.since;
  course.switch_month = last_month;
  course.then = -1;
  Outcome outcome;
  Trajectory trajectory;
  int war12 = 0, war24 = 0;
  for (int i = 0; i < cloud.size(); ++i) {
    draw_particle(layout, &cloud.z[static_cast<std::size_t>(i) * cloud.width], i, future);
    future.simulate(course, outcome, &trajectory);
    bool within12 = false, within24 = false;
    for (int t = last_month + 1; t <= last_month + 24; ++t)
      if (trajectory.regime[t] == static_cast<std::uint8_t>(models::Regime::kWar)) {
        within24 = true;
        within12 = within12 || t <= last_month + 12;
      }
    war12 += within12;
    war24 += within24;
  }
  const double n = cloud.size();
  return {war12 / n, war24 / n};
}

Assessment assess(const Model& model, const std::vector<ObservedValue>& observed, const AssessmentSettings& settings) {
  if (observed.empty()) throw std::invalid_argument("no observations to assess");
  std::set<int> month_set;
  for (const ObservedValue& o : observed) month_set.insert(o.month);
  const std::vector<int> months(month_set.begin(), month_set.end());
  Assessment a;
  a.last_month = months.back();
  const LatentLayout layout(model, a.last_month);
  const int n = settings.particles, width = layout.width, np = static_cast<int>(model.probes.size());
  // The observations of each month (stage).
  std::vector<std::vector<int>> stage(months.size());
  for (std::size_t k = 0; k < observed.size(); ++k)
    stage[std::lower_bound(months.begin(), months.end(), observed[k].month) - months.begin()].push_back(
        static_cast<int>(k));

  Cloud cloud;
  cloud.width = width;
  cloud.z.resize(static_cast<std::size_t>(n) * width);
  cloud.probes.resize(static_cast<std::size_t>(n) * np);
  cloud.relapse_month.resize(n);
  tbb::enumerable_thread_specific<Reader> readers(std::cref(model), std::cref(layout), std::cref(settings));
  tbb::task_arena arena(worker_threads(settings.threads));

  // The prior: particle i is realisation i of a plain Monte Carlo run (its quantities and noise).
  arena.execute([&] {
    peacesim::parallel_for(tbb::blocked_range<int>(0, n), [&](const tbb::blocked_range<int>& range) {
      Reader& reader = readers.local();
      for (int i = range.begin(); i < range.end(); ++i) {
        double* z = &cloud.z[static_cast<std::size_t>(i) * width];
        const RandomStream parameters(settings.seed, i, Stream::kParameters, 0);
        for (int d = 0; d < layout.dimensions; ++d) z[d] = parameters.normal(d);
        if (layout.scenario >= 0) z[layout.scenario] = RandomStream(settings.seed, i, kAssessment, 0).normal(0);
        double* e = z + layout.noise;
        for (int k = 0; k < layout.months; ++k, e += layout.drivers + layout.actors + 2)
          draw_month_noise(settings.seed, i, k, layout.drivers, layout.actors, e, e + layout.drivers,
                           e + layout.drivers + layout.actors);
        reader.read(z, &cloud.probes[static_cast<std::size_t>(i) * np], cloud.relapse_month[i]);
      }
    });
  });
  a.prior = cloud;

  // Log-likelihoods of each particle: of the months already taken in (done), and of this month's.
  std::vector<double> done(n, 0.0), now(n, 0.0), log_w(n);
  std::vector<long> id(n);
  for (int i = 0; i < n; ++i) id[i] = i;
  long next_id = n;
  // Moves by block: the quantities (and planning scenario), then the noise of the months observed so
  // far. Coordinate k moves by z'_k = rho_k z_k + h_k xi_k, h_k = sqrt(1 - rho_k^2) = min(1, scale_b
  // spread_k): each coordinate's AR(1) step keeps its N(0, 1) prior, so the acceptance is the
  // likelihood ratio; spread_k, the cloud's spread in k, gives coordinates the data pin down
  // smaller steps than those they leave at their prior. scale_b adapts to the block's acceptance.
  double scale[2] = {0.5, 0.5};
  std::vector<double> spread(width), h(width), rho(width);
  std::uint32_t move = 0;
  std::uint64_t resamplings = 0;
  a.min_ess = n;
  for (std::size_t j = 0; j < months.size() && !a.collapsed; ++j) {
    for (int i = 0; i < n; ++i)
      now[i] = log_likelihood(observed, stage[j], &cloud.probes[static_cast<std::size_t>(i) * np]);
    double power = 0;
    for (int steps = 0; power < 1; ++steps) {
      if (steps == kMaxStepsPerMonth) {  // more than the futures can meet: a collapse, not a hang
        a.collapsed = true;
        break;
      }
      // The largest step of power that keeps half the particles effective (all of it if it can).
      auto ess_at = [&](double delta) {
        for (int i = 0; i < n; ++i) log_w[i] = delta * now[i];
        return effective_size(log_w);
      };
      double delta = 1 - power;
      if (ess_at(delta) < 0.5 * n) {
        double lo = 0, hi = delta;
        for (int it = 0; it < 60; ++it) {
          const double mid = 0.5 * (lo + hi);
          (ess_at(mid) >= 0.5 * n ? lo : hi) = mid;
        }
        delta = std::max(lo, 1e-12);
      }
      power = delta >= 1 - power ? 1.0 : power + delta;
      FilterStep step;
      step.month = months[j];
      step.power = power;
      step.ess = ess_at(delta);
      a.min_ess = std::min(a.min_ess, step.ess);

      // Resample (systematic), then move.
      const std::vector<int> ancestors =
          systematic(log_w, RandomStream(settings.seed, kResampling + resamplings++, kAssessment, 0).uniform(0));
      Cloud next = cloud;
      std::vector<double> done_next(n), now_next(n);
      std::vector<long> id_next(n);
      for (int i = 0; i < n; ++i) {
        const int p = ancestors[i];
        std::copy_n(&cloud.z[static_cast<std::size_t>(p) * width], width, &next.z[static_cast<std::size_t>(i) * width]);
        std::copy_n(&cloud.probes[static_cast<std::size_t>(p) * np], np,
                    &next.probes[static_cast<std::size_t>(i) * np]);
        next.relapse_month[i] = cloud.relapse_month[p];
        done_next[i] = done[p];
        now_next[i] = now[p];
        id_next[i] = id[p];
      }
      cloud = std::move(next);
      done.swap(done_next);
      now.swap(now_next);
      id.swap(id_next);

      // The noise of the months after this one does not enter the target yet: each particle draws it
      // afresh from its prior (a Gibbs step), so that copies of one ancestor part in the months to come.
      const int future_begin = std::min(width, layout.noise + months[j] * (layout.drivers + layout.actors + 2));
      if (future_begin < width && ++move > kLastMove) a.collapsed = true;
      if (future_begin < width && !a.collapsed) {
        arena.execute([&] {
          peacesim::parallel_for(tbb::blocked_range<int>(0, n), [&](const tbb::blocked_range<int>& range) {
            Reader& reader = readers.local();
            for (int i = range.begin(); i < range.end(); ++i) {
              const RandomStream r(settings.seed, static_cast<std::uint64_t>(i), kAssessment, move);
              double* z = &cloud.z[static_cast<std::size_t>(i) * width];
              for (int k = future_begin; k < width; ++k) z[k] = r.normal(static_cast<std::uint64_t>(k));
              reader.read(z, &cloud.probes[static_cast<std::size_t>(i) * np], cloud.relapse_month[i]);
            }
          });
        });
        for (int i = 0; i < n; ++i) id[i] = next_id++;
      }
      const int blocks[2][2] = {{0, layout.noise}, {layout.noise, future_begin}};
      for (int k = 0; k < future_begin; ++k) {  // the cloud's spread, summed over particles in order
        double mean = 0, m2 = 0;
        for (int i = 0; i < n; ++i) {
          const double x = cloud.z[static_cast<std::size_t>(i) * width + k], d = x - mean;
          mean += d / (i + 1);
          m2 += d * (x - mean);
        }
        spread[k] = std::sqrt(m2 / std::max(1, n - 1));
      }
      std::int64_t accepted_total = 0, proposed_total = 0;
      for (int m = 0; m < settings.moves && !a.collapsed; ++m)
        for (int b = 0; b < 2; ++b) {
          const int first = blocks[b][0], end = blocks[b][1];
          if (first >= end) continue;
          if (++move > kLastMove) {
            a.collapsed = true;
            break;
          }
          for (int k = first; k < end; ++k) {
            h[k] = std::clamp(scale[b] * spread[k], 1e-3, 1.0);
            rho[k] = std::sqrt(1 - h[k] * h[k]);
          }
          std::vector<char> accepted(n, 0);
          arena.execute([&] {
            peacesim::parallel_for(tbb::blocked_range<int>(0, n), [&](const tbb::blocked_range<int>& range) {
              Reader& reader = readers.local();
              std::vector<double> z2(width), probes2(np);
              for (int i = range.begin(); i < range.end(); ++i) {
                const RandomStream r(settings.seed, static_cast<std::uint64_t>(i), kAssessment, move);
                const double* z = &cloud.z[static_cast<std::size_t>(i) * width];
                std::copy_n(z, width, z2.data());
                for (int k = first; k < end; ++k)
                  z2[k] = rho[k] * z[k] + h[k] * r.normal(static_cast<std::uint64_t>(k));
                int relapse = 0;
                reader.read(z2.data(), probes2.data(), relapse);
                double done2 = 0;
                for (std::size_t s = 0; s < j; ++s) done2 += log_likelihood(observed, stage[s], probes2.data());
                const double now2 = log_likelihood(observed, stage[j], probes2.data());
                const double log_ratio = (done2 + power * now2) - (done[i] + power * now[i]);
                if (std::log(r.uniform(static_cast<std::uint64_t>(width))) < log_ratio) {
                  std::copy(z2.begin(), z2.end(), &cloud.z[static_cast<std::size_t>(i) * width]);
                  std::copy(probes2.begin(), probes2.end(), &cloud.probes[static_cast<std::size_t>(i) * np]);
                  cloud.relapse_month[i] = relapse;
                  done[i] = done2;
                  now[i] = now2;
                  accepted[i] = 1;
                }
              }
            });
          });
          std::int64_t count = 0;
          for (int i = 0; i < n; ++i)
            if (accepted[i]) {
              ++count;
              id[i] = next_id++;
            }
          accepted_total += count;
          proposed_total += n;
          // Aim at about a quarter accepted (Roberts & Rosenthal 2001): smaller steps when fewer are.
          scale[b] = std::clamp(scale[b] * std::exp(static_cast<double>(count) / n - 0.25), 1e-3, 10.0);
        }
      step.acceptance =
          proposed_total > 0 ? static_cast<double>(accepted_total) / static_cast<double>(proposed_total) : 1;
      step.distinct = static_cast<int>(std::set<long>(id.begin(), id.end()).size());
      a.steps.push_back(step);
      if (a.collapsed) break;
    }
    for (int i = 0; i < n; ++i) done[i] += now[i];
  }
  if (a.steps.empty() || a.steps.back().distinct < std::max(10, n / 10) || a.steps.back().acceptance < 0.02)
    a.collapsed = true;
  a.posterior = std::move(cloud);
  return a;
}

}  // namespace peacesim
