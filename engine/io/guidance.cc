// Guidance for scenario errors; see guidance.h.
#include "engine/io/guidance.h"

#include <algorithm>
#include <regex>

#include "peacesim/v1/scenario.pb.h"

namespace peacesim::io {

int edit_distance(const std::string& a, const std::string& b) {
  std::vector<int> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

namespace {}  // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::vector<std::string> extending;
  for (const auto& c : candidates)
    if (word.size() >= 3 && c.size() > word.size() && c.compare(0, word.size(), word) == 0) extending.push_back(c);
  if (extending.size() == 1) return extending.front();
  std::string best;
  int best_distance = std::max(2, static_cast<int>(word.size()) / 3) + 1;
  for (const auto& c : candidates) {
    const int d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

namespace {

std::string field_list(const google::protobuf::Descriptor* d) {
  std::string s;
  for (int i = 0; i < d->field_count(); ++i) s += (i ? ", " : "") + d->field(i)->name();
  return s;
}

// Misspelt field names and enumeration values, from the text-format parser's and the JSON
// scanner's messages.
void suggest(Diagnostic& d) {
  static const std::regex text_field(R"re(Message type "peacesim\.v1\.(\w+)" has no field named "(\w+)")re");
  static const std::regex json_field(R"re(unknown field "(\w+)" in (\w+))re");
  static const std::regex enum_value(R"re(Unknown enumeration value of "(\w+)")re");
  const google::protobuf::FileDescriptor* file = v1::Scenario::descriptor()->file();
  std::smatch m;
  std::string type, word;
  if (std::regex_search(d.message, m, text_field)) {
    type = m[1], word = m[2];
  } else if (std::regex_search(d.message, m, json_field)) {
    word = m[1], type = m[2];
  }
  if (!type.empty()) {
    const google::protobuf::Descriptor* desc = file->FindMessageTypeByName(type);
    if (desc == nullptr) return;
    std::vector<std::string> names;
    for (int i = 0; i < desc->field_count(); ++i) {
      names.push_back(desc->field(i)->name());
      names.push_back(desc->field(i)->json_name());
    }
    const std::string guess = nearest(word, names);
    if (!guess.empty()) d.message += " Did you mean \"" + guess + "\"?";
    d.example = "the fields of " + type + " are: " + field_list(desc);
    return;
  }
  if (std::regex_search(d.message, m, enum_value)) {
    word = m[1];
    std::vector<std::string> names;
    const google::protobuf::EnumDescriptor* owner = nullptr;
    for (int e = 0; e < file->enum_type_count(); ++e)
      for (int v = 0; v < file->enum_type(e)->value_count(); ++v) names.push_back(file->enum_type(e)->value(v)->name());
    const std::string guess = nearest(word, names);
    if (guess.empty()) return;
    d.message += " Did you mean " + guess + "?";
    owner = file->FindEnumValueByName(guess)->type();
    std::string values;
    for (int v = 1; v < owner->value_count(); ++v) values += (v > 1 ? ", " : "") + owner->value(v)->name();
    d.example = "one of " + values;
  }
}

struct Rule {
  std::regex pattern;  // matched against "path: message"
  const char* example;
};

// Examples of what is expected, by field path and message; the first match wins.
const std::vector<Rule>& rules() {
  static const std::vector<Rule> table = [] {
    const std::vector<std::pair<const char*, const char*>> raw = {
        {R"(Expected (double|integer|float|int32|int64)|got: ")", "numbers take no quotes: reversion { value: 0.05 }"},
        {R"(Expected "\{")",
         "a message opens with a brace: drivers { id: \"land_grievance\" name: \"Land grievance\" }"},
        {R"(Expected identifier|Expected ":")", "field: value, for example  name: \"Carana\"  or  weight: 0.3"},
        {R"(\.uniform\.)", "uniform { min: 0.03 max: 0.06 }  (min <= max)"},
        {R"(\.triangular\.)", "triangular { min: 3 mode: 5 max: 9 }  (min <= mode <= max)"},
        {R"(\.lognormal\.)", "lognormal { median: 2000 sigma: 0.3 }  (median > 0, sigma > 0)"},
        {R"(\.normal\.)", "normal { mean: 10000 sd: 1500 lower: 6000 upper: 14000 }  (sd > 0, lower < upper)"},
        {R"(\.beta\.)", "beta { mean: 0.5 concentration: 20 }  (0 < mean < 1, concentration > 0)"},
        {R"(\.choice\.)", "choice { values: [0, 1] weights: [0.7, 0.3] }  (one weight per value)"},
        {R"(resources\.withdrawal_month)",
         "resources { troops { value: 3000 } withdrawal_month: 48 }  (the month index the mission leaves, "
         "0 to 600; 0 = it stays to the horizon)"},
        {R"(needs a protection-of-civilians mandate)",
         "mandate { protection_of_civilians: true }  (or lead: COMPONENT_CIVILIAN for unarmed protection work)"},
        {R"(drawdown\[\d+\]: sets no share)",
         "drawdown { month: 36 troops: 0.5 police: 0.8 }  (at least one share of authorised strength)"},
        {R"(drawdown\[\d+\]\.month: .*increase strictly)",
         "drawdown { month: 24 troops: 0.7 }  drawdown { month: 36 troops: 0.4 }  (months strictly increasing)"},
        {R"(drawdown\[\d+\]\.month: .*mission has left)",
         "withdrawal_month: 48  drawdown { month: 36 troops: 0.5 }  (every step before the withdrawal month)"},
        {R"(drawdown\[\d+\]\.month)", "drawdown { month: 36 troops: 0.5 }  (a month index, 0 to 600)"},
        {R"(drawdown\[\d+\]\.(troops|police|observers|civilians))",
         "drawdown { month: 36 troops: 0.5 }  (a share of authorised strength, 0 to 1: 0.5 = half)"},
        {R"(conditions_for_involvement\[\d+\]\.probability)",
         "probability: 0.8  (the chance that it holds in a future, 0 to 1: a plain number)"},
        {R"(conditions_for_involvement\[\d+\]\.(budget_share|force_share))",
         "budget_share: 0.6  (where it does not hold, the share that arrives, 0 to 1: a plain number)"},
        {R"(^(actors\[\d+\]\.position|gender\.)|must lie in \[0, 1\])",
         "a share in [0, 1]: { value: 0.3 }  or  { beta { mean: 0.3 concentration: 20 } }"},
        {R"(delays\[\d+\]\.months)", "delays { kind: ACTIVITY_KIND_DDR months { value: 6 } }  (0 to 120 months)"},
        {R"(must lie in \[)", "a value inside the stated range, for example  { value: 0.5 }"},
        {R"(sequencing cycle)",
         "remove one of the `after` links in the cycle; `after` means: start once that one ends"},
        {R"(\.after\[)", "after: \"mediation\"  (the id of another activity of the same option)"},
        {R"(unstable causal map)",
         "causal_map { from: \"weak_security_sector\" to: \"elite_fragmentation\" weight { "
         "value: 0.02 } }  (monthly weights well below the drivers' reversion)"},
        {R"(^causal_map\[\d+\]\.(from|to))",
         "causal_map { from: \"weak_security_sector\" to: \"elite_fragmentation\" "
         "weight { value: 0.02 } }"},
        {R"(^trust\[\d+\])", "trust { from: \"armed_group\" to: \"government\" value { value: 0.2 } }"},
        {R"(criteria\[\d+\]\.direction)",
         "criteria { metric: METRIC_CIVILIAN_DEATHS direction: DIRECTION_MINIMISE worst: 5000 best: 0 }"},
        {R"(criteria\[\d+\]\.weight|planning_scenarios\[\d+\]\.weight)", "weight: 0.3"},
        {R"(overrides\[\d+\]\.path)",
         "overrides { path: \"actors[armed_group].position\" value { uniform { min: 0.05 max: 0.2 } } }"},
        {R"(shocks\[\d+\])",
         "shocks { month: 6 duration_months: 3 driver: \"elite_fragmentation\" delta { value: "
         "0.05 } }"},
        {R"(^simulation\.)", "simulation { runs: 10000 horizon_months: 60 seed: 1 baseline_option: \"no_mission\" }"},
        {R"(^options:|^options$)", "options { id: \"no_mission\" name: \"No mission\" role: UN_ROLE_NONE }"},
        {R"(activities\[\d+\]\.intensity)", "intensity: 0.8  (a share of full intensity, above 0 and at most 1)"},
        {R"(activities\[\d+\]\.id)",
         "activities { id: \"ddr_phase_2\" kind: ACTIVITY_KIND_DDR lead: "
         "COMPONENT_MILITARY }  (ids unique within the option)"},
        {R"(actor_effects\[\d+\]\.actor)", "actor_effects { actor: \"armed_group\" change { value: 0.003 } }"},
        {R"(driver_effects\[\d+\]\.driver)",
         "driver_effects { driver: \"weak_security_sector\" change { value: -0.004 } }"},
        {R"(^drivers\[\d+\])",
         "drivers { id: \"land_grievance\" name: \"Land grievance\" polarity: "
         "POLARITY_CONFLICT_DRIVER initial { uniform { min: 0.5 max: 0.7 } } }"},
        {R"(^actors\[\d+\])",
         "actors { id: \"armed_group\" name: \"Armed group\" kind: ACTOR_KIND_ARMED_GROUP "
         "position { value: 0.3 } }"},
    };
    std::vector<Rule> out;
    for (const auto& [pattern, example] : raw) out.push_back({std::regex(pattern), example});
    return out;
  }();
  return table;
}

}  // namespace

void add_guidance(std::vector<Diagnostic>& diagnostics) {
  for (Diagnostic& d : diagnostics) {
    if (!d.example.empty()) continue;
    suggest(d);
    if (!d.example.empty()) continue;
    const std::string subject = d.path + ": " + d.message;
    for (const Rule& r : rules())
      if (std::regex_search(subject, r.pattern)) {
        d.example = r.example;
        break;
      }
    if (d.example.empty())
      d.example = "'peacesim init NAME' writes a valid, commented scenario to compare with (docs/scenario-guide.md)";
  }
}

}  // namespace peacesim::io
