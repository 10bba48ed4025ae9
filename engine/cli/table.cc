// Tables and CSV; see table.h.
#include "engine/cli/table.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "engine/io/brief.h"
#include "engine/io/results_view.h"
#include "engine/robustness.h"

namespace peacesim::cli {
namespace {

std::string fixed(double x, int digits) { return io::fmt(("%." + std::to_string(digits) + "f").c_str(), x); }

// Every number in every CSV view: shortest round trip, plain notation (no exponent).
std::string number(double x) { return io::csv_number(x); }

std::string pad(const std::string& s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

// Option ids ordered by the metric (results without robustness rankings: by expected score).
std::vector<std::string> ranked(const v1::Results& r, v1::RobustnessMetric metric) {
  for (const auto& k : r.robustness())
    if (k.metric() == metric) return {k.option_ids().begin(), k.option_ids().end()};
  return {r.ranking().begin(), r.ranking().end()};
}

// Each option's value of the robustness metric (empty when the results do not rank by it).
std::map<std::string, double> metric_values(const v1::Results& r, v1::RobustnessMetric metric) {
  std::map<std::string, double> values;
  for (const auto& k : r.robustness())
    if (k.metric() == metric)
      for (int j = 0; j < k.option_ids_size() && j < k.values_size(); ++j) values[k.option_ids(j)] = k.values(j);
  return values;
}

// Median, mean and 90th percentile of a metric: the middle, the average and the bad tail.
struct Spread {
  double median, mean, p90;
};
Spread spread(const v1::Evaluation& e, v1::Metric m) {
  const auto& d = io::metric_of(e, m);
  return {io::percentile_of(d, 50), d.mean(), io::percentile_of(d, 90)};
}

std::map<std::string, const v1::OptionResult*> by_id(const v1::Results& r) {
  std::map<std::string, const v1::OptionResult*> m;
  for (const auto& o : r.options()) m[o.option_id()] = &o;
  return m;
}

}  // namespace

// A text field for CSV (RFC 4180). A field that a spreadsheet would read as a formula (it begins
// with = + - @, a tab or a carriage return) is prefixed with an apostrophe (OWASP, CSV injection).
// Control characters other than those quoting keeps in a field (tab, carriage return, newline)
// become '?': the CSV is printed to standard output, often a terminal.
std::string csv_field(const std::string& text) {
  std::string s = text;
  for (char& c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7f) c = '?';
  }
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) s.insert(0, 1, '\'');
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

v1::RobustnessMetric parse_rank_by(const std::string& name) {
  RobustnessMetric m;
  if (!parse_metric(name, m))
    throw std::invalid_argument("--rank-by " + name +
                                " is not a robustness metric; expected one of: " + metric_names());
  return static_cast<v1::RobustnessMetric>(static_cast<int>(m) + 1);
}

// How the recommendation depends on the criteria weights (docs/analysis.md, "Value judgements").
void print_value_judgements(const v1::Results& r, std::ostream& out, std::size_t width) {
  if (!r.has_value_judgements()) return;
  const v1::ValueJudgements& v = r.value_judgements();
  std::size_t cw = 8;
  for (const auto& c : v.criteria()) cw = std::max(cw, c.size());
  out << "\nThe recommendation (" << v.recommended_option_id()
      << ") holds while each criterion's weight stays in its interval, the others rescaled in proportion:\n";
  for (const auto& s : v.stability()) {
    out << "  " << pad(s.criterion(), cw, false) << "  weight " << fixed(s.weight(), 3) << "  holds for ["
        << fixed(s.low(), 3) << ", " << fixed(s.high(), 3) << "]";
    if (!s.below().empty()) out << "; below: " << s.below();
    if (!s.above().empty()) out << "; above: " << s.above();
    out << "\n";
  }
  if (v.stakeholders_size() > 0) {
    std::size_t sw = 6;
    for (const auto& s : v.stakeholders()) sw = std::max(sw, s.id().size());
    out << "\nEach stakeholder's weights (scenario weight_sets), best options by expected score:\n";
    for (const auto& s : v.stakeholders()) {
      out << "  " << pad(s.id(), sw, false) << " ";
      for (int k = 0; k < std::min(3, s.option_ids_size()); ++k)
        out << (k ? ", " : " ") << s.option_ids(k) << " " << fixed(s.scores(k), 3);
      out << "\n";
    }
  }
  if (v.has_acceptability() && v.acceptability().options_size() > 0) {
    const auto& a = v.acceptability();
    const int n = a.options_size();
    out << "\nRank acceptability over the declared weights and all futures (SMAA-2, "
        << io::grouped(static_cast<double>(a.draws())) << " draws): share of draws in each rank\n";
    std::string header = "  " + pad("option", width, false);
    for (int k = 1; k <= std::min(n, 4); ++k) header += "  " + pad("rank " + std::to_string(k), 6, true);
    out << header << "\n";
    std::vector<int> order(n);
    for (int o = 0; o < n; ++o) order[o] = o;
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return a.options(x).rank(0) > a.options(y).rank(0); });
    for (int o : order) {
      const auto& x = a.options(o);
      out << "  " << pad(x.option_id(), width, false);
      for (int k = 0; k < std::min(n, 4) && k < x.rank_size(); ++k) out << "  " << pad(fixed(x.rank(k), 3), 6, true);
      out << "\n";
    }
  }
}

