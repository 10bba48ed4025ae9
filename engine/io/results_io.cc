// Results message construction and files; see results_io.h.
#include "engine/io/results_io.h"

#include <fcntl.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/factors.h"
#include "engine/io/diagnostics.h"
#include "engine/io/enum_mirrors.h"
#include "engine/io/load.h"
#include "engine/io/sha256.h"
#include "engine/io/validate.h"
#include "engine/realisation.h"
#include "engine/robustness.h"
#include "engine/sampling.h"
#include "engine/weights.h"

namespace peacesim::io {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPercentiles[] = {5, 10, 25, 50, 75, 90, 95};

void fill(v1::Distribution& out, const Moments& m, const Scale* scale, const std::uint32_t* counts) {
  out.set_mean(m.mean);
  out.set_sd(m.sd());
  const double h = m.ci95_half_width();
  out.set_ci95_low(m.mean - h);
  out.set_ci95_high(m.mean + h);
  out.set_min(m.n > 0 ? m.min : 0);
  out.set_max(m.n > 0 ? m.max : 0);
  if (scale == nullptr || m.n == 0) return;
  for (double p : kPercentiles) {
    auto* pc = out.add_percentiles();
    pc->set_p(p);
    pc->set_value(percentile(*scale, counts, p / 100, m.min, m.max));
  }
}

// Fan charts and regime shares of option o in group g.
void add_trajectories(v1::Evaluation& ev, const RunTotals& t, int o, int g) {
  const double n = static_cast<double>(t.evaluation(o, g).score.n);
  const int points = static_cast<int>(t.fan_months.size());
  for (int ind = 0; ind < kIndicatorCount; ++ind) {
    auto* fan = ev.add_fan_charts();
    fan->set_indicator(static_cast<v1::Indicator>(ind + 1));
    const Scale& scale = fan_scale(ind);
    for (int p = 0; p < points; ++p) {
      const std::size_t cell = t.trajectories.fan_cell(o, g, ind, p);
      // The cell's bins, t.trajectories.points apart.
      const std::uint32_t* counts = &t.fan_hist[t.trajectories.fan_count(o, g, ind, 0, p)];
      static constexpr double kFanPercentiles[] = {0.05, 0.25, 0.50, 0.75, 0.95};
      double q[std::size(kFanPercentiles)];
      percentiles(scale, counts, kFanPercentiles, -kInf, kInf, q, t.trajectories.points);
      fan->add_month(t.fan_months[p]);
      fan->add_p05(q[0]);
      fan->add_p25(q[1]);
      fan->add_p50(q[2]);
      fan->add_p75(q[3]);
      fan->add_p95(q[4]);
      fan->add_mean(n > 0 ? t.fan_sum[cell] / n : 0);
    }
  }
  for (int month = 0; month <= t.horizon; ++month) {
    const std::uint64_t* c = &t.regimes[t.trajectories.regime_cell(o, g, month)];
    const double total = static_cast<double>(c[0] + c[1] + c[2] + c[3]);
    auto* rs = ev.add_regime_shares();
    rs->set_month(month);
    if (total > 0) {
      rs->set_stable_peace(c[0] / total);
      rs->set_unstable_peace(c[1] / total);
      rs->set_crisis(c[2] / total);
      rs->set_war(c[3] / total);
    }
  }
}

// The robustness summary of option o over all realisations, from its bounded accumulators.
ScoreSummary score_summary(const RunTotals& t, int o) {
  const EvaluationTotals& e = t.evaluation(o, 0);
  const Scale& sc = score_scale();
  const std::uint32_t* h = e.score_hist.data();
  ScoreSummary s;
  s.mean = e.score.mean;
  s.sd = e.score.sd();
  s.min = e.score.min;
  s.max = e.score.max;
  s.p10 = percentile(sc, h, 0.10, s.min, s.max);
  s.p25 = percentile(sc, h, 0.25, s.min, s.max);
  s.p50 = percentile(sc, h, 0.50, s.min, s.max);
  s.p75 = percentile(sc, h, 0.75, s.min, s.max);
  s.p90 = percentile(sc, h, 0.90, s.min, s.max);
  s.regret_max = e.regret.max;
  s.regret_p90 = percentile(sc, e.regret_hist.data(), 0.90, e.regret.min, e.regret.max);
  s.shortfall_below_median = mean_shortfall(sc, h, s.p50, s.min, s.max);
  s.satisficing = e.score.n > 0 ? static_cast<double>(e.satisficed) / static_cast<double>(e.score.n) : 0;
  return s;
}

// 95% bootstrap intervals of each option's mean score, P(best) and rank.
void add_bootstrap(v1::Results& r, const RunTotals& t) {
  const int n = t.options, replicates = static_cast<int>(t.boot_weight.size());
  std::vector<std::vector<double>> score(n), best(n), rank(n);
  std::vector<int> order(n);
  for (int b = 0; b < replicates; ++b) {
    const double w = t.boot_weight[b];
    if (!(w > 0)) continue;
    for (int o = 0; o < n; ++o) {
      score[o].push_back(t.boot_score[b * n + o] / w);
      best[o].push_back(t.boot_best[b * n + o] / w);
    }
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return t.boot_score[b * n + x] > t.boot_score[b * n + y]; });
    for (int k = 0; k < n; ++k) rank[order[k]].push_back(k + 1);
  }
  if (score.empty() || score[0].empty()) return;
  for (int o = 0; o < n; ++o) {
    auto* bi = r.mutable_options(o)->mutable_overall()->mutable_bootstrap();
    bi->set_replicates(static_cast<int>(score[o].size()));
    bi->set_score_low(quantile_type7(score[o], 0.025));
    bi->set_score_high(quantile_type7(score[o], 0.975));
    bi->set_p_best_low(quantile_type7(best[o], 0.025));
    bi->set_p_best_high(quantile_type7(best[o], 0.975));
    bi->set_rank_low(static_cast<int>(std::floor(quantile_type7(rank[o], 0.025))));
    bi->set_rank_high(static_cast<int>(std::ceil(quantile_type7(rank[o], 0.975))));
  }
}

