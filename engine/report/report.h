// The planner's dashboard: one self-contained HTML page (inline CSS and SVG, no scripts, no
// fetched fonts or images) drawn from a results file, for a Mission Leadership Team and for print
// on A4. The page depends only on the results, so the same results give the same bytes.
#pragma once

#include <string>

#include "peacesim/v1/assessment.pb.h"
#include "peacesim/v1/results.pb.h"

namespace peacesim::report {

// The whole report. Panels whose data the results lack (sensitivity, scenario discovery and the
// brief need 'peacesim run --brief') say how to add them instead of being left out silently.
std::string html_report(const v1::Results& results);

// The CPAS dashboard of an assessment (peacesim assess --report): the sampler's verdict, each
// observed measure against the plan's 90% band, the quantities the observations moved, the
// benchmarks under the option implemented, and the options re-scored (or the Level One screen).
std::string assessment_report(const v1::Assessment& assessment);

}  // namespace peacesim::report