namespace {
void write_table(const v1::Results& r, std::ostream& out, v1::RobustnessMetric rank_by);

// The results framework: one row per benchmark, P(met) under each option in the table's order.
void print_framework(const v1::Results& r, std::ostream& out, const std::vector<std::string>& order) {
  const auto& benchmarks = r.scenario().results_framework();
  if (benchmarks.empty()) return;
  const auto options = by_id(r);
  std::size_t iw = 9;
  for (const auto& b : benchmarks) iw = std::max(iw, b.id().size());
  out << "\nResults framework: probability that each benchmark is met, options in the order above (";
  for (std::size_t k = 0; k < order.size(); ++k) out << (k ? ", " : "") << k + 1 << " " << order[k];
  out << "):\n  " << pad("benchmark", iw, false) << "  month  " << pad("responsible", 15, false);
  for (std::size_t k = 0; k < order.size(); ++k) out << "  " << pad(std::to_string(k + 1), 4, true);
  out << "\n";
  for (int b = 0; b < benchmarks.size(); ++b) {
    out << "  " << pad(benchmarks[b].id(), iw, false) << "  " << pad(std::to_string(benchmarks[b].month()), 5, true)
        << "  " << pad(io::responsible_label(benchmarks[b].responsible()), 15, false);
    for (const auto& id : order) {
      const auto& statuses = options.at(id)->overall().benchmarks();
      const bool known = b < statuses.size() && statuses[b].benchmark_id() == benchmarks[b].id();
      out << "  " << pad(known && statuses[b].evaluated() ? fixed(statuses[b].p_met(), 2) : "-", 4, true);
    }
    out << "\n";
  }
  out << "A benchmark is met in a future when its measure is on the right side of its target in its month; '-' "
         "when not evaluated (beyond the horizon).\n";
}
}  // namespace

// The whole table through io::printable: names and ids from a results file cannot drive the terminal.
void print_table(const v1::Results& r, std::ostream& out, v1::RobustnessMetric rank_by) {
  std::ostringstream text;
  write_table(r, text, rank_by);
  out << io::printable(text.str());
}

