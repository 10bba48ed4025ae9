// Human and spreadsheet views of results: the ranked table, the summary CSV and the survival CSV.
#pragma once

#include <ostream>

#include "peacesim/v1/results.pb.h"

namespace peacesim::cli {

// The ranked table (option, expected score with 95% CI, P(best), 90th-percentile regret,
// P(relapse within the horizon), median civilian deaths, mean cost).
void print_table(const v1::Results& results, std::ostream& out);

// One row per option, in rank order. The first columns are fixed (see the README).
void print_summary_csv(const v1::Results& results, std::ostream& out);

// option_id,month,p_relapse: cumulative probability of relapse to war by the end of each month.
void print_survival_csv(const v1::Results& results, std::ostream& out);

}  // namespace peacesim::cli
