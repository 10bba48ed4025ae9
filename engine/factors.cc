// Uncertain factors in planners' words; see factors.h.
#include "engine/factors.h"

#include <utility>
#include <vector>

namespace peacesim {
namespace {

// "drivers[land_grievance].initial" -> {"drivers", "land_grievance", "initial"}.
struct Key {
  std::string list, id, field;
};
Key split(const std::string& key) {
  Key k;
  const auto open = key.find('[');
  const auto close = key.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    const auto dot = key.find('.');
    k.list = key.substr(0, dot);
    k.field = dot == std::string::npos ? "" : key.substr(dot + 1);
    return k;
  }
  k.list = key.substr(0, open);
  k.id = key.substr(open + 1, close - open - 1);
  k.field = close + 2 <= key.size() ? key.substr(close + 2) : "";
  return k;
}

std::string name_of(const std::map<std::string, std::string>& names, const std::string& prefix, const std::string& id) {
  const auto it = names.find(prefix + id);
  return it != names.end() ? it->second : id;
}

// Field, kind, label and unit of a list's member fields.
struct Entry {
  const char* field;
  FactorKind kind;
  const char* label;
  const char* unit;
};

const Entry* find(const std::vector<Entry>& table, const std::string& field) {
  for (const Entry& e : table)
    if (field == e.field) return &e;
  return nullptr;
}

const std::vector<Entry>& situation_table() {
  static const std::vector<Entry> t = {
      {"population_millions", FactorKind::kContext, "population", "million people"},
      {"gdp_per_capita_usd", FactorKind::kContext, "GDP per head", "US dollars"},
      {"state_capacity", FactorKind::kContext, "state capacity", ""},
      {"infant_mortality_per_1000", FactorKind::kContext, "infant mortality", "per 1,000 births"},
      {"war_years", FactorKind::kContext, "length of the last war", "years"},
      {"battle_deaths_last_year", FactorKind::kContext, "battle deaths in the war's last year", "people"},
      {"neighbours_at_war", FactorKind::kContext, "neighbouring states at war", "states"},
      {"mountainous_share", FactorKind::kContext, "mountainous share of the territory", ""},
      {"resource_dependence", FactorKind::kContext, "primary commodity exports, share of GDP", ""},
      {"initial_displaced", FactorKind::kContext, "people displaced now", "people"},
      {"months_since_agreement", FactorKind::kContext, "months since the agreement", "months"},
      {"earlier_war_years", FactorKind::kContext, "years at war before the last war", "years"},
  };
  return t;
}

const std::vector<Entry>& driver_table() {
  static const std::vector<Entry> t = {
      {"initial", FactorKind::kContext, "intensity now", ""},
      {"baseline", FactorKind::kContext, "level it drifts back to", ""},
      {"reversion", FactorKind::kModel, "monthly reversion", ""},
      {"volatility", FactorKind::kModel, "monthly volatility", ""},
      {"risk_weight", FactorKind::kModel, "weight in the risk of war", ""},
  };
  return t;
}

const std::vector<Entry>& actor_table() {
  static const std::vector<Entry> t = {
      {"position", FactorKind::kContext, "support for the peace process", ""},
      {"salience", FactorKind::kContext, "how much the process matters to it", ""},
      {"capability", FactorKind::kContext, "power", ""},
      {"armed_strength", FactorKind::kContext, "fighters", "people"},
      {"anchoring", FactorKind::kModel, "anchoring to its position", ""},
      {"volatility", FactorKind::kModel, "monthly volatility of its position", ""},
  };
  return t;
}

const std::vector<Entry>& gender_table() {
  static const std::vector<Entry> t = {
      {"participation", FactorKind::kContext, "women's share of negotiators", ""},
      {"representation", FactorKind::kContext, "women's share of seats", ""},
      {"gbv", FactorKind::kContext, "gender-based violence index", ""},
      {"inequality", FactorKind::kContext, "gender inequality index", ""},
  };
  return t;
}

const std::vector<Entry>& resource_table() {
  static const std::vector<Entry> t = {
      {"troops", FactorKind::kPlanning, "troops deployed (every option)", "people"},
      {"police", FactorKind::kPlanning, "police deployed (every option)", "people"},
      {"civilians", FactorKind::kPlanning, "civilian staff (every option)", "people"},
      {"observers", FactorKind::kPlanning, "military observers (every option)", "people"},
      {"programme_budget_usd_per_year", FactorKind::kPlanning, "programme budget (every option)", "US dollars a year"},
      {"deployment_months", FactorKind::kPlanning, "months to full strength (every option)", "months"},
  };
  return t;
}

const std::vector<Entry>& dynamics_table() {
  static const std::vector<Entry> t = {
      {"base_risk", FactorKind::kModel, "baseline risk of a post-war country (engine constant)", ""},
      {"structural_scale", FactorKind::kModel, "weight of the country profile in the risk (engine constant)", ""},
  };
  return t;
}

}  // namespace

