// Scenario validation; see validate.h. Limits are those of engine/model.h.
#include "engine/io/validate.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include "engine/compile.h"
#include "engine/io/guidance.h"
#include "engine/model.h"

namespace peacesim::io {
namespace {

std::string num(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

std::string idx(const std::string& field, int i) { return field + "[" + std::to_string(i) + "]"; }

constexpr double kMaxWeight = 1e6;  // criteria weights: their sum stays finite

// Every enum value one the schema names (JSON input may carry bare numbers), and text that is valid
// UTF-8 (the text format accepts \x escapes of any byte, but a results file holding such a string
// could not be read back).
void check_enums(const google::protobuf::Message& msg, const std::string& path,
                 const std::function<void(const std::string&, const std::string&)>& error) {
  const auto* refl = msg.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  refl->ListFields(msg, &fields);
  for (const auto* f : fields) {
    const std::string p = path.empty() ? f->name() : path + "." + f->name();
    const int n = f->is_repeated() ? refl->FieldSize(msg, f) : 1;
    for (int i = 0; i < n; ++i) {
      const std::string pi = f->is_repeated() ? idx(p, i) : p;
      if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        check_enums(f->is_repeated() ? refl->GetRepeatedMessage(msg, f, i) : refl->GetMessage(msg, f), pi, error);
      } else if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM) {
        const int v = f->is_repeated() ? refl->GetRepeatedEnumValue(msg, f, i) : refl->GetEnumValue(msg, f);
        if (f->enum_type()->FindValueByNumber(v) == nullptr)
          error(pi, std::to_string(v) + " is not a value of " + f->enum_type()->name());
      } else if (f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& text = f->is_repeated() ? refl->GetRepeatedStringReference(msg, f, i, &scratch)
                                                   : refl->GetStringReference(msg, f, &scratch);
        if (!valid_utf8(text)) error(pi, "is not valid UTF-8 text; write names and descriptions as UTF-8");
      }
    }
  }
}

// Errors in file order, as a reader fixes them.
void in_file_order(std::vector<Diagnostic>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.where.line < b.where.line || (a.where.line == b.where.line && a.where.column < b.where.column);
  });
}

// "unknown driver "x"; expected one of: a, b, ... Did you mean "y"?" (at most eight listed).
std::string unknown_message(const std::string& value, const std::set<std::string>& known, const char* what) {
  std::string list;
  int n = 0;
  for (const auto& k : known) {
    if (n++ == 8) {
      list += ", ...";
      break;
    }
    list += (list.empty() ? "" : ", ") + k;
  }
  const std::string guess = nearest(value, {known.begin(), known.end()});
  return std::string("unknown ") + what + " \"" + value + "\"; expected one of: " + list +
         (guess.empty() ? "" : ". Did you mean \"" + guess + "\"?");
}

// The measure of the benchmark or observation at `parent`: exactly one member, naming a known
// driver or actor. Returns the range its values lie in, when it is valid; otherwise adds an error
// located in `in`.
template <class Loaded>
std::optional<std::pair<double, double>> measure_range(const std::string& parent, bool has, const v1::Measure& m,
                                                       const std::set<std::string>& drivers,
                                                       const std::set<std::string>& actors,
                                                       std::vector<Diagnostic>& errors, const Loaded& in) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const std::string p = parent + ".measure";
  auto error = [&](const std::string& path, const std::string& message) {
    errors.push_back({in.file, in.locator ? in.locator->locate(path) : Location{1, 1}, path, message});
  };
  auto known = [&](const std::string& path, const std::string& id, const std::set<std::string>& ids, const char* what) {
    if (ids.count(id)) return true;
    error(path, unknown_message(id, ids, what));
    return false;
  };
  switch (has ? m.what_case() : v1::Measure::WHAT_NOT_SET) {
    case v1::Measure::kIndicator:
      switch (m.indicator()) {
        case v1::INDICATOR_UNSPECIFIED:
          error(p + ".indicator", "INDICATOR_UNSPECIFIED is not an indicator; name one, for example INDICATOR_GBV");
          return std::nullopt;
        case v1::INDICATOR_CONFLICT_INTENSITY:
          return std::pair{-kInf, kInf};
        case v1::INDICATOR_WOMEN_PARTICIPATION:
        case v1::INDICATOR_WOMEN_REPRESENTATION:
        case v1::INDICATOR_GBV:
          return std::pair{0.0, 1.0};
        default:
          return std::pair{0.0, kInf};
      }
    case v1::Measure::kDriver:
      if (!known(p + ".driver", m.driver(), drivers, "driver")) return std::nullopt;
      return std::pair{0.0, 1.0};
    case v1::Measure::kActorPosition:
      if (!known(p + ".actor_position", m.actor_position(), actors, "actor")) return std::nullopt;
      return std::pair{0.0, 1.0};
    case v1::Measure::kActorStrength:
      if (!known(p + ".actor_strength", m.actor_strength(), actors, "actor")) return std::nullopt;
      return std::pair{0.0, kInf};
    case v1::Measure::WHAT_NOT_SET:
      break;
  }
  error(parent,
        "missing measure; expected one of indicator, driver, actor_position or actor_strength, for example "
        "measure { indicator: INDICATOR_GBV }");
  return std::nullopt;
}

