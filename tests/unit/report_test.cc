// The HTML report and the guidance on scenario errors: every panel present, charts described,
// nothing fetched, text escaped, the same results giving the same page, the synchronisation matrix
// following the engine's sequencing; "did you mean" and examples on bad input.
#include "engine/report/report.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "engine/io/brief.h"
#include "engine/io/guidance.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/report/svg.h"

namespace peacesim {
namespace {

v1::Scenario tiny() {
  io::LoadedScenario loaded =
      io::load_scenario(std::string(PEACESIM_SOURCE_DIR) + "/scenarios/examples/tiny.textproto");
  io::require_valid(loaded);
  return loaded.scenario;
}

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

TEST(Report, EveryPanelIsThereAndEveryChartIsDescribed) {
  v1::Results r = tiny_results();
  add_strategy_brief(tiny(), r, v1::ROBUSTNESS_METRIC_EXPECTED, 2);
  const std::string html = report::html_report(r);
  for (const char* id : {"brief", "ranking", "distributions", "survival", "fan-charts", "gender", "planning-scenarios",
                         "sensitivity", "discovery", "synchronisation"})
    EXPECT_NE(html.find("<section id=\"" + std::string(id) + "\">"), std::string::npos) << id;
  const int charts = count(html, "<svg ");
  // ranking, distributions, differences, survival, 3 fans + regimes per option, 4 gender, tornado,
  // PRIM, synchronisation.
  EXPECT_EQ(charts, 4 + 4 * r.options_size() + 4 + 3);
  EXPECT_EQ(count(html, "role=\"img\""), charts);
  EXPECT_EQ(count(html, "<title id="), charts);
  EXPECT_EQ(count(html, "<desc id="), charts);
  EXPECT_EQ(html.find("Not in these results"), std::string::npos);
  // Self-contained: no scripts, nothing fetched; only the SVG namespace names a URL.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(count(html, "http"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
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
  RunRequest q;
  q.runs = 200;
  q.seed = 5;
  const std::string html = report::html_report(run_scenario(s, q));
  EXPECT_EQ(html.find("<b>&"), std::string::npos);
  EXPECT_NE(html.find("Tiny &lt;b&gt;&amp; &quot;friends&quot;"), std::string::npos);
  EXPECT_NE(html.find("Good &lt;offices&gt;"), std::string::npos);
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

// The "Resources and time" paragraphs of the brief of results for `s`, recommending small_pko.
std::vector<std::string> resources_and_time(const v1::Scenario& s) {
  v1::Results r;
  *r.mutable_scenario() = s;
  r.mutable_provenance()->set_horizon_months(24);
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
