// Scenario (protobuf) to Model; see compile.h. Engine defaults and ranges are documented, with
// their sources, in docs/model.md.
#include "engine/compile.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "engine/io/enum_mirrors.h"

namespace peacesim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string idx(const std::string& field, int i) { return field + "[" + std::to_string(i) + "]"; }
std::string key(const std::string& field, const std::string& id) { return field + "[" + id + "]"; }

// Default and allowed range of one field.
struct Default {
  const char* name;
  Distribution fallback;
  double lo, hi;
};

const std::vector<Default>& situation_defaults() {
  static const std::vector<Default> d = {
      {"population_millions", fixed(10), 1e-3, 2e3},
      {"gdp_per_capita_usd", fixed(1000), 1, 2e5},
      {"state_capacity", fixed(0.4), 0, 1},
      {"infant_mortality_per_1000", fixed(50), 0.5, 300},
      {"war_years", fixed(5), 0, 100},
      {"battle_deaths_last_year", fixed(1000), 0, 1e7},
      {"neighbours_at_war", fixed(0), 0, 10},
      {"mountainous_share", fixed(0.2), 0, 1},
      {"resource_dependence", fixed(0.15), 0, 1},
      {"initial_displaced", fixed(0), 0, 1e9},
      {"months_since_agreement", fixed(0), 0, 600},
      {"earlier_war_years", fixed(0), 0, 20},
  };
  return d;
}

const std::vector<Default>& gender_defaults() {
  static const std::vector<Default> d = {
      {"participation", fixed(0.1), 0, 1},
      {"representation", fixed(0.15), 0, 1},
      {"gbv", fixed(0.4), 0, 1},
      {"inequality", fixed(0.5), 0, 1},
      {"female_share_civilian_deaths", fixed(0.4), 0, 1},
      {"female_share_displaced", fixed(0.55), 0, 1},
      {"participation_reversion", fixed(0.02), 0, 1},
      {"gbv_from_violence", fixed(0.05), 0, 1},
      {"gbv_recovery", fixed(0.03), 0, 1},
      {"female_death_share_per_gbv", fixed(0.2), 0, 1},
      {"female_death_share_per_displaced", fixed(0.3), 0, 1},
      {"female_displaced_share_per_gbv", fixed(0.1), 0, 1},
      {"female_displaced_share_at_war", fixed(0.05), 0, 1},
  };
  return d;
}

// In the order of DynamicsField and of peacesim.v1.Dynamics's field numbers.
const std::vector<Default>& dynamics_defaults() {
  static const std::vector<Default> d = {
      {"base_risk", normal(0.02, 0.08, -kInf, kInf), -5, 5},
      {"structural_scale", fixed(0.05), 0, 10},
      {"polarisation_weight", fixed(0.3), 0, 10},
      {"spoiler_weight", fixed(0.3), 0, 10},
      {"gbv_weight", fixed(0.1), 0, 10},
      {"participation_weight", fixed(0.1), 0, 10},
      {"inequality_weight", fixed(0.15), 0, 10},
      {"war_trap", fixed(0.2), 0, 10},
      {"duration_dependence", fixed(0.15), 0, 10},
      {"troop_deterrence", fixed(0.004), 0, 10},
      {"police_deterrence", fixed(0.008), 0, 10},
      {"robust_multiplier", fixed(2.5), 1, 5},
      {"persistence", fixed(0.85), 0, 0.999},
      {"noise", fixed(0.06), 0, 5},
      {"threshold_unstable", fixed(0.25), -10, 10},
      {"threshold_crisis", fixed(0.5), -10, 10},
      {"threshold_war", fixed(0.75), -10, 10},
      {"battle_deaths_crisis", fixed(30), 0, 1e6},
      {"battle_deaths_war", fixed(300), 84, 1e6},
      {"battle_deaths_sigma", fixed(0.8), 0, 3},
      {"civilian_ratio", fixed(0.6), 0, 100},
      {"poc_effect", fixed(0.35), 0, 10},
      {"troop_battle_effect", fixed(0.2), 0, 10},
      {"displaced_per_death", fixed(150), 0, 1e5},
      {"return_rate", fixed(0.015), 0, 1},
      {"consent_threshold", fixed(0.35), 0, 1},
      {"consent_decay", fixed(0.15), 0, 1},
      {"hysteresis", fixed(0.02), 0, 1},
      {"attrition_war", fixed(0.01), 0, 1},
      {"attrition_peace", fixed(0.003), 0, 1},
      {"recruitment", fixed(0.03), 0, 1},
      {"troop_cost_usd_month", fixed(5000), 0, 1e7},
      {"police_cost_usd_month", fixed(5000), 0, 1e7},
      {"civilian_cost_usd_month", fixed(12000), 0, 1e7},
      {"bargaining_pull", fixed(0.5), 0, 1},
      {"observer_deterrence", fixed(0.03), 0, 10},
      {"war_exhaustion", fixed(0.07), 0, 10},
      {"war_history_weight", fixed(0.03), 0, 10},
      {"war_history_half_life_years", fixed(10), 0.1, 100},
      {"harm_population_elasticity", fixed(0.5), 0, 1},
      {"spoiler_coercion", fixed(0.15), 0, 10},
      {"effect_without_guarantee", fixed(0.5), 0, 1},
  };
  return d;
}

