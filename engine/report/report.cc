// The HTML report; see report.h.
#include "engine/report/report.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/io/brief.h"
#include "engine/io/enum_mirrors.h"
#include "engine/io/results_view.h"
#include "engine/realisation.h"
#include "engine/report/page.h"
#include "engine/report/svg.h"
#include "engine/sensitivity.h"

namespace peacesim::report {
namespace {

using io::fmt;
using io::grouped;
using io::metric_of;
using io::p_relapse;
using io::percentile_of;

std::string signed3(double v) { return (v < 0 ? "\u2212" : "+") + fmt("%.3f", std::abs(v)); }

// "UN_ROLE_SPECIAL_POLITICAL_MISSION" with prefix "UN_ROLE_" -> "special political mission".
std::string words(const std::string& enum_name, const std::string& prefix) {
  std::string s = enum_name.substr(std::min(prefix.size(), enum_name.size()));
  for (char& c : s) c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const v1::FanChart* fan(const v1::Evaluation& e, v1::Indicator indicator) {
  for (const auto& f : e.fan_charts())
    if (f.indicator() == indicator) return &f;
  return nullptr;
}

std::vector<double> as_doubles(const google::protobuf::RepeatedField<int>& v) { return {v.begin(), v.end()}; }
std::vector<double> as_doubles(const google::protobuf::RepeatedField<double>& v) { return {v.begin(), v.end()}; }

// The options in ranking order (by expected score), with their series colours fixed by the
// scenario's order so an option keeps its colour in every chart.
struct Ranked {
  const v1::OptionResult* option;
  int series;
};

std::vector<Ranked> ranked(const v1::Results& r) {
  std::vector<Ranked> out;
  for (const auto& id : r.ranking())
    for (int k = 0; k < r.options_size(); ++k)
      if (r.options(k).option_id() == id) out.push_back({&r.options(k), k});
  return out;
}

std::vector<std::string> names(const std::vector<Ranked>& opts) {
  std::vector<std::string> n;
  for (const auto& o : opts) n.push_back(o.option->option_id());
  return n;
}

std::vector<const char*> colours(const std::vector<Ranked>& opts) {
  std::vector<const char*> c;
  for (const auto& o : opts) c.push_back(series_colour(o.series));
  return c;
}

std::vector<const char*> dashes(const std::vector<Ranked>& opts) {
  std::vector<const char*> d;
  for (const auto& o : opts) d.push_back(series_dash(o.series));
  return d;
}

// Margins leaving room below the plot for a legend of `entries`.
Chart::Margins legend_margins(const std::vector<std::string>& entries, double width, double left = 64) {
  Chart::Margins m;
  m.left = left;
  const int per_row = std::max(1, static_cast<int>((width - m.left - m.right) / legend_column(entries)));
  m.bottom = 50 + 16.0 * static_cast<double>((static_cast<int>(entries.size()) + per_row - 1) / per_row);
  return m;
}

// The option the brief recommends, else the first by expected score.
std::string recommended(const v1::Results& r) {
  if (!r.brief().recommended_option().empty()) return r.brief().recommended_option();
  return r.ranking_size() > 0 ? r.ranking(0) : std::string();
}

// --- panels --------------------------------------------------------------------------------

std::string ranking_panel(const v1::Results& r, const std::vector<Ranked>& opts) {
  const int horizon = r.provenance().horizon_months();
  std::string t =
      "<table><caption>Options ranked by expected score (0 = worst, 1 = best on every criterion), with 95% "
      "intervals</caption><thead><tr><th scope=\"col\">Rank</th><th scope=\"col\">Option</th><th "
      "scope=\"col\">UN role</th><th scope=\"col\">Score [95% CI]</th><th scope=\"col\">P(best) [bootstrap "
      "95%]</th><th scope=\"col\">Regret, 90th pct.</th><th scope=\"col\">P(relapse within " +
      std::to_string(horizon) +
      " months)</th><th scope=\"col\">Civilian deaths (median)</th><th scope=\"col\">Cost, USD m "
      "(mean)</th></tr></thead><tbody>";
  int rank = 0;
  for (const auto& o : opts) {
    const v1::Evaluation& e = o.option->overall();
    t += "<tr><td>" + std::to_string(++rank) +
         "</td><th scope=\"row\"><span class=\"swatch\" style=\"background:" + series_colour(o.series) + "\"></span>" +
         escape(o.option->option_name()) + " <code>" + escape(o.option->option_id()) + "</code></th><td>" +
         escape(io::role_label(o.option->role())) + "</td><td>" + fmt("%.3f", e.score().mean()) + " [" +
         fmt("%.3f", e.score().ci95_low()) + ", " + fmt("%.3f", e.score().ci95_high()) + "]</td><td>" +
         fmt("%.2f", e.p_best()) + " [" + fmt("%.2f", e.bootstrap().p_best_low()) + ", " +
         fmt("%.2f", e.bootstrap().p_best_high()) + "]</td><td>" + fmt("%.3f", percentile_of(e.regret(), 90)) +
         "</td><td>" + fmt("%.2f", p_relapse(e)) + "</td><td>" +
         grouped(percentile_of(metric_of(e, v1::METRIC_CIVILIAN_DEATHS), 50)) + "</td><td>" +
         grouped(metric_of(e, v1::METRIC_COST_USD).mean() / 1e6) + "</td></tr>";
  }
  t += "</tbody></table>";

  // Dot and whisker of the score.
  double lo = 1, hi = 0;
  for (const auto& o : opts) {
    lo = std::min(lo, o.option->overall().score().ci95_low());
    hi = std::max(hi, o.option->overall().score().ci95_high());
  }
  const double pad = std::max(0.01, (hi - lo) * 0.1);
  Chart::Margins m;
  m.left = 190;
  const double height = 74 + 30.0 * static_cast<double>(opts.size());  // margins + 30 px a row
  std::string desc = "Expected score with 95% interval, best first: ";
  for (const auto& o : opts) {
    const auto& s = o.option->overall().score();
    desc += o.option->option_id() + " " + fmt("%.3f", s.mean()) + " [" + fmt("%.3f", s.ci95_low()) + ", " +
            fmt("%.3f", s.ci95_high()) + "]; ";
  }
  Chart c("chart-ranking", "Expected score with 95% interval", desc, 720, height, Axis(lo - pad, hi + pad),
          Axis(static_cast<double>(opts.size()) - 0.5, -0.5), m);
  c.axes("expected score", "", false);
  c.categories(names(opts));
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const auto& s = opts[i].option->overall().score();
    const double y = static_cast<double>(i);
    c.segment(s.ci95_low(), y, s.ci95_high(), y, series_colour(opts[i].series), 2.5);
    c.dot(s.mean(), y, 5, series_colour(opts[i].series), "#fff");
  }

  // Robustness metrics.
  std::string flag;
  if (r.top_option_depends_on_metric()) {
    flag =
        "<p class=\"flag\" role=\"note\"><strong>The most robust option depends on the robustness metric.</strong> "
        "Read the table below before relying on the expected score alone.</p>";
  } else if (r.robustness_size() > 0) {
    flag = "<p class=\"ok\" role=\"note\">Every robustness metric puts the same option first.</p>";
  }
  std::string rt;
  if (r.robustness_size() > 0) {
    rt = "<table class=\"compact\"><caption>Most robust option under each robustness metric (McPhail et al. "
         "2018)</caption><thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">First</th><th "
         "scope=\"col\">Second</th><th scope=\"col\">Third</th></tr></thead><tbody>";
    for (const auto& k : r.robustness()) {
      rt += "<tr><th scope=\"row\">" + escape(io::metric_label(k.metric())) + "</th>";
      for (int i = 0; i < 3; ++i)
        rt += "<td>" + (i < k.option_ids_size() ? escape(k.option_ids(i)) : std::string()) + "</td>";
      rt += "</tr>";
    }
    rt += "</tbody></table>";
  }
  return section("ranking", "Ranking of the options",
                 "Each option was simulated on the same " +
                     grouped(static_cast<double>(r.provenance().realisations())) +
                     " sampled futures (common random numbers), so differences between options are not noise "
                     "between different futures.",
                 t + figure(c.str()) + flag + rt);
}

// --- value judgements ----------------------------------------------------------------------

// A fill colour and whether a label drawn on it needs white ink.
struct Paint {
  std::string fill;
  bool dark;
};

// Criteria colours: Paul Tol's "muted" scheme (Tol 2021, SRON/EPS/TN/09-002), distinguishable with
// the common forms of colour blindness and apart from the Okabe-Ito colours the options keep, so a
// criterion is not taken for an option. Dark and light colours alternate, so neighbouring segments
// of a stacked bar stand apart. Criteria beyond the ninth take the colours again, hatched.
constexpr int kCriterionColours = 9;
Paint criterion_paint(int c) {
  static const Paint paints[kCriterionColours] = {{"#CC6677", false}, {"#332288", true},  {"#DDCC77", false},
                                                  {"#117733", true},  {"#88CCEE", false}, {"#882255", true},
                                                  {"#44AA99", false}, {"#999933", false}, {"#AA4499", true}};
  return paints[c % kCriterionColours];
}

// The sequential colours of ranks 1..n: viridis (van der Walt & Smith 2015), dark for rank 1 and
// light for the last; perceptually even, and still ordered in greyscale and with colour blindness.
Paint rank_paint(int k, int n) {
  static const int stops[11][3] = {{0x44, 0x01, 0x54}, {0x48, 0x24, 0x75}, {0x41, 0x44, 0x87}, {0x35, 0x5f, 0x8d},
                                   {0x2a, 0x78, 0x8e}, {0x21, 0x91, 0x8c}, {0x22, 0xa8, 0x84}, {0x44, 0xbf, 0x70},
                                   {0x7a, 0xd1, 0x51}, {0xbd, 0xdf, 0x26}, {0xfd, 0xe7, 0x25}};
  const double t = n > 1 ? 0.95 * k / (n - 1) : 0;  // short of the palest yellow, faint on white
  const int i = std::min(9, static_cast<int>(t * 10));
  const double f = t * 10 - i;
  int rgb[3];
  for (int j = 0; j < 3; ++j) rgb[j] = static_cast<int>(std::lround(stops[i][j] + (stops[i + 1][j] - stops[i][j]) * f));
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X", rgb[0], rgb[1], rgb[2]);
  return {buf, t < 0.45};
}

// A criterion's name in the scenario, else its id.
std::string criterion_name(const v1::Results& r, const std::string& id) {
  for (const auto& c : r.scenario().criteria())
    if (c.id() == id && !c.name().empty()) return c.name();
  return id;
}

// The series colour of the option with this id (grey when it is not an option).
const char* option_colour(const std::vector<Ranked>& opts, const std::string& id) {
  for (const auto& o : opts)
    if (o.option->option_id() == id) return series_colour(o.series);
  return "#999";
}

// A key below a chart's plot: each entry a mark (SVG drawn in a 16 x 10 box at the origin) and
// its label, in rows of columns from x = `left` across `span` pixels, the last row at the bottom.
struct KeyEntry {
  std::string mark, label;
};

double key_column(const std::vector<KeyEntry>& entries) {
  std::vector<std::string> labels;
  for (const auto& e : entries) labels.push_back(e.label);
  return legend_column(labels);
}

int key_per_row(const std::vector<KeyEntry>& entries, double span) {
  return std::max(1, static_cast<int>(span / key_column(entries)));
}

// The height of the key's rows.
double key_height(const std::vector<KeyEntry>& entries, double span) {
  const int per_row = key_per_row(entries, span);
  return 16.0 * static_cast<double>((static_cast<int>(entries.size()) + per_row - 1) / per_row);
}

void key(Chart& c, const std::vector<KeyEntry>& entries, double left, double span, double height) {
  const double column = key_column(entries);
  const int per_row = key_per_row(entries, span);
  const int rows = (static_cast<int>(entries.size()) + per_row - 1) / per_row;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const int row = static_cast<int>(i) / per_row;
    const double x = left + column * static_cast<double>(static_cast<int>(i) % per_row);
    const double y = height - 8 - 16.0 * (rows - 1 - row);  // the label's baseline
    c.raw("<g transform=\"translate(" + fmt("%.1f", x) + " " + fmt("%.1f", y - 9) + ")\">" + entries[i].mark +
          "</g><text class=\"tick\" x=\"" + fmt("%.1f", x + 22) + "\" y=\"" + fmt("%.1f", y) + "\">" +
          escape(entries[i].label) + "</text>");
  }
}

std::string swatch_mark(const std::string& fill, double opacity = 1, const std::string& hatch = "") {
  return "<rect x=\"1\" y=\"0\" width=\"15\" height=\"10\" fill=\"" + fill + "\" fill-opacity=\"" +
         fmt("%.2f", opacity) + "\" stroke=\"#333\" stroke-width=\"0.6\"/>" +
         (hatch.empty() ? "" : "<rect x=\"1\" y=\"0\" width=\"15\" height=\"10\" fill=\"url(#" + hatch + ")\"/>");
}

// The expected score of option k (in the results' option order) on each criterion: weight x mean
// value. Empty when the value judgements do not match the options.
std::vector<double> score_parts(const v1::ValueJudgements& v, int k, int options) {
  const int nc = v.criteria_size();
  if (v.weights_size() != nc || v.mean_values_size() != options * nc || k < 0 || k >= options) return {};
  std::vector<double> parts;
  for (int c = 0; c < nc; ++c) parts.push_back(v.weights(c) * v.mean_values(k * nc + c));
  return parts;
}

std::string score_breakdown(const v1::Results& r, const std::vector<Ranked>& opts) {
  const v1::ValueJudgements& v = r.value_judgements();
  const int nc = v.criteria_size();
  if (score_parts(v, 0, r.options_size()).empty())
    return "<p class=\"note\">The criteria values in these results do not match their options and criteria: the "
           "score breakdown is left out.</p>";
  const std::string hatch = "chart-score-breakdown-hatch";
  std::vector<KeyEntry> keys;
  for (int c = 0; c < nc; ++c)
    keys.push_back({swatch_mark(criterion_paint(c).fill, 1, c < kCriterionColours ? "" : hatch),
                    criterion_name(r, v.criteria(c)) + ", weight " + fmt("%.2f", v.weights(c))});
  const double width = 720;
  Chart::Margins m;
  m.left = 190;
  m.bottom = 50 + key_height(keys, width - 32);
  const double rows = static_cast<double>(opts.size());
  std::string desc =
      "Expected score of each option, best first, as the sum over the criteria of the criterion's weight times "
      "the option's mean value on it (0 to 1) over all futures: ";
  for (const auto& o : opts) {
    const std::vector<double> parts = score_parts(v, o.series, r.options_size());
    double total = 0;
    std::string terms;
    for (int c = 0; c < nc; ++c) {
      total += parts[c];
      terms += std::string(c ? " + " : "") + criterion_name(r, v.criteria(c)) + " " + fmt("%.3f", parts[c]);
    }
    desc += o.option->option_id() + " " + fmt("%.3f", total) + " = " + terms + "; ";
  }
  Chart c("chart-score-breakdown", "Expected score, criterion by criterion", desc, width, m.top + 30 * rows + m.bottom,
          Axis(0, 1), Axis(rows - 0.5, -0.5), m);
  if (nc > kCriterionColours)
    c.raw("<defs><pattern id=\"" + hatch +
          "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" "
          "y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fff\" stroke-width=\"2\"/></pattern></defs>");
  c.axes("expected score (0 = worst, 1 = best on every criterion)", "", false);
  c.categories(names(opts));
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const std::vector<double> parts = score_parts(v, opts[i].series, r.options_size());
    const double y = static_cast<double>(i);
    double at = 0;
    for (int k = 0; k < nc; ++k) {
      if (!std::isfinite(parts[k]) || parts[k] <= 0) continue;
      const Paint p = criterion_paint(k);
      c.rect(at, y - 0.36, at + parts[k], y + 0.36, p.fill.c_str(), 1, "stroke=\"#fff\" stroke-width=\"1\"");
      if (k >= kCriterionColours) c.rect(at, y - 0.36, at + parts[k], y + 0.36, ("url(#" + hatch + ")").c_str());
      if (parts[k] >= 0.06)
        c.text(at + parts[k] / 2, y + 0.12, fmt("%.2f", parts[k]), "middle",
               p.dark ? "bar-label on-dark" : "bar-label");
      at += parts[k];
    }
    c.text(at + 0.008, y + 0.12, fmt("%.3f", at), "start", "bar-label");
  }
  key(c, keys, 16, width - 32, m.top + 30 * rows + m.bottom);
  return figure(c.str());
}