void add_robustness(v1::Results& r, const Model& model, const RunTotals& t, double alpha) {
  std::vector<ScoreSummary> summaries;
  for (int o = 0; o < t.options; ++o) summaries.push_back(score_summary(t, o));
  r.set_hurwicz_alpha(alpha);
  std::string top;
  bool disagree = false;
  for (int k = 0; k < kRobustnessMetricCount; ++k) {
    const auto metric = static_cast<RobustnessMetric>(k);
    auto* ranking = r.add_robustness();
    ranking->set_metric(static_cast<v1::RobustnessMetric>(k + 1));
    for (int o : rank(summaries, metric, alpha)) {
      ranking->add_option_ids(model.options[o].id);
      ranking->add_values(robustness(summaries[o], metric, alpha));
    }
    if (k == 0) top = ranking->option_ids(0);
    disagree = disagree || ranking->option_ids(0) != top;
  }
  r.set_top_option_depends_on_metric(disagree);
}

// The value judgements behind the ranking: weights, stakeholders' rankings, weight intervals over
// which the recommendation holds, and SMAA-2 when the weights are declared uncertain.
void add_value_judgements(v1::Results& r, const Model& model, const RunTotals& t, int recommended) {
  const int nc = static_cast<int>(model.criteria.size());
  auto* v = r.mutable_value_judgements();
  std::vector<double> weights;
  for (const auto& c : model.criteria) {
    v->add_criteria(c.id);
    v->add_weights(c.weight);
    weights.push_back(c.weight);
  }
  std::vector<double> mean;
  for (const Moments& m : t.criterion_values) mean.push_back(m.mean);
  v->mutable_mean_values()->Add(mean.begin(), mean.end());
  v->set_recommended_option_id(model.options[recommended].id);
  for (const auto& set : model.weight_sets) {
    auto* s = v->add_stakeholders();
    s->set_id(set.id);
    s->set_name(set.name);
    const double total = std::accumulate(set.raw.begin(), set.raw.end(), 0.0);
    std::vector<double> w;
    for (double x : set.raw) w.push_back(x / total);
    s->mutable_weights()->Add(w.begin(), w.end());
    const std::vector<double> scores = expected_scores(mean, nc, w);
    std::vector<int> order(t.options);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[a] > scores[b]; });
    for (int o : order) {
      s->add_option_ids(model.options[o].id);
      s->add_scores(scores[o]);
    }
  }
  for (int c = 0; c < nc; ++c) {
    const Stability st = weight_stability(mean, nc, weights, recommended, c);
    auto* s = v->add_stability();
    s->set_criterion(model.criteria[c].id);
    s->set_weight(weights[c]);
    s->set_low(st.low);
    s->set_high(st.high);
    if (st.below >= 0) s->set_below(model.options[st.below].id);
    if (st.above >= 0) s->set_above(model.options[st.above].id);
  }
  const AcceptabilityTally& a = t.acceptability;
  if (!model.weights_uncertain() || !(a.draws > 0)) return;
  auto* acc = v->mutable_acceptability();
  acc->set_draws(static_cast<std::int64_t>(a.draws));
  acc->set_draws_per_future(kWeightDrawsPerFuture);
  for (int o = 0; o < t.options; ++o) {
    auto* x = acc->add_options();
    x->set_option_id(model.options[o].id);
    for (int k = 0; k < t.options; ++k) x->add_rank(a.rank[o * t.options + k] / a.draws);
    const double first = a.rank[o * t.options];
    if (first > 0)
      for (int c = 0; c < nc; ++c) x->add_central_weights(a.central[o * nc + c] / first);
  }
}

// The option as compiled: what the viewers draw, so that they never compile the stored scenario
// (which could fail, or disagree with the engine that wrote the results).
void fill_plan(v1::OptionPlan& out, const Model& model, const OptionSpec& spec) {
  auto median = [&](int q) { return nominal(model.quantities[q].base); };
  out.set_troops(median(spec.troops));
  out.set_police(median(spec.police));
  out.set_observers(median(spec.observers));
  out.set_civilians(median(spec.civilians));
  out.set_deployment_months(median(spec.deployment));
  for (const StrengthStep& step : spec.drawdown) {
    auto* d = out.add_drawdown();
    d->set_month(step.month);
    d->set_troops(step.share[static_cast<int>(Personnel::kTroops)]);
    d->set_police(step.share[static_cast<int>(Personnel::kPolice)]);
    d->set_observers(step.share[static_cast<int>(Personnel::kObservers)]);
    d->set_civilians(step.share[static_cast<int>(Personnel::kCivilians)]);
  }
  if (spec.withdrawal_month >= 0) out.set_withdrawal_month(spec.withdrawal_month);
  const std::vector<ActivityWindow> window = schedule(spec, {});
  auto month = [](int k) { return k >= ActivityWindow::kNever ? -1 : k; };
  for (std::size_t j = 0; j < spec.activities.size(); ++j) {
    const ActivitySpec& a = spec.activities[j];
    auto* x = out.add_activities();
    x->set_id(a.id);
    x->set_kind(static_cast<v1::ActivityKind>(static_cast<int>(a.kind) + 1));
    x->set_lead(static_cast<v1::Component>(static_cast<int>(a.lead) + 1));
    x->set_start_month(a.start_month);
    x->set_duration_months(a.duration_months);
    x->set_intensity(a.intensity);
    x->set_priority(a.priority);
    for (int p : a.after) x->add_after(spec.activities[p].id);
    x->set_scheduled_start_month(month(window[j].start));
    x->set_scheduled_end_month(month(window[j].end));
  }
}

}  // namespace

