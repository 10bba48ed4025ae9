// Uncertain factors in planners' words: every sampling dimension (an uncertain quantity of the
// scenario, named by its key) gets a plain label, a unit and a kind: context (the situation, the
// actors, the drivers, how events unfold: observable in the field), planning (what the UN decides
// or obtains: force generation, costs) or model (the engine's constants and the analyst's effect
// sizes, e.g. dynamics.base_risk). Scenario discovery and the brief's conditions use context and
// planning factors; model constants are reported apart, as model uncertainty.
#pragma once

#include <cmath>
#include <map>
#include <string>

namespace peacesim {

enum class FactorKind { kContext = 0, kPlanning, kModel };

struct Factor {
  FactorKind kind = FactorKind::kModel;
  std::string label;  // "Splinter faction: fighters"
  std::string unit;   // "people"; empty for a share or an index in [0, 1]
};

// "context", "planning", "model".
const char* factor_kind_name(FactorKind kind);

// The factor of a dimension key (AnalysisInputs::names, e.g. "actors[splinter_faction].armed_strength",
// "options[*].resources.troops", "planning_scenario"), with `names` the scenario's display names by
// id (factor_names in engine/io/factor_names.h reads them from a scenario message).
Factor describe_factor(const std::string& key, const std::map<std::string, std::string>& names);

// The number of categories of an input that is a category, not an ordered number: the planning
// scenario (`planning_scenarios` of them, valued by index) and whether a condition for involvement
// holds ("conditions_for_involvement[id].holds": 0 or 1); 0 for an ordered input.
int input_categories(const std::string& key, int planning_scenarios);

// Whether `v` is one of `categories` categories: a whole number in [0, categories).
inline bool is_category(double v, int categories) { return v >= 0 && v < categories && v == std::floor(v); }

}  // namespace peacesim