// For each option the first other option (by index) that dominates it on cost and one outcome,
// both lower-is-better: no more costly and no worse, and better on one. -1 when none does (or its
// values are missing).
std::vector<int> dominators(const std::vector<double>& cost, const std::vector<double>& outcome) {
  const std::size_t n = cost.size();
  std::vector<int> by(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(cost[i]) || !std::isfinite(outcome[i])) continue;
    for (std::size_t j = 0; j < n && by[i] < 0; ++j)
      if (j != i && std::isfinite(cost[j]) && std::isfinite(outcome[j]) && cost[j] <= cost[i] &&
          outcome[j] <= outcome[i] && (cost[j] < cost[i] || outcome[j] < outcome[i]))
        by[i] = static_cast<int>(j);
  }
  return by;
}

// Where a point's label goes, in pixels: the text's anchor point and whether a leader line joins it
// to its point.
struct LabelSpot {
  double x, y;
  const char* anchor;
  bool leader;
};

// Places the labels of points (px, py), first come first served, where each overlaps no other
// label and no marker and stays in the plot (x0, y0)-(x1, y1): right of its point, left, above,
// below, then further down or up with a leader line. Text width is estimated at 11 px.
std::vector<LabelSpot> place_labels(const std::vector<double>& px, const std::vector<double>& py,
                                    const std::vector<std::string>& text, double x0, double y0, double x1, double y1,
                                    const std::vector<double>& radius) {
  struct Box {
    double a, b, c, d;  // left, top, right, bottom
  };
  auto overlap = [](const Box& p, const Box& q) { return p.a < q.c && q.a < p.c && p.b < q.d && q.b < p.d; };
  std::vector<Box> taken;
  for (std::size_t i = 0; i < px.size(); ++i)
    if (std::isfinite(px[i]) && std::isfinite(py[i]))
      taken.push_back({px[i] - radius[i] - 1, py[i] - radius[i] - 1, px[i] + radius[i] + 1, py[i] + radius[i] + 1});
  std::vector<LabelSpot> out;
  for (std::size_t i = 0; i < px.size(); ++i) {
    // Clear of the largest marker at the point (a ring around it when points nearly coincide).
    double reach = radius[i];
    for (std::size_t j = 0; j < px.size(); ++j)
      if (std::hypot(px[j] - px[i], py[j] - py[i]) < 11) reach = std::max(reach, radius[j]);
    const double w = 6.6 * static_cast<double>(text[i].size()), gap = reach + 3;
    std::vector<LabelSpot> tries = {{px[i] + gap, py[i] + 4, "start", false},
                                    {px[i] - gap, py[i] + 4, "end", false},
                                    {px[i], py[i] - gap - 2, "middle", false},
                                    {px[i], py[i] + gap + 10, "middle", false}};
    for (int step = 1; step <= 4; ++step)
      for (double dy : {14.0 * step, -14.0 * step}) {
        tries.push_back({px[i] + gap + 4, py[i] + 4 + dy, "start", true});
        tries.push_back({px[i] - gap - 4, py[i] + 4 + dy, "end", true});
      }
    auto box_of = [&](const LabelSpot& s) {
      const double left = s.anchor[0] == 's' ? s.x : s.anchor[0] == 'e' ? s.x - w : s.x - w / 2;
      return Box{left, s.y - 9, left + w, s.y + 3};
    };
    auto inside = [&](const Box& b) { return b.a >= x0 + 2 && b.c <= x1 - 2 && b.b >= y0 + 2 && b.d <= y1 - 2; };
    const LabelSpot* chosen = nullptr;
    for (const auto& t : tries) {
      const Box b = box_of(t);
      if (!inside(b)) continue;
      bool clear = true;
      for (const Box& q : taken) clear = clear && !overlap(b, q);
      if (clear) {
        chosen = &t;
        break;
      }
    }
    if (chosen == nullptr)
      for (const auto& t : tries)
        if (inside(box_of(t))) {
          chosen = &t;
          break;
        }
    if (chosen == nullptr) chosen = &tries[0];
    out.push_back(*chosen);
    taken.push_back(box_of(*chosen));
  }
  return out;
}