const char* factor_kind_name(FactorKind kind) {
  switch (kind) {
    case FactorKind::kContext:
      return "context";
    case FactorKind::kPlanning:
      return "planning";
    case FactorKind::kModel:
      return "model";
  }
  return "model";
}

Factor describe_factor(const std::string& key, const std::map<std::string, std::string>& names) {
  if (key == "planning_scenario") return {FactorKind::kContext, "planning scenario", ""};
  if (key == "chance") return {FactorKind::kContext, "chance (how each future unfolds month to month)", ""};
  const Key k = split(key);
  auto from = [&](const std::vector<Entry>& table, const std::string& who) -> Factor {
    if (const Entry* e = find(table, k.field)) return {e->kind, who + e->label, e->unit};
    return {FactorKind::kModel, who + k.field, ""};
  };
  if (k.list == "situation") return from(situation_table(), "");
  if (k.list == "drivers") return from(driver_table(), name_of(names, "driver:", k.id) + ": ");
  if (k.list == "actors") return from(actor_table(), name_of(names, "actor:", k.id) + ": ");
  if (k.list == "gender") {
    if (const Entry* e = find(gender_table(), k.field)) return {e->kind, e->label, e->unit};
    return {FactorKind::kModel, "gender dynamics: " + k.field + " (engine constant)", ""};
  }
  if (k.list == "trust") {
    const auto colon = k.id.find(':');
    const std::string a = k.id.substr(0, colon), b = colon == std::string::npos ? "" : k.id.substr(colon + 1);
    return {FactorKind::kContext, name_of(names, "actor:", a) + "'s trust in " + name_of(names, "actor:", b), ""};
  }
  if (k.list == "causal_map") {
    const auto colon = k.id.find(':');
    const std::string a = k.id.substr(0, colon), b = colon == std::string::npos ? "" : k.id.substr(colon + 1);
    return {FactorKind::kModel, "how " + name_of(names, "driver:", a) + " pushes " + name_of(names, "driver:", b), ""};
  }
  if (k.list == "dynamics") {
    if (const Entry* e = find(dynamics_table(), k.field)) return {e->kind, e->label, e->unit};
    return {FactorKind::kModel, "engine constant dynamics." + k.field, ""};
  }
  if (k.list == "activity_catalogue") return {FactorKind::kModel, "what " + k.id + " achieves: " + k.field, ""};
  if (k.list == "options") {
    // "options[*].resources.troops" or "options[*].activities[DDR#0].cost_usd_per_month".
    const std::string resources = "resources.";
    if (k.field.rfind(resources, 0) == 0) {
      const std::string field = k.field.substr(resources.size());
      if (const Entry* e = find(resource_table(), field)) return {e->kind, e->label, e->unit};
    }
    const auto open = k.field.find('['), hash = k.field.find('#');
    if (open != std::string::npos && hash != std::string::npos)
      return {FactorKind::kPlanning, "cost of " + k.field.substr(open + 1, hash - open - 1) + " (every option)",
              "US dollars a month"};
    return {FactorKind::kPlanning, k.field + " (every option)", ""};
  }
  if (k.list == "conditions_for_involvement") {
    const std::string what = name_of(names, "condition:", k.id);
    if (k.field == "holds") return {FactorKind::kContext, what, ""};
    if (k.field == "month")
      return {FactorKind::kContext, what + ", where it does not hold: the month it fails", "months"};
    if (k.field.find("delays") != std::string::npos)
      return {FactorKind::kContext, what + ", where it does not hold: delay", "months"};
    return {FactorKind::kContext, what + ", where it does not hold: size of a shock", ""};
  }
  if (k.list == "planning_scenarios") {
    const std::string who = name_of(names, "scenario:", k.id);
    if (k.field.find("delays") != std::string::npos) return {FactorKind::kContext, who + ": delay", "months"};
    return {FactorKind::kContext, who + ": size of a shock", ""};
  }
  return {FactorKind::kModel, key, ""};
}

int input_categories(const std::string& key, int planning_scenarios) {
  if (key == "planning_scenario") return planning_scenarios;
  const Key k = split(key);
  return k.list == "conditions_for_involvement" && k.field == "holds" ? 2 : 0;
}

}  // namespace peacesim