// Quantity-valued fields of a message in declaration order, via reflection, so that the field
// list lives in the .proto and the defaults table above only.
void visit_message_quantities(const google::protobuf::Message& msg, const std::vector<Default>& defaults,
                              const std::string& id_prefix, const std::string& index_prefix,
                              const std::function<void(const QuantityField&)>& visit) {
  const auto* desc = msg.GetDescriptor();
  const auto* refl = msg.GetReflection();
  for (const Default& d : defaults) {
    const auto* field = desc->FindFieldByName(d.name);
    if (field == nullptr) throw std::logic_error(std::string("no field ") + d.name + " in " + desc->full_name());
    QuantityField f;
    f.id_path = id_prefix + "." + d.name;
    f.index_path = index_prefix + "." + d.name;
    if (refl->HasField(msg, field)) f.declared = static_cast<const v1::Quantity*>(&refl->GetMessage(msg, field));
    f.fallback = d.fallback;
    f.lo = d.lo;
    f.hi = d.hi;
    visit(f);
  }
}

void visit_one(const std::string& id_path, const std::string& index_path, const v1::Quantity* declared,
               Distribution fallback, double lo, double hi, const std::function<void(const QuantityField&)>& visit) {
  QuantityField f;
  f.id_path = id_path;
  f.index_path = index_path;
  f.declared = declared;
  f.fallback = std::move(fallback);
  f.lo = lo;
  f.hi = hi;
  visit(f);
}

}  // namespace

