// Display names of a scenario's factors; see factor_names.h.
#include "engine/io/factor_names.h"

namespace peacesim {

std::map<std::string, std::string> factor_names(const v1::Scenario& s) {
  std::map<std::string, std::string> names;
  for (const auto& d : s.drivers()) names["driver:" + d.id()] = d.name().empty() ? d.id() : d.name();
  for (const auto& a : s.actors()) names["actor:" + a.id()] = a.name().empty() ? a.id() : a.name();
  for (const auto& p : s.planning_scenarios()) names["scenario:" + p.id()] = p.name().empty() ? p.id() : p.name();
  for (const auto& c : s.conditions_for_involvement())
    names["condition:" + c.id()] = c.name().empty() ? c.id() : c.name();
  return names;
}

}  // namespace peacesim