class Validator {
 public:
  explicit Validator(const LoadedScenario& in) : in_(in), s_(in.scenario) {}

  std::vector<Diagnostic> run() {
    enums(s_, "");
    counts();
    drivers();
    causal_map();
    actors();
    trust();
    catalogue();
    options();
    planning_scenarios();
    conditions_for_involvement();
    criteria();
    results_framework();
    simulation();
    quantities();
    dynamics();
    if (errors_.empty()) stability();
    in_file_order(errors_);
    return std::move(errors_);
  }

 private:
  void error(const std::string& path, const std::string& message) {
    errors_.push_back({in_.file, in_.locator ? in_.locator->locate(path) : Location{1, 1}, path, message});
  }

  // Checks an id and records it in `seen`; duplicates are reported at the second occurrence.
  void id(const std::string& path, const std::string& value, std::set<std::string>& seen, const char* what) {
    if (value.empty()) {
      error(path, std::string("missing id; every ") + what + " needs a unique id such as \"land_grievance\"");
      return;
    }
    if (!valid_id(value)) {
      error(path + ".id", invalid_id_message(value));
      return;
    }
    if (!seen.insert(value).second) error(path + ".id", std::string("duplicate ") + what + " id \"" + value + "\"");
  }

  void reference(const std::string& path, const std::string& value, const std::set<std::string>& known,
                 const char* what) {
    if (!known.count(value)) error(path, unknown_message(value, known, what));
  }

  void enums(const google::protobuf::Message& msg, const std::string& path) {
    check_enums(msg, path, [&](const std::string& p, const std::string& m) { error(p, m); });
  }

  void counts() {
    auto limit = [&](const char* field, int n, int lo, int hi) {
      if (n < lo || n > hi)
        error(field, std::string("has ") + std::to_string(n) + " entries, but must have between " + std::to_string(lo) +
                         " and " + std::to_string(hi));
    };
    limit("drivers", s_.drivers_size(), 1, kMaxDrivers);
    limit("actors", s_.actors_size(), 1, kMaxActors);
    limit("options", s_.options_size(), 1, kMaxOptions);
    limit("planning_scenarios", s_.planning_scenarios_size(), 0, kMaxPlanningScenarios);
    limit("conditions_for_involvement", s_.conditions_for_involvement_size(), 0, kMaxConditions);
    limit("criteria", s_.criteria_size(), 1, kMaxCriteria);
    limit("results_framework", s_.results_framework_size(), 0, kMaxBenchmarks);
  }

  void drivers() {
    for (int i = 0; i < s_.drivers_size(); ++i) {
      const auto& d = s_.drivers(i);
      id(idx("drivers", i), d.id(), driver_ids_, "driver");
      if (d.polarity() == v1::POLARITY_UNSPECIFIED)
        error(idx("drivers", i) + (d.id().empty() ? "" : ".id"),
              "missing polarity; expected polarity: POLARITY_CONFLICT_DRIVER or POLARITY_PEACE_FACTOR");
    }
  }

  void causal_map() {
    std::set<std::string> seen;
    for (int i = 0; i < s_.causal_map_size(); ++i) {
      const auto& e = s_.causal_map(i);
      const std::string p = idx("causal_map", i);
      reference(p + ".from", e.from(), driver_ids_, "driver");
      reference(p + ".to", e.to(), driver_ids_, "driver");
      if (!seen.insert(e.from() + ":" + e.to()).second)
        error(p, "duplicate edge from \"" + e.from() + "\" to \"" + e.to() + "\"; give each edge once");
    }
  }

  void actors() {
    for (int i = 0; i < s_.actors_size(); ++i) {
      const auto& a = s_.actors(i);
      id(idx("actors", i), a.id(), actor_ids_, "actor");
      if (a.kind() == v1::ACTOR_KIND_UNSPECIFIED)
        error(idx("actors", i) + ".id", "missing kind; expected for example kind: ACTOR_KIND_GOVERNMENT");
    }
  }

  void trust() {
    std::set<std::string> seen;
    for (int i = 0; i < s_.trust_size(); ++i) {
      const auto& t = s_.trust(i);
      const std::string p = idx("trust", i);
      reference(p + ".from", t.from(), actor_ids_, "actor");
      reference(p + ".to", t.to(), actor_ids_, "actor");
      if (!seen.insert(t.from() + ":" + t.to()).second)
        error(p, "duplicate trust from \"" + t.from() + "\" to \"" + t.to() + "\"");
    }
  }

