// The display names describe_factor (engine/factors.h) puts in planners' words, read from a scenario
// message: kept apart from the factors so that the analysis layer does not see the schema.
#pragma once

#include <map>
#include <string>

#include "peacesim/v1/scenario.pb.h"

namespace peacesim {

// Display names of the scenario's drivers, actors, planning scenarios and conditions for
// involvement by id ("driver:ID", "actor:ID", "scenario:ID", "condition:ID"; the id when unnamed).
std::map<std::string, std::string> factor_names(const v1::Scenario& scenario);

}  // namespace peacesim