// One option per point: mean cost (USD millions) against an outcome where lower is better; the
// dominated options hollow.
std::string cost_scatter(const std::string& id, const std::string& title, const std::string& outcome,
                         const std::string& y_title, const std::vector<double>& outcome_values, bool share,
                         const std::vector<Ranked>& opts) {
  std::vector<double> cost;
  double cost_top = 0, top = 0;
  for (std::size_t i = 0; i < opts.size(); ++i) {
    cost.push_back(metric_of(opts[i].option->overall(), v1::METRIC_COST_USD).mean() / 1e6);
    if (std::isfinite(cost[i])) cost_top = std::max(cost_top, cost[i]);
    if (std::isfinite(outcome_values[i])) top = std::max(top, outcome_values[i]);
  }
  auto show = [share](double v) { return share ? fmt("%.3f", v) : grouped(v); };
  const std::vector<int> by = dominators(cost, outcome_values);
  std::string desc = "Mean cost in USD millions against " + outcome + ", one point per option; lower left is better: ";
  std::string dominated;
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const std::string& name = opts[i].option->option_id();
    desc += name + " " + grouped(cost[i]) + " and " + show(outcome_values[i]) + "; ";
    if (by[i] >= 0)
      dominated += std::string(dominated.empty() ? "" : ", ") + name + " (by " + opts[by[i]].option->option_id() + ")";
  }
  desc += dominated.empty() ? "no option is dominated."
                            : "dominated, hollow: " + dominated + ": another option costs no more and does no worse.";
  const std::vector<KeyEntry> keys = {
      {"<circle cx=\"8\" cy=\"5\" r=\"4.5\" fill=\"#555\" stroke=\"#fff\"/>", "not dominated"},
      {"<circle cx=\"8\" cy=\"5\" r=\"4\" fill=\"#fff\" stroke=\"#555\" stroke-width=\"2\"/>",
       "dominated: another option costs no more and does no worse"},
      {"<path d=\"M14,0 L3,9 M3,3.5 L3,9 L8.5,9\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\"/>",
       "lower left is better"}};
  const double width = 520;
  Chart::Margins m;
  m.left = 64;
  m.right = 20;
  m.bottom = 50 + key_height(keys, width - 32);
  const double height = m.top + 260 + m.bottom;
  const double y_top = share ? std::min(1.0, std::max(0.05, top * 1.15)) : std::max(1.0, top * 1.15);
  // A little room below zero, so points at zero cost or outcome sit off the frame and its ticks.
  const double x_top = std::max(1.0, cost_top * 1.05);
  Chart c(id, title, desc, width, height, Axis(-0.03 * x_top, x_top), Axis(-0.03 * y_top, y_top), m);
  c.axes("mean cost, USD millions", y_title);
  std::vector<double> px, py;
  std::vector<std::string> text;
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const bool ok = std::isfinite(cost[i]) && std::isfinite(outcome_values[i]);
    px.push_back(ok ? c.px(cost[i]) : std::nan(""));
    py.push_back(ok ? c.py(outcome_values[i]) : std::nan(""));
    text.push_back(opts[i].option->option_id());
  }
  // A marker another better-ranked one covers (nearly the same values) is drawn larger, a ring
  // around it, for each that covers it, and its label says "(ring)".
  std::vector<double> radius;
  for (std::size_t i = 0; i < opts.size(); ++i) {
    int under = 0;
    for (std::size_t j = 0; j < i; ++j)
      under += std::isfinite(px[j]) && std::isfinite(py[j]) && std::hypot(px[j] - px[i], py[j] - py[i]) < 11;
    radius.push_back(5.5 + 3.5 * under);
    if (under > 0) text[i] += " (ring)";
  }
  const std::vector<LabelSpot> spots =
      place_labels(px, py, text, m.left, m.top, width - m.right, height - m.bottom, radius);
  std::string leaders, marks, labels;
  for (std::size_t i = 0; i < opts.size(); ++i) {
    if (!std::isfinite(px[i]) || !std::isfinite(py[i])) continue;
    const LabelSpot& s = spots[i];
    if (s.leader)
      leaders += "<line x1=\"" + fmt("%.1f", px[i]) + "\" y1=\"" + fmt("%.1f", py[i]) + "\" x2=\"" +
                 fmt("%.1f", s.anchor[0] == 's' ? s.x - 2 : s.x + 2) + "\" y2=\"" + fmt("%.1f", s.y - 4) +
                 "\" stroke=\"#888\" stroke-width=\"0.8\"/>";
    // Markers drawn worst first, the better-ranked on top.
    const char* col = series_colour(opts[i].series);
    const double rad = radius[i];
    marks = (by[i] >= 0 ? "<circle cx=\"" + fmt("%.1f", px[i]) + "\" cy=\"" + fmt("%.1f", py[i]) + "\" r=\"" +
                              fmt("%.1f", rad - 1) + "\" fill=\"#fff\" stroke=\"" + col + "\" stroke-width=\"2.2\"/>"
                        : "<circle cx=\"" + fmt("%.1f", px[i]) + "\" cy=\"" + fmt("%.1f", py[i]) + "\" r=\"" +
                              fmt("%.1f", rad) + "\" fill=\"" + col + "\" stroke=\"#fff\" stroke-width=\"1\"/>") +
            marks;
    labels += "<text class=\"tick\" x=\"" + fmt("%.1f", s.x) + "\" y=\"" + fmt("%.1f", s.y) + "\" text-anchor=\"" +
              s.anchor + "\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">" + escape(text[i]) + "</text>";
  }
  c.raw(leaders + marks + labels);
  key(c, keys, 16, width - 32, height);
  return figure(c.str());
}

std::string stability_chart(const v1::Results& r, const std::vector<Ranked>& opts) {
  const v1::ValueJudgements& v = r.value_judgements();
  const std::string& chosen = v.recommended_option_id();
  const char* colour = option_colour(opts, chosen);
  const int n = v.stability_size();
  std::size_t longest = 28;  // "now 0.300; holds 0.000-0.432", under each name
  for (const auto& s : v.stability()) longest = std::max(longest, criterion_name(r, s.criterion()).size());
  const std::vector<KeyEntry> keys = {
      {swatch_mark(colour, 0.85), "weights over which " + chosen + " keeps the best expected score"},
      {"<line x1=\"8\" y1=\"-1\" x2=\"8\" y2=\"11\" stroke=\"#000\" stroke-width=\"2.5\"/>", "the weight now"},
      {swatch_mark("#999", 0.25), "beyond it another option comes first (tinted in its colour, named)"}};
  const double width = 860;
  Chart::Margins m;
  m.left = std::clamp(6.6 * static_cast<double>(longest) + 16, 170.0, 400.0);
  m.right = 20;
  m.bottom = 50 + key_height(keys, width - 32);
  const double height = m.top + 46.0 * n + m.bottom;
  std::string desc = "How far each criterion's weight can move, the other weights rescaled in proportion, before " +
                     chosen + " loses the best expected score: ";
  for (const auto& s : v.stability()) {
    desc += criterion_name(r, s.criterion()) + " (" + s.criterion() + "): weight now " + fmt("%.3f", s.weight()) +
            ", holds for [" + fmt("%.3f", s.low()) + ", " + fmt("%.3f", s.high()) + "]";
    if (!s.below().empty()) desc += ", below it " + s.below();
    if (!s.above().empty()) desc += ", above it " + s.above();
    desc += "; ";
  }
  Chart c("chart-weight-stability", "How far each weight can move before " + chosen + " loses first place", desc, width,
          height, Axis(0, 1), Axis(n - 0.5, -0.5), m);
  c.axes("weight of the criterion (the others rescaled in proportion; weights sum to 1)", "", false);
  const double left = c.px(0), right = c.px(1);
  for (int i = 0; i < n; ++i) {
    const v1::WeightStability& s = v.stability(i);
    const double y = i, mid = c.py(y - 0.12) + 3.5, sub = c.py(y + 0.3) + 3.5;
    c.raw("<text class=\"tick\" x=\"" + fmt("%.1f", m.left - 8) + "\" y=\"" + fmt("%.1f", mid) +
          "\" text-anchor=\"end\" font-weight=\"bold\">" + escape(criterion_name(r, s.criterion())) +
          "</text><text class=\"tick\" x=\"" + fmt("%.1f", m.left - 8) + "\" y=\"" + fmt("%.1f", sub) +
          "\" text-anchor=\"end\">" +
          escape("now " + fmt("%.3f", s.weight()) + "; holds " + fmt("%.3f", s.low()) + "\u2013" +
                 fmt("%.3f", s.high())) +
          "</text>");
    if (!s.below().empty() && s.low() > 0) c.rect(0, y - 0.32, s.low(), y + 0.08, option_colour(opts, s.below()), 0.25);
    if (!s.above().empty() && s.high() < 1)
      c.rect(s.high(), y - 0.32, 1, y + 0.08, option_colour(opts, s.above()), 0.25);
    c.rect(s.low(), y - 0.32, s.high(), y + 0.08, colour, 0.85, "stroke=\"#333\" stroke-width=\"0.6\"");
    c.segment(s.weight(), y - 0.42, s.weight(), y + 0.18, "#fff", 5);
    c.segment(s.weight(), y - 0.42, s.weight(), y + 0.18, "#000", 2.5);
    // The options that take over, at the ends of the bar when they fit, else under the row at the
    // plot's edge with the weight they take over from.
    auto label = [&](const std::string& option, double end, bool below) {
      if (option.empty()) return;
      const std::string inside = below ? "\u2190 " + option : option + " \u2192";
      const double room = below ? c.px(end) - left : right - c.px(end);
      const bool fits = room - 8 >= 6.6 * static_cast<double>(option.size() + 2);
      const std::string t = fits ? inside : (below ? "below " : "above ") + fmt("%.3f", end) + ": " + option;
      c.raw("<text class=\"tick\" x=\"" +
            fmt("%.1f", fits    ? c.px(end) + (below ? -4 : 4)
                        : below ? left + 2
                                : right - 2) +
            "\" y=\"" + fmt("%.1f", fits ? mid : sub) + "\" text-anchor=\"" + (fits == below ? "end" : "start") +
            "\">" + escape(t) + "</text>");
    };
    label(s.below(), s.low(), true);
    label(s.above(), s.high(), false);
  }
  key(c, keys, 16, width - 32, height);
  return figure(c.str());
}