  void catalogue() {
    for (int i = 0; i < s_.activity_catalogue_size(); ++i) {
      const auto& c = s_.activity_catalogue(i);
      const std::string p = idx("activity_catalogue", i);
      if (c.kind() == v1::ACTIVITY_KIND_UNSPECIFIED) {
        error(p, "missing kind; expected for example kind: ACTIVITY_KIND_MEDIATION");
        continue;
      }
      if (!catalogue_kinds_.insert(c.kind()).second)
        error(p + ".kind", "duplicate catalogue entry for " + v1::ActivityKind_Name(c.kind()));
      std::set<std::string> seen;
      for (int j = 0; j < c.driver_effects_size(); ++j) {
        reference(p + idx(".driver_effects", j) + ".driver", c.driver_effects(j).driver(), driver_ids_, "driver");
        if (!seen.insert(c.driver_effects(j).driver()).second)
          error(p + idx(".driver_effects", j) + ".driver",
                "duplicate effect on driver \"" + c.driver_effects(j).driver() + "\"");
      }
      seen.clear();
      for (int j = 0; j < c.actor_effects_size(); ++j) {
        reference(p + idx(".actor_effects", j) + ".actor", c.actor_effects(j).actor(), actor_ids_, "actor");
        if (!seen.insert(c.actor_effects(j).actor()).second)
          error(p + idx(".actor_effects", j) + ".actor",
                "duplicate effect on actor \"" + c.actor_effects(j).actor() + "\"");
      }
    }
  }

  void options() {
    for (int i = 0; i < s_.options_size(); ++i) {
      const auto& o = s_.options(i);
      const std::string p = idx("options", i);
      id(p, o.id(), option_ids_, "option");
      if (o.role() == v1::UN_ROLE_UNSPECIFIED)
        error(p + ".id", "missing role; expected for example role: UN_ROLE_GOOD_OFFICES (or UN_ROLE_NONE)");
      if (o.activities_size() > kMaxActivities)
        error(p + ".activities", "has " + std::to_string(o.activities_size()) + " activities, but at most " +
                                     std::to_string(kMaxActivities) + " are allowed");
      std::set<std::string> ids;
      for (int j = 0; j < o.activities_size(); ++j)
        id(p + idx(".activities", j), o.activities(j).id(), ids, "activity");
      for (int j = 0; j < o.activities_size(); ++j) {
        const auto& a = o.activities(j);
        const std::string q = p + idx(".activities", j);
        if (a.kind() == v1::ACTIVITY_KIND_UNSPECIFIED)
          error(q + ".id", "missing kind; expected for example kind: ACTIVITY_KIND_DDR");
        else if (!catalogue_kinds_.count(a.kind()))
          error(q + ".kind", "no activity_catalogue entry describes " + v1::ActivityKind_Name(a.kind()) +
                                 "; add one with its effects");
        if (a.lead() == v1::COMPONENT_UNSPECIFIED)
          error(q + ".id", "missing lead; expected for example lead: COMPONENT_CIVILIAN (who is best placed to do it)");
        // The mandate decides what troops and police may do: protecting civilians needs a POC mandate.
        if (a.kind() == v1::ACTIVITY_KIND_PROTECTION_OF_CIVILIANS &&
            (a.lead() == v1::COMPONENT_MILITARY || a.lead() == v1::COMPONENT_POLICE) &&
            !o.mandate().protection_of_civilians())
          error(q + ".lead",
                "protection of civilians by the military or police needs a protection-of-civilians "
                "mandate (mandate { protection_of_civilians: true }); without one, lead it by the civilian "
                "component or the UN country team");
        if (a.start_month() < 0 || a.start_month() > kMaxHorizon)
          error(q + ".start_month", "is " + std::to_string(a.start_month()) + ", but must lie in [0, 600]");
        if (a.duration_months() < 0 || a.duration_months() > kMaxHorizon)
          error(q + ".duration_months",
                "is " + std::to_string(a.duration_months()) + ", but must lie in [0, 600] (0 = until the horizon)");
        if (!(a.intensity() >= 0 && a.intensity() <= 1))
          error(q + ".intensity", "is " + num(a.intensity()) + ", but must lie in (0, 1] (unset = 1)");
        if (a.priority() < 0)
          error(q + ".priority", "is " + std::to_string(a.priority()) + ", but must be >= 1 (1 = highest)");
        for (int k = 0; k < a.after_size(); ++k) {
          if (!ids.count(a.after(k)))
            reference(q + idx(".after", k), a.after(k), ids, "activity");
          else if (a.after(k) == a.id())
            error(q + idx(".after", k), "an activity cannot come after itself");
        }
      }
      cycles(o, p);
      drawdown(o.resources(), p + ".resources");
    }
  }