std::string deterministic_bytes(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

std::string scenario_fingerprint(const v1::Scenario& scenario) { return sha256_hex(deterministic_bytes(scenario)); }

v1::Results to_results(const Model& model, const v1::Scenario& scenario, const RunTotals& t, const RunInfo& info) {
  v1::Results r;
  auto* prov = r.mutable_provenance();
  prov->set_engine_version(PEACESIM_VERSION);
  prov->set_scenario_name(model.name);
  prov->set_scenario_sha256(info.scenario_sha256);
  prov->set_seed(info.seed);
  prov->set_realisations(info.runs);
  prov->set_horizon_months(info.horizon);
  prov->set_design(model.design == Design::kLatinHypercube ? v1::SAMPLING_DESIGN_LATIN_HYPERCUBE
                   : model.design == Design::kSobol        ? v1::SAMPLING_DESIGN_SOBOL
                                                           : v1::SAMPLING_DESIGN_MONTE_CARLO);
  prov->set_block_size(kBlockSize);
  prov->set_uncertain_quantities(model.dimensions);
  for (const auto& c : scenario.criteria()) *r.add_criteria() = c;
  r.set_baseline_option(model.options[model.baseline].id);

  for (std::size_t p = 0; p < model.planning_scenarios.size(); ++p) {
    auto* ps = r.add_planning_scenarios();
    ps->set_id(model.planning_scenarios[p].id);
    ps->set_name(model.planning_scenarios[p].name);
    ps->set_weight(model.planning_scenarios[p].weight);
    ps->set_realisations(t.evaluation(0, 1 + static_cast<int>(p)).score.n);
  }

  const Scale& ms = metric_scale();
  for (int o = 0; o < t.options; ++o) {
    const OptionSpec& spec = model.options[o];
    auto* opt = r.add_options();
    opt->set_option_id(spec.id);
    opt->set_option_name(spec.name);
    opt->set_role(static_cast<v1::UnRole>(spec.role));
    opt->set_aim(spec.aim);
    fill_plan(*opt->mutable_plan(), model, spec);
    for (int g = 0; g < t.groups; ++g) {
      const EvaluationTotals& e = t.evaluation(o, g);
      v1::Evaluation* ev = g == 0 ? opt->mutable_overall() : opt->add_by_planning_scenario();
      const double n = static_cast<double>(e.score.n);
      if (g > 0) ev->set_planning_scenario_id(model.planning_scenarios[g - 1].id);
      ev->set_realisations(e.score.n);
      fill(*ev->mutable_score(), e.score, &score_scale(), e.score_hist.data());
      ev->set_score_cvar10(lower_tail_mean(score_scale(), e.score_hist.data(), 0.10, e.score.min, e.score.max));
      ev->set_p_best(n > 0 ? e.best_share / n : 0);
      fill(*ev->mutable_regret(), e.regret, &score_scale(), e.regret_hist.data());
      ev->set_p_satisficing(n > 0 ? static_cast<double>(e.satisficed) / n : 0);
      auto* d = ev->mutable_vs_baseline();
      d->set_baseline_option(model.options[model.baseline].id);
      d->set_mean(e.vs_baseline.mean);
      d->set_sd(e.vs_baseline.sd());
      d->set_ci95_low(e.vs_baseline.mean - e.vs_baseline.ci95_half_width());
      d->set_ci95_high(e.vs_baseline.mean + e.vs_baseline.ci95_half_width());
      for (int m = 0; m < kMetricCount; ++m) {
        auto* ms_out = ev->add_metrics();
        ms_out->set_metric(static_cast<v1::Metric>(m + 1));
        const std::uint32_t* counts =
            g == 0 ? &t.metric_hist[(static_cast<std::size_t>(o) * kMetricCount + m) * ms.size()] : nullptr;
        fill(*ms_out->mutable_distribution(), e.metrics[m], g == 0 ? &ms : nullptr, counts);
      }
      std::uint64_t cumulative = 0;
      for (int month = 1; month <= t.horizon; ++month) {
        cumulative += e.first_war[month];
        ev->add_p_relapse_by_month(n > 0 ? static_cast<double>(cumulative) / n : 0);
      }
      if (g < t.trajectories.fan_groups) add_trajectories(*ev, t, o, g);
      for (std::size_t b = 0; b < model.benchmarks.size(); ++b) {
        auto* status = ev->add_benchmarks();
        status->set_benchmark_id(model.benchmarks[b].id);
        status->set_evaluated(model.benchmarks[b].month <= t.horizon);
        if (!status->evaluated() || e.score.n == 0) continue;
        const auto runs = static_cast<std::uint64_t>(e.score.n);
        status->set_p_met(static_cast<double>(e.benchmark_met[b]) / n);
        const Interval ci = wilson_interval(e.benchmark_met[b], runs);
        status->set_ci95_low(ci.low);
        status->set_ci95_high(ci.high);
      }
    }
  }

  add_robustness(r, model, t, info.hurwicz_alpha);
  add_bootstrap(r, t);

  std::vector<int> order(t.options);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return t.evaluation(a, 0).score.mean > t.evaluation(b, 0).score.mean; });
  for (int o : order) r.add_ranking(model.options[o].id);
  add_value_judgements(r, model, t, order.front());
  return r;
}