namespace {
void write_table(const v1::Results& r, std::ostream& out, v1::RobustnessMetric rank_by) {
  const auto& p = r.provenance();
  out << (p.scenario_name().empty() ? "scenario" : p.scenario_name()) << ": "
      << io::grouped(static_cast<double>(p.realisations())) << " realisations x " << p.horizon_months()
      << " months, seed " << p.seed() << ", scenario sha256 " << p.scenario_sha256().substr(0, 12) << "\n";
  if (r.settling().requested()) {
    if (r.settling().settled())
      out << "Settled after " << io::grouped(static_cast<double>(r.settling().realisations()))
          << " realisations: " << r.settling().rule() << ".\n";
    else
      out << "Not settled within the cap of " << io::grouped(static_cast<double>(r.settling().cap()))
          << " realisations: the leading options cannot yet be told apart.\n";
  }
  if (rank_by == v1::ROBUSTNESS_METRIC_EXPECTED)
    out << "Options ranked by expected score (0 = worst, 1 = best on every criterion); 95% intervals.\n\n";
  else
    out << "Options ranked by the " << io::metric_label(rank_by)
        << " robustness metric; scores: 0 = worst, 1 = best on every criterion; 95% intervals.\n\n";
  std::size_t width = 6;
  for (const auto& o : r.options()) width = std::max(width, o.option_id().size());
  // Ordered by another robustness metric: its value leads the row, so the order can be read.
  const bool by_metric = rank_by != v1::ROBUSTNESS_METRIC_EXPECTED;
  const std::map<std::string, double> by = metric_values(r, rank_by);
  const std::string label = by_metric ? io::metric_label(rank_by) : "";
  const std::size_t lw = std::max<std::size_t>(label.size(), 8);
  const std::string header = pad("rank", 4, true) + "  " + pad("option", width, false) + "  " +
                             (by_metric ? pad(label, lw, true) + "  " : "") + pad("score", 5, true) + "  " +
                             pad("95% CI", 15, false) + "  " + pad("P(best)", 7, true) + "  " +
                             pad("regret p90", 10, true) + "  " + pad("P(relapse)", 10, true) + "  " +
                             pad("civilian deaths: median", 23, true) + "  " + pad("mean", 7, true) + "  " +
                             pad("p90", 7, true) + "  " + pad("cost USD m", 10, true);
  out << header << "\n" << std::string(header.size(), '-') << "\n";
  const auto options = by_id(r);
  int rank = 0;
  for (const auto& id : ranked(r, rank_by)) {
    const v1::Evaluation& e = options.at(id)->overall();
    const std::string ci = "[" + fixed(e.score().ci95_low(), 3) + ", " + fixed(e.score().ci95_high(), 3) + "]";
    const Spread civilians = spread(e, v1::METRIC_CIVILIAN_DEATHS);
    out << pad(std::to_string(++rank), 4, true) << "  " << pad(id, width, false) << "  ";
    if (by_metric) out << pad(by.count(id) ? fixed(by.at(id), 3) : "-", lw, true) << "  ";
    out << pad(fixed(e.score().mean(), 3), 5, true) << "  " << pad(ci, 15, false) << "  "
        << pad(fixed(e.p_best(), 3), 7, true) << "  " << pad(fixed(io::percentile_of(e.regret(), 90), 3), 10, true)
        << "  " << pad(fixed(io::p_relapse(e), 3), 10, true) << "  " << pad(io::grouped(civilians.median), 23, true)
        << "  " << pad(io::grouped(civilians.mean), 7, true) << "  " << pad(io::grouped(civilians.p90), 7, true) << "  "
        << pad(io::grouped(io::metric_of(e, v1::METRIC_COST_USD).mean() / 1e6), 10, true) << "\n";
  }
  out << "\nP(relapse): probability of war within " << p.horizon_months()
      << " months. Civilian deaths over the horizon: median, mean and 90th percentile (1 future in 10 is "
         "worse). Cost: mean over the horizon.\n";
  if (by_metric)
    out << "The " << label << " column is the value the rows are ordered by (docs/analysis.md, robustness metrics).\n";
  out << "Paired difference to the baseline (" << r.baseline_option() << "), score points with 95% CI:\n";
  for (const auto& id : ranked(r, rank_by)) {
    if (id == r.baseline_option()) continue;
    const auto& d = options.at(id)->overall().vs_baseline();
    out << "  " << pad(id, width, false) << "  " << (d.mean() >= 0 ? "+" : "") << fixed(d.mean(), 3) << " ["
        << fixed(d.ci95_low(), 3) << ", " << fixed(d.ci95_high(), 3) << "]\n";
  }
  if (options.begin()->second->overall().bootstrap().replicates() > 0) {
    out << "\nBootstrap 95% intervals (" << options.begin()->second->overall().bootstrap().replicates()
        << " paired replicates over realisations):\n";
    for (const auto& id : ranked(r, rank_by)) {
      const auto& b = options.at(id)->overall().bootstrap();
      out << "  " << pad(id, width, false) << "  score [" << fixed(b.score_low(), 3) << ", " << fixed(b.score_high(), 3)
          << "]  P(best) [" << fixed(b.p_best_low(), 3) << ", " << fixed(b.p_best_high(), 3) << "]  rank "
          << b.rank_low() << (b.rank_high() != b.rank_low() ? "-" + std::to_string(b.rank_high()) : "") << "\n";
    }
  }
  if (r.top_option_depends_on_metric()) {
    out << "\nThe most robust option depends on the robustness metric (peacesim run --rank-by METRIC):\n";
    for (const auto& k : r.robustness())
      out << "  " << pad(io::metric_label(k.metric()), 24, false) << k.option_ids(0) << "\n";
  }
  print_value_judgements(r, out, width);
  print_framework(r, out, ranked(r, rank_by));
}
}  // namespace