  // The withdrawal month and the drawdown steps of an option's resources.
  void drawdown(const v1::Resources& r, const std::string& p) {
    const int leave = r.withdrawal_month();
    if (leave < 0 || leave > kMaxHorizon)
      error(p + ".withdrawal_month", "is " + std::to_string(leave) +
                                         ", but must lie in [0, 600] (the month index the mission leaves; 0 = it "
                                         "stays to the horizon)");
    for (int j = 0; j < r.drawdown_size(); ++j) {
      const auto& step = r.drawdown(j);
      const std::string q = p + idx(".drawdown", j);
      if (step.month() < 0 || step.month() > kMaxHorizon)
        error(q + ".month", "is " + std::to_string(step.month()) + ", but must lie in [0, 600]");
      else if (j > 0 && step.month() <= r.drawdown(j - 1).month())
        error(q + ".month", "is " + std::to_string(step.month()) +
                                ", but drawdown months must increase strictly: the step before is at month " +
                                std::to_string(r.drawdown(j - 1).month()));
      else if (leave > 0 && leave <= kMaxHorizon && step.month() >= leave)
        error(q + ".month", "is " + std::to_string(step.month()) + ", at or after withdrawal_month " +
                                std::to_string(leave) +
                                ": this step has no effect because the mission has left by then; move it before "
                                "month " +
                                std::to_string(leave) + " or remove it");
      const std::pair<const char*, std::optional<double>> shares[] = {
          {"troops", step.has_troops() ? std::optional<double>(step.troops()) : std::nullopt},
          {"police", step.has_police() ? std::optional<double>(step.police()) : std::nullopt},
          {"observers", step.has_observers() ? std::optional<double>(step.observers()) : std::nullopt},
          {"civilians", step.has_civilians() ? std::optional<double>(step.civilians()) : std::nullopt},
      };
      bool any = false;
      for (const auto& [name, share] : shares) {
        if (!share) continue;
        any = true;
        if (!(*share >= 0 && *share <= 1))
          error(q + "." + name, "is " + num(*share) + ", but a share of authorised strength must lie in [0, 1]");
      }
      if (!any)
        error(q,
              "sets no share; give at least one of troops, police, observers or civilians (the share of its "
              "authorised strength from month " +
                  std::to_string(step.month()) + " on, in [0, 1])");
    }
  }

  // Depth-first search for a cycle in `after`; reports it at the first activity of the cycle.
  void cycles(const v1::Option& o, const std::string& p) {
    std::map<std::string, int> index;
    for (int j = 0; j < o.activities_size(); ++j) index[o.activities(j).id()] = j;
    std::vector<int> state(o.activities_size(), 0), stack;
    bool found = false;
    std::function<void(int)> visit = [&](int j) {
      if (found) return;
      state[j] = 1;
      stack.push_back(j);
      const auto& a = o.activities(j);
      for (int k = 0; k < a.after_size() && !found; ++k) {
        const auto it = index.find(a.after(k));
        if (it == index.end() || it->second == j) continue;
        if (state[it->second] == 1) {
          found = true;
          const auto start = std::find(stack.begin(), stack.end(), it->second);
          std::string names;
          for (auto s = start; s != stack.end(); ++s) names += o.activities(*s).id() + " -> ";
          names += o.activities(it->second).id();
          const int first = *start;
          int first_after = 0;
          for (int m = 0; m < o.activities(first).after_size(); ++m)
            if (index.count(o.activities(first).after(m))) {
              first_after = m;
              break;
            }
          error(p + idx(".activities", first) + idx(".after", first_after),
                "sequencing cycle: " + names + " (each must wait for the next to end, so none can start)");
          return;
        }
        if (state[it->second] == 0) visit(it->second);
      }
      stack.pop_back();
      state[j] = 2;
    };
    for (int j = 0; j < o.activities_size() && !found; ++j)
      if (state[j] == 0) visit(j);
  }

  void planning_scenarios() {
    std::set<std::string> ids;
    for (int i = 0; i < s_.planning_scenarios_size(); ++i) {
      const auto& ps = s_.planning_scenarios(i);
      const std::string p = idx("planning_scenarios", i);
      id(p, ps.id(), ids, "planning scenario");
      if (!(ps.weight() > 0) || !std::isfinite(ps.weight()))
        error(p + ".weight", "is " + num(ps.weight()) + ", but must be > 0 (a relative probability)");
      events(p, ps.shocks(), ps.delays());
    }
  }

