// The strategy brief: the IMPP Level Two product for the recommended option, assembled from the
// results, the compiled scenario, scenario discovery and the Sobol' indices.
#pragma once

#include <string>
#include <vector>

#include "engine/discovery.h"
#include "engine/model.h"
#include "engine/sensitivity.h"
#include "peacesim/v1/results.pb.h"

namespace peacesim::io {

// Fills results.brief for the option ranked first by `rank_by`, and stores `discovery` (failures
// of that option) and `sensitivity` in results.failure_discovery and results.sensitivity. Either
// may be null; its parts are then left empty.
void add_brief(v1::Results& results, const Model& model, v1::RobustnessMetric rank_by, const DiscoveryReport* discovery,
               const SensitivityReport* sensitivity);

// The brief as it is read, for every rendering (plain text, Markdown, HTML): headings with their
// paragraphs and list items, sections with nothing to say left out.
struct BriefSection {
  std::string heading;
  std::vector<std::string> paragraphs, items;
};
std::vector<BriefSection> brief_sections(const v1::Results& results);

// Planners' names: "UN country team", "DDR".
const char* lead_name(Lead lead);
std::string kind_name(ActivityKind kind);

// "dynamics.base_risk >= 0.143" and the like.
std::string describe_restriction(const DiscoveryReport& report, const Restriction& restriction);

}  // namespace peacesim::io