std::string acceptability_chart(const v1::Results& r) {
  const v1::Acceptability& a = r.value_judgements().acceptability();
  std::vector<const v1::OptionAcceptability*> rows;
  int ranks = 0;
  for (const auto& o : a.options()) {
    rows.push_back(&o);
    ranks = std::max(ranks, o.rank_size());
  }
  if (rows.empty() || ranks == 0) return "";
  std::stable_sort(rows.begin(), rows.end(), [](const auto* x, const auto* y) {
    return (x->rank_size() ? x->rank(0) : 0) > (y->rank_size() ? y->rank(0) : 0);
  });
  std::vector<KeyEntry> keys;
  for (int k = 0; k < ranks; ++k)
    keys.push_back({swatch_mark(rank_paint(k, ranks).fill), "rank " + std::to_string(k + 1)});
  const double width = 720;
  Chart::Margins m;
  m.left = 190;
  m.bottom = 50 + key_height(keys, width - m.left - 16);
  const double height = m.top + 30.0 * static_cast<double>(rows.size()) + m.bottom;
  std::string desc = "Share of " + grouped(static_cast<double>(a.draws())) +
                     " draws of the weights (stakeholder sets and declared ranges) and futures in which each option "
                     "ranks first, second and so on, most often first at the top: ";
  std::vector<std::string> labels;
  for (const auto* o : rows) {
    labels.push_back(o->option_id());
    desc += o->option_id();
    for (int k = 0; k < o->rank_size(); ++k)
      desc += std::string(k ? "," : "") + " rank " + std::to_string(k + 1) + " " + fmt("%.3f", o->rank(k));
    desc += "; ";
  }
  Chart c("chart-acceptability", "Rank acceptability: how often each option ranks first, second, ...", desc, width,
          height, Axis(0, 1), Axis(static_cast<double>(rows.size()) - 0.5, -0.5), m);
  c.axes("share of draws of the weights \u00d7 futures", "", false);
  c.categories(labels);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = static_cast<double>(i);
    double at = 0;
    for (int k = 0; k < rows[i]->rank_size(); ++k) {
      const double s = rows[i]->rank(k);
      if (!std::isfinite(s) || s <= 0) continue;
      const Paint p = rank_paint(k, ranks);
      c.rect(at, y - 0.36, at + s, y + 0.36, p.fill.c_str(), 1, "stroke=\"#fff\" stroke-width=\"1\"");
      if (s >= 0.06)
        c.text(at + s / 2, y + 0.12, fmt("%.0f", 100 * s) + "%", "middle", p.dark ? "bar-label on-dark" : "bar-label");
      at += s;
    }
  }
  key(c, keys, m.left, width - m.left - 16, height);
  return figure(c.str());
}

// Each stakeholder's first three options by expected score under its own weights, after the
// scenario's own weights.
std::string stakeholder_table(const v1::Results& r, const std::vector<Ranked>& opts) {
  const v1::ValueJudgements& v = r.value_judgements();
  if (v.stakeholders_size() == 0) return "";
  auto cell = [&](const std::string& id, double score) {
    return "<td><span class=\"swatch\" style=\"background:" + std::string(option_colour(opts, id)) + "\"></span>" +
           escape(id) + " " + fmt("%.3f", score) + "</td>";
  };
  std::string t =
      "<table class=\"compact picks\"><caption>Each stakeholder's first three options by expected score under its own "
      "weights</caption><thead><tr><th scope=\"col\">Weights of</th><th scope=\"col\">First</th><th "
      "scope=\"col\">Second</th><th scope=\"col\">Third</th></tr></thead><tbody>";
  if (!score_parts(v, 0, r.options_size()).empty()) {
    t += "<tr><th scope=\"row\">The scenario (the ranking above)</th>";
    for (std::size_t k = 0; k < 3; ++k) {
      if (k >= opts.size()) {
        t += "<td></td>";
        continue;
      }
      double total = 0;
      for (double p : score_parts(v, opts[k].series, r.options_size())) total += p;
      t += cell(opts[k].option->option_id(), total);
    }
    t += "</tr>";
  }
  for (const auto& s : v.stakeholders()) {
    t += "<tr><th scope=\"row\">" + escape(s.name().empty() ? s.id() : s.name()) + " <code>" + escape(s.id()) +
         "</code></th>";
    for (int k = 0; k < 3; ++k)
      t += k < s.option_ids_size() && k < s.scores_size() ? cell(s.option_ids(k), s.scores(k)) : "<td></td>";
    t += "</tr>";
  }
  return t + "</tbody></table>";
}

std::string value_panel(const v1::Results& r, const std::vector<Ranked>& opts) {
  const std::string title = "Value judgements and trade-offs";
  if (!r.has_value_judgements() || r.value_judgements().criteria_size() == 0)
    return section("value-judgements", title,
                   "Not in these results (they were written by an older peacesim): run the scenario again to add the "
                   "criteria weights and the trade-offs behind the ranking.",
                   "");
  const v1::ValueJudgements& v = r.value_judgements();
  const bool acceptability = v.has_acceptability() && v.acceptability().options_size() > 0;
  std::vector<double> relapse, deaths;
  for (const auto& o : opts) {
    relapse.push_back(p_relapse(o.option->overall()));
    deaths.push_back(percentile_of(metric_of(o.option->overall(), v1::METRIC_CIVILIAN_DEATHS), 50));
  }
  const std::string horizon = std::to_string(r.provenance().horizon_months());
  const std::string intro =
      "The ranking rests on value judgements as well as on the simulated futures: how much each criterion counts "
      "(its weight). <strong>" +
      escape(v.recommended_option_id()) +
      " comes first under these weights; other weights can put another option first</strong>, so check them with "
      "the stakeholders. <em>Score breakdown:</em> each bar is an option's expected score, split into what each "
      "criterion adds (its weight times how well the option does on it). <em>Cost against outcomes:</em> no weights "
      "at all; lower left is better, and a hollow point is dominated (another option costs no more and does no "
      "worse). <em>Weight stability:</em> how far each weight can move before another option, named at the end of "
      "the bar, comes first; a short bar is a fragile recommendation." +
      std::string(acceptability ? " <em>Rank acceptability:</em> how often each option ranks first, second and so "
                                  "on when the weights vary over the stakeholders' sets and the declared ranges, in "
                                  "every future."
                                : "");
  return section("value-judgements", title, intro,
                 score_breakdown(r, opts) + "<div class=\"duo\">" +
                     cost_scatter("chart-cost-relapse", "Cost against P(relapse within " + horizon + " months)",
                                  "P(relapse within " + horizon + " months)",
                                  "P(relapse within " + horizon + " months)", relapse, true, opts) +
                     cost_scatter("chart-cost-deaths", "Cost against civilian deaths", "median civilian deaths",
                                  "civilian deaths (median)", deaths, false, opts) +
                     "</div>" + stability_chart(r, opts) + (acceptability ? acceptability_chart(r) : "") +
                     stakeholder_table(r, opts));
}

std::string distributions_panel(const v1::Results& r, const std::vector<Ranked>& opts) {
  const double height = 74 + 30.0 * static_cast<double>(opts.size());  // margins + 30 px a row
  Chart::Margins m;
  m.left = 190;
  std::string desc =
      "Score distribution of each option (box: 25th to 75th percentile; whiskers: 5th to 95th; "
      "line: median; dot: mean): ";
  for (const auto& o : opts) {
    const auto& s = o.option->overall().score();
    desc += o.option->option_id() + " median " + fmt("%.3f", percentile_of(s, 50)) + ", 5th-95th " +
            fmt("%.3f", percentile_of(s, 5)) + "-" + fmt("%.3f", percentile_of(s, 95)) + "; ";
  }
  Chart box("chart-distributions", "Score distribution across futures", desc, 720, height, Axis(0, 1),
            Axis(static_cast<double>(opts.size()) - 0.5, -0.5), m);
  box.axes("score (0 = worst, 1 = best)", "", false);
  box.categories(names(opts));
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const auto& s = opts[i].option->overall().score();
    const double y = static_cast<double>(i);
    const char* col = series_colour(opts[i].series);
    box.segment(percentile_of(s, 5), y, percentile_of(s, 95), y, col, 1.5);
    box.rect(percentile_of(s, 25), y - 0.3, percentile_of(s, 75), y + 0.3, col, 0.35,
             "stroke=\"#333\" stroke-width=\"1\"");
    box.segment(percentile_of(s, 50), y - 0.3, percentile_of(s, 50), y + 0.3, "#111", 2.5);
    box.dot(s.mean(), y, 3.5, "#fff", "#111");
  }

  // Paired differences to the baseline.
  double lo = 0, hi = 0;
  for (const auto& o : opts) {
    lo = std::min(lo, o.option->overall().vs_baseline().ci95_low());
    hi = std::max(hi, o.option->overall().vs_baseline().ci95_high());
  }
  const double pad = std::max(0.01, (hi - lo) * 0.08);
  std::string ddesc =
      "Score minus the baseline option " + r.baseline_option() + "'s, paired on the same futures, with 95% interval: ";
  for (const auto& o : opts) {
    const auto& d = o.option->overall().vs_baseline();
    ddesc += o.option->option_id() + " " + signed3(d.mean()) + " [" + signed3(d.ci95_low()) + ", " +
             signed3(d.ci95_high()) + "]; ";
  }
  Chart diff("chart-differences", "Paired difference to the baseline (" + r.baseline_option() + ")", ddesc, 720, height,
             Axis(lo - pad, hi + pad), Axis(static_cast<double>(opts.size()) - 0.5, -0.5), m);
  diff.axes("score difference to " + r.baseline_option(), "", false);
  diff.categories(names(opts));
  diff.segment(0, -0.5, 0, static_cast<double>(opts.size()) - 0.5, "#555", 1.2, "4 3");
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const auto& d = opts[i].option->overall().vs_baseline();
    const double y = static_cast<double>(i);
    diff.segment(d.ci95_low(), y, d.ci95_high(), y, series_colour(opts[i].series), 2.5);
    diff.dot(d.mean(), y, 5, series_colour(opts[i].series), "#fff");
  }
  return section("distributions", "Score distributions and differences",
                 "How each option scores across all futures, and how much better or worse than the baseline it does "
                 "in the same future.",
                 figure(box.str()) + figure(diff.str()));
}

std::string survival_panel(const v1::Results& r, const std::vector<Ranked>& opts) {
  const int horizon = r.provenance().horizon_months();
  double top = 0;
  for (const auto& o : opts) top = std::max(top, p_relapse(o.option->overall()));
  std::string desc = "Cumulative probability of relapse to war by month. At month " + std::to_string(horizon) + ": ";
  for (const auto& o : opts) desc += o.option->option_id() + " " + fmt("%.2f", p_relapse(o.option->overall())) + "; ";
  Chart c("chart-survival", "Relapse to war: cumulative probability by month", desc, 720, 380, Axis(0, horizon),
          Axis(0, std::min(1.0, std::max(0.1, top * 1.1))), legend_margins(names(opts), 720));
  c.axes("months from now", "P(relapse to war)");
  for (const auto& o : opts) {
    std::vector<double> x{0}, y{0};
    const auto& curve = o.option->overall().p_relapse_by_month();
    for (int m = 0; m < curve.size(); ++m) {
      x.push_back(m + 1);
      y.push_back(curve[m]);
    }
    c.line(x, y, series_colour(o.series), 2, series_dash(o.series));
  }
  c.legend(names(opts), colours(opts), dashes(opts));
  return section("survival", "Relapse to war",
                 "The share of futures that have returned to war by each month: the curve planners compare with the "
                 "literature (about 40% of post-war countries relapse within five years without a mission).",
                 figure(c.str()));
}