  // Shocks and delays (of a planning scenario, or of a condition for involvement not met).
  void events(const std::string& p, const google::protobuf::RepeatedPtrField<v1::Shock>& shocks,
              const google::protobuf::RepeatedPtrField<v1::Delay>& delays) {
    for (int j = 0; j < shocks.size(); ++j) {
      const auto& sh = shocks.Get(j);
      const std::string q = p + idx(".shocks", j);
      if (sh.month() < 0 || sh.month() > kMaxHorizon)
        error(q + ".month", "is " + std::to_string(sh.month()) + ", but must lie in [0, 600]");
      if (sh.duration_months() < 0 || sh.duration_months() > kMaxHorizon)
        error(q + ".duration_months", "is " + std::to_string(sh.duration_months()) + ", but must lie in [0, 600]");
      switch (sh.target_case()) {
        case v1::Shock::kDriver:
          reference(q + ".driver", sh.driver(), driver_ids_, "driver");
          break;
        case v1::Shock::kActor:
          reference(q + ".actor", sh.actor(), actor_ids_, "actor");
          break;
        case v1::Shock::kRisk:
          if (!sh.risk())
            error(q + ".risk", "risk: false targets nothing; use risk: true, driver: \"id\" or actor: \"id\"");
          break;
        case v1::Shock::TARGET_NOT_SET:
          error(q, "missing target; expected driver: \"id\", actor: \"id\" or risk: true");
          break;
      }
      if (!sh.has_delta()) error(q, "missing delta; expected for example delta { value: 0.05 }");
    }
    std::set<int> kinds;
    for (int j = 0; j < delays.size(); ++j) {
      const auto& d = delays.Get(j);
      if (d.kind() == v1::ACTIVITY_KIND_UNSPECIFIED)
        error(p + idx(".delays", j), "missing kind; expected for example kind: ACTIVITY_KIND_DDR");
      else if (!kinds.insert(d.kind()).second)
        error(p + idx(".delays", j) + ".kind", "duplicate delay for " + v1::ActivityKind_Name(d.kind()));
    }
  }

  void conditions_for_involvement() {
    std::set<std::string> ids;
    for (int i = 0; i < s_.conditions_for_involvement_size(); ++i) {
      const auto& c = s_.conditions_for_involvement(i);
      const std::string p = idx("conditions_for_involvement", i);
      id(p, c.id(), ids, "condition for involvement");
      if (!c.has_probability())
        error(p, "missing probability; expected the chance that it holds in a future, for example probability: 0.8");
      else if (!(c.probability() >= 0 && c.probability() <= 1))
        error(p + ".probability", "is " + num(c.probability()) + ", but must lie in [0, 1]");
      for (const auto& [has, value, name] : {std::tuple{c.has_budget_share(), c.budget_share(), "budget_share"},
                                             std::tuple{c.has_force_share(), c.force_share(), "force_share"}})
        if (has && !(value >= 0 && value <= 1)) error(p + "." + name, "is " + num(value) + ", but must lie in [0, 1]");
      events(p, c.shocks(), c.delays());
      if (c.shocks_size() + c.delays_size() == 0 && !c.has_budget_share() && !c.has_force_share())
        error(p,
              "has no consequence; give what follows where it does not hold: shocks, delays, budget_share or "
              "force_share");
    }
  }

  void criteria() {
    std::set<std::string> ids;
    double total = 0;
    for (int i = 0; i < s_.criteria_size(); ++i) {
      const auto& c = s_.criteria(i);
      const std::string p = idx("criteria", i);
      id(p, c.id(), ids, "criterion");
      if (c.metric() == v1::METRIC_UNSPECIFIED)
        error(p + ".id", "missing metric; expected for example metric: METRIC_CIVILIAN_DEATHS");
      if (!(c.weight() >= 0 && c.weight() <= kMaxWeight))
        error(p + ".weight", "is " + num(c.weight()) + ", but must lie in [0, 1000000]");
      else
        total += c.weight();
      if (c.has_weight_range()) {
        const auto& range = c.weight_range();
        if (!(range.min() >= 0 && range.min() <= kMaxWeight))
          error(p + ".weight_range.min", "is " + num(range.min()) + ", but must lie in [0, 1000000]");
        else if (!(range.max() >= range.min() && range.max() <= kMaxWeight))
          error(p + ".weight_range.max",
                "is " + num(range.max()) + ", but must lie in [min, 1000000] (min is " + num(range.min()) + ")");
      }
      if (!std::isfinite(c.worst()) || !std::isfinite(c.best()) || c.worst() == c.best()) {
        error(p + ".best", "the worst (" + num(c.worst()) + ") and best (" + num(c.best()) +
                               ") anchors must be finite and different");
      } else if (c.direction() == v1::DIRECTION_UNSPECIFIED) {
        error(p + ".id", "missing direction; expected DIRECTION_MINIMISE or DIRECTION_MAXIMISE");
      } else if ((c.direction() == v1::DIRECTION_MINIMISE) != (c.best() < c.worst())) {
        error(p + ".direction", v1::Direction_Name(c.direction()) + " disagrees with the anchors worst " +
                                    num(c.worst()) + " and best " + num(c.best()) +
                                    "; to minimise, best must be below worst, and to maximise, above it");
      }
      if (c.has_satisficing() && !std::isfinite(c.satisficing())) error(p + ".satisficing", "must be finite");
    }
    if (s_.criteria_size() > 0 && !(total > 0))
      error("criteria", "the criteria weights sum to 0; give at least one a weight > 0");
    weight_sets(ids);
  }