ResultsFormat results_format_of(const std::string& path) {
  if (path.ends_with(".pb") || path.ends_with(".binpb")) return ResultsFormat::kBinary;
  if (path.ends_with(".json")) return ResultsFormat::kJson;
  const bool scenario = path.ends_with(".textproto") || path.ends_with(".txtpb") || path.ends_with(".pbtxt");
  throw InputError({{path,
                     {},
                     "",
                     scenario ? "this is a scenario file, not results; run it with 'peacesim run " + path + "'"
                              : "unknown results format; expected a file name ending in .pb or .json"}});
}

std::string to_json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) throw std::runtime_error("JSON conversion failed: " + std::string(status.message()));
  return out;
}

namespace {

// The temporary files being written, for the signal handler: fixed buffers, read with only
// async-signal-safe calls. A slot is claimed while its file is open (a run's stream stays open
// while its checkpoints and results are written).
constexpr int kSlots = 4;
char pending_temp[kSlots][4096] = {};
volatile std::sig_atomic_t pending[kSlots] = {};

void remove_pending_and_reraise(int signal) {
  for (int k = 0; k < kSlots; ++k)
    if (pending[k]) ::unlink(pending_temp[k]);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

}  // namespace

void remove_temporary_files_on_signals() {
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) std::signal(s, remove_pending_and_reraise);
}

AtomicFile::AtomicFile(const std::string& path) : path_(path), temp_(path + ".tmp.XXXXXX") {
  fd_ = ::mkstemp(temp_.data());
  if (fd_ < 0) throw OutputError(path + ": cannot create a temporary file beside it: " + std::strerror(errno));
  // While it is written, an interrupt or a termination removes it (a kill -9 cannot be caught).
  for (int k = 0; k < kSlots && temp_.size() < sizeof pending_temp[k]; ++k)
    if (!pending[k]) {
      std::memcpy(pending_temp[k], temp_.c_str(), temp_.size() + 1);
      pending[k] = 1;
      slot_ = k;
      break;
    }
}

std::string in_progress_path(const std::string& path) { return path + ".in-progress"; }

AtomicFile::AtomicFile(const std::string& path, Resumable resumable)
    : path_(path), temp_(in_progress_path(path)), resumable_(true) {
  // Not removed on a signal: a run stopped by one carries on from its checkpoint, and this file.
  if (resumable.keep < 0) {
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) throw OutputError(temp_ + ": cannot create: " + std::strerror(errno));
    return;
  }
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0)
    throw InputError({{temp_, {}, "", std::string("cannot be opened to carry on writing: ") + std::strerror(errno)}});
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || st.st_size < resumable.keep) {
    ::close(fd_);
    fd_ = -1;
    throw InputError(
        {{temp_,
          {},
          "",
          "holds " + std::to_string(static_cast<long long>(st.st_size)) + " bytes, but the checkpoint " +
              "saved it at " + std::to_string(resumable.keep) + ": it is not the file the checkpoint was saved with"}});
  }
  if (::ftruncate(fd_, resumable.keep) != 0 || ::lseek(fd_, resumable.keep, SEEK_SET) != resumable.keep)
    fail("cannot cut it back to the checkpoint");
  size_ = resumable.keep;
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    if (!resumable_) ::unlink(temp_.c_str());
  }
  if (slot_ >= 0) pending[slot_] = 0;
}

void AtomicFile::fail(const std::string& what) {
  const std::string why = std::strerror(errno);
  ::close(fd_);
  fd_ = -1;
  if (!resumable_) ::unlink(temp_.c_str());
  throw OutputError(path_ + ": " + what + ": " + why);
}

std::int64_t AtomicFile::sync() {
  if (::fsync(fd_) != 0) fail("cannot write");
  return size_;
}

void AtomicFile::write(std::string_view bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write");
    }
    written += static_cast<std::size_t>(n);
  }
  size_ += static_cast<std::int64_t>(bytes.size());
}

void AtomicFile::commit() {
  // The permissions of the file it replaces, or else 0666 less the umask: never wider.
  struct stat old {};
  mode_t mode;
  if (::stat(path_.c_str(), &old) == 0) {
    mode = old.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  ::fchmod(fd_, mode);
  if (::fsync(fd_) != 0) fail("cannot write");
  if (::close(fd_) != 0) {
    fd_ = -1;
    const std::string why = std::strerror(errno);
    if (!resumable_) ::unlink(temp_.c_str());
    throw OutputError(path_ + ": cannot write: " + why);
  }
  fd_ = -1;
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    if (!resumable_) ::unlink(temp_.c_str());
    throw OutputError(path_ + ": cannot replace the file: " + why);
  }
}

void write_atomically(const std::string& path, const std::string& contents) {
  AtomicFile file(path);
  file.write(contents);
  file.commit();
}

