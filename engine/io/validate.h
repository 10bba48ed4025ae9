// Semantic validation of a parsed scenario: references, identifiers, distributions, ranges,
// documented limits, the stability of the causal map, and sequencing cycles. Every problem is
// reported (not only the first) with its field path and file:line:col.
#pragma once

#include <vector>

#include "engine/io/diagnostics.h"
#include "engine/io/load.h"

namespace peacesim::io {

std::vector<Diagnostic> validate(const LoadedScenario& loaded);

// Throws InputError when validate() finds anything.
void require_valid(const LoadedScenario& loaded);

}  // namespace peacesim::io
