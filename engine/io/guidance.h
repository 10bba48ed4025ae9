// Guidance for scenario errors: to each diagnostic, an example of what is expected, and for a
// misspelt field or enumeration value the nearest valid name ("did you mean ...?").
#pragma once

#include <string>
#include <vector>

#include "engine/io/diagnostics.h"

namespace peacesim::io {

// Fills Diagnostic::example where it is empty, and adds "did you mean" to misspellings.
void add_guidance(std::vector<Diagnostic>& diagnostics);

// The candidate nearest to `word`, when it is near enough to be a likely misspelling or an
// abbreviation (a prefix of one candidate only); empty otherwise.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

// Levenshtein distance between two names (case-sensitive).
int edit_distance(const std::string& a, const std::string& b);

}  // namespace peacesim::io
