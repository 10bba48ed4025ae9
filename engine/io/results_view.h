// Reading results for people: the lookups, labels and number formats shared by the ranked table,
// the strategy brief and the HTML report.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "engine/model.h"
#include "peacesim/v1/results.pb.h"

namespace peacesim::io {

// The option's results; the empty default instance when `id` is not an option of the results.
const v1::OptionResult& option_result(const v1::Results& results, const std::string& id);

// An option plan's authorised strength of each component, and a drawdown step's shares of it, in
// Personnel order (troops, police, observers, civilians).
std::array<double, kPersonnelCount> personnel(const v1::OptionPlan& plan);
std::array<double, kPersonnelCount> personnel(const v1::DrawdownStep& step);

// The distribution of one outcome metric (empty when not stored).
const v1::Distribution& metric_of(const v1::Evaluation& evaluation, v1::Metric metric);

// The stored p-th percentile (p in 5, 10, 25, 50, 75, 90, 95); NaN when not stored.
double percentile_of(const v1::Distribution& distribution, double p);

// Probability of relapse to war by the end of the horizon.
double p_relapse(const v1::Evaluation& evaluation);

// Planners' names: "multidimensional PKO", "minimax-regret" (the command line's --rank-by name).
std::string role_label(v1::UnRole role);
std::string metric_label(v1::RobustnessMetric metric);

// The results framework in planners' words. A benchmark of the stored scenario by id (nullptr when
// it has none of that id); what a measure measures ("women's participation", "the driver Rule of
// law", "PFLC: fighters as a share of month 0's"); a benchmark's target ("at most 0.75 in month 30",
// "at most its month-0 level in month 36"); and who answers for it ("UN country team").
const v1::Benchmark* benchmark_of(const v1::Results& results, const std::string& id);
std::string measure_label(const v1::Scenario& scenario, const v1::Measure& measure);
std::string target_label(const v1::Benchmark& benchmark);
std::string responsible_label(v1::Responsible responsible);

// One number through a printf format ("%.3f"); "n/a" when it is not finite.
std::string fmt(const char* format, double value);

// A measured value for people: "0.452", "12,346" (three significant digits, or whole and grouped
// from 1,000 on).
std::string value_text(double value);

// 12345.6 -> "12,346"; `minus` for negatives (the report uses U+2212); "-" when not finite.
std::string grouped(double value, std::string_view minus = "-");

// Text safe for a terminal: control characters (escape sequences, carriage returns, ...) other than
// newline and tab, and the C1 controls U+0080 to U+009F written in UTF-8, are shown as '?', so a
// scenario's or a results file's names cannot drive the terminal.
std::string printable(std::string_view text);

// A number for CSV: the shortest decimal that reads back as the same double, in plain notation
// (never an exponent): 100 -> "100", 1e-7 -> "0.0000001", 2.5e9 -> "2500000000". "nan", "inf" and
// "-inf" when not finite.
std::string csv_number(double value);

}  // namespace peacesim::io