void print_summary_csv(const v1::Results& r, std::ostream& out, v1::RobustnessMetric rank_by) {
  out << "option_id,option_name,score_mean,score_ci_low,score_ci_high,p_best,regret_mean,regret_p90,p_relapse,"
         "civilian_deaths_median,cost_usd_mean,civilian_deaths_female_median,displaced_female_peak_median,"
         "civilian_deaths_mean,civilian_deaths_p90,battle_deaths_median,battle_deaths_mean,battle_deaths_p90,"
         "displaced_peak_median,displaced_peak_mean,displaced_peak_p90,rank_by_value\n";
  const auto options = by_id(r);
  const std::map<std::string, double> by = metric_values(r, rank_by);
  for (const auto& id : ranked(r, rank_by)) {
    const v1::OptionResult& o = *options.at(id);
    const v1::Evaluation& e = o.overall();
    out << csv_field(o.option_id()) << ',' << csv_field(o.option_name()) << ',' << number(e.score().mean()) << ','
        << number(e.score().ci95_low()) << ',' << number(e.score().ci95_high()) << ',' << number(e.p_best()) << ','
        << number(e.regret().mean()) << ',' << number(io::percentile_of(e.regret(), 90)) << ','
        << number(io::p_relapse(e)) << ','
        << number(io::percentile_of(io::metric_of(e, v1::METRIC_CIVILIAN_DEATHS), 50)) << ','
        << number(io::metric_of(e, v1::METRIC_COST_USD).mean()) << ','
        << number(io::percentile_of(io::metric_of(e, v1::METRIC_CIVILIAN_DEATHS_FEMALE), 50)) << ','
        << number(io::percentile_of(io::metric_of(e, v1::METRIC_DISPLACED_PEAK_FEMALE), 50));
    const Spread civilians = spread(e, v1::METRIC_CIVILIAN_DEATHS), battle = spread(e, v1::METRIC_BATTLE_DEATHS),
                 displaced = spread(e, v1::METRIC_DISPLACED_PEAK);
    out << ',' << number(civilians.mean) << ',' << number(civilians.p90);
    for (const Spread& x : {battle, displaced})
      out << ',' << number(x.median) << ',' << number(x.mean) << ',' << number(x.p90);
    out << ',' << (by.count(id) ? number(by.at(id)) : "") << '\n';
  }
}

void print_framework_csv(const v1::Results& r, std::ostream& out) {
  out << "option_id,benchmark_id,responsible,month,evaluated,p_met,ci95_low,ci95_high\n";
  for (const auto& o : r.options())
    for (const auto& status : o.overall().benchmarks()) {
      const v1::Benchmark* b = io::benchmark_of(r, status.benchmark_id());
      out << csv_field(o.option_id()) << ',' << csv_field(status.benchmark_id()) << ','
          << (b ? csv_field(io::responsible_label(b->responsible())) : "") << ','
          << (b ? std::to_string(b->month()) : "") << ',' << (status.evaluated() ? "true" : "false") << ','
          << number(status.p_met()) << ',' << number(status.ci95_low()) << ',' << number(status.ci95_high()) << '\n';
    }
}

void print_survival_csv(const v1::Results& r, std::ostream& out) {
  out << "option_id,month,p_relapse\n";
  for (const auto& o : r.options()) {
    const auto& curve = o.overall().p_relapse_by_month();
    for (int m = 0; m < curve.size(); ++m)
      out << csv_field(o.option_id()) << ',' << (m + 1) << ',' << number(curve[m]) << '\n';
  }
}