// The month index each option's mission leaves, for the options that leave (scenario order).
std::map<std::string, int> withdrawal_months(const v1::Results& r) {
  std::map<std::string, int> out;
  for (const auto& o : r.scenario().options())
    if (o.resources().withdrawal_month() > 0) out[o.id()] = o.resources().withdrawal_month();
  return out;
}

// The sentence a small multiple's description adds when its option's mission leaves.
std::string leaving_desc(const std::map<std::string, int>& leaves, const std::string& option, double horizon) {
  const auto it = leaves.find(option);
  if (it == leaves.end()) return "";
  return " The mission leaves in month " + std::to_string(it->second) +
         (it->second < horizon ? " (dashed line)." : ", after the horizon.");
}

// A dashed vertical line with a short label at the month the option's mission leaves, if it does so
// within the chart (x from 0 to `horizon`, y from 0 to `top`).
void leaving_marker(Chart& c, const std::map<std::string, int>& leaves, const std::string& option, double horizon,
                    double top) {
  const auto it = leaves.find(option);
  if (it == leaves.end() || !(it->second < horizon)) return;
  const double x = c.px(it->second);
  const bool right = it->second > 0.6 * horizon;  // the label left of the line, else right of it
  c.segment(it->second, 0, it->second, top, "#000", 1.2, "5 3");
  c.raw("<text x=\"" + fmt("%.1f", right ? x - 3 : x + 3) + "\" y=\"" + fmt("%.1f", c.py(top) + 11) +
        "\" text-anchor=\"" + (right ? "end" : "start") +
        "\" class=\"tick\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">" + escape("mission leaves") +
        "</text>");
}

// Small multiples of one indicator's fan chart, one per option, on a shared scale.
std::string fan_row(const std::string& key, const std::string& title, const std::string& unit, v1::Indicator ind,
                    const std::vector<Ranked>& opts, const std::map<std::string, int>& leaves) {
  double top = 0;
  for (const auto& o : opts)
    if (const v1::FanChart* f = fan(o.option->overall(), ind))
      for (double v : f->p95()) top = std::max(top, v);
  std::string out = "<div class=\"row\"><h3>" + escape(title) + "</h3><div class=\"grid\">";
  for (const auto& o : opts) {
    const v1::FanChart* f = fan(o.option->overall(), ind);
    if (f == nullptr || f->month_size() == 0) continue;
    const std::vector<double> x = as_doubles(f->month());
    const int last = f->month_size() - 1;
    const std::string desc = title + " for " + o.option->option_id() + ", by month: median " + fmt("%.0f", f->p50(0)) +
                             " at month 0 and " + fmt("%.0f", f->p50(last)) + " at month " +
                             std::to_string(f->month(last)) + "; 90% of futures between " + fmt("%.0f", f->p05(last)) +
                             " and " + fmt("%.0f", f->p95(last)) + " at the end." +
                             leaving_desc(leaves, o.option->option_id(), x.back());
    Chart::Margins m;
    m.left = 58;
    m.bottom = 40;
    const double y_top = top > 0 ? top * 1.02 : 1;
    Chart c("chart-fan-" + key + "-" + o.option->option_id(), o.option->option_id(), desc, 300, 200, Axis(0, x.back()),
            Axis(0, y_top), m);
    c.axes("month", unit);
    const char* col = series_colour(o.series);
    c.band(x, as_doubles(f->p05()), as_doubles(f->p95()), col, 0.18);
    c.band(x, as_doubles(f->p25()), as_doubles(f->p75()), col, 0.35);
    c.line(x, as_doubles(f->p50()), col, 2);
    leaving_marker(c, leaves, o.option->option_id(), x.back(), y_top);
    out += figure(c.str(), "small");
  }
  return out + "</div></div>";
}

std::string regime_row(const std::vector<Ranked>& opts, const std::map<std::string, int>& leaves) {
  static const char* regime_colours[] = {"#009E73", "#F0E442", "#E69F00", "#D55E00"};
  static const char* regime_names[] = {"stable peace", "unstable peace", "crisis", "war"};
  std::string out = "<div class=\"row\"><h3>Regime shares by month</h3><div class=\"grid\">";
  for (const auto& o : opts) {
    const auto& shares = o.option->overall().regime_shares();
    if (shares.empty()) continue;
    std::vector<double> x;
    std::vector<std::vector<double>> cum(5);
    for (const auto& s : shares) {
      x.push_back(s.month());
      const double v[4] = {s.stable_peace(), s.unstable_peace(), s.crisis(), s.war()};
      double acc = 0;
      cum[0].push_back(0);
      for (int k = 0; k < 4; ++k) cum[k + 1].push_back(acc += v[k]);
    }
    const auto& end = shares[shares.size() - 1];
    const std::string desc = "Share of futures in each regime by month for " + o.option->option_id() + "; at month " +
                             std::to_string(end.month()) + ": stable peace " + fmt("%.2f", end.stable_peace()) +
                             ", unstable peace " + fmt("%.2f", end.unstable_peace()) + ", crisis " +
                             fmt("%.2f", end.crisis()) + ", war " + fmt("%.2f", end.war()) + "." +
                             leaving_desc(leaves, o.option->option_id(), x.back());
    Chart::Margins m;
    m.left = 58;
    m.bottom = 40;
    Chart c("chart-regimes-" + o.option->option_id(), o.option->option_id(), desc, 300, 200, Axis(0, x.back()),
            Axis(0, 1), m);
    for (int k = 0; k < 4; ++k) c.band(x, cum[k], cum[k + 1], regime_colours[k], 0.85);
    c.axes("month", "share of futures");
    leaving_marker(c, leaves, o.option->option_id(), x.back(), 1);
    out += figure(c.str(), "small");
  }
  out += "</div><p class=\"key\">";
  for (int k = 0; k < 4; ++k)
    out += "<span class=\"swatch\" style=\"background:" + std::string(regime_colours[k]) + "\"></span>" +
           regime_names[k] + " ";
  return out + "</p></div>";
}

std::string fans_panel(const v1::Results& r, const std::vector<Ranked>& opts) {
  const std::map<std::string, int> leaves = withdrawal_months(r);
  return section("fan-charts", "Fan charts by month",
                 "Shaded bands hold 50% (dark) and 90% (light) of the futures; the line is the median. Each row shares "
                 "one scale across the options." +
                     std::string(leaves.empty() ? "" : " A dashed line marks the month an option's mission leaves."),
                 fan_row("battle", "Violence: battle deaths per month", "deaths / month", v1::INDICATOR_BATTLE_DEATHS,
                         opts, leaves) +
                     fan_row("civilian", "Civilian deaths per month", "deaths / month", v1::INDICATOR_CIVILIAN_DEATHS,
                             opts, leaves) +
                     fan_row("displaced", "People displaced", "people", v1::INDICATOR_DISPLACED, opts, leaves) +
                     regime_row(opts, leaves));
}

// Median trajectory of one indicator for every option on one chart.
std::string median_lines(const std::string& id, const std::string& title, const std::string& unit, v1::Indicator ind,
                         const std::vector<Ranked>& opts) {
  double top = 0;
  std::string desc = title + ", median by month; at the end: ";
  for (const auto& o : opts)
    if (const v1::FanChart* f = fan(o.option->overall(), ind); f && f->month_size() > 0) {
      for (double v : f->p50()) top = std::max(top, v);
      desc += o.option->option_id() + " " + fmt("%.2f", f->p50(f->month_size() - 1)) + "; ";
    }
  int horizon = 1;
  for (const auto& o : opts)
    if (const v1::FanChart* f = fan(o.option->overall(), ind); f && f->month_size() > 0)
      horizon = f->month(f->month_size() - 1);
  Chart c(id, title, desc, 720, 340, Axis(0, horizon), Axis(0, std::max(0.05, top * 1.1)),
          legend_margins(names(opts), 720));
  c.axes("month", unit);
  for (const auto& o : opts)
    if (const v1::FanChart* f = fan(o.option->overall(), ind))
      c.line(as_doubles(f->month()), as_doubles(f->p50()), series_colour(o.series), 2, series_dash(o.series));
  c.legend(names(opts), colours(opts), dashes(opts));
  return figure(c.str());
}

// Horizontal bars of one metric's median, female and total side by side.
std::string harm_bars(const std::string& id, const std::string& title, v1::Metric total, v1::Metric female,
                      const std::vector<Ranked>& opts) {
  double top = 0;
  std::string desc = title + " (median over futures), all people and women and girls: ";
  for (const auto& o : opts) {
    const double t = percentile_of(metric_of(o.option->overall(), total), 50);
    const double f = percentile_of(metric_of(o.option->overall(), female), 50);
    top = std::max(top, t);
    desc += o.option->option_id() + " " + grouped(t) + " of which women and girls " + grouped(f) + "; ";
  }
  const std::vector<std::string> keys = {"all people", "women and girls"};
  Chart::Margins m = legend_margins(keys, 720, 190);
  Chart c(id, title, desc, 720, 40 + 30.0 * static_cast<double>(opts.size()) + m.bottom,
          Axis(0, std::max(1.0, top * 1.08)), Axis(static_cast<double>(opts.size()) - 0.5, -0.5), m);
  c.axes("people (median over futures)", "", false);
  c.categories(names(opts));
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const double y = static_cast<double>(i);
    c.rect(0, y - 0.35, percentile_of(metric_of(opts[i].option->overall(), total), 50), y, "#56B4E9");
    c.rect(0, y, percentile_of(metric_of(opts[i].option->overall(), female), 50), y + 0.35, "#CC79A7");
  }
  c.legend(keys, {"#56B4E9", "#CC79A7"}, {"", ""});
  return figure(c.str());
}