  // Stakeholders' weights: known criteria, weights in range, and every weight draw (a set, or the
  // criteria's own weights, with each ranged criterion at its minimum) above 0 in total.
  void weight_sets(const std::set<std::string>& criteria) {
    std::set<std::string> ids;
    auto lowest_total = [&](const std::map<std::string, double>& given) {
      double total = 0;
      for (const auto& c : s_.criteria()) {
        const auto it = given.find(c.id());
        total += c.has_weight_range() ? c.weight_range().min() : it != given.end() ? it->second : c.weight();
      }
      return total;
    };
    for (int i = 0; i < s_.weight_sets_size(); ++i) {
      const auto& w = s_.weight_sets(i);
      const std::string p = idx("weight_sets", i);
      id(p, w.id(), ids, "weight set");
      std::map<std::string, double> given;
      for (int j = 0; j < w.weights_size(); ++j) {
        const auto& x = w.weights(j);
        const std::string q = p + idx(".weights", j);
        reference(q + ".criterion", x.criterion(), criteria, "criterion");
        if (!given.emplace(x.criterion(), x.weight()).second)
          error(q + ".criterion", "criterion \"" + x.criterion() + "\" is weighted twice in this set");
        if (!(x.weight() >= 0 && x.weight() <= kMaxWeight))
          error(q + ".weight", "is " + num(x.weight()) + ", but must lie in [0, 1000000]");
      }
      if (!(lowest_total(given) > 0))
        error(p,
              "the weights of this set sum to 0 (with every weight range at its minimum); give a criterion a "
              "weight > 0");
    }
    bool ranged = false;
    for (const auto& c : s_.criteria()) ranged = ranged || c.has_weight_range();
    if (ranged && s_.weight_sets_size() == 0 && !(lowest_total({}) > 0))
      error("criteria", "with every weight range at its minimum the weights sum to 0; raise a minimum or a weight");
  }

  // A benchmark's measure, bound, month and who is responsible; its target within what the measure
  // can reach (a target it never can would make the benchmark met or missed in every future).
  void results_framework() {
    std::set<std::string> ids;
    for (int i = 0; i < s_.results_framework_size(); ++i) {
      const auto& b = s_.results_framework(i);
      const std::string p = idx("results_framework", i);
      id(p, b.id(), ids, "benchmark");
      const std::optional<std::pair<double, double>> range =
          measure_range(p, b.has_measure(), b.measure(), driver_ids_, actor_ids_, errors_, in_);
      if (b.bound() == v1::BOUND_UNSPECIFIED)
        error(p, "missing bound; expected bound: BOUND_AT_MOST or bound: BOUND_AT_LEAST");
      if (b.responsible() == v1::RESPONSIBLE_UNSPECIFIED)
        error(p,
              "missing responsible; expected who answers for it, for example responsible: RESPONSIBLE_MISSION "
              "(or _UN_COUNTRY_TEAM, _HOST_GOVERNMENT, _PARTNERS)");
      if (b.month() < 1 || b.month() > kMaxHorizon)
        error(p + ".month", "is " + std::to_string(b.month()) + ", but must lie in [1, 600] (a simulated month)");
      if (!std::isfinite(b.target())) {
        error(p + ".target", "must be finite");
      } else if (range) {
        // From the start, the change lies in [lo - hi, hi - lo].
        const double lo = b.from_start() ? range->first - range->second : range->first;
        const double hi = b.from_start() ? range->second - range->first : range->second;
        if (b.target() < lo || b.target() > hi)
          error(p + ".target", "is " + num(b.target()) + ", but this measure" +
                                   (b.from_start() ? "'s change from month 0" : "") + " lies in [" + num(lo) + ", " +
                                   num(hi) + "], so the benchmark would be met in every future or in none");
      }
    }
  }

  void simulation() {
    const auto& sim = s_.simulation();
    if (sim.has_runs() && (sim.runs() < 1 || sim.runs() > kMaxRuns))
      error("simulation.runs", "is " + std::to_string(sim.runs()) + ", but must lie in [1, 1000000000]");
    if (sim.has_horizon_months() && (sim.horizon_months() < 1 || sim.horizon_months() > kMaxHorizon))
      error("simulation.horizon_months", "is " + std::to_string(sim.horizon_months()) + ", but must lie in [1, 600]");
    if (!sim.baseline_option().empty())
      reference("simulation.baseline_option", sim.baseline_option(), option_ids_, "option");
  }

  void quantities() {
    std::set<std::string> paths;
    std::map<std::string, std::pair<double, double>> ranges;
    for_each_quantity(s_, [&](const QuantityField& f) {
      paths.insert(f.id_path);
      ranges[f.id_path] = {f.lo, f.hi};
      if (f.declared) quantity(f.index_path, *f.declared, f.lo, f.hi);
    });
    for (int i = 0; i < s_.planning_scenarios_size(); ++i) {
      const auto& ps = s_.planning_scenarios(i);
      for (int j = 0; j < ps.overrides_size(); ++j) {
        const auto& o = ps.overrides(j);
        const std::string p = idx("planning_scenarios", i) + idx(".overrides", j);
        const auto it = ranges.find(o.path());
        if (it == ranges.end()) {
          error(p + ".path", "no quantity \"" + o.path() +
                                 "\"; paths name fields with [id] for list entries, for example "
                                 "\"drivers[land_grievance].initial\", \"dynamics.base_risk\" or "
                                 "\"activity_catalogue[ELECTIONS].risk\"");
          continue;
        }
        if (!o.has_value()) {
          error(p, "missing value; expected for example value { uniform { min: 0.4 max: 0.6 } }");
          continue;
        }
        quantity(p + ".value", o.value(), it->second.first, it->second.second);
      }
    }
  }

