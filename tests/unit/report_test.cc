// The HTML report and the guidance on scenario errors: every panel present, charts described,
// nothing fetched, text escaped, the same results giving the same page, the synchronisation matrix
// following the engine's sequencing; "did you mean" and examples on bad input.
#include "engine/report/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "engine/io/brief.h"
#include "engine/io/guidance.h"
#include "engine/io/load.h"
#include "engine/io/results_view.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/report/svg.h"
#include "tests/unit/scenarios.h"

namespace peacesim {
namespace {

v1::Results tiny_results(int runs = 400) {
  RunRequest q;
  q.runs = runs;
  q.threads = 2;
  q.seed = 5;
  return run_scenario(tiny(), q);
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Text from a file reaches the terminal without what could drive it: C0 controls but newline and tab,
// DEL, and the C1 controls in UTF-8 (U+009B is a one-character CSI); other UTF-8 is kept.
// A number is printed whole however long it is, never cut short to another number.
TEST(Printable, NumbersArePrintedWhole) {
  EXPECT_EQ(io::fmt("%.0f", 1e300).size(), 301u);
  EXPECT_EQ(io::fmt("%.0f", 1e300).substr(0, 4), "1000");
  EXPECT_EQ(io::grouped(1e300).size(), 301u + 100u);  // 101 groups of three digits, 100 commas
  EXPECT_EQ(io::grouped(-12345.6), "-12,346");
  EXPECT_EQ(io::fmt("%.3f", std::nan("")), "n/a");
}

TEST(Printable, ControlCharactersAreShownAsQuestionMarks) {
  EXPECT_EQ(io::printable("a\x1b[2Jb\rc\x07"
                          "d\x7f"),
            "a?[2Jb?c?d?");
  EXPECT_EQ(io::printable("line\n\tindented"), "line\n\tindented");
  EXPECT_EQ(io::printable("x\xc2\x9b"
                          "31my\xc2\x80z\xc2\x9f"),
            "x?31my?z?");
  EXPECT_EQ(io::printable("caf\xc3\xa9 \xc2\xa0 \xc2\xa9 \xe2\x88\x92"), "caf\xc3\xa9 \xc2\xa0 \xc2\xa9 \xe2\x88\x92");
  EXPECT_EQ(io::printable("ends in \xc2"), "ends in \xc2");
}

TEST(Report, EveryPanelIsThereAndEveryChartIsDescribed) {
  v1::Results r = tiny_results();
  add_strategy_brief(tiny(), r, v1::ROBUSTNESS_METRIC_EXPECTED, 2);
  const std::string html = report::html_report(r);
  for (const char* id : {"brief", "ranking", "value-judgements", "distributions", "survival", "fan-charts", "gender",
                         "planning-scenarios", "sensitivity", "discovery", "synchronisation"})
    EXPECT_NE(html.find("<section id=\"" + std::string(id) + "\">"), std::string::npos) << id;
  const int charts = count(html, "<svg ");
  // ranking, distributions, differences, survival, 3 fans + regimes per option, 4 gender, tornado,
  // PRIM, synchronisation; and the value judgements' five: score breakdown, cost against
  // P(relapse), cost against civilian deaths, weight stability and rank acceptability (tiny
  // declares a weight range and two weight sets, so acceptability is there).
  EXPECT_EQ(charts, 4 + 4 * r.options_size() + 4 + 3 + 5);
  EXPECT_EQ(count(html, "role=\"img\""), charts);
  EXPECT_EQ(count(html, "<title id="), charts);
  EXPECT_EQ(count(html, "<desc id="), charts);
  EXPECT_EQ(html.find("Not in these results"), std::string::npos);
  // With 128 base points on the teaching scenario, some indices are not resolved, and the tornado says so.
  EXPECT_NE(html.find("are not resolved"), std::string::npos);
  // Self-contained: no scripts, nothing fetched; only the SVG namespace names a URL.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(count(html, "://"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
  // Provenance in the footer.
  EXPECT_NE(html.find(r.provenance().scenario_sha256()), std::string::npos);
  EXPECT_NE(html.find("seed " + std::to_string(r.provenance().seed())), std::string::npos);
}

TEST(Report, SamePageForTheSameResultsAndSaysWhatIsMissing) {
  const v1::Results r = tiny_results();
  const std::string html = report::html_report(r);
  EXPECT_EQ(html, report::html_report(r));
  EXPECT_EQ(count(html, "Not in these results"), 3);  // brief, sensitivity, discovery
  EXPECT_NE(html.find("peacesim run --brief"), std::string::npos);
}

TEST(Report, TextFromTheScenarioIsEscaped) {
  v1::Scenario s = tiny();
  s.set_name("Tiny <b>& \"friends\"");
  s.mutable_options(1)->set_name("Good <offices>");
  s.mutable_options(2)->set_name("Small \x1b[2JPKO\x07");
  RunRequest q;
  q.runs = 200;
  q.seed = 5;
  const std::string html = report::html_report(run_scenario(s, q));
  EXPECT_EQ(html.find("<b>&"), std::string::npos);
  EXPECT_EQ(html.find_first_of("\x1b\x07"), std::string::npos);  // control characters shown as '?'
  EXPECT_NE(html.find("Small ?[2JPKO?"), std::string::npos);
  EXPECT_NE(html.find("Tiny &lt;b&gt;&amp; &quot;friends&quot;"), std::string::npos);
  EXPECT_NE(html.find("Good &lt;offices&gt;"), std::string::npos);
}

TEST(Report, IdsFromAResultsFileCannotInjectMarkupAndThePageForbidsScripts) {
  v1::Results r = tiny_results(200);
  const std::string evil = "x\"><script>alert(1)</script><svg onload=\"alert(2)";
  const std::string old = r.options(1).option_id();
  r.mutable_options(1)->set_option_id(evil);
  for (auto& id : *r.mutable_ranking())
    if (id == old) id = evil;
  for (auto& k : *r.mutable_robustness())
    for (auto& id : *k.mutable_option_ids())
      if (id == old) id = evil;
  const std::string html = report::html_report(r);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("onload=\""), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos) << "the id is shown, escaped";
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_EQ(report::attribute_id("a\"b <c>"), "a_b__c_");
}

TEST(Report, SynchronisationMatrixFollowsTheEngineSequencing) {
  // In tiny, small_pko's DDR (18 months) comes after mediation (months 0-6).
  v1::Results r = tiny_results();
  r.mutable_brief()->set_recommended_option("small_pko");
  const std::string html = report::html_report(r);
  const std::size_t at = html.find("<desc id=\"chart-synchronisation-d\">");
  ASSERT_NE(at, std::string::npos);
  const std::string desc = html.substr(at, html.find("</desc>", at) - at);
  EXPECT_NE(desc.find("mediation (civilian, priority 1) months 0-6"), std::string::npos) << desc;
  EXPECT_NE(desc.find("DDR (military, priority 2) months 6-24, after mediation"), std::string::npos) << desc;
  EXPECT_NE(html.find("marker-end=\"url(#sync-arrow)\""), std::string::npos);
  // A predecessor that runs to the horizon keeps its successor from ever starting.
  v1::Scenario s = tiny();
  s.mutable_options(2)->mutable_activities(0)->set_duration_months(0);
  RunRequest q;
  q.runs = 100;
  v1::Results never = run_scenario(s, q);
  never.mutable_brief()->set_recommended_option("small_pko");
  EXPECT_NE(report::html_report(never).find("DDR (military, priority 2) does not start within the horizon"),
            std::string::npos);
}

TEST(Report, OneOptionOneMonthAndNoPlanningScenarios) {
  // The smallest valid analysis: only the baseline, no planning scenarios, one month.
  v1::Scenario s = tiny();
  s.clear_planning_scenarios();
  auto* options = s.mutable_options();
  options->erase(options->begin() + 1, options->end());
  RunRequest q;
  q.runs = 100;
  q.horizon = 1;
  v1::Results r = run_scenario(s, q);
  add_strategy_brief(s, r, v1::ROBUSTNESS_METRIC_EXPECTED, 2);
  const std::string html = report::html_report(r);
  EXPECT_EQ(html.find("nan"), std::string::npos);
  EXPECT_EQ(html.find("inf\""), std::string::npos);
  // One scenario is the overall result: no table that repeats it.
  EXPECT_EQ(html.find("<section id=\"planning-scenarios\">"), std::string::npos);
  EXPECT_NE(html.find("nothing to synchronise"), std::string::npos);
  EXPECT_NE(html.find("decide the score of no_mission"), std::string::npos);
  EXPECT_EQ(html.find("Runner-up"), std::string::npos);
  // A value missing from hand-edited results leaves its mark out instead of drawing "nan".
  r.mutable_options(0)->mutable_overall()->mutable_score()->clear_percentiles();
  EXPECT_EQ(report::html_report(r).find("nan"), std::string::npos);
}

// tiny with small_pko drawing down to half its troops from month 12 and leaving in month 18
// (tiny's horizon is 24 months).
v1::Scenario tiny_leaving(int withdrawal = 18, bool drawdown = true) {
  v1::Scenario s = tiny();
  for (auto& o : *s.mutable_options()) {
    if (o.id() != "small_pko") continue;
    o.mutable_resources()->set_withdrawal_month(withdrawal);
    if (!drawdown) continue;
    v1::StrengthStep* step = o.mutable_resources()->add_drawdown();
    step->set_month(12);
    step->set_troops(0.5);
  }
  return s;
}

// The SVG element with this id, and its description.
std::string svg_of(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("<svg id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  return html.substr(at, html.find("</svg>", at) - at);
}
std::string desc_of(const std::string& svg) {
  const std::size_t at = svg.find("<desc");
  return at == std::string::npos ? "" : svg.substr(at, svg.find("</desc>", at) - at);
}

TEST(Report, AMissionThatLeavesShowsItsDrawdownAndTheMonthItLeaves) {
  const v1::Scenario s = tiny_leaving();
  io::LoadedScenario loaded;
  loaded.scenario = s;
  ASSERT_TRUE(io::validate(loaded).empty());
  RunRequest q;
  q.runs = 200;
  q.threads = 2;
  q.seed = 5;
  v1::Results r = run_scenario(s, q);
  r.mutable_brief()->set_recommended_option("small_pko");
  const std::string html = report::html_report(r);
  EXPECT_EQ(html, report::html_report(r));

  // Synchronisation matrix: a share row per component, the mission-led activities cut at the
  // withdrawal, a dashed line and its label, and all of it in the text alternative.
  const std::string sync = svg_of(html, "chart-synchronisation");
  ASSERT_FALSE(sync.empty());
  for (const char* row : {">troops: % of authorised strength<", ">police: % of authorised strength<",
                          ">civilians: % of authorised strength<"})
    EXPECT_NE(sync.find(row), std::string::npos) << row;
  EXPECT_EQ(sync.find("observers: % of authorised strength"), std::string::npos);  // small_pko has none
  EXPECT_NE(sync.find(">50%<"), std::string::npos);
  EXPECT_NE(sync.find(">mission leaves (month 18)<"), std::string::npos);
  EXPECT_NE(sync.find("stroke-dasharray=\"6 3\""), std::string::npos);
  const std::string desc = desc_of(sync);
  EXPECT_NE(desc.find("DDR (military, priority 2) months 6-18, after mediation"), std::string::npos) << desc;
  EXPECT_NE(desc.find("drawdown, as a share of authorised strength: troops 100% from month 0, 50% from month 12, 0% "
                      "from month 18; police 100% from month 0, 0% from month 18; civilians 100% from month 0, 0% "
                      "from month 18;"),
            std::string::npos)
      << desc;
  EXPECT_NE(desc.find("the mission leaves in month 18 (dashed line): its military, police and civilian activities "
                      "end there"),
            std::string::npos)
      << desc;
  EXPECT_NE(html.find("and its drawdown until the mission leaves in month 18."), std::string::npos);

  // Fan charts: the leaving option's own charts get the line and say so; the others do not.
  for (const char* key : {"battle", "civilian", "displaced"}) {
    const std::string pko = svg_of(html, std::string("chart-fan-") + key + "-small_pko");
    ASSERT_FALSE(pko.empty()) << key;
    EXPECT_NE(pko.find(">mission leaves<"), std::string::npos) << key;
    EXPECT_NE(pko.find("stroke-dasharray=\"5 3\""), std::string::npos) << key;
    EXPECT_NE(desc_of(pko).find("The mission leaves in month 18 (dashed line)."), std::string::npos) << key;
    const std::string other = svg_of(html, std::string("chart-fan-") + key + "-good_offices");
    ASSERT_FALSE(other.empty()) << key;
    EXPECT_EQ(other.find("mission leaves"), std::string::npos) << key;
    EXPECT_EQ(other.find("stroke-dasharray"), std::string::npos) << key;
  }
  EXPECT_NE(svg_of(html, "chart-regimes-small_pko").find(">mission leaves<"), std::string::npos);
  EXPECT_NE(html.find("A dashed line marks the month an option's mission leaves."), std::string::npos);

  // Leaving after the horizon: said, but not drawn.
  v1::Results late = run_scenario(tiny_leaving(30), q);
  late.mutable_brief()->set_recommended_option("small_pko");
  const std::string late_html = report::html_report(late);
  const std::string late_fan = svg_of(late_html, "chart-fan-battle-small_pko");
  EXPECT_EQ(late_fan.find("mission leaves<"), std::string::npos);
  EXPECT_NE(desc_of(late_fan).find("The mission leaves in month 30, after the horizon."), std::string::npos);
  const std::string late_sync = svg_of(late_html, "chart-synchronisation");
  EXPECT_EQ(late_sync.find("mission leaves (month"), std::string::npos);
  EXPECT_NE(desc_of(late_sync).find("the mission leaves in month 30, after the horizon"), std::string::npos);

  // Without a drawdown or a withdrawal the matrix has no share rows and no marker.
  v1::Results stays = tiny_results(200);
  stays.mutable_brief()->set_recommended_option("small_pko");
  const std::string plain = svg_of(report::html_report(stays), "chart-synchronisation");
  EXPECT_EQ(plain.find("authorised strength"), std::string::npos);
  EXPECT_EQ(plain.find("mission leaves"), std::string::npos);
}

// The numbers after `label` in `text` up to the next ';' (e.g. "small_pko 0.850 = ... ;").
std::string clause(const std::string& text, const std::string& label) {
  const std::size_t at = text.find(label);
  if (at == std::string::npos) return "";
  return text.substr(at, text.find(';', at) - at);
}

TEST(Report, ValueJudgementsShowTheWeightsTradeOffsAndStability) {
  const v1::Results r = tiny_results();
  ASSERT_TRUE(r.has_value_judgements());
  const v1::ValueJudgements& v = r.value_judgements();
  ASSERT_TRUE(v.has_acceptability());
  ASSERT_EQ(v.stakeholders_size(), 2);
  const int nc = v.criteria_size(), no = r.options_size();
  ASSERT_EQ(v.mean_values_size(), nc * no);
  const std::string html = report::html_report(r);
  // Right after the ranking, saying that the recommendation depends on the weights.
  const std::size_t panel = html.find("<section id=\"value-judgements\">");
  ASSERT_NE(panel, std::string::npos);
  EXPECT_LT(html.find("<section id=\"ranking\">"), panel);
  EXPECT_EQ(html.find("<section id=\"", panel + 1), html.find("<section id=\"distributions\">"));
  EXPECT_NE(html.find("<li><a href=\"#value-judgements\">"), std::string::npos);
  EXPECT_NE(html.find(v.recommended_option_id() + " comes first under these weights; other weights can put another "
                                                  "option first"),
            std::string::npos);
  for (const char* id : {"chart-score-breakdown", "chart-cost-relapse", "chart-cost-deaths", "chart-weight-stability",
                         "chart-acceptability"})
    EXPECT_NE(html.find("<svg id=\"" + std::string(id) + "\""), std::string::npos) << id;

  // Score breakdown: each option's total is sum_c weight_c x mean value, which is its expected
  // score, printed at the end of its bar and spelt out criterion by criterion in the description.
  const std::string breakdown = svg_of(html, "chart-score-breakdown");
  const std::string breakdown_desc = desc_of(breakdown);
  for (int k = 0; k < no; ++k) {
    const v1::OptionResult& o = r.options(k);
    double total = 0;
    std::string terms;
    for (int c = 0; c < nc; ++c) {
      const double part = v.weights(c) * v.mean_values(k * nc + c);
      total += part;
      terms += std::string(c ? " + " : "") + r.scenario().criteria(c).name() + " " + io::fmt("%.3f", part);
      if (part >= 0.06) {
        EXPECT_NE(breakdown.find(">" + io::fmt("%.2f", part) + "</text>"), std::string::npos);
      }
    }
    EXPECT_NEAR(total, o.overall().score().mean(), 1e-9) << o.option_id();
    EXPECT_NE(breakdown_desc.find(o.option_id() + " " + io::fmt("%.3f", total) + " = " + terms + ";"),
              std::string::npos)
        << breakdown_desc;
    EXPECT_NE(breakdown.find(">" + io::fmt("%.3f", total) + "</text>"), std::string::npos) << o.option_id();
  }
  for (int c = 0; c < nc; ++c)
    EXPECT_NE(
        breakdown.find(">" + r.scenario().criteria(c).name() + ", weight " + io::fmt("%.2f", v.weights(c)) + "</text>"),
        std::string::npos)
        << "legend entry for " << v.criteria(c);

  // Cost against outcomes: each option's values, and the dominated ones (computed here from the
  // definition) hollow and named.
  struct Outcome {
    const char* chart;
    v1::Metric metric;  // or METRIC_RELAPSE for P(relapse) at the horizon
  };
  for (const Outcome& out :
       {Outcome{"chart-cost-relapse", v1::METRIC_RELAPSE}, Outcome{"chart-cost-deaths", v1::METRIC_CIVILIAN_DEATHS}}) {
    const std::string svg = svg_of(html, out.chart);
    const std::string desc = desc_of(svg);
    std::vector<double> cost, value;
    for (const auto& o : r.options()) {
      cost.push_back(io::metric_of(o.overall(), v1::METRIC_COST_USD).mean() / 1e6);
      value.push_back(out.metric == v1::METRIC_RELAPSE ? io::p_relapse(o.overall())
                                                       : io::percentile_of(io::metric_of(o.overall(), out.metric), 50));
    }
    std::vector<std::string> dominated;
    for (int i = 0; i < no; ++i) {
      const std::string shown = out.metric == v1::METRIC_RELAPSE ? io::fmt("%.3f", value[i]) : io::grouped(value[i]);
      EXPECT_NE(desc.find(r.options(i).option_id() + " " + io::grouped(cost[i]) + " and " + shown + ";"),
                std::string::npos)
          << desc;
      for (int j = 0; j < no; ++j)
        if (j != i && cost[j] <= cost[i] && value[j] <= value[i] && (cost[j] < cost[i] || value[j] < value[i])) {
          dominated.push_back(r.options(i).option_id());
          break;
        }
    }
    if (dominated.empty()) {
      EXPECT_NE(desc.find("no option is dominated."), std::string::npos) << desc;
    }
    for (const auto& id : dominated) EXPECT_NE(desc.find(id + " (by "), std::string::npos) << desc;
    EXPECT_EQ(count(svg, "stroke-width=\"2.2\"/>"), static_cast<int>(dominated.size())) << out.chart;  // hollow
    EXPECT_NE(svg.find(">lower left is better</text>"), std::string::npos);
    // Every point labelled; one nearly hidden under a better-ranked one is drawn as a ring around it.
    for (const auto& o : r.options())
      EXPECT_TRUE(svg.find(">" + o.option_id() + "</text>") != std::string::npos ||
                  svg.find(">" + o.option_id() + " (ring)</text>") != std::string::npos)
          << o.option_id();
  }
  // An option made costlier and worse than another is dominated: hollow, and said so.
  v1::Results worse = r;
  for (auto& o : *worse.mutable_options())
    if (o.option_id() == "good_offices") {
      auto* curve = o.mutable_overall()->mutable_p_relapse_by_month();
      curve->Set(curve->size() - 1, 0.99);
    }
  const std::string worse_relapse = svg_of(report::html_report(worse), "chart-cost-relapse");
  EXPECT_NE(desc_of(worse_relapse)
                .find("dominated, hollow: good_offices (by no_mission): another option costs no more "
                      "and does no worse."),
            std::string::npos)
      << desc_of(worse_relapse);
  EXPECT_EQ(count(worse_relapse, "stroke-width=\"2.2\"/>"), 1);

  // Weight stability: each criterion's interval and the options that take over at its ends.
  const std::string stability = svg_of(html, "chart-weight-stability");
  const std::string stability_desc = desc_of(stability);
  for (const auto& s : v.stability()) {
    std::string name;
    for (const auto& c : r.scenario().criteria())
      if (c.id() == s.criterion()) name = c.name();
    std::string want = name + " (" + s.criterion() + "): weight now " + io::fmt("%.3f", s.weight()) + ", holds for [" +
                       io::fmt("%.3f", s.low()) + ", " + io::fmt("%.3f", s.high()) + "]";
    if (!s.below().empty()) want += ", below it " + s.below();
    if (!s.above().empty()) want += ", above it " + s.above();
    EXPECT_EQ(clause(stability_desc, name + " ("), want) << stability_desc;
    EXPECT_NE(stability.find(">now " + io::fmt("%.3f", s.weight()) + "; holds " + io::fmt("%.3f", s.low()) + "\u2013" +
                             io::fmt("%.3f", s.high()) + "</text>"),
              std::string::npos)
        << s.criterion();
    for (const std::string& other : {s.below(), s.above()})
      if (!other.empty()) {
        EXPECT_NE(stability.find(other), std::string::npos) << other;
      }
  }
  // In tiny the civilians weight (0.5) can fall to about 0.4 before good_offices comes first.
  EXPECT_NE(stability_desc.find("Civilian deaths (civilians): weight now 0.500, holds for [0."), std::string::npos)
      << stability_desc;

  // Rank acceptability: options by first-rank share, every share as printed.
  const std::string acceptability = svg_of(html, "chart-acceptability");
  const std::string acceptability_desc = desc_of(acceptability);
  std::size_t previous = 0;
  double previous_first = 2;
  std::vector<const v1::OptionAcceptability*> by_first;
  for (const auto& o : v.acceptability().options()) by_first.push_back(&o);
  std::stable_sort(by_first.begin(), by_first.end(), [](auto* a, auto* b) { return a->rank(0) > b->rank(0); });
  for (const auto* o : by_first) {
    std::string want = o->option_id();
    for (int k = 0; k < o->rank_size(); ++k) {
      want += std::string(k ? "," : "") + " rank " + std::to_string(k + 1) + " " + io::fmt("%.3f", o->rank(k));
      if (o->rank(k) >= 0.06) {
        EXPECT_NE(acceptability.find(">" + io::fmt("%.0f", 100 * o->rank(k)) + "%</text>"), std::string::npos);
      }
    }
    const std::size_t at = acceptability_desc.find(want + ";");
    EXPECT_NE(at, std::string::npos) << want << "\n" << acceptability_desc;
    EXPECT_GE(at, previous) << "sorted by first-rank acceptability";
    EXPECT_LE(o->rank(0), previous_first);
    previous = at;
    previous_first = o->rank(0);
  }
  EXPECT_NE(acceptability_desc.find(io::grouped(static_cast<double>(v.acceptability().draws())) + " draws"),
            std::string::npos);

  // Each stakeholder's first three options with their expected scores.
  for (const auto& s : v.stakeholders()) {
    const std::size_t row = html.find(s.name() + " <code>" + s.id() + "</code></th>");
    ASSERT_NE(row, std::string::npos) << s.id();
    const std::string cells = html.substr(row, html.find("</tr>", row) - row);
    for (int k = 0; k < std::min(3, s.option_ids_size()); ++k)
      EXPECT_NE(cells.find(s.option_ids(k) + " " + io::fmt("%.3f", s.scores(k)) + "</td>"), std::string::npos) << cells;
  }

  // Without declared weight uncertainty: no acceptability chart, and nothing said about it.
  v1::Results fixed = r;
  fixed.mutable_value_judgements()->clear_acceptability();
  const std::string fixed_html = report::html_report(fixed);
  EXPECT_EQ(fixed_html.find("chart-acceptability"), std::string::npos);
  EXPECT_EQ(fixed_html.find("Rank acceptability"), std::string::npos);
  EXPECT_EQ(count(fixed_html, "<svg "), count(html, "<svg ") - 1);
  EXPECT_NE(fixed_html.find("first three options by expected score"), std::string::npos);
  // Without stakeholders: no table.
  fixed.mutable_value_judgements()->clear_stakeholders();
  EXPECT_EQ(report::html_report(fixed).find("first three options by expected score"), std::string::npos);

  // Results written before value judgements: the panel says so in one sentence.
  v1::Results old = r;
  old.clear_value_judgements();
  const std::string old_html = report::html_report(old);
  EXPECT_NE(old_html.find("<section id=\"value-judgements\"><h2>Value judgements and trade-offs</h2><p "
                          "class=\"intro\">Not in these results"),
            std::string::npos);
  EXPECT_EQ(count(old_html, "Not in these results"), count(html, "Not in these results") + 1);
  for (const char* id :
       {"chart-score-breakdown", "chart-cost-relapse", "chart-weight-stability", "chart-acceptability"})
    EXPECT_EQ(old_html.find(id), std::string::npos) << id;
  EXPECT_EQ(old_html, report::html_report(old));
}

// The "Resources and time" paragraphs of the brief of results for `s` (a short run over tiny's 24
// months), recommending small_pko.
std::vector<std::string> resources_and_time(const v1::Scenario& s) {
  RunRequest q;
  q.runs = 50;
  q.threads = 1;
  v1::Results r = run_scenario(s, q);
  r.mutable_brief()->set_recommended_option("small_pko");
  for (const io::BriefSection& part : io::brief_sections(r))
    if (part.heading == "Resources and time") return part.paragraphs;
  return {};
}

TEST(Brief, SaysWhenTheMissionDrawsDownAndLeaves) {
  auto last = [](const std::vector<std::string>& p) { return p.empty() ? std::string() : p.back(); };
  EXPECT_EQ(last(resources_and_time(tiny_leaving())),
            "The mission draws down to 50% of troops from month 12; it leaves in month 18, and its military, police "
            "and civilian activities end then (UN country team and host-government activities go on).");
  EXPECT_EQ(last(resources_and_time(tiny_leaving(18, false))),
            "The mission leaves in month 18, and its military, police and civilian activities end then (UN country "
            "team and host-government activities go on).");
  EXPECT_EQ(last(resources_and_time(tiny_leaving(30))),
            "The mission draws down to 50% of troops from month 12; it leaves in month 30, after the 24-month "
            "horizon.");
  // A drawdown without a withdrawal, in two steps; observers (small_pko has none) are left out.
  v1::Scenario s = tiny_leaving(0);
  for (auto& o : *s.mutable_options())
    if (o.id() == "small_pko") {
      v1::StrengthStep* step = o.mutable_resources()->add_drawdown();
      step->set_month(20);
      step->set_troops(0.2);
      step->set_police(0.5);
      step->set_observers(0);
    }
  EXPECT_EQ(last(resources_and_time(s)),
            "The mission draws down to 50% of troops from month 12, then draws down to 20% of troops and 50% of "
            "police from month 20, and stays to the horizon.");
  // A mission that neither draws down nor leaves: nothing more is said.
  const std::vector<std::string> plain = resources_and_time(tiny());
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_EQ(plain[1].find("leaves"), std::string::npos);
}

// The viewers are functions of the results alone: the synchronisation matrix and the brief's
// drawdown sentence come from each option's plan, so results whose stored scenario is gone, or
// could not be compiled, draw them the same.
TEST(Report, TheMatrixAndTheBriefNeedNoStoredScenario) {
  RunRequest q;
  q.runs = 100;
  q.threads = 1;
  v1::Results r = run_scenario(tiny_leaving(), q);
  r.mutable_brief()->set_recommended_option("small_pko");
  auto resources = [](const v1::Results& results) {
    for (const io::BriefSection& part : io::brief_sections(results))
      if (part.heading == "Resources and time") return part.paragraphs;
    return std::vector<std::string>{};
  };
  const std::string sync = svg_of(report::html_report(r), "chart-synchronisation");
  ASSERT_NE(sync.find("troops: % of authorised strength"), std::string::npos);
  ASSERT_NE(sync.find(">mission leaves (month 18)<"), std::string::npos);
  const std::vector<std::string> paragraphs = resources(r);
  ASSERT_EQ(paragraphs.size(), 3u);
  EXPECT_EQ(paragraphs[2].rfind("The mission draws down to 50% of troops from month 12; it leaves in month 18", 0), 0u)
      << paragraphs[2];
  v1::Results without = r;
  without.clear_scenario();
  v1::Results broken = r;
  broken.mutable_scenario()->clear_options();  // no longer a scenario that compiles
  for (const v1::Results* x : {&without, &broken}) {
    EXPECT_EQ(svg_of(report::html_report(*x), "chart-synchronisation"), sync);
    EXPECT_EQ(resources(*x), paragraphs);
  }
  // Results written before the plans were: the panel says so, and the brief leaves the sentence out.
  v1::Results old = r;
  for (auto& o : *old.mutable_options()) o.clear_plan();
  const std::string old_html = report::html_report(old);
  EXPECT_EQ(old_html.find("chart-synchronisation"), std::string::npos);
  EXPECT_NE(old_html.find("<section id=\"synchronisation\"><h2>Synchronisation matrix of the recommended "
                          "option</h2><p class=\"intro\">Not in these results"),
            std::string::npos);
  EXPECT_EQ(resources(old).size(), 2u);
}

TEST(Svg, AxesHaveNiceTicksAndReverseForRows) {
  const report::Axis a(0, 0.5);
  const std::vector<double> t = a.ticks();
  ASSERT_GE(t.size(), 4u);
  EXPECT_DOUBLE_EQ(t[0], 0);
  EXPECT_NEAR(t[1] - t[0], 0.1, 1e-12);
  EXPECT_EQ(a.label(0.3), "0.3");
  EXPECT_EQ(report::Axis(0, 5e6).label(2e6), "2 M");
  EXPECT_EQ(report::Axis(0, 80000).label(20000), "20 k");
  EXPECT_EQ(report::Axis(0, 1500).label(1000), "1,000");
  const report::Axis rows(2.5, -0.5);  // row 0 at the top
  EXPECT_LT(rows.map(0, 100, 0), rows.map(2, 100, 0));
  EXPECT_EQ(report::escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

TEST(Guidance, MisspellingsGetTheNearestNameAndEveryErrorAnExample) {
  EXPECT_EQ(io::edit_distance("reversoin", "reversion"), 2);
  EXPECT_EQ(io::edit_distance("", "abc"), 3);
  EXPECT_EQ(io::edit_distance("kitten", "sitting"), 3);
  auto diagnose = [](const std::string& text) {
    try {
      io::require_valid(io::parse_scenario(text, "t.textproto", io::Format::kText));
    } catch (const io::InputError& e) {
      return e.diagnostics();
    }
    return std::vector<io::Diagnostic>{};
  };
  auto field = diagnose("drivers { id: \"a\" volatilty { value: 0.1 } }");
  ASSERT_EQ(field.size(), 1u);
  EXPECT_NE(field[0].message.find("Did you mean \"volatility\"?"), std::string::npos) << field[0].message;
  EXPECT_NE(field[0].example.find("risk_weight"), std::string::npos);
  auto kind = diagnose("drivers { id: \"a\" polarity: POLARITY_PEACE_FACTR }");
  ASSERT_EQ(kind.size(), 1u);
  EXPECT_NE(kind[0].message.find("Did you mean POLARITY_PEACE_FACTOR?"), std::string::npos) << kind[0].message;
  // Semantic errors: an example for each, by field.
  std::string text = io::read_file(std::string(PEACESIM_SOURCE_DIR) + "/scenarios/examples/tiny.textproto");
  text.replace(text.find("uniform { min: 0.3 max: 0.5 }"), 29, "uniform { min: 0.5 max: 0.3 }");
  const auto range = diagnose(text);
  ASSERT_FALSE(range.empty());
  EXPECT_EQ(range[0].example, "uniform { min: 0.03 max: 0.06 }  (min <= max)");
  EXPECT_NE(io::format(range[0]).find("\n  example: uniform {"), std::string::npos);
  // The guess comes from every id, not only the eight the message lists.
  std::string carana(io::default_scenario_text());
  const std::string edge = "causal_map { from: \"weak_security_sector\"";
  carana.replace(carana.find(edge), edge.size(), "causal_map { from: \"weak_security_sectr\"");
  const auto late = diagnose(carana);
  ASSERT_FALSE(late.empty());
  EXPECT_NE(late[0].message.find(", .... Did you mean \"weak_security_sector\"?"), std::string::npos)
      << late[0].message;
  // Far from every name: no guess.
  auto far = diagnose("drivers { id: \"a\" zzzzzzzz { value: 0.1 } }");
  ASSERT_EQ(far.size(), 1u);
  EXPECT_EQ(far[0].message.find("Did you mean"), std::string::npos);
}

}  // namespace
}  // namespace peacesim