std::string gender_panel(const std::vector<Ranked>& opts) {
  return section(
      "gender", "Gender: harm, displacement, participation and gender-based violence",
      "Sex-disaggregated harm and displacement, and the trajectories of women's participation in the "
      "peace process and of gender-based violence (GBV).",
      harm_bars("chart-gender-deaths", "Civilian deaths over the horizon", v1::METRIC_CIVILIAN_DEATHS,
                v1::METRIC_CIVILIAN_DEATHS_FEMALE, opts) +
          harm_bars("chart-gender-displaced", "Peak displacement", v1::METRIC_DISPLACED_PEAK,
                    v1::METRIC_DISPLACED_PEAK_FEMALE, opts) +
          median_lines("chart-gender-participation", "Women's participation in the peace process",
                       "share of negotiators", v1::INDICATOR_WOMEN_PARTICIPATION, opts) +
          median_lines("chart-gender-gbv", "Gender-based violence index", "GBV index (0-1)", v1::INDICATOR_GBV, opts));
}

std::string scenarios_panel(const v1::Results& r, const std::vector<Ranked>& opts) {
  if (r.planning_scenarios_size() <= 1) return "";  // one scenario: the same as overall
  std::string t =
      "<table class=\"heat\"><caption>Expected score by planning scenario (P(relapse) below); the best "
      "option in each is marked &#9733;</caption><thead><tr><th scope=\"col\">Option</th>";
  for (const auto& p : r.planning_scenarios())
    t += "<th scope=\"col\">" + escape(p.name().empty() ? p.id() : p.name()) + "<br><span class=\"note\">weight " +
         fmt("%.2f", p.weight()) + ", " + grouped(static_cast<double>(p.realisations())) + " futures</span></th>";
  t += "<th scope=\"col\">Overall</th></tr></thead><tbody>";
  std::vector<double> best(r.planning_scenarios_size(), -1);
  double low = 1, high = 0, best_overall = -1;
  for (const auto& o : opts) {
    best_overall = std::max(best_overall, o.option->overall().score().mean());
    for (int p = 0; p < o.option->by_planning_scenario_size() && p < r.planning_scenarios_size(); ++p) {
      if (o.option->by_planning_scenario(p).realisations() == 0) continue;
      const double s = o.option->by_planning_scenario(p).score().mean();
      best[p] = std::max(best[p], s);
      low = std::min(low, s);
      high = std::max(high, s);
    }
  }
  auto cell = [&](const v1::Evaluation& e, bool star) {
    if (e.realisations() == 0) return std::string("<td>&ndash;<br><span class=\"note\">no futures</span></td>");
    const double s = e.score().mean();
    // A light sequential blue over the table's range, darker = better; the number is always printed.
    const double t = high > low ? std::clamp((s - low) / (high - low), 0.0, 1.0) : 0.5;
    const auto channel = [t](double a, double b) { return std::to_string(static_cast<int>(a + (b - a) * t)); };
    return "<td style=\"background:rgb(" + channel(247, 130) + "," + channel(251, 185) + "," + channel(255, 230) +
           ")\">" + (star ? "&#9733; " : "") + fmt("%.3f", s) + "<br><span class=\"note\">" +
           fmt("%.2f", p_relapse(e)) + "</span></td>";
  };
  for (const auto& o : opts) {
    t += "<tr><th scope=\"row\">" + escape(o.option->option_id()) + "</th>";
    for (int p = 0; p < o.option->by_planning_scenario_size() && p < r.planning_scenarios_size(); ++p)
      t += cell(o.option->by_planning_scenario(p), o.option->by_planning_scenario(p).realisations() > 0 &&
                                                       o.option->by_planning_scenario(p).score().mean() == best[p]);
    t += cell(o.option->overall(), o.option->overall().score().mean() == best_overall) + "</tr>";
  }
  t += "</tbody></table>";
  std::string list = "<dl class=\"scenarios\">";
  for (const auto& p : r.scenario().planning_scenarios())
    list += "<dt>" + escape(p.name().empty() ? p.id() : p.name()) + "</dt><dd>" + escape(p.description()) + "</dd>";
  list += "</dl>";
  return section("planning-scenarios", "Results per planning scenario",
                 "Planning scenarios are coherent pictures of how the situation might develop; futures are allocated "
                 "to them by weight and the overall result weights them together.",
                 t + list);
}

// The results framework: for each option, in ranking order, how often it meets each benchmark.
std::string framework_panel(const v1::Results& r, const std::vector<Ranked>& opts) {
  const auto& benchmarks = r.scenario().results_framework();
  if (benchmarks.empty()) return "";
  const std::string intro =
      "The benchmarks of the results framework, with their targets, months and who answers for them. "
      "<strong>P(met)</strong> is the share of the simulated futures in which the option meets the benchmark in its "
      "month, with its 95% interval (Wilson). A benchmark met in few futures under every option is a target to "
      "revisit; one met under no mission as often as under a mission is not a measure of the mission's impact.";
  std::string content;
  for (const auto& o : opts) {
    const v1::Evaluation& e = o.option->overall();
    std::string t = "<table class=\"compact framework\"><caption><span class=\"swatch\" style=\"background:" +
                    std::string(option_colour(opts, o.option->option_id())) + "\"></span>" +
                    escape(o.option->option_name().empty() ? o.option->option_id() : o.option->option_name()) +
                    " <code>" + escape(o.option->option_id()) +
                    "</code></caption><thead><tr><th scope=\"col\">Benchmark</th><th scope=\"col\">Measure</th><th "
                    "scope=\"col\">Target</th><th scope=\"col\">Responsible</th><th scope=\"col\">P(met)</th><th "
                    "scope=\"col\">95% interval</th></tr></thead><tbody>";
    for (const auto& status : e.benchmarks()) {
      const v1::Benchmark* b = io::benchmark_of(r, status.benchmark_id());
      const std::string name = b && !b->name().empty() ? b->name() : status.benchmark_id();
      t += "<tr><th scope=\"row\">" + escape(name) + "</th><td>" +
           (b ? escape(io::measure_label(r.scenario(), b->measure())) : "") + "</td><td>" +
           (b ? escape(io::target_label(*b)) : "") + "</td><td>" +
           (b ? escape(io::responsible_label(b->responsible())) : "") + "</td>";
      if (status.evaluated())
        t += "<td>" + fmt("%.2f", status.p_met()) + "</td><td>[" + fmt("%.2f", status.ci95_low()) + ", " +
             fmt("%.2f", status.ci95_high()) + "]</td></tr>";
      else
        t += "<td colspan=\"2\">beyond the horizon: not evaluated</td></tr>";
    }
    content += t + "</tbody></table>";
  }
  return section("results-framework", "Results framework", intro, "<div class=\"grid\">" + content + "</div>");
}

std::string sensitivity_panel(const v1::Results& r) {
  const std::string title = "Sensitivity: what decides the comparison";
  if (r.sensitivity().outputs_size() == 0)
    return section("sensitivity", title,
                   "Not in these results: run <code>peacesim run --brief</code> to add Sobol' indices (or see "
                   "<code>peacesim sensitivity</code>).",
                   "");
  const v1::SensitivityResult& s = r.sensitivity();
  // The last output is the difference between the two leading options, or with one option its score.
  const v1::SensitivityOutput& out = s.outputs(s.outputs_size() - 1);
  const bool difference = s.outputs_size() > r.options_size();
  std::vector<int> order(out.indices_size());
  for (int i = 0; i < out.indices_size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return out.indices(a).total() > out.indices(b).total(); });
  order.resize(std::min<std::size_t>(order.size(), 10));
  std::vector<std::string> labels;
  double top = 0.05;
  std::string desc = "Sobol' indices on " + out.output() + ", largest total index first: ";
  // An index is resolved when its interval is within +-0.05 and inside [0, 1] (as in the brief).
  int unresolved = 0;
  for (int i : order) {
    const auto& x = out.indices(i);
    const bool resolved = index_resolved(x.total_low(), x.total_high());
    unresolved += !resolved;
    labels.push_back(s.inputs(i) + (resolved ? "" : " *"));
    top = std::max(top, std::min(x.total_high(), 2.0));
    desc += s.inputs(i) + " total " + fmt("%.2f", x.total()) + " [" + fmt("%.2f", x.total_low()) + ", " +
            fmt("%.2f", x.total_high()) + "]" + (resolved ? "" : " not resolved") + ", first-order " +
            fmt("%.2f", x.first()) + "; ";
  }
  const std::vector<std::string> keys = {"total index (all interactions)", "first-order index"};
  Chart::Margins m = legend_margins(keys, 720, 300);
  Chart c("chart-tornado", "Sobol' indices on " + out.output(), desc, 720,
          40 + 28.0 * static_cast<double>(order.size()) + m.bottom, Axis(0, top * 1.05),
          Axis(static_cast<double>(order.size()) - 0.5, -0.5), m);
  c.axes("share of the variance of " + out.output(), "", false);
  c.categories(labels);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const v1::SobolIndexValue& x = out.indices(order[k]);
    const double y = static_cast<double>(k);
    c.rect(0, y - 0.36, std::max(0.0, x.total()), y + 0.36, "#0072B2", 0.35);
    c.rect(0, y - 0.2, std::max(0.0, x.first()), y + 0.2, "#0072B2", 1);
    c.segment(std::max(0.0, x.total_low()), y, x.total_high(), y, "#111", 1.2);
  }
  c.legend(keys, {"#8fbfe0", "#0072B2"}, {"", ""});
  return section(
      "sensitivity", title,
      (difference ? "Which uncertainties decide between the two leading options (" + escape(out.output()) + ")"
                  : "Which uncertainties decide the score of " + escape(out.output())) +
          ": Sobol' indices from " + grouped(static_cast<double>(s.evaluations())) + " realisations (" +
          std::to_string(s.base()) + " base points in independent randomisations), with 95% intervals on the " +
          "total index; 'chance' is the futures' own noise." +
          (unresolved > 0 ? " Indices marked * are not resolved: their intervals are wider than &plusmn;0.05 or "
                            "reach outside [0, 1]; rerun <code>peacesim sensitivity --base 2048</code> before relying "
                            "on them."
                          : std::string()),
      figure(c.str()));
}

