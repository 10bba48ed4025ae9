// Semantic validation of a parsed scenario: references, identifiers, distributions, ranges,
// documented limits, the stability of the causal map, and sequencing cycles. Every problem is
// reported (not only the first) with its field path and file:line:col.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/io/diagnostics.h"
#include "engine/io/load.h"

namespace peacesim::io {

std::vector<Diagnostic> validate(const LoadedScenario& loaded);

// The problems of a scenario stored in another file (a part, a stream's header, a results file),
// each at `path`, field `field` + "." + the scenario's own field path.
std::vector<Diagnostic> validate_stored(const v1::Scenario& scenario, const std::string& path,
                                        const std::string& field);

// The one rule for ids (of drivers, actors, options, criteria, weight sets, planning scenarios and
// activities), which results files are held to as well: one or more ASCII letters, digits, '_'
// and '-'. So an id is safe in a terminal, a CSV cell, HTML and a field path.
bool valid_id(std::string_view id);

// The message for an id that breaks the rule, with control characters shown as '?'.
std::string invalid_id_message(std::string_view id);

// Observations (peacesim assess) against the scenario they describe and the run's horizon: the
// implemented option, months, measures, values within their measure's range and uncertainties > 0.
std::vector<Diagnostic> validate_observations(const LoadedObservations& loaded, const v1::Scenario& scenario,
                                              int horizon);

// Throws InputError when validate() finds anything.
void require_valid(const LoadedScenario& loaded);

// Throws InputError when validate_observations() finds anything.
void require_valid_observations(const LoadedObservations& loaded, const v1::Scenario& scenario, int horizon);

}  // namespace peacesim::io