void check_writable(const std::string& path, const std::string& flag) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {  // an existing file is replaced only if it is a writable one
    if (S_ISDIR(st.st_mode)) throw InputError({{path, {}, flag, "is a directory; name a file to write"}});
    // An output is written beside its path and renamed into place, which would put a plain file
    // where a device, a pipe or a socket was.
    if (!S_ISREG(st.st_mode))
      throw InputError({{path,
                         {},
                         flag,
                         "is not a regular file (a device, a pipe or a socket), which writing would replace; name a "
                         "file to write"}});
    // A read-only file is one someone chose to keep: renaming over it would replace it all the same
    // (only the directory's permissions count), so it is refused. Its mode bits are read as well as
    // access(), which grants root everything.
    if ((st.st_mode & 0222) == 0 || ::access(path.c_str(), W_OK) != 0)
      throw InputError(
          {{path, {}, flag, "is read-only, so it is not replaced; make it writable or name another file"}});
  }
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw InputError({{path, {}, flag, "cannot be written: the directory " + dir + " does not exist"}});
  // A file can be created beside it (the output is written there first, then renamed).
  std::string probe = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) throw InputError({{path, {}, flag, "cannot be written in " + dir + ": " + std::strerror(errno)}});
  ::close(fd);
  ::unlink(probe.c_str());
}

void write_message(const google::protobuf::Message& message, const std::string& path) {
  if (results_format_of(path) == ResultsFormat::kJson) {
    write_atomically(path, to_json(message));
    return;
  }
  write_atomically(path, deterministic_bytes(message));
}

void write_results(const v1::Results& results, const std::string& path) { write_message(results, path); }

bool is_results_file(const std::string& path) {
  if (path.ends_with(".pb") || path.ends_with(".binpb")) return true;
  if (!path.ends_with(".json")) return false;
  try {
    return read_file(path).find("\"provenance\"") != std::string::npos;
  } catch (const InputError&) {
    return false;
  }
}

v1::Results read_results(const std::string& path) {
  const ResultsFormat format = results_format_of(path);
  return parse_results(read_file(path), path, format);
}

namespace {

// Whether a run writes `v` in field `f` although it is not finite: only the open end of a discovered
// box's interval (BoxRestriction: lower -inf, upper +inf).
bool open_end(const google::protobuf::FieldDescriptor* f, double v) {
  if (f->containing_type() != v1::BoxRestriction::descriptor()) return false;
  return (f->number() == v1::BoxRestriction::kLowerFieldNumber && v == -kInf) ||
         (f->number() == v1::BoxRestriction::kUpperFieldNumber && v == kInf);
}

// The path of the first floating-point value of `m` that is not a finite number ("options[0].overall
// .score.mean"), or empty when every one is: a run writes none but open_end's, and a view would draw
// or print one as nonsense. The stored scenario is left to its own validation (validate_stored).
std::string first_not_finite(const google::protobuf::Message& m, const std::string& at) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->message_type() == v1::Scenario::descriptor()) continue;
    const std::string name = at.empty() ? f->name() : at + "." + f->name();
    const int n = f->is_repeated() ? reflection->FieldSize(m, f) : 1;
    auto indexed = [&](int k) { return f->is_repeated() ? name + "[" + std::to_string(k) + "]" : name; };
    for (int k = 0; k < n; ++k) {
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE || f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        const double v =
            f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT
                ? (f->is_repeated() ? reflection->GetRepeatedFloat(m, f, k) : reflection->GetFloat(m, f))
                : (f->is_repeated() ? reflection->GetRepeatedDouble(m, f, k) : reflection->GetDouble(m, f));
        if (!std::isfinite(v) && !open_end(f, v)) return indexed(k);
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const std::string inner = first_not_finite(
            f->is_repeated() ? reflection->GetRepeatedMessage(m, f, k) : reflection->GetMessage(m, f), indexed(k));
        if (!inner.empty()) return inner;
      }
    }
  }
  return "";
}

}  // namespace