std::string indicator_key(v1::Indicator indicator) {
  std::string name = v1::Indicator_Name(indicator).substr(std::string("INDICATOR_").size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string indicator_keys() {
  std::string names;
  for (int i = v1::Indicator_MIN + 1; i <= v1::Indicator_MAX; ++i)
    names += (names.empty() ? "" : ", ") + indicator_key(static_cast<v1::Indicator>(i));
  return names;
}

v1::Indicator parse_indicator(const std::string& name) {
  for (int i = v1::Indicator_MIN + 1; i <= v1::Indicator_MAX; ++i)
    if (indicator_key(static_cast<v1::Indicator>(i)) == name) return static_cast<v1::Indicator>(i);
  throw std::invalid_argument("--fan " + name + " is not an indicator; expected one of: " + indicator_keys());
}

void print_fan_csv(const v1::Results& r, v1::Indicator indicator, std::ostream& out) {
  out << "option_id,month,p05,p25,p50,p75,p95,mean\n";
  for (const auto& o : r.options())
    for (const auto& fan : o.overall().fan_charts()) {
      if (fan.indicator() != indicator) continue;
      for (int k = 0; k < fan.month_size(); ++k)
        out << csv_field(o.option_id()) << ',' << fan.month(k) << ',' << number(fan.p05(k)) << ',' << number(fan.p25(k))
            << ',' << number(fan.p50(k)) << ',' << number(fan.p75(k)) << ',' << number(fan.p95(k)) << ','
            << number(fan.mean(k)) << '\n';
    }
}

void print_brief(const v1::Results& r, std::ostream& out, bool markdown) {
  const std::string title = "Strategy brief: " + r.provenance().scenario_name();
  out << io::printable(markdown ? "# " + title : title + "\n" + std::string(title.size(), '=')) << "\n";
  for (const io::BriefSection& section : io::brief_sections(r)) {
    const std::string& h = section.heading;
    out << "\n" << io::printable(markdown ? "## " + h : h + "\n" + std::string(h.size(), '-')) << "\n";
    for (const auto& p : section.paragraphs) out << io::printable(p) << (markdown ? "\n\n" : "\n");
    for (const auto& item : section.items) out << (markdown ? "- " : "  * ") << io::printable(item) << "\n";
  }
  // The provenance too is the file's, so it reaches the terminal through io::printable.
  const std::string made = "peacesim " + r.provenance().engine_version() + ", scenario sha256 " +
                           r.provenance().scenario_sha256().substr(0, 12) + ", seed " +
                           std::to_string(r.provenance().seed()) + ", " +
                           io::grouped(static_cast<double>(r.provenance().realisations())) + " realisations";
  out << "\n" << io::printable(markdown ? "_" + made + "_" : made) << "\n";
}

namespace {

void write_assessment(const v1::Assessment& a, std::ostream& out) {
  const v1::SamplerDiagnostics& s = a.sampler();
  const std::string implemented =
      a.implemented_option().empty()
          ? "no UN action"
          : a.implemented_option() + " implemented since month " + std::to_string(a.implemented_since_month());
  out << a.scenario().name() << ": assessment of " << a.last_observed_month() << " observed months ("
      << io::grouped(a.particles()) << " futures, seed " << a.seed() << "), " << implemented << ".\n";
  out << "Sampler: " << s.steps_size() << " steps; smallest effective sample size " << io::grouped(s.min_ess())
      << " of " << io::grouped(a.particles()) << "; " << io::grouped(s.distinct()) << " distinct futures at the end; "
      << fixed(100 * s.acceptance(), 0) << "% of the last moves accepted.\n";
  if (s.collapsed()) out << "\nWARNING: the assessment collapsed; do not rely on it. " << s.advice() << "\n";

  int flagged = 0;
  for (const auto& c : a.checks()) flagged += c.outside_band();
  out << "\nObservations outside the plan's 90% band: " << flagged << " of " << a.checks_size() << "\n";
  if (flagged > 0) {
    out << "  month  " << pad("measure", 44, false) << "  " << pad("observed", 10, true) << "  "
        << pad("plan's 90% band", 24, false) << "  now (median)\n";
    for (const auto& c : a.checks()) {
      if (!c.outside_band()) continue;
      out << "  " << pad(std::to_string(c.month()), 5, true) << "  "
          << pad(io::measure_label(a.scenario(), c.measure()), 44, false) << "  "
          << pad(io::value_text(c.value()), 10, true) << "  "
          << pad("[" + io::value_text(c.expected_p05()) + ", " + io::value_text(c.expected_p95()) + "]", 24, false)
          << "  " << io::value_text(c.posterior_p50()) << "\n";
    }
  }
  out << "\nWhat the observations moved most (median as planned -> given the observations; the 90% range as a share "
         "of the planned one):\n";
  for (int k = 0; k < a.quantities_size() && k < 8; ++k) {
    const auto& q = a.quantities(k);
    out << "  " << pad(q.path(), 44, false) << "  " << pad(io::value_text(q.prior().p50()), 9, true) << " -> "
        << pad(io::value_text(q.posterior().p50()), 9, true) << "  (" << fixed(100 * q.narrowing(), 0) << "%)\n";
  }
  out << "\nThe state at month " << a.last_observed_month()
      << " (median [90% range]), as planned -> given the observations:\n";
  for (const auto& st : a.state()) {
    v1::Measure m;
    m.set_indicator(st.indicator());
    auto range = [](const v1::Summary& x) {
      return io::value_text(x.p50()) + " [" + io::value_text(x.p05()) + ", " + io::value_text(x.p95()) + "]";
    };
    out << "  " << pad(io::measure_label(a.scenario(), m), 44, false) << "  " << pad(range(st.prior()), 30, false)
        << " -> " << range(st.posterior()) << "\n";
  }
  out << "P(at war in some month so far): " << fixed(a.p_war_so_far_prior(), 2) << " as planned, "
      << fixed(a.p_war_so_far_posterior(), 2) << " given the observations.\n";

  if (a.has_adjustment()) {
    const v1::Adjustment& adj = a.adjustment();
    out << "\nEvery option from month " << adj.from_month()
        << " on, ranked by expected score given the observations (95% intervals; the months to come):\n";
    out << "  rank  " << pad("option", 28, false) << "  " << pad("score now", 22, false) << "  "
        << pad("as planned", 10, true) << "  months at war now  as planned\n";
    int rank = 0;
    for (const auto& id : adj.after().ranking()) {
      const v1::Evaluation& now = io::option_result(adj.after(), id).overall();
      const v1::Evaluation& then = io::option_result(adj.before(), id).overall();
      out << "  " << pad(std::to_string(++rank), 4, true) << "  " << pad(id, 28, false) << "  "
          << pad(fixed(now.score().mean(), 3) + " [" + fixed(now.score().ci95_low(), 3) + ", " +
                     fixed(now.score().ci95_high(), 3) + "]",
                 22, false)
          << "  " << pad(fixed(then.score().mean(), 3), 10, true) << "  "
          << pad(fixed(io::metric_of(now, v1::METRIC_MONTHS_IN_WAR).mean(), 1), 17, true) << "  "
          << pad(fixed(io::metric_of(then, v1::METRIC_MONTHS_IN_WAR).mean(), 1), 10, true) << "\n";
    }
    out << "\nThe recommendation " << (adj.changed() ? "CHANGED: " + adj.recommended_before() + " -> " : "holds: ")
        << adj.recommended_after() << ".\n";
    for (const auto& w : adj.why()) out << "  * " << w << "\n";
  }
  if (a.has_level_one()) {
    const v1::LevelOneScreen& l = a.level_one();
    const char* advice = l.advice() == v1::LEVEL_ONE_ADVICE_START_PLANNING ? "START LEVEL TWO PLANNING"
                         : l.advice() == v1::LEVEL_ONE_ADVICE_DEFER        ? "DEFER: monitor and assess again"
                                                                           : "DO NOT PLAN on this evidence";
    out << "\nLevel One screen, with no UN action from month " << a.last_observed_month() << ":\n"
        << "  P(war within 12 months) " << fixed(l.p_war_12(), 2) << " (" << fixed(l.p_war_12_prior(), 2)
        << " as planned); within 24 months " << fixed(l.p_war_24(), 2) << " (" << fixed(l.p_war_24_prior(), 2)
        << ").\n  Advice: " << advice << " (start at " << fixed(l.start_threshold(), 2) << ", defer at "
        << fixed(l.defer_threshold(), 2) << "; --start-threshold, --defer-threshold).\n";
    for (const auto& d : l.drivers()) out << "  * " << d << "\n";
  }
}

}  // namespace

void print_assessment(const v1::Assessment& assessment, std::ostream& out) {
  std::ostringstream text;
  write_assessment(assessment, text);
  out << io::printable(text.str());
}

}  // namespace peacesim::cli
