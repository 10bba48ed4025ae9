// The CPAS dashboard of an assessment; see report.h.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "engine/io/results_view.h"
#include "engine/report/page.h"
#include "engine/report/report.h"
#include "engine/report/svg.h"

namespace peacesim::report {
namespace {

using io::fmt;

constexpr const char* kPlan = "#999999";      // the futures as planned
constexpr const char* kNow = "#0072B2";       // given the observations (Okabe-Ito blue)
constexpr const char* kFlagged = "#D55E00";   // outside the plan's band (Okabe-Ito vermillion)
constexpr const char* kObserved = "#000000";  // an observation inside its band

std::string summary_panel(const v1::Assessment& a) {
  const v1::SamplerDiagnostics& s = a.sampler();
  int flagged = 0;
  for (const auto& c : a.checks()) flagged += c.outside_band();
  std::string html =
      s.collapsed() ? "<p class=\"flag\"><strong>The assessment collapsed: do not rely on it.</strong> " +
                          escape(s.advice()) + "</p>"
                    : "<p class=\"ok\">The futures spread well around the observations: " + io::grouped(s.distinct()) +
                          " distinct futures of " + io::grouped(a.particles()) + " at the end, and never fewer than " +
                          io::grouped(s.min_ess()) + " effective ones in a step.</p>";
  html += "<table class=\"compact\"><tbody><tr><th scope=\"row\">Option implemented</th><td>" +
          (a.implemented_option().empty() ? std::string("none: no UN action (Level One screen)")
                                          : "<code>" + escape(a.implemented_option()) + "</code> since month " +
                                                std::to_string(a.implemented_since_month())) +
          "</td></tr><tr><th scope=\"row\">Months observed</th><td>" + std::to_string(a.last_observed_month()) + " (" +
          std::to_string(a.checks_size()) + " observations, " + std::to_string(flagged) +
          " outside the plan's 90% band)</td></tr><tr><th scope=\"row\">P(war in some month so far)</th><td>" +
          fmt("%.2f", a.p_war_so_far_prior()) + " as planned, <strong>" + fmt("%.2f", a.p_war_so_far_posterior()) +
          "</strong> given the observations</td></tr><tr><th scope=\"row\">Sampler</th><td>" +
          std::to_string(s.steps_size()) + " steps; " + fmt("%.0f", 100 * s.acceptance()) +
          "% of the last moves accepted</td></tr></tbody></table>";
  return section("assessment", "Assessment",
                 "What the months since the plan say about the futures: the sequential Monte Carlo sampler keeps "
                 "the futures of the scenario that agree with what was observed (docs/analysis.md).",
                 html);
}

// One chart per measure: the plan's 90% band of what would have been reported, the observations
// (with their 90% measurement error) and the median of the true value given all of them.
std::string observed_panel(const v1::Assessment& a) {
  std::map<std::string, std::vector<const v1::ObservationCheck*>> by_measure;
  std::vector<std::string> order;
  for (const auto& c : a.checks()) {
    const std::string key = c.measure().SerializeAsString();
    if (!by_measure.count(key)) order.push_back(key);
    by_measure[key].push_back(&c);
  }
  std::string charts;
  int k = 0;
  for (const std::string& key : order) {
    std::vector<const v1::ObservationCheck*> checks = by_measure[key];
    std::stable_sort(checks.begin(), checks.end(), [](auto* x, auto* y) { return x->month() < y->month(); });
    const std::string label = io::measure_label(a.scenario(), checks.front()->measure());
    double lo = 0, hi = 0;
    std::vector<double> x, p05, p95, now;
    std::string flagged;
    for (const auto* c : checks) {
      x.push_back(c->month());
      p05.push_back(c->expected_p05());
      p95.push_back(c->expected_p95());
      now.push_back(c->posterior_p50());
      lo = std::min({lo, c->expected_p05(), c->value() - 1.645 * c->uncertainty()});
      hi = std::max({hi, c->expected_p95(), c->value() + 1.645 * c->uncertainty()});
      if (c->outside_band())
        flagged += " month " + std::to_string(c->month()) + " (" + io::value_text(c->value()) + ");";
    }
    if (!(hi > lo)) hi = lo + 1;
    const std::string desc =
        label + ": " + std::to_string(checks.size()) + " observations between months " +
        std::to_string(checks.front()->month()) + " and " + std::to_string(checks.back()->month()) +
        (flagged.empty() ? ", all inside the plan's 90% band." : ". Outside the plan's 90% band:" + flagged);
    Chart c("chart-observed-" + std::to_string(k++), label, desc, 420, 260,
            Axis(0, std::max(1, a.last_observed_month())), Axis(lo, hi));
    c.axes("month", "");
    if (x.size() > 1) {
      c.band(x, p05, p95, kPlan, 0.35);
      c.line(x, now, kNow, 2);
    } else {
      c.segment(x[0], p05[0], x[0], p95[0], kPlan, 6);
      c.dot(x[0], now[0], 3, kNow);
    }
    for (const auto* o : checks) {
      const char* colour = o->outside_band() ? kFlagged : kObserved;
      c.segment(o->month(), o->value() - 1.645 * o->uncertainty(), o->month(), o->value() + 1.645 * o->uncertainty(),
                colour, 1);
      c.dot(o->month(), o->value(), o->outside_band() ? 4 : 3, colour);
    }
    charts += figure(c.str(), "small-multiple");
  }
  return section("observed", "Observed against expected",
                 "For each measure: the grey band is the 90% range the futures as planned would have reported "
                 "(their value plus the measurement error); dots are the observations with their 90% error bars, "
                 "<span style=\"color:#D55E00\">orange</span> where outside the band; the blue line is the median "
                 "of the true value given all the observations.",
                 "<div class=\"grid\">" + charts + "</div>");
}

// The quantities the observations moved most, each on the scale of its planned 90% range.
std::string posterior_panel(const v1::Assessment& a) {
  const int rows = std::min(10, a.quantities_size());
  if (rows == 0) return "";
  std::vector<std::string> names;
  std::string desc = "Each quantity's 90% range given the observations, against its planned range (0 to 1): ";
  for (int k = 0; k < rows; ++k) {
    const auto& q = a.quantities(k);
    names.push_back(q.path());
    desc += q.path() + " median " + io::value_text(q.prior().p50()) + " planned, " +
            io::value_text(q.posterior().p50()) + " now; ";
  }
  Chart::Margins m;
  m.left = 330;
  Chart c("chart-posterior", "What the observations changed: the quantities moved most", desc, 860, 60 + 26.0 * rows,
          Axis(-0.5, 1.5), Axis(rows - 0.5, -0.5), m);
  c.axes("position in the planned 90% range (0 = its 5th percentile, 1 = its 95th)", "", false);
  c.categories(names);
  std::string table =
      "<table class=\"compact\"><thead><tr><th scope=\"col\">Quantity</th><th scope=\"col\">As planned: median [90%]"
      "</th><th scope=\"col\">Given the observations</th><th scope=\"col\">Range now, share of planned</th></tr>"
      "</thead><tbody>";
  for (int k = 0; k < rows; ++k) {
    const auto& q = a.quantities(k);
    const double p05 = q.prior().p05(), width = std::max(q.prior().p95() - p05, 1e-300);
    auto at = [&](double v) { return std::clamp((v - p05) / width, -0.5, 1.5); };
    c.rect(0, k - 0.3, 1, k + 0.3, kPlan, 0.35);
    c.rect(at(q.posterior().p05()), k - 0.15, at(q.posterior().p95()), k + 0.15, kNow, 0.85);
    c.dot(at(q.prior().p50()), k, 3, kPlan, "#333");
    c.dot(at(q.posterior().p50()), k, 3.5, "#fff", kNow);
    auto range = [](const v1::Summary& s) {
      return io::value_text(s.p50()) + " [" + io::value_text(s.p05()) + ", " + io::value_text(s.p95()) + "]";
    };
    table += "<tr><th scope=\"row\"><code>" + escape(q.path()) + "</code></th><td>" + range(q.prior()) + "</td><td>" +
             range(q.posterior()) + "</td><td>" + fmt("%.0f%%", 100 * q.narrowing()) + "</td></tr>";
  }
  return section("posterior", "What the observations changed",
                 "Grey: each quantity's planned 90% range, stretched to the same width; blue: its 90% range given "
                 "the observations. A short blue bar is a quantity the observations pinned down; one off the grey "
                 "bar is one the plan got wrong.",
                 figure(c.str()) + table + "</tbody></table>");
}

std::string benchmark_panel(const v1::Assessment& a) {
  if (!a.has_adjustment() || a.scenario().results_framework_size() == 0) return "";
  const v1::Adjustment& adj = a.adjustment();
  const std::string focus = a.implemented_option();
  std::string t =
      "<table class=\"compact framework\"><thead><tr><th scope=\"col\">Benchmark</th><th scope=\"col\">Target</th>"
      "<th scope=\"col\">Responsible</th><th scope=\"col\">P(met) as planned</th><th scope=\"col\">P(met) given "
      "the observations</th></tr></thead><tbody>";
  const auto& before = io::option_result(adj.before(), focus).overall().benchmarks();
  const auto& after = io::option_result(adj.after(), focus).overall().benchmarks();
  for (int b = 0; b < after.size() && b < before.size(); ++b) {
    const v1::Benchmark* spec = nullptr;
    for (const auto& x : a.scenario().results_framework())
      if (x.id() == after[b].benchmark_id()) spec = &x;
    if (spec == nullptr) continue;
    auto p = [](const v1::BenchmarkStatus& s) { return s.evaluated() ? fmt("%.2f", s.p_met()) : std::string("-"); };
    const bool worse = after[b].evaluated() && after[b].p_met() < before[b].p_met() - 0.1;
    t += "<tr><th scope=\"row\">" + escape(spec->name().empty() ? spec->id() : spec->name()) + "</th><td>" +
         escape(io::target_label(*spec)) + "</td><td>" + escape(io::responsible_label(spec->responsible())) +
         "</td><td>" + p(before[b]) + "</td><td>" + (worse ? "<strong>" + p(after[b]) + "</strong>" : p(after[b])) +
         "</td></tr>";
  }
  return section("benchmarks", "Benchmarks",
                 "The results framework under the option implemented (<code>" + escape(focus) +
                     "</code>, continued): the probability that each benchmark is met, as planned and given the "
                     "observations. Bold: at least 0.1 lower than planned.",
                 t + "</tbody></table>");
}

std::string adjustment_panel(const v1::Assessment& a) {
  if (!a.has_adjustment()) return "";
  const v1::Adjustment& adj = a.adjustment();
  std::string t =
      "<table class=\"compact\"><thead><tr><th scope=\"col\">Rank</th><th scope=\"col\">Option from month " +
      std::to_string(adj.from_month()) +
      "</th><th scope=\"col\">Score given the observations [95% CI]</th><th scope=\"col\">Score as planned</th><th "
      "scope=\"col\">Months at war given the observations (mean)</th><th scope=\"col\">As planned</th></tr></thead>"
      "<tbody>";
  int rank = 0;
  for (const auto& id : adj.after().ranking()) {
    const v1::Evaluation& now = io::option_result(adj.after(), id).overall();
    const v1::Evaluation& then = io::option_result(adj.before(), id).overall();
    t += "<tr><td>" + std::to_string(++rank) + "</td><th scope=\"row\"><code>" + escape(id) + "</code></th><td>" +
         fmt("%.3f", now.score().mean()) + " [" + fmt("%.3f", now.score().ci95_low()) + ", " +
         fmt("%.3f", now.score().ci95_high()) + "]</td><td>" + fmt("%.3f", then.score().mean()) + "</td><td>" +
         fmt("%.1f", io::metric_of(now, v1::METRIC_MONTHS_IN_WAR).mean()) + "</td><td>" +
         fmt("%.1f", io::metric_of(then, v1::METRIC_MONTHS_IN_WAR).mean()) + "</td></tr>";
  }
  std::string why = "<ul>";
  for (const auto& w : adj.why()) why += "<li>" + escape(w) + "</li>";
  const std::string verdict = adj.changed()
                                  ? "<p class=\"flag\"><strong>The recommendation changed</strong>: <code>" +
                                        escape(adj.recommended_before()) + "</code> as planned, <code>" +
                                        escape(adj.recommended_after()) + "</code> given the observations.</p>"
                                  : "<p class=\"ok\"><strong>The recommendation holds</strong>: <code>" +
                                        escape(adj.recommended_after()) + "</code>.</p>";
  return section("adjustment", "Adjustment: every option from the last observed month",
                 "Every option followed from month " + std::to_string(adj.from_month()) +
                     " on (the option implemented continued, or another started afresh), scored on the months to "
                     "come, on the futures as planned and on the futures given the observations.",
                 verdict + t + "</tbody></table>" + why + "</ul>");
}

std::string level_one_panel(const v1::Assessment& a) {
  if (!a.has_level_one()) return "";
  const v1::LevelOneScreen& l = a.level_one();
  const std::string advice = l.advice() == v1::LEVEL_ONE_ADVICE_START_PLANNING ? "Start Level Two planning"
                             : l.advice() == v1::LEVEL_ONE_ADVICE_DEFER        ? "Defer: monitor and assess again"
                                                                               : "Do not plan on this evidence";
  Chart::Margins m;
  m.left = 150;
  m.bottom = 76;  // the axis title, then the legend
  Chart c("chart-level-one", "P(war) with no UN action",
          "Probability of war within 12 months: " + fmt("%.2f", l.p_war_12_prior()) + " as planned, " +
              fmt("%.2f", l.p_war_12()) + " given the observations; within 24 months: " +
              fmt("%.2f", l.p_war_24_prior()) + " and " + fmt("%.2f", l.p_war_24()) + ".",
          560, 236, Axis(0, 1), Axis(1.5, -0.5), m);
  c.axes("probability of war", "", false);
  c.categories({"within 12 months", "within 24 months"});
  const double plan[2] = {l.p_war_12_prior(), l.p_war_24_prior()}, now[2] = {l.p_war_12(), l.p_war_24()};
  for (int k = 0; k < 2; ++k) {
    c.rect(0, k - 0.35, plan[k], k - 0.02, kPlan, 0.8);
    c.rect(0, k + 0.02, now[k], k + 0.35, kNow, 0.9);
  }
  c.segment(l.start_threshold(), -0.5, l.start_threshold(), 1.5, kFlagged, 1.5, "4 3");
  c.segment(l.defer_threshold(), -0.5, l.defer_threshold(), 1.5, "#E69F00", 1.5, "2 3");
  c.legend({"as planned", "given the observations"}, {kPlan, kNow}, {"", ""});
  std::string drivers = "<ul>";
  for (const auto& d : l.drivers()) drivers += "<li>" + escape(d) + "</li>";
  return section("level-one", "Level One screen",
                 "With no UN action: how likely war is in the next 12 and 24 months. Planning starts at P(war within "
                 "12 months) " +
                     fmt("%.2f", l.start_threshold()) + " (dashed orange line) and is deferred from " +
                     fmt("%.2f", l.defer_threshold()) + " (dotted); both are the planners' choice.",
                 "<p class=\"" + std::string(l.advice() == v1::LEVEL_ONE_ADVICE_START_PLANNING ? "flag" : "ok") +
                     "\"><strong>" + advice + "</strong>: P(war within 12 months) " + fmt("%.2f", l.p_war_12()) +
                     ".</p>" + figure(c.str()) + drivers + "</ul>");
}

}  // namespace

std::string assessment_report(const v1::Assessment& a) {
  const std::string name = a.scenario().name().empty() ? "scenario" : a.scenario().name();
  const std::vector<Part> parts = {
      {"assessment", "Assessment", summary_panel(a)},
      {"level-one", "Level One screen", level_one_panel(a)},
      {"adjustment", "Adjustment", adjustment_panel(a)},
      {"observed", "Observed against expected", observed_panel(a)},
      {"posterior", "What the observations changed", posterior_panel(a)},
      {"benchmarks", "Benchmarks", benchmark_panel(a)},
  };
  const std::string footer = "<footer><p>peacesim " + escape(a.engine_version()) + " &middot; scenario sha256 <code>" +
                             escape(a.scenario_sha256()) + "</code> &middot; observations sha256 <code>" +
                             escape(a.observations_sha256()) + "</code> &middot; seed " + std::to_string(a.seed()) +
                             " &middot; " + io::grouped(a.particles()) + " futures &middot; horizon " +
                             std::to_string(a.horizon_months()) + " months.</p></footer>";
  return page(name + ": assessment (peacesim)",
              "<h1>" + escape(name) + ": what the first " + std::to_string(a.last_observed_month()) +
                  " months say</h1><p>CPAS assessment of the observed months" +
                  (a.implemented_option().empty() ? std::string(", with no UN action yet.")
                                                  : " under <strong>" + escape(a.implemented_option()) + "</strong>.") +
                  "</p>",
              parts, footer);
}

}  // namespace peacesim::report