std::string activity_kind_name(v1::ActivityKind kind) {
  std::string name = v1::ActivityKind_Name(kind);
  const std::string prefix = "ACTIVITY_KIND_";
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

void for_each_quantity(const v1::Scenario& s, const std::function<void(const QuantityField&)>& visit) {
  auto q = [&](const std::string& id_path, const std::string& index_path, bool has, const v1::Quantity& value,
               Distribution fallback, double lo, double hi) {
    visit_one(id_path, index_path, has ? &value : nullptr, std::move(fallback), lo, hi, visit);
  };
  visit_message_quantities(s.situation(), situation_defaults(), "situation", "situation", visit);
  for (int i = 0; i < s.drivers_size(); ++i) {
    const auto& d = s.drivers(i);
    const std::string k = key("drivers", d.id()), n = idx("drivers", i);
    q(k + ".initial", n + ".initial", d.has_initial(), d.initial(), fixed(0.5), 0, 1);
    if (d.has_baseline()) q(k + ".baseline", n + ".baseline", true, d.baseline(), fixed(0.5), 0, 1);
    q(k + ".reversion", n + ".reversion", d.has_reversion(), d.reversion(), fixed(kDefaultDriverReversion), 0, 1);
    q(k + ".volatility", n + ".volatility", d.has_volatility(), d.volatility(), fixed(0.02), 0, 1);
    q(k + ".risk_weight", n + ".risk_weight", d.has_risk_weight(), d.risk_weight(), fixed(0.05), 0, 10);
  }
  for (int i = 0; i < s.causal_map_size(); ++i) {
    const auto& e = s.causal_map(i);
    q(key("causal_map", e.from() + ":" + e.to()) + ".weight", idx("causal_map", i) + ".weight", e.has_weight(),
      e.weight(), fixed(0), -1, 1);
  }
  for (int i = 0; i < s.actors_size(); ++i) {
    const auto& a = s.actors(i);
    const std::string k = key("actors", a.id()), n = idx("actors", i);
    q(k + ".position", n + ".position", a.has_position(), a.position(), fixed(0.5), 0, 1);
    q(k + ".salience", n + ".salience", a.has_salience(), a.salience(), fixed(0.5), 0, 1);
    q(k + ".capability", n + ".capability", a.has_capability(), a.capability(), fixed(0.5), 0, 1);
    q(k + ".anchoring", n + ".anchoring", a.has_anchoring(), a.anchoring(), fixed(0.5), 0, 1);
    q(k + ".armed_strength", n + ".armed_strength", a.has_armed_strength(), a.armed_strength(), fixed(0), 0, 1e7);
    q(k + ".volatility", n + ".volatility", a.has_volatility(), a.volatility(), fixed(0.01), 0, 1);
  }
  for (int i = 0; i < s.trust_size(); ++i) {
    const auto& t = s.trust(i);
    q(key("trust", t.from() + ":" + t.to()) + ".value", idx("trust", i) + ".value", t.has_value(), t.value(), fixed(1),
      0, 1);
  }
  visit_message_quantities(s.gender(), gender_defaults(), "gender", "gender", visit);
  visit_message_quantities(s.dynamics(), dynamics_defaults(), "dynamics", "dynamics", visit);
  for (int i = 0; i < s.activity_catalogue_size(); ++i) {
    const auto& c = s.activity_catalogue(i);
    const std::string k = key("activity_catalogue", activity_kind_name(c.kind())), n = idx("activity_catalogue", i);
    for (int j = 0; j < c.driver_effects_size(); ++j) {
      const auto& e = c.driver_effects(j);
      q(k + key(".driver_effects", e.driver()) + ".change", n + idx(".driver_effects", j) + ".change", e.has_change(),
        e.change(), fixed(0), -1, 1);
    }
    q(k + ".mediation", n + ".mediation", c.has_mediation(), c.mediation(), fixed(0), 0, 1);
    q(k + ".ddr", n + ".ddr", c.has_ddr(), c.ddr(), fixed(0), 0, 1);
    q(k + ".participation", n + ".participation", c.has_participation(), c.participation(), fixed(0), -1, 1);
    q(k + ".representation", n + ".representation", c.has_representation(), c.representation(), fixed(0), -1, 1);
    q(k + ".gbv", n + ".gbv", c.has_gbv(), c.gbv(), fixed(0), -1, 1);
    q(k + ".risk", n + ".risk", c.has_risk(), c.risk(), fixed(0), -5, 5);
    for (int j = 0; j < c.actor_effects_size(); ++j) {
      const auto& e = c.actor_effects(j);
      q(k + key(".actor_effects", e.actor()) + ".change", n + idx(".actor_effects", j) + ".change", e.has_change(),
        e.change(), fixed(0), -1, 1);
    }
  }
  for (int i = 0; i < s.options_size(); ++i) {
    const auto& o = s.options(i);
    const std::string k = key("options", o.id()), n = idx("options", i);
    const auto& r = o.resources();
    q(k + ".resources.troops", n + ".resources.troops", r.has_troops(), r.troops(), fixed(0), 0, 1e6);
    q(k + ".resources.police", n + ".resources.police", r.has_police(), r.police(), fixed(0), 0, 1e6);
    q(k + ".resources.civilians", n + ".resources.civilians", r.has_civilians(), r.civilians(), fixed(0), 0, 1e6);
    q(k + ".resources.observers", n + ".resources.observers", r.has_observers(), r.observers(), fixed(0), 0, 1e6);
    q(k + ".resources.programme_budget_usd_per_year", n + ".resources.programme_budget_usd_per_year",
      r.has_programme_budget_usd_per_year(), r.programme_budget_usd_per_year(), fixed(0), 0, 1e12);
    q(k + ".resources.deployment_months", n + ".resources.deployment_months", r.has_deployment_months(),
      r.deployment_months(), fixed(0), 0, 120);
    for (int j = 0; j < o.activities_size(); ++j) {
      const auto& a = o.activities(j);
      q(k + key(".activities", a.id()) + ".cost_usd_per_month", n + idx(".activities", j) + ".cost_usd_per_month",
        a.has_cost_usd_per_month(), a.cost_usd_per_month(), fixed(0), 0, 1e10);
    }
  }
  auto events = [&](const std::string& k, const std::string& n, const auto& shocks, const auto& delays) {
    for (int j = 0; j < shocks.size(); ++j) {
      const auto& sh = shocks.Get(j);
      q(k + idx(".shocks", j) + ".delta", n + idx(".shocks", j) + ".delta", sh.has_delta(), sh.delta(), fixed(0), -5,
        5);
    }
    for (int j = 0; j < delays.size(); ++j) {
      const auto& d = delays.Get(j);
      q(k + key(".delays", activity_kind_name(d.kind())) + ".months", n + idx(".delays", j) + ".months", d.has_months(),
        d.months(), fixed(0), 0, 120);
    }
  };
  for (int i = 0; i < s.planning_scenarios_size(); ++i) {
    const auto& p = s.planning_scenarios(i);
    events(key("planning_scenarios", p.id()), idx("planning_scenarios", i), p.shocks(), p.delays());
  }
  for (int i = 0; i < s.conditions_for_involvement_size(); ++i) {
    const auto& c = s.conditions_for_involvement(i);
    const std::string k = key("conditions_for_involvement", c.id()), n = idx("conditions_for_involvement", i);
    // Whether it holds: 1 with its probability, else 0 (a probability the validator refuses reads as 1).
    const double p = c.probability() >= 0 && c.probability() <= 1 ? c.probability() : 1;
    visit_one(k + ".holds", n + ".holds", nullptr, p > 0 && p < 1 ? choice({0, 1}, {1 - p, p}) : fixed(p), 0, 1, visit);
    q(k + ".month", n + ".month", c.has_month(), c.month(), fixed(0), 0, kMaxHorizon);
    events(k, n, c.shocks(), c.delays());
  }
}

Distribution to_distribution(const v1::Quantity& q, double lo, double hi) {
  switch (q.kind_case()) {
    case v1::Quantity::kValue:
      return fixed(q.value());
    case v1::Quantity::kUniform:
      return uniform(q.uniform().min(), q.uniform().max());
    case v1::Quantity::kTriangular:
      return triangular(q.triangular().min(), q.triangular().mode(), q.triangular().max());
    case v1::Quantity::kNormal: {
      const auto& n = q.normal();
      return normal(n.mean(), n.sd(), n.has_lower() ? n.lower() : lo, n.has_upper() ? n.upper() : hi);
    }
    case v1::Quantity::kLognormal:
      return lognormal(q.lognormal().median(), q.lognormal().sigma());
    case v1::Quantity::kBeta:
      return beta(q.beta().mean(), q.beta().concentration());
    case v1::Quantity::kChoice:
      return choice({q.choice().values().begin(), q.choice().values().end()},
                    {q.choice().weights().begin(), q.choice().weights().end()});
    case v1::Quantity::KIND_NOT_SET:
      break;
  }
  throw std::invalid_argument("quantity: no value or distribution is set");
}

Measure compile_measure(const Model& model, const v1::Measure& measure) {
  auto find = [](const auto& list, const std::string& id) {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (list[i].id == id) return static_cast<int>(i);
    throw std::logic_error("compile: no driver or actor " + id);
  };
  switch (measure.what_case()) {
    case v1::Measure::kIndicator:
      return {MeasureKind::kIndicator, measure.indicator() - 1};
    case v1::Measure::kDriver:
      return {MeasureKind::kDriver, find(model.drivers, measure.driver())};
    case v1::Measure::kActorPosition:
      return {MeasureKind::kActorPosition, find(model.actors, measure.actor_position())};
    case v1::Measure::kActorStrength:
      return {MeasureKind::kActorStrength, find(model.actors, measure.actor_strength())};
    case v1::Measure::WHAT_NOT_SET:
      break;
  }
  throw std::logic_error("compile: a measure without a member");
}

Model compile(const v1::Scenario& s) {
  Model m;
  m.name = s.name();
  std::map<std::string, int> index;
  std::map<std::string, std::pair<double, double>> range;
  for_each_quantity(s, [&](const QuantityField& f) {
    index[f.id_path] = static_cast<int>(m.quantities.size());
    range[f.id_path] = {f.lo, f.hi};
    m.quantities.push_back(
        {f.id_path, f.declared ? to_distribution(*f.declared, f.lo, f.hi) : f.fallback, -1, f.id_path});
  });
  auto q = [&](const std::string& path) {
    const auto it = index.find(path);
    if (it == index.end()) throw std::logic_error("compile: no quantity " + path);
    return it->second;
  };

  for (int f = 0; f < kSituationFieldCount; ++f)
    m.situation[f] = q(std::string("situation.") + situation_defaults()[f].name);
  m.initial_regime = s.situation().initial_regime() == v1::REGIME_UNSPECIFIED
                         ? models::Regime::kUnstablePeace
                         : static_cast<models::Regime>(s.situation().initial_regime() - 1);
  m.war_ending = s.situation().war_ending() == v1::WAR_ENDING_UNSPECIFIED
                     ? models::WarEnding::kSettlement
                     : static_cast<models::WarEnding>(s.situation().war_ending() - 1);
  for (int f = 0; f < kGenderFieldCount; ++f) m.gender[f] = q(std::string("gender.") + gender_defaults()[f].name);
  for (int f = 0; f < kDynamicsFieldCount; ++f)
    m.dynamics[f] = q(std::string("dynamics.") + dynamics_defaults()[f].name);

  std::map<std::string, int> driver_index, actor_index;
  for (const auto& d : s.drivers()) {
    const std::string k = key("drivers", d.id());
    DriverSpec spec;
    spec.id = d.id();
    spec.name = d.name().empty() ? d.id() : d.name();
    spec.polarity = d.polarity() == v1::POLARITY_PEACE_FACTOR ? -1.0 : 1.0;
    spec.initial = q(k + ".initial");
    spec.baseline = d.has_baseline() ? q(k + ".baseline") : spec.initial;
    spec.reversion = q(k + ".reversion");
    spec.volatility = q(k + ".volatility");
    spec.risk_weight = q(k + ".risk_weight");
    driver_index[d.id()] = static_cast<int>(m.drivers.size());
    m.drivers.push_back(spec);
  }
  for (const auto& e : s.causal_map())
    m.edges.push_back({driver_index.at(e.from()), driver_index.at(e.to()),
                       q(key("causal_map", e.from() + ":" + e.to()) + ".weight")});
  for (const auto& a : s.actors()) {
    const std::string k = key("actors", a.id());
    ActorSpec spec;
    spec.id = a.id();
    spec.name = a.name().empty() ? a.id() : a.name();
    spec.kind = a.kind();
    spec.holds_consent = a.holds_consent();
    spec.position = q(k + ".position");
    spec.salience = q(k + ".salience");
    spec.capability = q(k + ".capability");
    spec.anchoring = q(k + ".anchoring");
    spec.strength = q(k + ".armed_strength");
    spec.volatility = q(k + ".volatility");
    actor_index[a.id()] = static_cast<int>(m.actors.size());
    m.actors.push_back(spec);
  }
  for (const auto& t : s.trust())
    m.trust.push_back(
        {actor_index.at(t.from()), actor_index.at(t.to()), q(key("trust", t.from() + ":" + t.to()) + ".value")});
  for (const auto& c : s.activity_catalogue()) {
    CatalogueEntry& e = m.catalogue[c.kind() - 1];
    const std::string k = key("activity_catalogue", activity_kind_name(c.kind()));
    e.declared = true;
    for (const auto& d : c.driver_effects())
      e.drivers.push_back({driver_index.at(d.driver()), q(k + key(".driver_effects", d.driver()) + ".change")});
    for (const auto& a : c.actor_effects())
      e.actors.push_back({actor_index.at(a.actor()), q(k + key(".actor_effects", a.actor()) + ".change")});
    e.mediation = q(k + ".mediation");
    e.ddr = q(k + ".ddr");
    e.participation = q(k + ".participation");
    e.representation = q(k + ".representation");
    e.gbv = q(k + ".gbv");
    e.risk = q(k + ".risk");
  }
  for (const auto& o : s.options()) {
    const std::string k = key("options", o.id());
    OptionSpec spec;
    spec.id = o.id();
    spec.name = o.name().empty() ? o.id() : o.name();
    spec.aim = o.aim();
    spec.role = o.role();
    spec.troops = q(k + ".resources.troops");
    spec.police = q(k + ".resources.police");
    spec.civilians = q(k + ".resources.civilians");
    spec.observers = q(k + ".resources.observers");
    spec.budget = q(k + ".resources.programme_budget_usd_per_year");
    spec.deployment = q(k + ".resources.deployment_months");
    for (const char* r :
         {"troops", "police", "civilians", "observers", "programme_budget_usd_per_year", "deployment_months"})
      m.quantities[q(k + ".resources." + r)].dimension_key = std::string("options[*].resources.") + r;
    std::array<double, kPersonnelCount> share{1, 1, 1, 1};
    for (const auto& step : o.resources().drawdown()) {
      if (step.has_troops()) share[static_cast<int>(Personnel::kTroops)] = step.troops();
      if (step.has_police()) share[static_cast<int>(Personnel::kPolice)] = step.police();
      if (step.has_observers()) share[static_cast<int>(Personnel::kObservers)] = step.observers();
      if (step.has_civilians()) share[static_cast<int>(Personnel::kCivilians)] = step.civilians();
      spec.drawdown.push_back({step.month(), share});
    }
    if (o.resources().withdrawal_month() > 0) {
      spec.withdrawal_month = o.resources().withdrawal_month();
      std::erase_if(spec.drawdown, [&](const StrengthStep& x) { return x.month >= spec.withdrawal_month; });
      spec.drawdown.push_back({spec.withdrawal_month, {0, 0, 0, 0}});
    }
    std::map<int, int> kind_count;
    spec.protection_of_civilians = o.mandate().protection_of_civilians();
    spec.robust = o.mandate().robust();
    std::map<std::string, int> activity_index;
    for (int j = 0; j < o.activities_size(); ++j) activity_index[o.activities(j).id()] = j;
    for (const auto& a : o.activities()) {
      ActivitySpec act;
      act.id = a.id();
      act.kind = static_cast<ActivityKind>(a.kind() - 1);
      act.lead = a.lead() == v1::COMPONENT_UNSPECIFIED ? Lead::kCivilian : static_cast<Lead>(a.lead() - 1);
      act.start_month = a.start_month();
      act.duration_months = a.duration_months();
      act.intensity = a.intensity() == 0 ? 1.0 : a.intensity();
      act.cost = q(k + key(".activities", a.id()) + ".cost_usd_per_month");
      m.quantities[act.cost].dimension_key = "options[*].activities[" + activity_kind_name(a.kind()) + "#" +
                                             std::to_string(kind_count[a.kind()]++) + "].cost_usd_per_month";
      act.priority = a.priority() == 0 ? 1 : a.priority();
      for (const auto& pred : a.after()) act.after.push_back(activity_index.at(pred));
      spec.activities.push_back(act);
    }
    // Predecessors first (validation has rejected cycles).
    std::vector<int> state(spec.activities.size(), 0);
    std::function<void(int)> visit = [&](int j) {
      if (state[j] == 2) return;
      if (state[j] == 1) throw std::logic_error("compile: sequencing cycle in option " + spec.id);
      state[j] = 1;
      for (int pred : spec.activities[j].after) visit(pred);
      state[j] = 2;
      spec.topological.push_back(j);
    };
    for (int j = 0; j < static_cast<int>(spec.activities.size()); ++j) visit(j);
    // Funding order: priority, then declaration order.
    spec.by_priority.resize(spec.activities.size());
    for (std::size_t j = 0; j < spec.by_priority.size(); ++j) spec.by_priority[j] = static_cast<int>(j);
    std::stable_sort(spec.by_priority.begin(), spec.by_priority.end(),
                     [&](int x, int y) { return spec.activities[x].priority < spec.activities[y].priority; });
    m.options.push_back(std::move(spec));
  }

  // Shocks and delays of a planning scenario or a condition for involvement (at key k).
  auto compile_events = [&](const std::string& k, const auto& shocks, const auto& delays,
                            std::vector<ShockSpec>& shock_specs, std::vector<DelaySpec>& delay_specs) {
    for (int j = 0; j < shocks.size(); ++j) {
      const auto& sh = shocks.Get(j);
      ShockSpec shock;
      shock.month = sh.month();
      shock.duration = sh.duration_months() <= 0 ? 1 : sh.duration_months();
      switch (sh.target_case()) {
        case v1::Shock::kDriver:
          shock.target = ShockTarget::kDriver;
          shock.index = driver_index.at(sh.driver());
          break;
        case v1::Shock::kActor:
          shock.target = ShockTarget::kActor;
          shock.index = actor_index.at(sh.actor());
          break;
        default:
          shock.target = ShockTarget::kRisk;
          break;
      }
      shock.delta = q(k + idx(".shocks", j) + ".delta");
      shock_specs.push_back(shock);
    }
    for (const auto& d : delays)
      delay_specs.push_back(
          {static_cast<ActivityKind>(d.kind() - 1), q(k + key(".delays", activity_kind_name(d.kind())) + ".months")});
  };
  double total_weight = 0;
  for (const auto& p : s.planning_scenarios()) total_weight += p.weight();
  for (const auto& p : s.planning_scenarios()) {
    const std::string k = key("planning_scenarios", p.id());
    PlanningScenarioSpec spec;
    spec.id = p.id();
    spec.name = p.name().empty() ? p.id() : p.name();
    spec.weight = p.weight() / total_weight;
    for (const auto& o : p.overrides()) {
      const int target = q(o.path());
      const auto [lo, hi] = range.at(o.path());
      spec.overrides.push_back({target, to_distribution(o.value(), lo, hi)});
    }
    compile_events(k, p.shocks(), p.delays(), spec.shocks, spec.delays);
    m.planning_scenarios.push_back(std::move(spec));
  }
  for (const auto& c : s.conditions_for_involvement()) {
    const std::string k = key("conditions_for_involvement", c.id());
    ConditionSpec spec;
    spec.id = c.id();
    spec.name = c.name().empty() ? c.id() : c.name();
    spec.holds = q(k + ".holds");
    spec.month = q(k + ".month");
    compile_events(k, c.shocks(), c.delays(), spec.shocks, spec.delays);
    if (c.has_budget_share()) spec.budget_share = c.budget_share();
    if (c.has_force_share()) spec.force_share = c.force_share();
    m.conditions.push_back(std::move(spec));
  }
  if (m.planning_scenarios.empty()) {
    PlanningScenarioSpec base;
    base.id = "base";
    base.name = "Base";
    base.weight = 1;
    m.planning_scenarios.push_back(base);
  }

  double total_criteria = 0;
  for (const auto& c : s.criteria()) total_criteria += c.weight();
  for (const auto& c : s.criteria()) {
    CriterionSpec spec;
    spec.id = c.id();
    spec.name = c.name().empty() ? c.id() : c.name();
    spec.metric = static_cast<Metric>(c.metric() - 1);
    spec.maximise = c.direction() == v1::DIRECTION_MAXIMISE;
    spec.weight = c.weight() / total_criteria;
    spec.raw_weight = c.weight();
    if (c.has_weight_range()) spec.weight_range = std::pair{c.weight_range().min(), c.weight_range().max()};
    spec.worst = c.worst();
    spec.best = c.best();
    if (c.has_satisficing()) spec.satisficing = c.satisficing();
    m.criteria.push_back(spec);
  }
  for (const auto& w : s.weight_sets()) {
    WeightSetSpec set;
    set.id = w.id();
    set.name = w.name().empty() ? w.id() : w.name();
    for (const auto& c : m.criteria) set.raw.push_back(c.raw_weight);
    for (const auto& x : w.weights())
      for (std::size_t c = 0; c < m.criteria.size(); ++c)
        if (m.criteria[c].id == x.criterion()) set.raw[c] = x.weight();
    m.weight_sets.push_back(std::move(set));
  }

  for (const auto& b : s.results_framework()) {
    BenchmarkSpec spec;
    spec.id = b.id();
    spec.name = b.name().empty() ? b.id() : b.name();
    const Measure measure = compile_measure(m, b.measure());
    spec.month = b.month();
    spec.probe = m.probe_index({b.month(), measure});
    if (b.from_start()) spec.start_probe = m.probe_index({0, measure});
    spec.at_most = b.bound() == v1::BOUND_AT_MOST;
    spec.target = b.target();
    spec.responsible = static_cast<Responsible>(b.responsible() - 1);
    m.benchmarks.push_back(std::move(spec));
  }

  // Dimensions: every quantity uncertain in the base or in any planning scenario's override.
  std::vector<bool> uncertain(m.quantities.size(), false);
  for (std::size_t i = 0; i < m.quantities.size(); ++i) uncertain[i] = m.quantities[i].base.uncertain();
  for (const auto& p : m.planning_scenarios)
    for (const auto& [target, dist] : p.overrides) uncertain[target] = uncertain[target] || dist.uncertain();
  std::map<std::string, int> dimension_of;
  for (std::size_t i = 0; i < m.quantities.size(); ++i) {
    if (!uncertain[i]) continue;
    const auto [it, added] = dimension_of.try_emplace(m.quantities[i].dimension_key, m.dimensions);
    if (added) ++m.dimensions;
    m.quantities[i].dimension = it->second;
  }

  const auto& sim = s.simulation();
  if (sim.has_runs()) m.runs = sim.runs();
  if (sim.has_horizon_months()) m.horizon = sim.horizon_months();
  if (sim.has_seed()) m.seed = sim.seed();
  m.baseline = 0;
  for (std::size_t i = 0; i < m.options.size(); ++i)
    if (m.options[i].id == sim.baseline_option()) m.baseline = static_cast<int>(i);
  switch (sim.design()) {
    case v1::SAMPLING_DESIGN_LATIN_HYPERCUBE:
      m.design = Design::kLatinHypercube;
      break;
    case v1::SAMPLING_DESIGN_SOBOL:
      m.design = Design::kSobol;
      break;
    default:
      m.design = Design::kMonteCarlo;
      break;
  }
  return m;
}

}  // namespace peacesim