std::string discovery_panel(const v1::Results& r) {
  const std::string title = "Scenario discovery: when the recommended option fails";
  if (r.failure_discovery().trajectory_size() == 0)
    return section("discovery", title,
                   "Not in these results: run <code>peacesim run --brief</code> to add the failure boxes (or see "
                   "<code>peacesim discover</code>).",
                   "");
  const v1::FailureDiscovery& d = r.failure_discovery();
  std::string desc = "PRIM peeling trajectory for " + d.option_id() +
                     ": coverage against density of each box; the "
                     "chosen box has coverage " +
                     fmt("%.2f", d.box().coverage()) + " and density " + fmt("%.2f", d.box().density()) + ".";
  Chart c("chart-prim", "Peeling trajectory (" + d.option_id() + ")", desc, 520, 380, Axis(0, 1), Axis(0, 1));
  c.axes("coverage (share of failures inside the box)", "density (failures among futures in the box)");
  std::vector<double> x, y;
  for (const auto& b : d.trajectory()) {
    x.push_back(b.coverage());
    y.push_back(b.density());
  }
  c.line(x, y, "#999", 1);
  for (std::size_t k = 0; k < x.size(); ++k) c.dot(x[k], y[k], 3, "#0072B2");
  if (d.chosen() < d.trajectory_size()) {
    const auto& b = d.trajectory(d.chosen());
    c.dot(b.coverage(), b.density(), 8, "none", "#D55E00");
    c.text(b.coverage(), b.density() + 0.04, "chosen box", "middle", "tick");
  }
  std::string t = "<p>Failure: " + escape(d.failure()) + "; " + fmt("%.0f", 100 * d.failure_rate()) + "% of " +
                  grouped(static_cast<double>(d.runs())) + " futures. The chosen box holds " +
                  fmt("%.0f", 100 * d.box().coverage()) + "% of the failures, and " +
                  fmt("%.0f", 100 * d.box().density()) + "% of the futures inside it fail (" +
                  fmt("%.0f", 100 * d.box().mass()) + "% of all futures).</p>";
  if (d.box().restrictions_size() == 0) {
    t += "<p>No restriction is supported (quasi-p &le; 0.05): the failures are not concentrated.</p>";
  } else {
    t += "<table class=\"compact\"><caption>Restrictions of the chosen box</caption><thead><tr><th "
         "scope=\"col\">It fails mostly when</th><th scope=\"col\">quasi-p</th><th scope=\"col\">found in "
         "resamples</th></tr></thead><tbody>";
    for (const auto& x : d.box().restrictions())
      t += "<tr><td>" + escape(x.description()) + "</td><td>" + fmt("%.2g", x.quasi_p()) + "</td><td>" +
           fmt("%.0f", 100 * x.stability()) + "%</td></tr>";
    t += "</tbody></table>";
  }
  return section("discovery", title,
                 "PRIM (Friedman &amp; Fisher 1999) looks for the region of the uncertainties where failures "
                 "concentrate; its complement names the conditions the strategy needs.",
                 "<div class=\"pair\">" + figure(c.str()) + "<div>" + t + "</div></div>");
}

std::string synchronisation_panel(const v1::Results& r) {
  const std::string title = "Synchronisation matrix of the recommended option";
  const std::string best = recommended(r);
  const v1::OptionResult& option = io::option_result(r, best);
  if (option.option_id().empty()) return "";
  if (!option.has_plan())
    return section("synchronisation", title,
                   "Not in these results: they were written by an earlier peacesim, without the options' plans; run "
                   "the scenario again to draw the matrix.",
                   "");
  // Drawn from the plan as the engine compiled and scheduled it: the report never compiles the
  // stored scenario.
  const v1::OptionPlan& plan = option.plan();
  const int horizon = r.provenance().horizon_months();
  const auto& activities = plan.activities();
  const int n = activities.size();
  auto lead_of = [&](int a) { return static_cast<Lead>(activities[a].lead() - 1); };
  auto kind_of = [&](int a) { return static_cast<ActivityKind>(activities[a].kind() - 1); };
  std::map<std::string, int> index;
  for (int a = 0; a < n; ++a) index[activities[a].id()] = a;
  // Each activity's predecessors, by index (an id that names no activity is left out).
  std::vector<std::vector<int>> after(n);
  for (int a = 0; a < n; ++a)
    for (const std::string& id : activities[a].after())
      if (const auto at = index.find(id); at != index.end()) after[a].push_back(at->second);

  // Rows: activities grouped by lead component, each group in start order.
  std::vector<int> rows;
  for (int lead = 0; lead < 5; ++lead) {
    std::vector<int> group;
    for (int a = 0; a < n; ++a)
      if (static_cast<int>(lead_of(a)) == lead) group.push_back(a);
    std::stable_sort(group.begin(), group.end(),
                     [&](int a, int b) { return activities[a].start_month() < activities[b].start_month(); });
    rows.insert(rows.end(), group.begin(), group.end());
  }
  const std::array<double, kPersonnelCount> authorised = io::personnel(plan);
  const double deployment = plan.deployment_months();
  const bool uniformed =
      authorised[static_cast<int>(Personnel::kTroops)] + authorised[static_cast<int>(Personnel::kPolice)] > 0;
  // Drawdown: a row for each component the option has, its share of authorised strength by month.
  std::vector<StrengthStep> drawdown;
  for (const v1::DrawdownStep& step : plan.drawdown()) drawdown.push_back({step.month(), io::personnel(step)});
  static const char* component_names[] = {"troops", "police", "observers", "civilians"};  // in Personnel order
  static const int component_lead[] = {0, 1, 0, 2};  // the colour of the lead that component serves
  std::vector<int> components;
  if (!drawdown.empty())
    for (int k = 0; k < kPersonnelCount; ++k)
      if (authorised[k] > 0) components.push_back(k);
  const int leave = plan.has_withdrawal_month() ? plan.withdrawal_month() : -1;  // -1: the mission stays
  const bool leaves_within = leave >= 0 && leave < horizon;
  if (rows.empty() && !uniformed && components.empty())
    return section("synchronisation", title,
                   escape(best) + " deploys no one and schedules no activities: there is nothing to synchronise.", "");
  std::vector<std::string> labels;
  if (uniformed) labels.push_back("deployment (military, police)");
  for (int k : components) labels.push_back(std::string(component_names[k]) + ": % of authorised strength");
  const int offset = static_cast<int>(labels.size());
  // Each component's share of authorised strength from month 0 and from each month, within the
  // horizon, that the drawdown changes it: (month, share) pairs.
  std::vector<std::vector<std::pair<int, double>>> levels(kPersonnelCount);
  for (int k : components) {
    levels[k].push_back({0, strength_share(drawdown, 0)[k]});
    for (const StrengthStep& step : drawdown)
      if (step.month > 0 && step.month < horizon && step.share[k] != levels[k].back().second)
        levels[k].push_back({step.month, step.share[k]});
  }
  std::vector<int> row_of(n);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    labels.push_back(std::string(io::lead_name(lead_of(rows[k]))) + ": " + io::kind_name(kind_of(rows[k])));
    row_of[rows[k]] = static_cast<int>(k) + offset;
  }
  // Effective months under sequencing, as the engine scheduled them (no planning-scenario delay);
  // -1: never.
  auto within = [&](int month) { return month < 0 ? horizon : std::min(horizon, month); };
  auto start_of = [&](int a) { return within(activities[a].scheduled_start_month()); };
  auto end_of = [&](int a) { return within(activities[a].scheduled_end_month()); };
  std::string desc = "Activities of " + best + " by mission component over the months: ";
  for (int a : rows) {
    const v1::PlannedActivity& s = activities[a];
    desc += io::kind_name(kind_of(a)) + " (" + io::lead_name(lead_of(a)) + ", priority " +
            std::to_string(s.priority()) + ") " +
            (start_of(a) >= horizon ? std::string("does not start within the horizon")
                                    : "months " + std::to_string(start_of(a)) + "-" + std::to_string(end_of(a)));
    for (int p : after[a]) desc += ", after " + activities[p].id();
    desc += "; ";
  }
  if (!components.empty()) {
    desc += "drawdown, as a share of authorised strength:";
    for (std::size_t i = 0; i < components.size(); ++i) {
      desc += std::string(i ? ";" : "") + " " + component_names[components[i]];
      for (std::size_t b = 0; b < levels[components[i]].size(); ++b)
        desc += std::string(b ? "," : "") + " " + fmt("%.0f", 100 * levels[components[i]][b].second) + "% from month " +
                std::to_string(levels[components[i]][b].first);
    }
    desc += "; ";
  }
  if (leave >= 0)
    desc += leaves_within ? "the mission leaves in month " + std::to_string(leave) +
                                " (dashed line): its military, police and civilian activities end there, while UN "
                                "country team and host-government activities go on; "
                          : "the mission leaves in month " + std::to_string(leave) + ", after the horizon; ";
  std::vector<std::string> lead_names;
  std::vector<const char*> lead_colours;
  for (int lead = 0; lead < 5; ++lead) {
    lead_names.push_back(io::lead_name(static_cast<Lead>(lead)));
    lead_colours.push_back(series_colour(lead));
  }
  Chart::Margins m = legend_margins(lead_names, 860, 260);
  const double marker_room = leaves_within ? 14 : 0;  // the withdrawal label, above the plot
  m.top += marker_room;
  Chart c("chart-synchronisation", "Synchronisation matrix: " + best, desc, 860,
          40 + marker_room + 26.0 * static_cast<double>(labels.size()) + m.bottom, Axis(0, horizon),
          Axis(static_cast<double>(labels.size()) - 0.5, -0.5), m);
  c.axes("month", "", false);
  c.categories(labels);
  c.raw(
      "<defs><marker id=\"sync-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker>"
      "</defs>");
  if (uniformed) {
    const double ramp = std::clamp(deployment, 0.5, static_cast<double>(horizon));
    c.rect(0, -0.3, ramp, 0.3, "#999", 0.6);
    const bool fits = ramp < 0.6 * horizon;  // the label after the bar, else inside its end
    c.text(fits ? ramp + 0.5 : ramp - 0.5, 0.12,
           deployment > horizon ? "full strength after the horizon (month " + fmt("%.0f", deployment) + ")"
                                : "full strength from month " + fmt("%.0f", deployment),
           fits ? "start" : "end", "tick");
  }
  for (std::size_t i = 0; i < components.size(); ++i) {
    const int k = components[i];
    const double y = (uniformed ? 1 : 0) + static_cast<double>(i);
    for (std::size_t b = 0; b < levels[k].size(); ++b) {
      const auto [from, share] = levels[k][b];
      const int until = b + 1 < levels[k].size() ? levels[k][b + 1].first : horizon;
      if (share > 0)
        c.rect(from, y + 0.32 - 0.64 * share, until, y + 0.32, series_colour(component_lead[k]), 0.45,
               "stroke=\"#333\" stroke-width=\"0.6\"");
      if (leave < 0 || from < leave) c.text(from + 0.4, y + 0.12, fmt("%.0f", 100 * share) + "%", "start", "bar-label");
    }
  }
  if (leaves_within) {
    c.segment(leave, -0.5, leave, static_cast<double>(labels.size()) - 0.5, "#000", 1.5, "6 3");
    const double x = c.px(leave), left = c.px(0), right = c.px(horizon);
    const char* anchor = x - left < 0.15 * (right - left)    ? "start"
                         : right - x < 0.15 * (right - left) ? "end"
                                                             : "middle";
    c.raw("<text x=\"" + fmt("%.1f", x) + "\" y=\"" + fmt("%.1f", m.top - 5) + "\" text-anchor=\"" + anchor +
          "\" class=\"bar-label\">" + escape("mission leaves (month " + std::to_string(leave) + ")") + "</text>");
  }
  for (int a : rows) {
    const v1::PlannedActivity& s = activities[a];
    const double y = row_of[a];
    const char* col = series_colour(static_cast<int>(lead_of(a)));
    if (start_of(a) >= horizon) {
      c.text(horizon, y + 0.12, "P" + std::to_string(s.priority()) + " not within the horizon", "end", "bar-label");
      continue;
    }
    c.rect(start_of(a), y - 0.32, std::max<double>(end_of(a), start_of(a) + 0.5), y + 0.32, col,
           0.35 + 0.6 * s.intensity(), "stroke=\"#333\" stroke-width=\"0.6\"");
    c.text(start_of(a) + 0.4, y + 0.12, "P" + std::to_string(s.priority()), "start", "bar-label");
  }
  for (int a : rows)
    for (int p : after[a]) {
      if (start_of(a) >= horizon) continue;
      const double x0 = c.px(end_of(p)), y0 = c.py(row_of[p]);
      const double x1 = c.px(start_of(a)), y1 = c.py(row_of[a]);
      // Down from the predecessor's end, then right to the successor's start (or straight down to
      // its bar when it starts the month the predecessor ends).
      const double down = y1 > y0 ? 1 : -1;
      const std::string d =
          x1 - x0 > 6 ? "M" + fmt("%.1f", x0) + "," + fmt("%.1f", y0 + 8 * down) + " V" + fmt("%.1f", y1) + " H" +
                            fmt("%.1f", x1 - 1)
                      : "M" + fmt("%.1f", x0) + "," + fmt("%.1f", y0 + 8 * down) + " V" + fmt("%.1f", y1 - 8 * down);
      c.raw("<path d=\"" + d +
            "\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\" marker-end=\"url(#sync-arrow)\"/>");
    }
  c.legend(lead_names, lead_colours, {"", "", "", "", ""});

  std::string notes =
      "<p class=\"note\">Bars: the months each activity runs, its planned start deferred until the activities "
      "it follows have ended (darker = higher planned intensity); P1 is the highest priority, funded first when "
      "the budget is short; arrows: an activity that starts only after another ends.";
  if (!components.empty())
    notes +=
        " Shaded rows: each component's share of its authorised strength under the drawdown, by month (the "
        "deployment ramp is the row above).";
  if (leaves_within)
    notes +=
        " Dashed line: the month the mission leaves; its military, police and civilian activities end there, "
        "while UN country team and host-government activities go on.";
  for (const auto& p : r.scenario().planning_scenarios())
    for (const auto& d : p.delays())
      notes += " In the planning scenario " + escape(p.name().empty() ? p.id() : p.name()) + ", " +
               escape(io::kind_name(static_cast<ActivityKind>(d.kind() - 1))) + " starts late.";
  notes += "</p>";
  return section("synchronisation", title,
                 "The IMPP's Level Four annex drawn from the option as specified: its activities by mission "
                 "component over the months, with priorities and sequencing" +
                     std::string(components.empty() ? "" : ", and its drawdown") +
                     (leave >= 0 ? " until the mission leaves in month " + std::to_string(leave) : "") + ".",
                 figure(c.str()) + notes);
}

