// Human and spreadsheet views of results: the ranked table, the summary CSV and the survival CSV.
#pragma once

#include <ostream>
#include <string>

#include "peacesim/v1/assessment.pb.h"
#include "peacesim/v1/results.pb.h"

namespace peacesim::cli {

// A text field for CSV: quoted when needed (RFC 4180), and prefixed with an apostrophe when a
// spreadsheet would read it as a formula.
std::string csv_field(const std::string& text);

// The ranked table (option, expected score with 95% CI, P(best), 90th-percentile regret,
// P(relapse within the horizon), median civilian deaths, mean cost), ordered by `rank_by`, and the
// most robust option under each metric when they disagree.
void print_table(const v1::Results& results, std::ostream& out,
                 v1::RobustnessMetric rank_by = v1::ROBUSTNESS_METRIC_EXPECTED);

// One row per option, ordered by `rank_by`. The first columns are fixed (see the README).
void print_summary_csv(const v1::Results& results, std::ostream& out,
                       v1::RobustnessMetric rank_by = v1::ROBUSTNESS_METRIC_EXPECTED);

// An assessment (peacesim assess): the sampler, the observations outside the plan's bands, what
// moved, the state now, and the options re-scored (or the Level One screen).
void print_assessment(const v1::Assessment& assessment, std::ostream& out);

// The strategy brief, as plain text or Markdown.
void print_brief(const v1::Results& results, std::ostream& out, bool markdown);

// Parses a robustness metric's command-line name ("minimax-regret"); throws std::invalid_argument
// listing the names when it is unknown.
v1::RobustnessMetric parse_rank_by(const std::string& name);

// option_id,benchmark_id,responsible,month,evaluated,p_met,ci95_low,ci95_high: how often each option
// meets each benchmark of the results framework.
void print_framework_csv(const v1::Results& results, std::ostream& out);

// option_id,month,p_relapse: cumulative probability of relapse to war by the end of each month.
void print_survival_csv(const v1::Results& results, std::ostream& out);

// An indicator's command-line name: INDICATOR_BATTLE_DEATHS is "battle_deaths".
std::string indicator_key(v1::Indicator indicator);

// Every indicator's command-line name, comma-separated.
std::string indicator_keys();

// Parses an indicator's command-line name; throws std::invalid_argument listing the names when it
// is unknown.
v1::Indicator parse_indicator(const std::string& name);

// option_id,month,p05,p25,p50,p75,p95,mean: the fan chart of one indicator, all planning scenarios
// together.
void print_fan_csv(const v1::Results& results, v1::Indicator indicator, std::ostream& out);

}  // namespace peacesim::cli