  void quantity(const std::string& path, const v1::Quantity& q, double lo, double hi) {
    if (q.kind_case() == v1::Quantity::KIND_NOT_SET) {
      error(path, "empty quantity; expected value, uniform, triangular, normal, lognormal, beta or choice");
      return;
    }
    const auto* kind_field = q.GetDescriptor()->FindFieldByNumber(q.kind_case());
    const std::string kind = kind_field->name();
    const std::string kpath = path + "." + kind;
    Distribution d;
    try {
      d = to_distribution(q, lo, hi);
    } catch (const std::invalid_argument& e) {
      // "uniform: min is 2, but must be <= max (1)": locate the parameter named first.
      std::string message = e.what();
      const std::size_t colon = message.find(": ");
      if (colon != std::string::npos) message = message.substr(colon + 2);
      const std::string param = message.substr(0, message.find(' '));
      const bool is_field = kind_field->message_type() && kind_field->message_type()->FindFieldByName(param);
      error(is_field ? kpath + "." + param : kpath, message);
      return;
    }
    double s_lo, s_hi;
    support(d, s_lo, s_hi);
    if (s_lo >= lo && s_hi <= hi) return;
    std::string where = kpath;
    if (q.has_value()) {
      where = path + ".value";
    } else if (q.has_uniform() || q.has_triangular()) {
      where = kpath + (s_lo < lo ? ".min" : ".max");
    } else if (q.has_normal()) {
      if (s_lo < lo && q.normal().has_lower()) where = kpath + ".lower";
      if (s_hi > hi && q.normal().has_upper()) where = kpath + ".upper";
    } else if (q.has_choice()) {
      where = kpath + ".values";
    }
    error(where, "values must lie in [" + num(lo) + ", " + num(hi) + "], but this " + kind + " reaches [" + num(s_lo) +
                     ", " + num(s_hi) + "]");
  }

  void dynamics() {
    auto nominal_of = [&](const char* name, double fallback) {
      const auto* f = v1::Dynamics::descriptor()->FindFieldByName(name);
      const auto* refl = s_.dynamics().GetReflection();
      if (!refl->HasField(s_.dynamics(), f)) return fallback;
      try {
        return nominal(
            to_distribution(static_cast<const v1::Quantity&>(refl->GetMessage(s_.dynamics(), f)), -1e300, 1e300));
      } catch (const std::invalid_argument&) {
        return fallback;
      }
    };
    const double t1 = nominal_of("threshold_unstable", 0.25), t2 = nominal_of("threshold_crisis", 0.5),
                 t3 = nominal_of("threshold_war", 0.75);
    if (!(t1 < t2 && t2 < t3))
      error("dynamics.threshold_crisis",
            "regime thresholds must increase: unstable " + num(t1) + " < crisis " + num(t2) + " < war " + num(t3));
  }

  // The linearised causal map M = I - diag(kappa) + W at nominal values must be stable.
  void stability() {
    const int n = s_.drivers_size();
    std::map<std::string, int> index;
    for (int i = 0; i < n; ++i) index[s_.drivers(i).id()] = i;
    Eigen::MatrixXd m = Eigen::MatrixXd::Identity(n, n);
    for (int i = 0; i < n; ++i) {
      const auto& d = s_.drivers(i);
      m(i, i) -= d.has_reversion() ? nominal(to_distribution(d.reversion(), 0, 1)) : kDefaultDriverReversion;
    }
    for (const auto& e : s_.causal_map())
      m(index[e.to()], index[e.from()]) += e.has_weight() ? nominal(to_distribution(e.weight(), -1, 1)) : 0.0;
    Eigen::EigenSolver<Eigen::MatrixXd> solver(m);
    if (solver.info() != Eigen::Success) return;
    const auto values = solver.eigenvalues();
    int k = 0;
    for (int i = 1; i < n; ++i)
      if (std::abs(values[i]) > std::abs(values[k])) k = i;
    const double radius = std::abs(values[k]);
    if (radius < 1.0) return;
    // Drivers carrying the unstable mode, largest first.
    const Eigen::VectorXcd v = solver.eigenvectors().col(k);
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      return std::abs(v[a]) > std::abs(v[b]) || (std::abs(v[a]) == std::abs(v[b]) && a < b);
    });
    std::set<int> dominant;
    std::string names;
    const double top = std::abs(v[order[0]]);
    for (int i : order) {
      if (std::abs(v[i]) < 0.3 * top || dominant.size() == 5) break;
      dominant.insert(i);
      names += (names.empty() ? "" : ", ") + s_.drivers(i).id();
    }
    std::string where = "causal_map";
    for (int i = 0; i < s_.causal_map_size(); ++i) {
      const auto& e = s_.causal_map(i);
      if (dominant.count(index[e.from()]) && dominant.count(index[e.to()])) {
        where = idx("causal_map", i);
        break;
      }
    }
    error(where, "unstable causal map: the spectral radius of I - diag(reversion) + W is " + num(radius) +
                     " (must be < 1), so shocks grow without bound; the unstable mode runs through " + names +
                     "; weaken the edges among them or raise their reversion");
  }

  const LoadedScenario& in_;
  const v1::Scenario& s_;
  std::vector<Diagnostic> errors_;
  std::set<std::string> driver_ids_, actor_ids_, option_ids_;
  std::set<int> catalogue_kinds_;
};

}  // namespace

