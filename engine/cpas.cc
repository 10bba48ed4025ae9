// Assess, adjust and the Level One screen; see cpas.h.
#include "engine/cpas.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/assessment.h"
#include "engine/compile.h"
#include "engine/future.h"
#include "engine/io/assessment_io.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"
#include "engine/io/sha256.h"
#include "engine/io/validate.h"
#include "engine/realisation.h"
#include "engine/resolve.h"
#include "engine/rng.h"
#include "engine/runner.h"
#include "engine/stats.h"

namespace peacesim {
namespace {

// The "month" of the measurement errors drawn for the plan's expected observations, past the
// sampler's moves (assessment.cc).
constexpr std::uint32_t kPredictive = 0xffff;

v1::Summary summary_of(const std::vector<double>& x) {
  v1::Summary s;
  s.set_mean(std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size()));
  s.set_p05(quantile_type7(x, 0.05));
  s.set_p50(quantile_type7(x, 0.50));
  s.set_p95(quantile_type7(x, 0.95));
  return s;
}

// Each particle's value of every uncertain dimension (its first quantity): [dimension][particle].
std::vector<std::vector<double>> dimension_values(const Model& model, const LatentLayout& layout, const Cloud& cloud,
                                                  const AnalysisInputs& inputs, std::uint64_t seed) {
  Future future(model, layout.months, seed);
  std::vector<std::vector<double>> out(inputs.quantity.size(), std::vector<double>(cloud.size()));
  for (int i = 0; i < cloud.size(); ++i) {
    draw_particle(layout, &cloud.z[static_cast<std::size_t>(i) * cloud.width], i, future);
    for (std::size_t d = 0; d < inputs.quantity.size(); ++d) out[d][i] = future.theta()[inputs.quantity[d]];
  }
  return out;
}

}  // namespace