std::string brief_panel(const v1::Results& r) {
  const v1::StrategyBrief& b = r.brief();
  if (b.recommended_option().empty())
    return section("brief", "Strategy brief",
                   "Not in these results: run <code>peacesim run --brief</code> to add the strategy brief.", "");
  std::string t;
  for (const io::BriefSection& part : io::brief_sections(r)) {
    t += "<h3>" + escape(part.heading) + "</h3>";
    for (const auto& p : part.paragraphs) t += "<p>" + escape(p) + "</p>";
    if (!part.items.empty()) {
      t += "<ul>";
      for (const auto& item : part.items) t += "<li>" + escape(item) + "</li>";
      t += "</ul>";
    }
  }
  return section("brief", "Strategy brief", "", t);
}

std::string footer(const v1::Results& r) {
  const auto& p = r.provenance();
  return "<footer><p>peacesim " + escape(p.engine_version()) + " &middot; scenario " + escape(p.scenario_name()) +
         " &middot; sha256 <code>" + escape(p.scenario_sha256()) + "</code> &middot; seed " + std::to_string(p.seed()) +
         " &middot; " + grouped(static_cast<double>(p.realisations())) + " realisations &times; " +
         std::to_string(p.horizon_months()) + " months &middot; design " +
         escape(words(v1::SamplingDesign_Name(p.design()), "SAMPLING_DESIGN_")) + " &middot; " +
         std::to_string(p.uncertain_quantities()) +
         " uncertain quantities.</p><p>Same scenario, seed and run count give identical results on any number "
         "of threads.</p></footer>";
}

constexpr const char* kStyle = R"css(
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1100px; padding: 16px 24px 32px; line-height: 1.4; font-size: 14px; }
header h1 { font-size: 24px; margin: 8px 0 4px; }
header p { margin: 2px 0; color: var(--muted); }
nav ol { columns: 3; padding-left: 20px; margin: 8px 0 16px; }
nav a { color: var(--accent); }
section { border-top: 2px solid var(--rule); margin-top: 20px; padding-top: 6px; }
h2 { font-size: 19px; margin: 6px 0; }
h3 { font-size: 15px; margin: 12px 0 4px; }
p.intro { color: var(--muted); margin: 2px 0 8px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
table.heat td { text-align: center; }
.note { color: var(--muted); font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border: 1px solid #333; }
figure { margin: 8px 0; }
svg.chart { width: 100%; height: auto; max-width: 860px; display: block; font-size: 11px; }
figure.small svg.chart { max-width: 330px; }
.grid { display: flex; flex-wrap: wrap; gap: 4px 10px; }
.pair { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.pair > figure { flex: 0 1 520px; }
.pair > div { flex: 1 1 300px; }
table.picks td { white-space: nowrap; }
table.framework td:last-child, table.framework th:last-child { white-space: nowrap; }
.duo { display: flex; flex-wrap: wrap; gap: 0 16px; }
.duo > figure { flex: 1 1 400px; max-width: 520px; }
svg .grid { stroke: #e6e6e6; stroke-width: 1; }
svg .frame { fill: none; stroke: #888; stroke-width: 1; }
svg .tick { fill: #333; font-size: 11px; }
svg .axis-title { fill: #333; font-size: 12px; }
svg .chart-title { fill: var(--ink); font-size: 13px; font-weight: bold; }
svg .bar-label { fill: #000; font-size: 10px; font-weight: bold; }
svg .bar-label.on-dark { fill: #fff; }
p.flag { background: #fff3e0; border-left: 4px solid #D55E00; padding: 6px 10px; }
p.ok { background: #e8f5e9; border-left: 4px solid #009E73; padding: 6px 10px; }
dl.scenarios dt { font-weight: bold; }
dl.scenarios dd { margin: 0 0 6px 16px; color: var(--muted); }
footer { border-top: 2px solid var(--rule); margin-top: 24px; padding-top: 6px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  section { break-before: page; border-top: none; margin-top: 0; }  /* one panel per page or more */
  section:first-child { break-before: auto; }
  figure, table, h3, div.row { break-inside: avoid; }
  h2, h3, caption { break-after: avoid-page; }
  p, li { break-inside: avoid; }
  svg.chart { max-width: 100%; }
  figure.small svg.chart { max-width: 58mm; }
}
)css";

}  // namespace

std::string html_report(const v1::Results& r) {
  const std::vector<Ranked> opts = ranked(r);
  const auto& p = r.provenance();
  const std::string name = p.scenario_name().empty() ? "scenario" : p.scenario_name();
  const std::vector<Part> parts = {
      {"brief", "Strategy brief", brief_panel(r)},
      {"ranking", "Ranking of the options", ranking_panel(r, opts)},
      {"value-judgements", "Value judgements and trade-offs", value_panel(r, opts)},
      {"distributions", "Score distributions and differences", distributions_panel(r, opts)},
      {"survival", "Relapse to war", survival_panel(r, opts)},
      {"fan-charts", "Fan charts by month", fans_panel(r, opts)},
      {"gender", "Gender", gender_panel(opts)},
      {"planning-scenarios", "Planning scenarios", scenarios_panel(r, opts)},
      {"results-framework", "Results framework", framework_panel(r, opts)},
      {"sensitivity", "Sensitivity", sensitivity_panel(r)},
      {"discovery", "Scenario discovery", discovery_panel(r)},
      {"synchronisation", "Synchronisation matrix", synchronisation_panel(r)},
  };
  return page(name + ": strategy options (peacesim)",
              "<h1>" + escape(name) + ": comparison of strategic options</h1><p>" +
                  grouped(static_cast<double>(p.realisations())) + " simulated futures &times; " +
                  std::to_string(p.horizon_months()) + " months, " + std::to_string(r.options_size()) +
                  " options. Leading option: <strong>" + escape(recommended(r)) + "</strong>.</p>",
              parts, footer(r));
}

std::string section(const std::string& id, const std::string& title, const std::string& intro,
                    const std::string& content) {
  return "<section id=\"" + id + "\"><h2>" + escape(title) + "</h2>" +
         (intro.empty() ? "" : "<p class=\"intro\">" + intro + "</p>") + content + "</section>\n";
}

std::string figure(const std::string& svg, const std::string& cls) {
  return "<figure" + (cls.empty() ? "" : " class=\"" + cls + "\"") + ">" + svg + "</figure>";
}

std::string page(const std::string& title, const std::string& header, const std::vector<Part>& parts,
                 const std::string& footer) {
  std::string nav = "<nav aria-label=\"Contents\"><ol>", body;
  for (const auto& part : parts) {
    if (part.html.empty()) continue;
    nav += "<li><a href=\"#" + part.id + "\">" + part.title + "</a></li>";
    body += part.html;
  }
  nav += "</ol></nav>";
  // A strict Content-Security-Policy: no scripts, nothing fetched; only the inline style and SVG.
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
         "http-equiv=\"Content-Security-Policy\" "
         "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action "
         "'none'\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
         escape(title) + "</title><style>" + kStyle + "</style></head><body><header>" + header + "</header>" + nav +
         "<main>" + body + "</main>" + footer + "</body></html>\n";
}

}  // namespace peacesim::report