std::vector<Diagnostic> validate(const LoadedScenario& loaded) { return Validator(loaded).run(); }

bool valid_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string invalid_id_message(std::string_view id) {
  if (id.empty()) return "the id is empty; an id is one or more letters, digits, '_' and '-'";
  std::string shown(id.substr(0, 80));
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return "id \"" + shown + (id.size() > 80 ? "...\"" : "\"") + " may contain only letters, digits, '_' and '-'";
}

std::vector<Diagnostic> validate_observations(const LoadedObservations& in, const v1::Scenario& scenario, int horizon) {
  std::vector<Diagnostic> errors;
  auto error = [&](const std::string& path, const std::string& message) {
    errors.push_back({in.file, in.locator ? in.locator->locate(path) : Location{1, 1}, path, message});
  };
  const v1::Observations& o = in.observations;
  check_enums(o, "", error);
  std::set<std::string> options, drivers, actors;
  for (const auto& x : scenario.options()) options.insert(x.id());
  for (const auto& x : scenario.drivers()) drivers.insert(x.id());
  for (const auto& x : scenario.actors()) actors.insert(x.id());
  if (!o.implemented_option().empty() && !options.count(o.implemented_option()))
    error("implemented_option",
          unknown_message(o.implemented_option(), options, "option") + " (or leave it empty: no UN action)");
  if (o.implemented_since_month() < 0 || o.implemented_since_month() > kMaxHorizon)
    error("implemented_since_month",
          "is " + std::to_string(o.implemented_since_month()) + ", but must lie in [0, 600]");
  if (o.observations_size() < 1 || o.observations_size() > kMaxObservations)
    error("observations", "has " + std::to_string(o.observations_size()) + " entries, but must have between 1 and " +
                              std::to_string(kMaxObservations));
  for (int i = 0; i < o.observations_size(); ++i) {
    const v1::Observation& x = o.observations(i);
    const std::string p = idx("observations", i);
    const int last = std::min(horizon, kMaxObservedMonth);
    if (x.month() < 0 || x.month() > last)
      error(p + ".month", "is " + std::to_string(x.month()) + ", but must lie in [0, " + std::to_string(last) +
                              "] (0 is the starting state; the run's horizon is " + std::to_string(horizon) +
                              ", and an assessment covers at most " + std::to_string(kMaxObservedMonth) + " months)");
    const auto range = measure_range(p, x.has_measure(), x.measure(), drivers, actors, errors, in);
    if (!std::isfinite(x.value()))
      error(p + ".value", "must be finite");
    else if (range && (x.value() < range->first || x.value() > range->second))
      error(p + ".value", "is " + num(x.value()) + ", but this measure lies in [" + num(range->first) + ", " +
                              num(range->second) + "]");
    if (!(x.uncertainty() >= kMinUncertainty) || !std::isfinite(x.uncertainty()))
      error(p + ".uncertainty",
            "is " + num(x.uncertainty()) +
                ", but must be a finite standard deviation of at least 0.000001 (the size of the measurement error, "
                "in the measure's units)");
  }
  in_file_order(errors);
  return errors;
}

std::vector<Diagnostic> validate_stored(const v1::Scenario& scenario, const std::string& path,
                                        const std::string& field) {
  LoadedScenario stored;
  stored.scenario = scenario;
  stored.file = path + " (the scenario stored in it)";
  std::vector<Diagnostic> errors;
  for (const Diagnostic& d : validate(stored)) errors.push_back({path, {}, field + "." + d.path, d.message});
  return errors;
}

void require_valid(const LoadedScenario& loaded) {
  auto errors = validate(loaded);
  if (!errors.empty()) {
    add_guidance(errors);
    throw InputError(std::move(errors));
  }
}

void require_valid_observations(const LoadedObservations& loaded, const v1::Scenario& scenario, int horizon) {
  auto errors = validate_observations(loaded, scenario, horizon);
  if (!errors.empty()) throw InputError(std::move(errors));
}

}  // namespace peacesim::io