v1::Assessment run_assessment(const v1::Scenario& scenario, const io::LoadedObservations& observations,
                              const AssessRequest& request) {
  Model model = compile(scenario);
  const Settings resolved = resolve(model, std::nullopt, request.horizon, request.seed);
  check_threads(request.threads);
  if (request.particles < 100 || request.particles > 100000)
    throw std::invalid_argument("--runs is " + std::to_string(request.particles) +
                                ", but an assessment needs between 100 and 100000 futures");
  if (!(request.defer_threshold >= 0 && request.defer_threshold <= request.start_threshold &&
        request.start_threshold <= 1))
    throw std::invalid_argument(
        "the Level One thresholds must satisfy 0 <= --defer-threshold <= --start-threshold <= 1");
  io::require_valid_observations(observations, scenario, resolved.horizon);
  const io::CompiledObservations compiled = io::compile_observations(observations.observations, model);
  int last = 0;
  for (const ObservedValue& o : compiled.observed) last = std::max(last, o.month);
  if (compiled.implemented >= 0 && last >= resolved.horizon)
    throw std::invalid_argument("the last observation is of month " + std::to_string(last) +
                                ", the horizon: no month is left to adjust; give a longer --horizon");
  std::array<int, kIndicatorCount> state_probe{};
  for (int k = 0; k < kIndicatorCount; ++k) state_probe[k] = model.probe_index({last, {MeasureKind::kIndicator, k}});

  AssessmentSettings settings;
  settings.implemented = compiled.implemented;
  settings.since = compiled.since;
  settings.horizon = resolved.horizon;
  settings.particles = request.particles;
  settings.seed = resolved.seed;
  settings.threads = request.threads;
  const Assessment a = assess(model, compiled.observed, settings);
  const LatentLayout layout(model, a.last_month);
  const int n = settings.particles, np = static_cast<int>(model.probes.size());

  v1::Assessment out;
  out.set_engine_version(PEACESIM_VERSION);
  out.set_scenario_sha256(io::scenario_fingerprint(scenario));
  out.set_observations_sha256(io::sha256_hex(io::deterministic_bytes(observations.observations)));
  out.set_seed(resolved.seed);
  out.set_particles(n);
  out.set_horizon_months(resolved.horizon);
  out.set_last_observed_month(a.last_month);
  out.set_implemented_option(observations.observations.implemented_option());
  out.set_implemented_since_month(compiled.since);
  *out.mutable_scenario() = scenario;
  *out.mutable_observations() = observations.observations;

  // The sampler.
  v1::SamplerDiagnostics* sampler = out.mutable_sampler();
  for (const FilterStep& s : a.steps) {
    v1::SamplerStep* step = sampler->add_steps();
    step->set_month(s.month);
    step->set_power(s.power);
    step->set_ess(s.ess);
    step->set_acceptance(s.acceptance);
    step->set_distinct(s.distinct);
  }
  sampler->set_min_ess(a.min_ess);
  sampler->set_distinct(a.steps.empty() ? n : a.steps.back().distinct);
  sampler->set_acceptance(a.steps.empty() ? 1 : a.steps.back().acceptance);
  sampler->set_collapsed(a.collapsed);
  if (a.collapsed)
    sampler->set_advice(
        "The futures could not be spread again around the observations: they lie where the scenario's futures "
        "hardly go. Check the flagged observations and their uncertainty (too small an uncertainty makes one "
        "observation decide everything), widen the scenario's ranges where the observations fall outside them, "
        "or assess with more futures (--runs).");

  // Quantities, as planned and given the observations, the most changed first.
  const AnalysisInputs inputs = analysis_inputs(model);
  const auto prior_q = dimension_values(model, layout, a.prior, inputs, resolved.seed);
  const auto post_q = dimension_values(model, layout, a.posterior, inputs, resolved.seed);
  std::vector<v1::QuantityPosterior> quantities;
  for (std::size_t d = 0; d < inputs.quantity.size(); ++d) {
    v1::QuantityPosterior q;
    q.set_path(inputs.names[d]);
    *q.mutable_prior() = summary_of(prior_q[d]);
    *q.mutable_posterior() = summary_of(post_q[d]);
    const double width = q.prior().p95() - q.prior().p05();
    q.set_shift(width > 0 ? std::fabs(q.posterior().p50() - q.prior().p50()) / width : 0);
    q.set_narrowing(width > 0 ? (q.posterior().p95() - q.posterior().p05()) / width : 1);
    quantities.push_back(std::move(q));
  }
  std::stable_sort(quantities.begin(), quantities.end(),
                   [](const auto& x, const auto& y) { return x.shift() > y.shift(); });
  for (auto& q : quantities) *out.add_quantities() = std::move(q);

  // The state now, and war so far.
  auto column = [&](const Cloud& c, int probe) {
    std::vector<double> x(c.size());
    for (int i = 0; i < c.size(); ++i) x[i] = c.probes[static_cast<std::size_t>(i) * np + probe];
    return x;
  };
  for (int k = 0; k < kIndicatorCount; ++k) {
    v1::StateNow* s = out.add_state();
    s->set_indicator(static_cast<v1::Indicator>(k + 1));
    *s->mutable_prior() = summary_of(column(a.prior, state_probe[k]));
    *s->mutable_posterior() = summary_of(column(a.posterior, state_probe[k]));
  }
  auto war_share = [](const Cloud& c) {
    return static_cast<double>(
               std::count_if(c.relapse_month.begin(), c.relapse_month.end(), [](int m) { return m > 0; })) /
           c.size();
  };
  out.set_p_war_so_far_prior(war_share(a.prior));
  out.set_p_war_so_far_posterior(war_share(a.posterior));

  // Each observation against the plan's 90% band of what it would have reported.
  std::vector<const v1::ObservationCheck*> flagged;
  for (std::size_t k = 0; k < compiled.observed.size(); ++k) {
    const ObservedValue& o = compiled.observed[k];
    std::vector<double> expected = column(a.prior, o.probe);
    for (int i = 0; i < n; ++i)
      expected[i] +=
          o.sd * RandomStream(resolved.seed, static_cast<std::uint64_t>(i), Stream::kAssessment, kPredictive).normal(k);
    v1::ObservationCheck* c = out.add_checks();
    c->set_index(static_cast<int>(k));
    c->set_month(o.month);
    *c->mutable_measure() = observations.observations.observations(static_cast<int>(k)).measure();
    c->set_value(o.value);
    c->set_uncertainty(o.sd);
    c->set_expected_p05(quantile_type7(expected, 0.05));
    c->set_expected_p50(quantile_type7(expected, 0.50));
    c->set_expected_p95(quantile_type7(expected, 0.95));
    c->set_posterior_p50(quantile_type7(column(a.posterior, o.probe), 0.50));
    c->set_outside_band(o.value < c->expected_p05() || o.value > c->expected_p95());
  }
  for (const auto& c : out.checks())
    if (c.outside_band()) flagged.push_back(&c);
  auto distance = [](const v1::ObservationCheck* c) {  // how far outside its band, in band widths
    const double w = std::max(c->expected_p95() - c->expected_p05(), 1e-12);
    return std::max(c->expected_p05() - c->value(), c->value() - c->expected_p95()) / w;
  };
  std::stable_sort(flagged.begin(), flagged.end(), [&](auto* x, auto* y) { return distance(x) > distance(y); });
  std::vector<std::string> reasons;
  for (std::size_t k = 0; k < flagged.size() && k < 3; ++k) {
    const v1::ObservationCheck& c = *flagged[k];
    reasons.push_back("Observed " + io::measure_label(scenario, c.measure()) + " in month " +
                      std::to_string(c.month()) + " was " + io::value_text(c.value()) + ", " +
                      (c.value() > c.expected_p95() ? "above" : "below") + " the plan's 90% band [" +
                      io::value_text(c.expected_p05()) + ", " + io::value_text(c.expected_p95()) + "].");
  }
  for (int k = 0; k < out.quantities_size() && k < 3; ++k) {
    const v1::QuantityPosterior& q = out.quantities(k);
    if (q.shift() < 0.1) break;
    reasons.push_back("The observations moved " + q.path() + " from a median of " + io::value_text(q.prior().p50()) +
                      " to " + io::value_text(q.posterior().p50()) + ".");
  }

  if (compiled.implemented >= 0) {
    // ADJUST: every option from the last observed month on, on the futures as planned and given the
    // observations; the same machinery as a run.
    auto rescore = [&](const Cloud& cloud) {
      RunSettings rs;
      rs.runs = n;
      rs.horizon = resolved.horizon;
      rs.seed = resolved.seed;
      rs.threads = request.threads;
      rs.draw = [&](std::int64_t i, Future& future) {
        draw_particle(layout, &cloud.z[static_cast<std::size_t>(i) * cloud.width], i, future);
      };
      rs.course = [&](int option) {
        Course course;
        course.option = compiled.implemented;
        course.start = compiled.since;
        course.switch_month = a.last_month;
        course.then = option;
        course.score_from = a.last_month;
        return course;
      };
      io::RunInfo info;
      info.scenario_sha256 = out.scenario_sha256();
      info.runs = n;
      info.horizon = resolved.horizon;
      info.seed = resolved.seed;
      return io::to_results(model, scenario, run(model, rs), info);
    };
    v1::Adjustment* adj = out.mutable_adjustment();
    adj->set_from_month(a.last_month);
    *adj->mutable_before() = rescore(a.prior);
    *adj->mutable_after() = rescore(a.posterior);
    const std::string before = adj->before().ranking(0), after = adj->after().ranking(0);
    adj->set_recommended_before(before);
    adj->set_recommended_after(after);
    adj->set_changed(before != after);
    auto score = [](const v1::Results& r, const std::string& id) {
      return io::option_result(r, id).overall().score().mean();
    };
    const std::string month = std::to_string(a.last_month);
    if (before != after)
      adj->add_why("As planned, " + before + " led from month " + month + " on (expected score " +
                   io::value_text(score(adj->before(), before)) + "); given the observations, " + after + " leads (" +
                   io::value_text(score(adj->after(), after)) + ", against " +
                   io::value_text(score(adj->after(), before)) + " for " + before + ").");
    else
      adj->add_why(after + " still leads from month " + month + " on: expected score " +
                   io::value_text(score(adj->before(), after)) + " as planned, " +
                   io::value_text(score(adj->after(), after)) + " given the observations.");
    for (const auto& r : reasons) adj->add_why(r);
  } else {
    // The Level One screen.
    const WarAhead prior = war_ahead(model, a.prior, a.last_month, settings);
    const WarAhead post = war_ahead(model, a.posterior, a.last_month, settings);
    v1::LevelOneScreen* l1 = out.mutable_level_one();
    l1->set_p_war_12_prior(prior.within12);
    l1->set_p_war_12(post.within12);
    l1->set_p_war_24_prior(prior.within24);
    l1->set_p_war_24(post.within24);
    l1->set_start_threshold(request.start_threshold);
    l1->set_defer_threshold(request.defer_threshold);
    l1->set_advice(post.within12 >= request.start_threshold   ? v1::LEVEL_ONE_ADVICE_START_PLANNING
                   : post.within12 >= request.defer_threshold ? v1::LEVEL_ONE_ADVICE_DEFER
                                                              : v1::LEVEL_ONE_ADVICE_DO_NOT_PLAN);
    for (const auto& r : reasons) l1->add_drivers(r);
    if (reasons.empty())
      l1->add_drivers(
          "No observation lay outside the plan's 90% band, and none moved a quantity by a tenth of its "
          "planned range: the risk is the scenario's own.");
  }
  return out;
}

}  // namespace peacesim
