// Realisations: sampling designs, parameter construction, noise; see realisation.h.
#include "engine/realisation.h"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <stdexcept>

#include "engine/rng.h"

namespace peacesim {

struct Sampler::SobolPrototype {
  explicit SobolPrototype(std::size_t dims) : engine(dims) {}
  boost::random::sobol engine;
};

std::uint64_t permute(std::uint64_t i, std::uint64_t n, std::uint64_t seed, std::uint32_t key) {
  if (n <= 1) return 0;
  int bits = 2;
  while ((std::uint64_t{1} << bits) < n) bits += 2;
  const int half = bits / 2;
  const std::uint64_t mask = (std::uint64_t{1} << half) - 1;
  std::uint64_t x = i;
  do {
    std::uint64_t left = x >> half, right = x & mask;
    for (std::uint32_t round = 0; round < 4; ++round) {
      const RandomStream f(seed, right, Stream::kDesign, key & 0xffffu);
      const std::uint64_t next = left ^ (f.bits(static_cast<std::uint64_t>(key >> 16) << 2 | round) & mask);
      left = right;
      right = next;
    }
    x = (left << half) | right;
  } while (x >= n);
  return x;
}

Sampler::Sampler(const Model& model, std::uint64_t seed, std::int64_t runs) : model_(model), seed_(seed), runs_(runs) {
  allocation_offset_ = RandomStream(seed, 0, Stream::kAllocation, 0).uniform(0);
  if (model.design == Design::kSobol && model.dimensions > 0) {
    if (model.dimensions > BOOST_RANDOM_SOBOL_MAX_DIMENSION)
      throw std::invalid_argument("the Sobol' design supports at most " +
                                  std::to_string(BOOST_RANDOM_SOBOL_MAX_DIMENSION) + " uncertain quantities");
    sobol_ = std::make_unique<SobolPrototype>(static_cast<std::size_t>(model.dimensions));
    const RandomStream shift(seed, 0, Stream::kDesign, 0xffffu);
    for (int d = 0; d < model.dimensions; ++d) sobol_shift_.push_back(shift.bits(d));
  }
}

Sampler::~Sampler() = default;

int Sampler::planning_scenario(std::int64_t i) const {
  constexpr double kInverseGolden = 0.61803398874989484820;
  double v = allocation_offset_ + static_cast<double>(i % 1000000007) * kInverseGolden;
  v -= std::floor(v);
  return planning_scenario_of(model_, v);
}

void Sampler::uniforms(std::int64_t i, std::vector<double>& u) const {
  const int dims = model_.dimensions;
  u.resize(dims);
  const auto index = static_cast<std::uint64_t>(i);
  switch (model_.design) {
    case Design::kMonteCarlo: {
      const RandomStream r(seed_, index, Stream::kParameters, 0);
      for (int d = 0; d < dims; ++d) u[d] = r.uniform(d);
      return;
    }
    case Design::kLatinHypercube: {
      const RandomStream r(seed_, index, Stream::kParameters, 0);
      const auto n = static_cast<std::uint64_t>(runs_);
      for (int d = 0; d < dims; ++d) {
        const std::uint64_t stratum = permute(index % n, n, seed_, static_cast<std::uint32_t>(d));
        u[d] = (static_cast<double>(stratum) + r.uniform(d)) / static_cast<double>(n);
      }
      return;
    }
    case Design::kSobol: {
      if (dims == 0) return;
      // Realisation i is Sobol' point i, counting the origin as point 0 (Boost's generator starts
      // at point 1), so that every prefix of 2^k realisations is a (t, k, s)-net.
      boost::random::sobol engine = sobol_->engine;
      if (index > 0) engine.discard((index - 1) * static_cast<std::uint64_t>(dims));
      // Cranley-Patterson rotation modulo 1, done exactly on the 64-bit fixed-point value.
      for (int d = 0; d < dims; ++d) {
        const std::uint64_t x = (index > 0 ? engine() : 0) + sobol_shift_[d];
        u[d] = (static_cast<double>(x >> 12) + 0.5) * 0x1.0p-52;
      }
      return;
    }
  }
}

void Sampler::draw(std::int64_t i, int p, std::vector<double>& theta) const {
  thread_local std::vector<double> u;
  uniforms(i, u);
  draw_from(model_, u, p, theta);
}

int planning_scenario_of(const Model& model, double v) {
  const auto& ps = model.planning_scenarios;
  double run = 0;
  for (std::size_t p = 0; p + 1 < ps.size(); ++p) {
    run += ps[p].weight;
    if (v < run) return static_cast<int>(p);
  }
  return static_cast<int>(ps.size()) - 1;
}

void draw_from(const Model& model_, const std::vector<double>& u, int p, std::vector<double>& theta) {
  const auto& qs = model_.quantities;
  theta.resize(qs.size());
  for (std::size_t q = 0; q < qs.size(); ++q)
    theta[q] = qs[q].dimension < 0 ? qs[q].base.a : quantile(qs[q].base, u[qs[q].dimension]);
  for (const auto& [q, dist] : model_.planning_scenarios[p].overrides)
    theta[q] = qs[q].dimension < 0 ? dist.a : quantile(dist, u[qs[q].dimension]);
}

AnalysisInputs analysis_inputs(const Model& model) {
  AnalysisInputs in;
  in.names.assign(model.dimensions, "");
  in.quantity.assign(model.dimensions, -1);
  for (std::size_t q = 0; q < model.quantities.size(); ++q) {
    const int dim = model.quantities[q].dimension;
    if (dim >= 0 && in.quantity[dim] < 0) {
      in.quantity[dim] = static_cast<int>(q);
      in.names[dim] = model.quantities[q].dimension_key;
    }
  }
  in.planning_scenario = model.planning_scenarios.size() > 1;
  if (in.planning_scenario) in.names.push_back("planning_scenario");
  return in;
}

void input_row(const AnalysisInputs& in, const std::vector<double>& theta, int planning_scenario, double* row) {
  for (std::size_t k = 0; k < in.quantity.size(); ++k) row[k] = theta[in.quantity[k]];
  if (in.planning_scenario) row[in.quantity.size()] = planning_scenario;
}

std::vector<ActivityWindow> schedule(const OptionSpec& spec, const std::array<int, kActivityKindCount>& delay) {
  std::vector<ActivityWindow> w(spec.activities.size());
  for (int j : spec.topological) {
    const ActivitySpec& a = spec.activities[j];
    int s0 = a.start_month + delay[static_cast<int>(a.kind)];
    for (int pred : a.after) s0 = std::max(s0, w[pred].end);
    w[j].start = std::min(s0, ActivityWindow::kNever);
    w[j].end = a.duration_months > 0 && w[j].start < ActivityWindow::kNever ? w[j].start + a.duration_months
                                                                            : ActivityWindow::kNever;
    // A mission that leaves takes its components' activities with it.
    const bool mission = a.lead == Lead::kMilitary || a.lead == Lead::kPolice || a.lead == Lead::kCivilian;
    if (mission && spec.withdrawal_month >= 0) w[j].end = std::min(w[j].end, spec.withdrawal_month);
  }
  return w;
}

void build_realisation(const Model& m, const std::vector<double>& theta, int p, int horizon, RealisationParams& r) {
  auto v = [&](int q) { return theta[q]; };
  r.horizon = horizon;
  r.probes = &m.probes;

  auto& pr = r.profile;
  const auto& s = m.situation;
  pr.population_millions = v(s[0]);
  pr.gdp_per_capita_usd = v(s[1]);
  pr.state_capacity = v(s[2]);
  pr.infant_mortality_per_1000 = v(s[3]);
  pr.war_years = v(s[4]);
  pr.battle_deaths_last_year = v(s[5]);
  pr.neighbours_at_war = v(s[6]);
  pr.mountainous_share = v(s[7]);
  pr.resource_dependence = v(s[8]);
  pr.initial_displaced = v(s[9]);
  pr.months_since_agreement = v(s[10]);
  pr.earlier_war_years = v(s[11]);
  pr.initial_regime = m.initial_regime;
  pr.war_ending = m.war_ending;

  auto dyn = [&](DynamicsField f) { return v(m.dynamics[static_cast<int>(f)]); };
  const int nd = static_cast<int>(m.drivers.size());
  auto& dp = r.drivers;
  dp.initial.resize(nd);
  dp.baseline.resize(nd);
  dp.reversion.resize(nd);
  dp.volatility.resize(nd);
  dp.risk_weight.resize(nd);
  dp.polarity.resize(nd);
  for (int k = 0; k < nd; ++k) {
    const auto& d = m.drivers[k];
    dp.initial[k] = v(d.initial);
    dp.baseline[k] = v(d.baseline);
    dp.reversion[k] = v(d.reversion);
    dp.volatility[k] = v(d.volatility);
    dp.risk_weight[k] = v(d.risk_weight);
    dp.polarity[k] = d.polarity;
  }
  dp.edges.clear();
  for (const auto& e : m.edges) dp.edges.push_back({e.from, e.to, v(e.weight)});
  dp.hysteresis = dyn(DynamicsField::kHysteresis);

  const int na = static_cast<int>(m.actors.size());
  auto& ap = r.actors;
  ap.initial.resize(na);
  ap.salience.resize(na);
  ap.capability.resize(na);
  ap.anchoring.resize(na);
  ap.strength.resize(na);
  ap.volatility.resize(na);
  ap.consent_holders.clear();
  ap.regional_states.clear();
  for (int a = 0; a < na; ++a) {
    const auto& x = m.actors[a];
    ap.initial[a] = v(x.position);
    ap.salience[a] = v(x.salience);
    ap.capability[a] = v(x.capability);
    ap.anchoring[a] = v(x.anchoring);
    ap.strength[a] = v(x.strength);
    ap.volatility[a] = v(x.volatility);
    if (x.holds_consent) ap.consent_holders.push_back(a);
    if (x.kind == kActorKindRegionalState) ap.regional_states.push_back(a);
  }
  Eigen::MatrixXd trust = Eigen::MatrixXd::Ones(na, na);
  for (const auto& t : m.trust) trust(t.from, t.to) = v(t.value);
  ap.influence = models::influence_matrix(trust, ap.capability, ap.salience);
  ap.power = ap.capability.cwiseProduct(ap.salience);
  ap.pair_weight = models::pair_weight(ap.capability);
  ap.consent_threshold = dyn(DynamicsField::kConsentThreshold);
  ap.consent_decay = dyn(DynamicsField::kConsentDecay);
  ap.attrition_war = dyn(DynamicsField::kAttritionWar);
  ap.attrition_peace = dyn(DynamicsField::kAttritionPeace);
  ap.recruitment = dyn(DynamicsField::kRecruitment);

  auto gen = [&](GenderField f) { return v(m.gender[static_cast<int>(f)]); };
  auto& gp = r.gender;
  gp.participation0 = gen(GenderField::kParticipation);
  gp.representation0 = gen(GenderField::kRepresentation);
  gp.gbv0 = gen(GenderField::kGbv);
  gp.inequality = gen(GenderField::kInequality);
  gp.female_share_deaths = gen(GenderField::kFemaleShareDeaths);
  gp.female_share_displaced = gen(GenderField::kFemaleShareDisplaced);
  gp.participation_reversion = gen(GenderField::kParticipationReversion);
  gp.gbv_from_violence = gen(GenderField::kGbvFromViolence);
  gp.gbv_recovery = gen(GenderField::kGbvRecovery);
  gp.death_share_per_gbv = gen(GenderField::kDeathSharePerGbv);
  gp.death_share_per_displaced = gen(GenderField::kDeathSharePerDisplaced);
  gp.displaced_share_per_gbv = gen(GenderField::kDisplacedSharePerGbv);
  gp.displaced_share_at_war = gen(GenderField::kDisplacedShareAtWar);

  auto& yp = r.dynamics;
  yp.base_risk = dyn(DynamicsField::kBaseRisk);
  yp.structural_risk = dyn(DynamicsField::kStructuralScale) * models::structural_log_odds(pr);
  yp.polarisation_weight = dyn(DynamicsField::kPolarisationWeight);
  yp.spoiler_weight = dyn(DynamicsField::kSpoilerWeight);
  yp.gbv_weight = dyn(DynamicsField::kGbvWeight);
  yp.participation_weight = dyn(DynamicsField::kParticipationWeight);
  yp.inequality_weight = dyn(DynamicsField::kInequalityWeight);
  yp.war_trap = dyn(DynamicsField::kWarTrap);
  yp.war_exhaustion = dyn(DynamicsField::kWarExhaustion);
  yp.war_history_weight = dyn(DynamicsField::kWarHistoryWeight);
  yp.war_history_retention = std::pow(0.5, 1 / (12 * dyn(DynamicsField::kWarHistoryHalfLife)));
  yp.duration_dependence = dyn(DynamicsField::kDurationDependence);
  yp.troop_deterrence = dyn(DynamicsField::kTroopDeterrence);
  yp.police_deterrence = dyn(DynamicsField::kPoliceDeterrence);
  yp.observer_deterrence = dyn(DynamicsField::kObserverDeterrence);
  yp.spoiler_coercion = dyn(DynamicsField::kSpoilerCoercion);
  yp.robust_multiplier = dyn(DynamicsField::kRobustMultiplier);
  yp.persistence = dyn(DynamicsField::kPersistence);
  yp.noise = dyn(DynamicsField::kNoise);
  yp.threshold_unstable = dyn(DynamicsField::kThresholdUnstable);
  yp.threshold_crisis = dyn(DynamicsField::kThresholdCrisis);
  yp.threshold_war = dyn(DynamicsField::kThresholdWar);
  yp.battle_deaths_crisis = dyn(DynamicsField::kBattleDeathsCrisis);
  yp.battle_deaths_war = dyn(DynamicsField::kBattleDeathsWar);
  yp.battle_deaths_sigma = dyn(DynamicsField::kBattleDeathsSigma);
  yp.civilian_ratio = dyn(DynamicsField::kCivilianRatio);
  yp.poc_effect = dyn(DynamicsField::kPocEffect);
  yp.troop_battle_effect = dyn(DynamicsField::kTroopBattleEffect);
  yp.displaced_per_death = dyn(DynamicsField::kDisplacedPerDeath);
  yp.return_rate = dyn(DynamicsField::kReturnRate);
  yp.population = pr.population_millions * 1e6;
  yp.harm_scale = std::pow(pr.population_millions / 10, dyn(DynamicsField::kHarmPopulationElasticity));
  r.bargaining_pull = dyn(DynamicsField::kBargainingPull);
  r.effect_without_guarantee = dyn(DynamicsField::kEffectWithoutGuarantee);
  r.troop_cost = dyn(DynamicsField::kTroopCost);
  r.police_cost = dyn(DynamicsField::kPoliceCost);
  r.civilian_cost = dyn(DynamicsField::kCivilianCost);

  for (int k = 0; k < kActivityKindCount; ++k) {
    const CatalogueEntry& c = m.catalogue[k];
    ActivityEffect& e = r.effects[k];
    e.drivers.clear();
    e.actors.clear();
    e = ActivityEffect{std::move(e.drivers), std::move(e.actors)};  // all else reset; storage kept
    if (!c.declared) continue;
    for (const auto& [d, q] : c.drivers) e.drivers.push_back({d, v(q)});
    for (const auto& [a, q] : c.actors) e.actors.push_back({a, v(q)});
    e.mediation = v(c.mediation);
    e.ddr = v(c.ddr);
    e.participation = v(c.participation);
    e.representation = v(c.representation);
    e.gbv = v(c.gbv);
    e.risk = v(c.risk);
  }

  // The planning scenario's events, and those of each condition for involvement not met here.
  const PlanningScenarioSpec& ps = m.planning_scenarios[p];
  std::array<int, kActivityKindCount> delay{};
  double budget_share = 1, force_share = 1;
  r.shocks.clear();
  auto add_events = [&](const std::vector<ShockSpec>& shocks, const std::vector<DelaySpec>& delays, int from) {
    for (const auto& d : delays) delay[static_cast<int>(d.kind)] += static_cast<int>(std::lround(v(d.months)));
    for (const auto& sh : shocks)
      r.shocks.push_back({from + sh.month, from + sh.month + sh.duration, sh.target, sh.index, v(sh.delta)});
  };
  add_events(ps.shocks, ps.delays, 0);
  for (const ConditionSpec& c : m.conditions) {
    if (v(c.holds) >= 0.5) continue;
    add_events(c.shocks, c.delays, static_cast<int>(std::lround(v(c.month))));
    budget_share *= c.budget_share;
    force_share *= c.force_share;
  }

  r.options.resize(m.options.size());
  for (std::size_t o = 0; o < m.options.size(); ++o) {
    const OptionSpec& spec = m.options[o];
    OptionPlan& plan = r.options[o];
    plan.troops = v(spec.troops) * force_share;
    plan.police = v(spec.police) * force_share;
    plan.civilians = v(spec.civilians);
    plan.observers = v(spec.observers);
    plan.budget_per_month = v(spec.budget) * budget_share / 12.0;
    plan.deployment_months = v(spec.deployment);
    plan.protection_of_civilians = spec.protection_of_civilians;
    plan.robust = spec.robust;
    plan.drawdown = &spec.drawdown;
    const std::vector<ActivityWindow> window = schedule(spec, delay);
    plan.activities.clear();
    for (int j : spec.by_priority) {
      const ActivitySpec& a = spec.activities[j];
      plan.activities.push_back(
          {a.kind, a.lead, window[j].start, std::min(window[j].end, horizon), a.intensity, v(a.cost)});
    }
  }
}

std::array<double, kPersonnelCount> strength_share(const std::vector<StrengthStep>& steps, int k) {
  std::array<double, kPersonnelCount> share{1, 1, 1, 1};
  for (const StrengthStep& step : steps) {
    if (step.month > k) break;
    share = step.share;
  }
  return share;
}

void draw_noise(const Model& m, std::uint64_t seed, std::int64_t realisation, int horizon, Noise& out) {
  const int nd = static_cast<int>(m.drivers.size()), na = static_cast<int>(m.actors.size());
  out.drivers = nd;
  out.actors = na;
  out.driver.resize(static_cast<std::size_t>(horizon) * nd);
  out.actor.resize(static_cast<std::size_t>(horizon) * na);
  out.dynamics.resize(static_cast<std::size_t>(horizon) * 2);
  for (int k = 0; k < horizon; ++k)
    draw_month_noise(seed, realisation, k, nd, na, &out.driver[static_cast<std::size_t>(k) * nd],
                     &out.actor[static_cast<std::size_t>(k) * na], &out.dynamics[2 * static_cast<std::size_t>(k)]);
}

void draw_month_noise(std::uint64_t seed, std::int64_t realisation, int k, int drivers, int actors, double* driver,
                      double* actor, double* dynamics) {
  const auto i = static_cast<std::uint64_t>(realisation);
  const auto month = static_cast<std::uint32_t>(k + 1);
  // RandomStream::normal of each index, the uniforms first, then their quantiles together.
  const RandomStream d(seed, i, Stream::kDrivers, month);
  for (int j = 0; j < drivers; ++j) driver[j] = d.uniform(j);
  normal_quantiles(driver, drivers);
  const RandomStream a(seed, i, Stream::kActors, month);
  for (int j = 0; j < actors; ++j) actor[j] = a.uniform(j);
  normal_quantiles(actor, actors);
  const RandomStream y(seed, i, Stream::kDynamics, month);
  dynamics[0] = y.uniform(0);
  dynamics[1] = y.uniform(1);
  normal_quantiles(dynamics, 2);
}

}  // namespace peacesim
