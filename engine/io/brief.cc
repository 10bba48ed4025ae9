// Strategy brief; see brief.h.
#include "engine/io/brief.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "engine/factors.h"
#include "engine/io/factor_names.h"
#include "engine/io/results_view.h"
#include "engine/realisation.h"
#include "engine/robustness.h"
#include "engine/sampling.h"

namespace peacesim::io {

const char* lead_name(Lead lead) {
  switch (lead) {
    case Lead::kMilitary:
      return "military";
    case Lead::kPolice:
      return "police";
    case Lead::kCivilian:
      return "civilian";
    case Lead::kUnCountryTeam:
      return "UN country team";
    case Lead::kHostGovernment:
      return "host government";
  }
  return "";
}

std::string kind_name(ActivityKind k) {
  static const char* names[] = {"mediation",
                                "DDR",
                                "SSR",
                                "rule of law",
                                "elections",
                                "protection of civilians",
                                "gender / WPS",
                                "economic recovery",
                                "human rights monitoring",
                                "border monitoring"};
  return names[static_cast<int>(k)];
}

namespace {

// "a", "a and b", "a, b and c".
std::string listing(const std::vector<std::string>& parts) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return s;
}

// When the option `id` draws down and leaves, in a sentence, from its plan in the results: "The
// mission draws down to 50% of troops from month 36; it leaves in month 48, ...". Empty when it
// does neither (or the results carry no plan for it).
std::string drawdown_sentence(const v1::Results& r, const std::string& id) {
  const v1::OptionPlan& plan = option_result(r, id).plan();
  if (plan.drawdown().empty()) return "";
  const int horizon = r.provenance().horizon_months();
  static const char* nouns[] = {"troops", "police", "military observers", "civilian staff"};  // Personnel order
  const std::array<double, kPersonnelCount> authorised = personnel(plan);
  const int leave = plan.has_withdrawal_month() ? plan.withdrawal_month() : -1;  // -1: the mission stays
  std::array<double, kPersonnelCount> before{1, 1, 1, 1};
  std::vector<std::string> steps;
  for (const v1::DrawdownStep& step : plan.drawdown()) {
    if (leave >= 0 && step.month() >= leave) break;  // the withdrawal itself
    const std::array<double, kPersonnelCount> share = personnel(step);
    std::vector<std::string> shares;
    bool down = true, up = true;
    for (int k = 0; k < kPersonnelCount; ++k) {
      if (share[k] == before[k] || !(authorised[k] > 0)) continue;
      shares.push_back(fmt("%.0f", 100 * share[k]) + "% of " + nouns[k]);
      down = down && share[k] < before[k];
      up = up && share[k] > before[k];
    }
    before = share;
    if (shares.empty()) continue;
    const char* verb = down ? "draws down" : up ? "rises" : "changes";
    steps.push_back(verb + (" to " + listing(shares)) + " from month " + std::to_string(step.month()) +
                    (step.month() >= horizon ? " (after the horizon)" : ""));
  }
  std::string s;
  for (std::size_t i = 0; i < steps.size(); ++i) s += (i ? ", then " : "The mission ") + steps[i];
  if (leave < 0) return s.empty() ? s : s + ", and stays to the horizon.";
  s += s.empty() ? "The mission leaves in month " : "; it leaves in month ";
  s += std::to_string(leave);
  if (leave >= horizon) return s + ", after the " + std::to_string(horizon) + "-month horizon.";
  return s +
         ", and its military, police and civilian activities end then (UN country team and host-government "
         "activities go on).";
}

// The value judgements behind the recommendation, in words: the weight intervals over which it
// holds, each stakeholder's choice, and rank acceptability over the declared weights.
BriefSection value_judgements(const v1::Results& r) {
  BriefSection s{"Value judgements", {}, {}};
  if (!r.has_value_judgements()) return s;
  const v1::ValueJudgements& v = r.value_judgements();
  s.paragraphs.push_back(
      "The recommendation is conditional on the value judgements declared in the scenario: "
      "the criteria weights, and the stakeholders' weights where given.");
  std::map<std::string, std::string> name;
  for (const auto& c : r.criteria()) name[c.id()] = c.name().empty() ? c.id() : c.name();
  for (const auto& x : v.stability()) {
    std::string item = name[x.criterion()] + ": weight " + fmt("%.2f", x.weight()) + ", holds from " +
                       fmt("%.2f", x.low()) + " to " + fmt("%.2f", x.high());
    if (!x.below().empty()) item += "; below, " + x.below() + " is preferred";
    if (!x.above().empty()) item += "; above, " + x.above() + " is preferred";
    s.items.push_back(item + ".");
  }
  std::string stakeholders;
  for (const auto& x : v.stakeholders())
    if (x.option_ids_size() > 0) stakeholders += (stakeholders.empty() ? "" : "; ") + x.name() + ": " + x.option_ids(0);
  if (!stakeholders.empty()) s.paragraphs.push_back("Each stakeholder's weights favour: " + stakeholders + ".");
  if (v.has_acceptability() && v.acceptability().options_size() > 0) {
    std::vector<std::pair<double, std::string>> first;
    for (const auto& x : v.acceptability().options())
      if (x.rank_size() > 0) first.push_back({x.rank(0), x.option_id()});
    std::stable_sort(first.begin(), first.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string shares;
    for (std::size_t k = 0; k < std::min<std::size_t>(3, first.size()); ++k)
      shares += (k ? ", " : "") + first[k].second + " " + fmt("%.0f", 100 * first[k].first) + "%";
    s.paragraphs.push_back("Over the stakeholders' weights and all futures, the option that comes first is: " + shares +
                           " of the time (rank acceptability, SMAA-2).");
  }
  s.paragraphs.push_back("The choice rests on how the criteria are weighed. " + v.recommended_option_id() +
                         " has the best expected score while each weight stays in its range (the others "
                         "rescaled in proportion):");
  return s;
}

}  // namespace

// The benchmarks under `option`: "Women 15% of negotiators (mission): at least 0.15 in month 24;
// met in 59% of futures [56%, 62%]".
google::protobuf::RepeatedPtrField<std::string> framework_items(const v1::Results& r, const std::string& option) {
  google::protobuf::RepeatedPtrField<std::string> items;
  for (const auto& status : option_result(r, option).overall().benchmarks()) {
    const v1::Benchmark* b = benchmark_of(r, status.benchmark_id());
    if (b == nullptr) continue;
    std::string item = (b->name().empty() ? b->id() : b->name()) + " (" + responsible_label(b->responsible()) +
                       "): " + target_label(*b) + "; ";
    item += status.evaluated()
                ? "met in " + fmt("%.0f", 100 * status.p_met()) + "% of futures [" +
                      fmt("%.0f", 100 * status.ci95_low()) + "%, " + fmt("%.0f", 100 * status.ci95_high()) + "%]"
                : "beyond the horizon, not evaluated";
    *items.Add() = item;
  }
  return items;
}

std::vector<BriefSection> brief_sections(const v1::Results& r) {
  const v1::StrategyBrief& b = r.brief();
  std::vector<BriefSection> out;
  auto add = [&](const std::string& heading, std::vector<std::string> paragraphs,
                 const google::protobuf::RepeatedPtrField<std::string>& items) {
    if (paragraphs.empty() && items.empty()) return;
    out.push_back({heading, std::move(paragraphs), {items.begin(), items.end()}});
  };
  const google::protobuf::RepeatedPtrField<std::string> none;
  std::vector<std::string> recommended = {b.recommended_name() + " (" + b.recommended_option() + "), UN role " +
                                          role_label(b.role()) + "."};
  if (!b.aim().empty()) recommended.push_back("Aim: " + b.aim());
  add("Recommended option", recommended, none);
  add("Why", {}, b.why());
  if (BriefSection v = value_judgements(r); !v.paragraphs.empty()) out.push_back(std::move(v));
  add("Necessary conditions",
      b.necessary_conditions().empty() ? std::vector<std::string>{"No concentration of failures was found."}
                                       : std::vector<std::string>{},
      b.necessary_conditions());
  std::vector<std::string> resources = {
      grouped(b.troops()) + " troops, " + grouped(b.police()) + " police, " + grouped(b.observers()) +
          " military observers, " + grouped(b.civilians()) + " civilian staff (median planning figures).",
      "Programme budget USD " + grouped(b.programme_budget_usd_per_year() / 1e6) +
          " million a year; full strength after " + fmt("%.0f", b.deployment_months()) + " months; total cost over " +
          std::to_string(r.provenance().horizon_months()) + " months USD " + grouped(b.cost_usd_mean() / 1e6) +
          " million (mean)."};
  add("Conditions for involvement (IMPP)", {}, b.involvement_conditions());
  if (const std::string leaving = drawdown_sentence(r, b.recommended_option()); !leaving.empty())
    resources.push_back(leaving);
  add("Resources and time", resources, b.activities());
  add("Other international players",
      b.other_players().empty() ? std::vector<std::string>{"None declared in the scenario."}
                                : std::vector<std::string>{},
      b.other_players());
  add("Key sensitivities", {}, b.key_sensitivities());
  add("Results framework", {}, framework_items(r, b.recommended_option()));
  if (!b.runner_up().empty()) add("Runner-up", {b.runner_up() + " would be preferred:"}, b.runner_up_preferred_when());
  return out;
}

std::string describe_restriction(const DiscoveryReport& r, const Restriction& x) {
  const std::string& name = r.inputs[x.dimension];
  if (name == "planning_scenario") {
    std::string set;
    for (int p : x.categories) set += (set.empty() ? "" : ", ") + r.planning_scenarios[p];
    return "planning scenario in {" + set + "}";
  }
  if (x.dimension < static_cast<int>(r.factors.size())) {
    // In planners' words: "Splinter faction: fighters at least 3,210 people".
    const Factor& f = r.factors[x.dimension];
    if (!x.categories.empty())  // a condition for involvement: one of its two categories is kept
      return "\"" + f.label + (x.categories[0] == 1 ? "\" is met" : "\" is not met");
    auto value = [&](double v) {
      return (std::fabs(v) >= 1000 ? grouped(v) : fmt("%.3g", v)) + (f.unit.empty() ? "" : " " + f.unit);
    };
    if (std::isinf(x.lower)) return f.label + " at most " + value(x.upper);
    if (std::isinf(x.upper)) return f.label + " at least " + value(x.lower);
    return f.label + " between " + value(x.lower) + " and " + value(x.upper);
  }
  if (std::isinf(x.lower)) return name + " <= " + fmt("%.3g", x.upper);
  if (std::isinf(x.upper)) return name + " >= " + fmt("%.3g", x.lower);
  return name + " in [" + fmt("%.3g", x.lower) + ", " + fmt("%.3g", x.upper) + "]";
}

namespace {

void store(const SensitivityReport& s, v1::SensitivityResult& out) {
  out.set_base(s.base);
  out.set_evaluations(s.evaluations);
  for (const auto& name : s.inputs) out.add_inputs(name);
  for (std::size_t k = 0; k < s.outputs.size(); ++k) {
    v1::SensitivityOutput* o = out.add_outputs();
    o->set_output(s.outputs[k]);
    for (const SobolIndex& x : s.indices[k]) {
      v1::SobolIndexValue* v = o->add_indices();
      v->set_first(x.first);
      v->set_first_low(x.first_low);
      v->set_first_high(x.first_high);
      v->set_total(x.total);
      v->set_total_low(x.total_low);
      v->set_total_high(x.total_high);
    }
  }
}

void store(const PrimBox& box, v1::BoxSummary& out) {
  out.set_coverage(box.coverage);
  out.set_density(box.density);
  out.set_mass(box.mass);
  out.set_restricted(static_cast<int>(box.restrictions.size()));
}

void store(const DiscoveryReport& d, v1::FailureDiscovery& out) {
  out.set_option_id(d.option);
  out.set_failure(d.failure);
  out.set_runs(d.runs);
  out.set_failure_rate(d.failure_rate);
  for (const PrimBox& box : d.trajectory) store(box, *out.add_trajectory());
  out.set_chosen(d.chosen);
  store(d.box, *out.mutable_box());
  for (const Restriction& x : d.box.restrictions) {
    v1::BoxRestriction* r = out.mutable_box()->add_restrictions();
    r->set_input(d.inputs[x.dimension]);
    r->set_lower(x.lower);
    r->set_upper(x.upper);
    for (int c : x.categories) r->add_categories(c);
    r->set_quasi_p(x.quasi_p);
    r->set_stability(d.stability[x.dimension]);
    r->set_description(describe_restriction(d, x));
  }
}

}  // namespace

void add_brief(v1::Results& r, const Model& m, v1::RobustnessMetric rank_by, const DiscoveryReport* discovery,
               const SensitivityReport* sensitivity) {
  if (sensitivity != nullptr) store(*sensitivity, *r.mutable_sensitivity());
  if (discovery != nullptr) store(*discovery, *r.mutable_failure_discovery());
  const v1::RobustnessRanking* ranking = nullptr;
  for (const auto& k : r.robustness())
    if (k.metric() == rank_by) ranking = &k;
  if (ranking == nullptr || ranking->option_ids_size() == 0) return;
  const std::string best = ranking->option_ids(0);
  const std::string second = ranking->option_ids_size() > 1 ? ranking->option_ids(1) : "";
  const v1::OptionResult& o = option_result(r, best);
  const v1::Evaluation& e = o.overall();
  v1::StrategyBrief* b = r.mutable_brief();
  b->set_recommended_option(best);
  b->set_recommended_name(o.option_name());
  b->set_ranked_by(rank_by);
  b->set_role(o.role());
  b->set_aim(o.aim());

  // Why: robustness with intervals.
  b->add_why("Most robust by the '" + metric_label(rank_by) + "' robustness metric among " +
             std::to_string(r.options_size()) + " options, over " + std::to_string(r.provenance().realisations()) +
             " sampled futures.");
  b->add_why(
      "Expected score " + fmt("%.3f", e.score().mean()) + " (95% CI " + fmt("%.3f", e.score().ci95_low()) + "-" +
      fmt("%.3f", e.score().ci95_high()) + "); ranked " + std::to_string(e.bootstrap().rank_low()) +
      (e.bootstrap().rank_high() != e.bootstrap().rank_low() ? "-" + std::to_string(e.bootstrap().rank_high()) : "") +
      " by expected score in the bootstrap.");
  b->add_why("Best in " + fmt("%.0f", 100 * e.p_best()) + "% of futures (bootstrap 95% interval " +
             fmt("%.0f", 100 * e.bootstrap().p_best_low()) + "-" + fmt("%.0f", 100 * e.bootstrap().p_best_high()) +
             "%); in 9 futures out of 10 its regret is at most " + fmt("%.3f", percentile_of(e.regret(), 90)) + ".");
  b->add_why("Probability of relapse to war within " + std::to_string(r.provenance().horizon_months()) +
             " months: " + fmt("%.2f", p_relapse(e)) + ", against " +
             fmt("%.2f", p_relapse(option_result(r, r.baseline_option()).overall())) + " for " + r.baseline_option() +
             ".");
  // In outcome units: what it avoids, per 100 futures, against the runner-up and no mission.
  auto against = [&](const std::string& other) {
    if (other.empty() || other == best) return;
    const v1::Evaluation& x = option_result(r, other).overall();
    const double relapses = 100 * (p_relapse(x) - p_relapse(e));
    const double deaths =
        metric_of(x, v1::METRIC_CIVILIAN_DEATHS).mean() - metric_of(e, v1::METRIC_CIVILIAN_DEATHS).mean();
    const double cost = (metric_of(e, v1::METRIC_COST_USD).mean() - metric_of(x, v1::METRIC_COST_USD).mean()) / 1e6;
    auto fewer = [](double v, const std::string& what, bool tenths) {
      const double a = std::fabs(v);
      return (tenths ? fmt("%.1f", a) : grouped(a)) + (v >= 0 ? " fewer " : " more ") + what;
    };
    b->add_why("Against " + other + ", in 100 futures: " + fewer(relapses, "relapses to war", true) + " and " +
               fewer(100 * deaths, "civilian deaths", false) + " (" + grouped(std::fabs(deaths)) +
               " a future, mean), for USD " + grouped(std::fabs(cost)) + " million " + (cost >= 0 ? "more" : "less") +
               " a future.");
  };
  against(second);
  against(r.baseline_option());
  std::vector<std::string> agree;
  for (const auto& k : r.robustness())
    if (k.option_ids(0) == best) agree.push_back(metric_label(k.metric()));
  std::string list;
  for (const auto& a : agree) list += (list.empty() ? "" : ", ") + a;
  b->add_why("Also first by: " + list + " (" + std::to_string(agree.size()) + " of " +
             std::to_string(r.robustness_size()) + " robustness metrics).");

  // Necessary conditions: the complement of the conditions under which it fails.
  if (discovery != nullptr && !discovery->box.restrictions.empty()) {
    std::string when;
    for (const auto& x : discovery->box.restrictions)
      when += (when.empty() ? "" : " and ") + describe_restriction(*discovery, x);
    b->add_necessary_conditions("It fails mostly when " + when + ": " + fmt("%.0f", 100 * discovery->box.coverage) +
                                "% of its failures (" + discovery->failure + ") happen there, where " +
                                fmt("%.0f", 100 * discovery->box.density) + "% of futures fail.");
    for (const auto& x : discovery->box.restrictions)
      b->add_necessary_conditions("Necessary: not (" + describe_restriction(*discovery, x) + "); quasi-p " +
                                  fmt("%.2g", x.quasi_p) + ", found in " +
                                  fmt("%.0f", 100 * discovery->stability[x.dimension]) + "% of resamples.");
  }

  // Conditions for involvement, as events of the futures.
  if (discovery != nullptr)
    for (const auto& c : discovery->conditions) {
      const double all = static_cast<double>(c.holds + c.fails);
      auto share = [](std::int64_t k, std::int64_t n) {
        return n > 0 ? fmt("%.0f", 100.0 * static_cast<double>(k) / static_cast<double>(n)) + "%" : std::string("-");
      };
      const std::string success = discovery->failure.rfind("relapse", 0) == 0 ? "peace holds" : "it succeeds";
      b->add_involvement_conditions(c.name + ". It holds in " +
                                    fmt("%.0f", 100.0 * static_cast<double>(c.holds) / all) + "% of futures; " +
                                    success + " in " + share(c.success_when_holds, c.holds) + " of those, against " +
                                    share(c.success_when_fails, c.fails) + " of the others.");
    }

  // Resources and time (nominal values), and the activities.
  for (std::size_t k = 0; k < m.options.size(); ++k) {
    const OptionSpec& spec = m.options[k];
    if (spec.id != best) continue;
    auto nom = [&](int q) { return nominal(m.quantities[q].base); };
    b->set_troops(nom(spec.troops));
    b->set_police(nom(spec.police));
    b->set_civilians(nom(spec.civilians));
    b->set_observers(nom(spec.observers));
    b->set_programme_budget_usd_per_year(nom(spec.budget));
    b->set_deployment_months(nom(spec.deployment));
    const std::vector<ActivityWindow> window = schedule(spec, {});
    const int horizon = r.provenance().horizon_months();
    for (std::size_t j = 0; j < spec.activities.size(); ++j) {
      const ActivitySpec& a = spec.activities[j];
      std::string line = kind_name(a.kind) + ": " + lead_name(a.lead) + ", priority " + std::to_string(a.priority);
      if (window[j].start >= horizon) {
        line += ", does not start within the horizon";
      } else {
        line += ", from month " + std::to_string(window[j].start) +
                (window[j].end < horizon ? " to month " + std::to_string(window[j].end) : " to the horizon");
      }
      for (int pred : a.after) line += ", after " + spec.activities[pred].id;
      if (window[j].start != a.start_month) line += " (planned from month " + std::to_string(a.start_month) + ")";
      b->add_activities(line);
    }
  }
  b->set_cost_usd_mean(metric_of(e, v1::METRIC_COST_USD).mean());

  // Other international players: regional states and international actors.
  for (const ActorSpec& a : m.actors) {
    if (a.kind != v1::ACTOR_KIND_REGIONAL_STATE && a.kind != v1::ACTOR_KIND_INTERNATIONAL) continue;
    const double x = nominal(m.quantities[a.position].base);
    b->add_other_players(a.name + " (" +
                         (a.kind == v1::ACTOR_KIND_REGIONAL_STATE ? "regional state" : "international") +
                         "): support for the process " + fmt("%.2f", x) +
                         (x >= 0.6   ? ", a partner to engage on the same aim"
                          : x >= 0.4 ? ", ambivalent: to be brought on board through good offices"
                                     : ", a potential spoiler to contain"));
  }

  // Key sensitivities: what decides between the first two options.
  if (sensitivity != nullptr && !sensitivity->indices.empty()) {
    const auto& idx = sensitivity->indices.back();
    std::vector<std::size_t> order(idx.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t c) { return idx[a].total > idx[c].total; });
    // In planners' words, and model factors (engine constants) marked as model uncertainty.
    const std::map<std::string, std::string> names = factor_names(r.scenario());
    // An index is a finding only when its interval is within +-0.05 and inside [0, 1]; otherwise it
    // is not resolved at this sample size.
    std::string unresolved;
    for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k) {
      const SobolIndex& x = idx[order[k]];
      const Factor f = describe_factor(sensitivity->inputs[order[k]], names);
      const std::string who = (f.kind == FactorKind::kModel ? "Model uncertainty: " : "") + f.label + " (" +
                              factor_kind_name(f.kind) + "; " + sensitivity->inputs[order[k]] + ")";
      const bool resolved = index_resolved(x.total_low, x.total_high);
      if (resolved)
        b->add_key_sensitivities(who + ": total index " + fmt("%.2f", x.total) + " [" + fmt("%.2f", x.total_low) +
                                 ", " + fmt("%.2f", x.total_high) + "] on " + sensitivity->outputs.back());
      else
        unresolved += (unresolved.empty() ? "" : "; ") + who + " [" + fmt("%.2f", x.total_low) + ", " +
                      fmt("%.2f", x.total_high) + "]";
    }
    if (!unresolved.empty())
      b->add_key_sensitivities("Not resolved at " + std::to_string(sensitivity->base) +
                               " base points (total-index intervals wider than +-0.05 or outside [0, 1]) on " +
                               sensitivity->outputs.back() + ": " + unresolved +
                               ". Rerun 'peacesim sensitivity --base 2048' before relying on them.");
  }

  // The runner-up and when it would be preferred.
  if (!second.empty()) {
    b->set_runner_up(second);
    std::string metrics;
    for (const auto& k : r.robustness())
      if (k.option_ids(0) == second) metrics += (metrics.empty() ? "" : ", ") + metric_label(k.metric());
    if (!metrics.empty()) b->add_runner_up_preferred_when("by the robustness metrics " + metrics);
    const v1::OptionResult& ru = option_result(r, second);
    for (int p = 0;
         r.planning_scenarios_size() > 1 && p < o.by_planning_scenario_size() && p < ru.by_planning_scenario_size();
         ++p) {
      const double a = o.by_planning_scenario(p).score().mean(), c = ru.by_planning_scenario(p).score().mean();
      if (c > a)
        b->add_runner_up_preferred_when("in the planning scenario " + o.by_planning_scenario(p).planning_scenario_id() +
                                        " (expected score " + fmt("%.3f", c) + " against " + fmt("%.3f", a) + ")");
    }
    if (b->runner_up_preferred_when_size() == 0)
      b->add_runner_up_preferred_when("under none of the metrics or planning scenarios analysed");
  }
}

}  // namespace peacesim::io