v1::Results parse_results(std::string_view bytes, const std::string& path, ResultsFormat format) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw InputError({{path, {}, "", "too large for a results file (at most 2 GB)"}});
  v1::Results r;
  if (format == ResultsFormat::kJson) {
    const auto status =
        google::protobuf::util::JsonStringToMessage(google::protobuf::StringPiece(bytes.data(), bytes.size()), &r);
    if (!status.ok())
      throw InputError({{path, {1, 1}, "", "not a peacesim results file: " + std::string(status.message())}});
  } else if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw InputError({{path, {}, "", "not a peacesim results file (binary protobuf peacesim.v1.Results expected)"}});
  }
  if (!r.has_provenance() || r.options_size() == 0)
    throw InputError({{path, {}, "", "not a peacesim results file: it has no provenance or options"}});
  std::vector<Diagnostic> errors;
  // Every id follows the scenario's id rule (validate.h), so none can carry control characters or
  // markup into a terminal, a CSV cell or the report; an id that may be left out is checked when set.
  auto check_id = [&](const std::string& id, const std::string& field) {
    if (valid_id(id)) return true;
    errors.push_back({path, {}, field, invalid_id_message(id)});
    return false;
  };
  auto check_id_if_set = [&](const std::string& id, const std::string& field) {
    if (!id.empty()) check_id(id, field);
  };
  auto check_ids = [&](const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& field) {
    for (int k = 0; k < list.size(); ++k) check_id(list[k], field + "[" + std::to_string(k) + "]");
  };
  std::set<std::string> ids;
  for (int o = 0; o < r.options_size(); ++o)
    if (check_id(r.options(o).option_id(), "options[" + std::to_string(o) + "].option_id"))
      ids.insert(r.options(o).option_id());
  check_id(r.baseline_option(), "baseline_option");
  for (int k = 0; k < r.criteria_size(); ++k) check_id(r.criteria(k).id(), "criteria[" + std::to_string(k) + "].id");
  if (r.planning_scenarios_size() > kMaxPlanningScenarios)
    errors.push_back({path,
                      {},
                      "planning_scenarios",
                      "has " + std::to_string(r.planning_scenarios_size()) + " entries, more than " +
                          std::to_string(kMaxPlanningScenarios)});
  for (int k = 0; k < r.planning_scenarios_size(); ++k)
    check_id(r.planning_scenarios(k).id(), "planning_scenarios[" + std::to_string(k) + "].id");
  // Rankings name every option once (a hand-edited file may not); the views rely on it.
  std::string all;
  for (const auto& id : ids) all += (all.empty() ? "" : ", ") + id;
  auto check_ranking = [&](const google::protobuf::RepeatedPtrField<std::string>& ranked, const std::string& field) {
    std::set<std::string> seen;
    std::string problem;
    for (int k = 0; k < ranked.size(); ++k) {
      const std::string& id = ranked[k];
      if (!check_id(id, field + "[" + std::to_string(k) + "]"))
        problem = "names an invalid id";
      else if (!ids.count(id))
        problem = "names \"" + id + "\", which is not an option";
      else if (!seen.insert(id).second)
        problem = "names \"" + id + "\" twice";
    }
    if (problem.empty() && seen.size() != ids.size()) problem = "leaves options out";
    if (!problem.empty()) errors.push_back({path, {}, field, problem + "; expected every option id once: " + all});
  };
  check_ranking(r.ranking(), "ranking");
  for (int k = 0; k < r.robustness_size(); ++k)
    check_ranking(r.robustness(k).option_ids(), "robustness[" + std::to_string(k) + "].option_ids");
  // Every repeated list as long as what it refers to, so that the views never index past one.
  const int horizon = r.provenance().horizon_months();
  auto expect_length = [&](std::int64_t size, std::int64_t want, const std::string& field) {
    if (size != want)
      errors.push_back(
          {path, {}, field, "has " + std::to_string(size) + " entries, but " + std::to_string(want) + " are expected"});
  };
  if (horizon < 1 || horizon > kMaxHorizon)
    errors.push_back({path, {}, "provenance.horizon_months", "is " + std::to_string(horizon) + ", outside [1, 600]"});
  auto check_evaluation = [&](const v1::Evaluation& e, const std::string& field) {
    check_id_if_set(e.planning_scenario_id(), field + ".planning_scenario_id");
    check_id_if_set(e.vs_baseline().baseline_option(), field + ".vs_baseline.baseline_option");
    if (!e.p_relapse_by_month().empty() || field.find("overall") != std::string::npos)
      expect_length(e.p_relapse_by_month_size(), horizon, field + ".p_relapse_by_month");
    for (int k = 0; k < e.benchmarks_size(); ++k) {
      const v1::BenchmarkStatus& b = e.benchmarks(k);
      const std::string g = field + ".benchmarks[" + std::to_string(k) + "]";
      check_id(b.benchmark_id(), g + ".benchmark_id");
      for (const auto& [value, name] :
           {std::pair{b.p_met(), "p_met"}, std::pair{b.ci95_low(), "ci95_low"}, std::pair{b.ci95_high(), "ci95_high"}})
        if (!(value >= 0 && value <= 1)) {
          errors.push_back({path, {}, g + "." + name, "is not a probability in [0, 1]"});
          break;
        }
    }
    for (int k = 0; k < e.fan_charts_size(); ++k) {
      const v1::FanChart& f = e.fan_charts(k);
      const std::string g = field + ".fan_charts[" + std::to_string(k) + "]";
      const int months = f.month_size();
      for (const auto& [size, name] :
           {std::pair{f.p05_size(), "p05"}, std::pair{f.p25_size(), "p25"}, std::pair{f.p50_size(), "p50"},
            std::pair{f.p75_size(), "p75"}, std::pair{f.p95_size(), "p95"}, std::pair{f.mean_size(), "mean"}})
        expect_length(size, months, g + "." + name);
      for (int m : f.month())
        if (m < 0 || m > horizon) {
          errors.push_back({path, {}, g + ".month", "names month " + std::to_string(m) + ", outside [0, horizon]"});
          break;
        }
    }
  };
  for (int o = 0; o < r.options_size(); ++o) {
    const std::string field = "options[" + std::to_string(o) + "]";
    check_evaluation(r.options(o).overall(), field + ".overall");
    for (int p = 0; p < r.options(o).by_planning_scenario_size(); ++p)
      check_evaluation(r.options(o).by_planning_scenario(p),
                       field + ".by_planning_scenario[" + std::to_string(p) + "]");
  }
  // Each option's plan, which the synchronisation matrix and the brief draw: counts, months, shares
  // and ids within what a valid scenario compiles to. Each list stops at its first bad entry.
  auto number = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return std::string(text);
  };
  auto outside = [&](const std::string& field, double v, double lo, double hi) {
    if (v >= lo && v <= hi) return false;
    errors.push_back({path, {}, field, "is " + number(v) + ", outside [" + number(lo) + ", " + number(hi) + "]"});
    return true;
  };
  for (int o = 0; o < r.options_size(); ++o) {
    if (!r.options(o).has_plan()) continue;
    const v1::OptionPlan& plan = r.options(o).plan();
    const std::string field = "options[" + std::to_string(o) + "].plan";
    outside(field + ".troops", plan.troops(), 0, 1e6);
    outside(field + ".police", plan.police(), 0, 1e6);
    outside(field + ".observers", plan.observers(), 0, 1e6);
    outside(field + ".civilians", plan.civilians(), 0, 1e6);
    outside(field + ".deployment_months", plan.deployment_months(), 0, 120);
    if (plan.has_withdrawal_month()) outside(field + ".withdrawal_month", plan.withdrawal_month(), 1, kMaxHorizon);
    for (int k = 0; k < plan.drawdown_size(); ++k) {
      const v1::DrawdownStep& step = plan.drawdown(k);
      const std::string f = field + ".drawdown[" + std::to_string(k) + "]";
      if (outside(f + ".month", step.month(), 0, kMaxHorizon) || outside(f + ".troops", step.troops(), 0, 1) ||
          outside(f + ".police", step.police(), 0, 1) || outside(f + ".observers", step.observers(), 0, 1) ||
          outside(f + ".civilians", step.civilians(), 0, 1))
        break;
      if (k > 0 && step.month() <= plan.drawdown(k - 1).month()) {
        errors.push_back({path,
                          {},
                          f + ".month",
                          "is " + std::to_string(step.month()) +
                              ", but drawdown months must increase strictly: the step before is at month " +
                              std::to_string(plan.drawdown(k - 1).month())});
        break;
      }
    }
    if (plan.activities_size() > kMaxActivities) {
      errors.push_back(
          {path,
           {},
           field + ".activities",
           "has " + std::to_string(plan.activities_size()) + " entries, more than " + std::to_string(kMaxActivities)});
      continue;
    }
    std::set<std::string> activities;
    for (int k = 0; k < plan.activities_size(); ++k) {
      const std::string& id = plan.activities(k).id();
      const std::string f = field + ".activities[" + std::to_string(k) + "].id";
      if (!check_id(id, f)) break;
      if (!activities.insert(id).second) {
        errors.push_back({path, {}, f, "duplicate activity id \"" + id + "\""});
        break;
      }
    }
    // The longest schedule: a chain of every activity, each planned to start by month 600 and to last
    // at most 600 months.
    constexpr int kLastScheduledMonth = (kMaxActivities + 1) * kMaxHorizon;
    for (int k = 0; k < plan.activities_size(); ++k) {
      const v1::PlannedActivity& a = plan.activities(k);
      const std::string f = field + ".activities[" + std::to_string(k) + "]";
      auto scheduled = [&](const std::string& name, int month) {
        if (month == -1 || (month >= 0 && month <= kLastScheduledMonth)) return false;
        errors.push_back({path,
                          {},
                          f + "." + name,
                          "is " + std::to_string(month) + ", outside [0, " + std::to_string(kLastScheduledMonth) +
                              "] (or -1: never)"});
        return true;
      };
      if (outside(f + ".kind", a.kind(), 1, v1::ActivityKind_MAX) ||
          outside(f + ".lead", a.lead(), 1, v1::Component_MAX) ||
          outside(f + ".start_month", a.start_month(), 0, kMaxHorizon) ||
          outside(f + ".duration_months", a.duration_months(), 0, kMaxHorizon) ||
          outside(f + ".priority", a.priority(), 1, std::numeric_limits<std::int32_t>::max()) ||
          scheduled("scheduled_start_month", a.scheduled_start_month()) ||
          scheduled("scheduled_end_month", a.scheduled_end_month()))
        break;
      if (!(a.intensity() > 0 && a.intensity() <= 1)) {
        errors.push_back({path, {}, f + ".intensity", "is " + number(a.intensity()) + ", outside (0, 1]"});
        break;
      }
      bool known = true;
      for (int p = 0; p < a.after_size() && known; ++p) {
        known = a.after(p) != a.id() && activities.count(a.after(p));
        if (!known && check_id(a.after(p), f + ".after[" + std::to_string(p) + "]"))
          errors.push_back({path,
                            {},
                            f + ".after[" + std::to_string(p) + "]",
                            "names \"" + a.after(p) + "\", which is not another activity of the option"});
      }
      if (!known) break;
    }
  }
  if (r.has_sample()) {
    const v1::DiscoverySample& s = r.sample();
    const std::int64_t rows = s.rows();
    if (rows < 0 || rows > 100000)
      errors.push_back({path, {}, "sample.rows", "is " + std::to_string(rows) + ", outside [0, 100000]"});
    else {
      expect_length(s.values_size(), rows * s.inputs_size(), "sample.values");
      expect_length(s.scores_size(), rows * s.options_size(), "sample.scores");
      expect_length(s.relapse_size(), rows * s.options_size(), "sample.relapse");
      check_ids(s.planning_scenarios(), "sample.planning_scenarios");
      bool same = s.planning_scenarios_size() == r.planning_scenarios_size();
      for (int k = 0; same && k < s.planning_scenarios_size(); ++k)
        same = s.planning_scenarios(k) == r.planning_scenarios(k).id();
      if (!same)
        errors.push_back({path,
                          {},
                          "sample.planning_scenarios",
                          "are not the results' planning scenarios (planning_scenarios[].id), in their order"});
      for (int k = 0; k < s.scores_size(); ++k)
        if (!(s.scores(k) >= 0 && s.scores(k) <= 1)) {
          errors.push_back({path, {}, "sample.scores[" + std::to_string(k) + "]", "is not a score in [0, 1]"});
          break;
        }
      for (int k = 0; k < s.options_size(); ++k)
        if (check_id(s.options(k), "sample.options[" + std::to_string(k) + "]") && !ids.count(s.options(k)))
          errors.push_back({path, {}, "sample.options", "names \"" + s.options(k) + "\", which is not an option"});
      // Every value is a finite number, and a categorical column (the planning scenario, a
      // condition's draw) holds category indices.
      for (int column = 0; column < s.inputs_size() && s.values_size() == rows * s.inputs_size(); ++column) {
        const int categories = input_categories(s.inputs(column), s.planning_scenarios_size());
        for (std::int64_t i = 0; i < rows; ++i) {
          const double v = s.values(static_cast<int>(i * s.inputs_size() + column));
          if (!std::isfinite(v)) {
            errors.push_back(
                {path,
                 {},
                 "sample.values",
                 "holds a value that is not a finite number for " + s.inputs(column) + " in row " + std::to_string(i)});
            break;
          }
          if (categories > 0 && !is_category(v, categories)) {
            char value[32];
            std::snprintf(value, sizeof value, "%.6g", v);
            errors.push_back({path,
                              {},
                              "sample.values",
                              "holds " + std::string(value) + " for " + s.inputs(column) + " in row " +
                                  std::to_string(i) + ", which is not one of its " + std::to_string(categories) +
                                  " categories (0 to " + std::to_string(categories - 1) + ")"});
            break;
          }
        }
      }
    }
  }
  // The scenario as run must itself be a valid scenario: it is the record of what ran, and discover
  // takes the factors' names from it.
  if (r.has_scenario())
    for (Diagnostic& d : validate_stored(r.scenario(), path, "scenario")) errors.push_back(std::move(d));
  // Value judgements: every list as long as what it refers to.
  if (r.has_value_judgements()) {
    const v1::ValueJudgements& v = r.value_judgements();
    const int nc = v.criteria_size(), no = r.options_size();
    auto length = [&](int size, int want, const std::string& field) {
      if (size != want)
        errors.push_back({path,
                          {},
                          "value_judgements." + field,
                          "has " + std::to_string(size) + " entries, but " + std::to_string(want) + " are expected"});
    };
    length(v.weights_size(), nc, "weights");
    length(v.mean_values_size(), no * nc, "mean_values");
    length(v.stability_size(), nc, "stability");
    check_ids(v.criteria(), "value_judgements.criteria");
    check_id(v.recommended_option_id(), "value_judgements.recommended_option_id");
    for (int k = 0; k < v.stability_size(); ++k) {
      const std::string f = "value_judgements.stability[" + std::to_string(k) + "]";
      check_id(v.stability(k).criterion(), f + ".criterion");
      check_id_if_set(v.stability(k).below(), f + ".below");
      check_id_if_set(v.stability(k).above(), f + ".above");
    }
    for (int k = 0; k < v.stakeholders_size(); ++k) {
      const auto& s = v.stakeholders(k);
      const std::string f = "stakeholders[" + std::to_string(k) + "]";
      check_id(s.id(), "value_judgements." + f + ".id");
      length(s.weights_size(), nc, f + ".weights");
      check_ranking(s.option_ids(), "value_judgements." + f + ".option_ids");
      length(s.scores_size(), s.option_ids_size(), f + ".scores");
    }
    if (v.has_acceptability()) {
      length(v.acceptability().options_size(), no, "acceptability.options");
      for (int k = 0; k < v.acceptability().options_size(); ++k) {
        const auto& x = v.acceptability().options(k);
        const std::string f = "acceptability.options[" + std::to_string(k) + "]";
        check_id(x.option_id(), "value_judgements." + f + ".option_id");
        length(x.rank_size(), no, f + ".rank");
        if (x.central_weights_size() != 0) length(x.central_weights_size(), nc, f + ".central_weights");
      }
    }
  }
  if (r.has_failure_discovery()) {
    const v1::FailureDiscovery& d = r.failure_discovery();
    check_id(d.option_id(), "failure_discovery.option_id");
    if (d.trajectory_size() > 0 && (d.chosen() < 0 || d.chosen() >= d.trajectory_size()))
      errors.push_back({path,
                        {},
                        "failure_discovery.chosen",
                        "is " + std::to_string(d.chosen()) + ", but must index the trajectory's " +
                            std::to_string(d.trajectory_size()) + " boxes"});
  }
  // Sensitivity: every output has one index per input, as the views read them side by side.
  for (int k = 0; k < r.sensitivity().outputs_size(); ++k)
    expect_length(r.sensitivity().outputs(k).indices_size(), r.sensitivity().inputs_size(),
                  "sensitivity.outputs[" + std::to_string(k) + "].indices");
  if (r.has_brief()) {
    check_id(r.brief().recommended_option(), "brief.recommended_option");
    check_id_if_set(r.brief().runner_up(), "brief.runner_up");
  }
  // Last, so that the checks above say more where they apply (a sample's value, a probability).
  if (const std::string field = first_not_finite(r, ""); !field.empty())
    errors.push_back({path, {}, field, "is not a finite number; a run writes none"});
  if (!errors.empty()) throw InputError(std::move(errors));
  return r;
}

}  // namespace peacesim::io
