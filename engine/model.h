// The compiled model: an immutable, protobuf-free description of a validated scenario, shared by
// all threads. Every uncertain number is an index into the quantity table; a realisation draws
// the whole table once (see realisation.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/sampling.h"
#include "models/situation.h"

namespace peacesim {

// Outcome metrics, in the order of peacesim.v1.Metric (value = index + 1).
enum class Metric {
  kRelapse = 0,
  kMonthsInWar,
  kBattleDeaths,
  kCivilianDeaths,
  kCivilianDeathsFemale,
  kDisplacedPeak,
  kDisplacedPeakFemale,
  kWomenParticipation,
  kWomenRepresentation,
  kGbvMean,
  kCostUsd,
  kStablePeaceAtHorizon,
  kMonthsToStablePeace,
};
inline constexpr int kMetricCount = 13;

// Monthly indicators for fan charts, in the order of peacesim.v1.Indicator (value = index + 1).
enum class Indicator {
  kBattleDeaths = 0,
  kCivilianDeaths,
  kCivilianDeathsFemale,
  kDisplaced,
  kDisplacedFemale,
  kConflictIntensity,
  kWomenParticipation,
  kWomenRepresentation,
  kGbv,
  kArmedStrength,
};
inline constexpr int kIndicatorCount = 10;

// Activity kinds, in the order of peacesim.v1.ActivityKind (value = index + 1).
inline constexpr int kActivityKindCount = 10;
enum class ActivityKind {
  kMediation = 0,
  kDdr,
  kSsr,
  kRuleOfLaw,
  kElections,
  kProtectionOfCivilians,
  kGenderWps,
  kEconomicRecovery,
  kHumanRightsMonitoring,
  kBorderMonitoring
};

enum class Lead { kMilitary = 0, kPolice, kCivilian, kUnCountryTeam, kHostGovernment };

enum class Design { kMonteCarlo = 0, kLatinHypercube, kSobol };

// Every field of the dynamics model that takes a quantity, in the order of peacesim.v1.Dynamics.
enum class DynamicsField {
  kBaseRisk = 0,
  kStructuralScale,
  kPolarisationWeight,
  kSpoilerWeight,
  kGbvWeight,
  kParticipationWeight,
  kInequalityWeight,
  kWarTrap,
  kDurationDependence,
  kTroopDeterrence,
  kPoliceDeterrence,
  kRobustMultiplier,
  kPersistence,
  kNoise,
  kThresholdUnstable,
  kThresholdCrisis,
  kThresholdWar,
  kBattleDeathsCrisis,
  kBattleDeathsWar,
  kBattleDeathsSigma,
  kCivilianRatio,
  kPocEffect,
  kTroopBattleEffect,
  kDisplacedPerDeath,
  kReturnRate,
  kConsentThreshold,
  kConsentDecay,
  kHysteresis,
  kAttritionWar,
  kAttritionPeace,
  kRecruitment,
  kTroopCost,
  kPoliceCost,
  kCivilianCost,
  kBargainingPull,
  kObserverDeterrence,
  kWarExhaustion,
  kWarHistoryWeight,
  kWarHistoryHalfLife,
  kHarmPopulationElasticity,
  kSpoilerCoercion,
  kEffectWithoutGuarantee,
};
inline constexpr int kDynamicsFieldCount = 42;

enum class SituationField {
  kPopulation = 0,
  kGdpPerCapita,
  kStateCapacity,
  kInfantMortality,
  kWarYears,
  kBattleDeathsLastYear,
  kNeighboursAtWar,
  kMountainousShare,
  kResourceDependence,
  kInitialDisplaced,
  kMonthsSinceAgreement,
  kEarlierWarYears,
};
inline constexpr int kSituationFieldCount = 12;

enum class GenderField {
  kParticipation = 0,
  kRepresentation,
  kGbv,
  kInequality,
  kFemaleShareDeaths,
  kFemaleShareDisplaced,
  kParticipationReversion,
  kGbvFromViolence,
  kGbvRecovery,
  kDeathSharePerGbv,
  kDeathSharePerDisplaced,
  kDisplacedSharePerGbv,
  kDisplacedShareAtWar,
};
inline constexpr int kGenderFieldCount = 13;

struct QuantitySpec {
  std::string path;    // e.g. "drivers[land_grievance].reversion"
  Distribution base;   // as declared (or the engine default)
  int dimension = -1;  // index among uncertain quantities, -1 when fixed in every planning scenario
  // Quantities with the same key share a dimension (and so the same uniform in a realisation).
  // Options' quantities are keyed by their role, not by the option ("options[*].resources.troops",
  // "options[*].activities[DDR#0].cost_usd_per_month"), so that every option of a realisation
  // sees the same draw for the same kind of uncertainty: common random numbers across options.
  std::string dimension_key;
};

struct DriverSpec {
  std::string id, name;
  double polarity = 1;
  int initial = 0, baseline = 0, reversion = 0, volatility = 0, risk_weight = 0;
};

struct EdgeSpec {
  int from = 0, to = 0, weight = 0;
};

inline constexpr int kActorKindRegionalState = 6;  // peacesim.v1.ACTOR_KIND_REGIONAL_STATE

struct ActorSpec {
  std::string id, name;
  int kind = 0;  // peacesim.v1.ActorKind value (kActorKindRegionalState, ...)
  bool holds_consent = false;
  int position = 0, salience = 0, capability = 0, anchoring = 0, strength = 0, volatility = 0;
};

struct TrustSpec {
  int from = 0, to = 0, value = 0;
};

struct CatalogueEntry {
  bool declared = false;
  std::vector<std::pair<int, int>> drivers;  // (driver, quantity)
  std::vector<std::pair<int, int>> actors;   // (actor, quantity)
  int mediation = -1, ddr = -1, participation = -1, representation = -1, gbv = -1, risk = -1;
};

struct ActivitySpec {
  std::string id;
  ActivityKind kind = ActivityKind::kMediation;
  Lead lead = Lead::kCivilian;
  int start_month = 0;
  int duration_months = 0;  // 0 = until the horizon
  double intensity = 1;
  int cost = 0;  // quantity, US dollars per month
  int priority = 1;
  std::vector<int> after;  // indices of activities of the same option
};

// Personnel, in the order of a drawdown step's shares.
enum class Personnel { kTroops = 0, kPolice, kObservers, kCivilians };
inline constexpr int kPersonnelCount = 4;

// From `month` (an index) on, each component runs at `share` of its authorised strength.
struct StrengthStep {
  int month = 0;
  std::array<double, kPersonnelCount> share{1, 1, 1, 1};
};

struct OptionSpec {
  std::string id, name, aim;
  int role = 0;  // peacesim.v1.UnRole value
  int troops = 0, police = 0, civilians = 0, observers = 0, budget = 0, deployment = 0;
  // Drawdown: every share resolved (carried forward from the step before); increasing months. The
  // withdrawal month, when set, is the last step, with every share 0.
  std::vector<StrengthStep> drawdown;
  int withdrawal_month = -1;  // month index the mission leaves; -1 = it stays
  bool protection_of_civilians = false, robust = false;
  std::vector<ActivitySpec> activities;
  std::vector<int> topological;  // activity indices, predecessors first
  std::vector<int> by_priority;  // activity indices in funding order: priority, then declaration
};

enum class ShockTarget { kDriver = 0, kActor, kRisk };

struct ShockSpec {
  int month = 0, duration = 1;
  ShockTarget target = ShockTarget::kRisk;
  int index = 0;  // driver or actor
  int delta = 0;  // quantity
};

struct DelaySpec {
  ActivityKind kind = ActivityKind::kMediation;
  int months = 0;  // quantity
};

struct PlanningScenarioSpec {
  std::string id, name;
  double weight = 1;  // normalised
  std::vector<std::pair<int, Distribution>> overrides;
  std::vector<ShockSpec> shocks;
  std::vector<DelaySpec> delays;
};

// A condition for involvement (IMPP) a future may not meet; its consequences apply where the
// quantity `holds` is below 0.5 (it is 0 or 1 as drawn).
struct ConditionSpec {
  std::string id, name;
  int holds = 0;  // quantity
  int month = 0;  // quantity: the month it fails, where it does not hold; the shocks count from it
  std::vector<ShockSpec> shocks;
  std::vector<DelaySpec> delays;
  double budget_share = 1, force_share = 1;
};

struct CriterionSpec {
  std::string id, name;
  Metric metric = Metric::kRelapse;
  bool maximise = false;
  double weight = 1;                                      // normalised
  double raw_weight = 1;                                  // as declared
  std::optional<std::pair<double, double>> weight_range;  // declared uncertain: [min, max], raw scale
  double worst = 1, best = 0;
  std::optional<double> satisficing;
};

// What a benchmark or an observation measures in a month (peacesim.v1.Measure).
enum class MeasureKind { kIndicator = 0, kDriver, kActorPosition, kActorStrength };
struct Measure {
  MeasureKind kind = MeasureKind::kIndicator;
  int index = 0;  // Indicator, driver or actor
};

// Who is responsible for a benchmark, in the order of peacesim.v1.Responsible (value = index + 1).
enum class Responsible { kMission = 0, kUnCountryTeam, kHostGovernment, kPartners };

// A measure read in one month of every simulated future: at the start (month 0) or at the end of
// simulated month `month`.
struct Probe {
  int month = 0;
  Measure measure;
  bool operator==(const Probe& o) const {
    return month == o.month && measure.kind == o.measure.kind && measure.index == o.measure.index;
  }
};

// A benchmark of the results framework: the value of probe `probe` (simulated month `month`) is at
// most (`at_most`) or at least `target`; with a `start_probe` (the same measure in month 0), its
// change since month 0 is.
struct BenchmarkSpec {
  std::string id, name;
  int month = 1;
  int probe = 0;
  int start_probe = -1;
  bool at_most = true;
  double target = 0;
  Responsible responsible = Responsible::kMission;
};

// A stakeholder's weights of the criteria, on the declared (raw) scale; a criterion it does not
// list keeps its own weight.
struct WeightSetSpec {
  std::string id, name;
  std::vector<double> raw;  // per criterion
};

struct Model {
  std::string name;
  std::vector<QuantitySpec> quantities;
  int dimensions = 0;

  std::array<int, kSituationFieldCount> situation{};
  models::Regime initial_regime = models::Regime::kUnstablePeace;
  models::WarEnding war_ending = models::WarEnding::kSettlement;
  std::vector<DriverSpec> drivers;
  std::vector<EdgeSpec> edges;
  std::vector<ActorSpec> actors;
  std::vector<TrustSpec> trust;
  std::array<int, kGenderFieldCount> gender{};
  std::array<int, kDynamicsFieldCount> dynamics{};
  std::array<CatalogueEntry, kActivityKindCount> catalogue;
  std::vector<OptionSpec> options;
  std::vector<PlanningScenarioSpec> planning_scenarios;  // at least one
  std::vector<ConditionSpec> conditions;                 // conditions for involvement
  std::vector<CriterionSpec> criteria;
  std::vector<WeightSetSpec> weight_sets;
  std::vector<BenchmarkSpec> benchmarks;  // the results framework, at most kMaxBenchmarks
  std::vector<Probe> probes;              // what the benchmarks (and an assessment) read, each once

  // The index of `probe` in `probes`, adding it when it is not there yet.
  int probe_index(const Probe& probe) {
    for (std::size_t i = 0; i < probes.size(); ++i)
      if (probes[i] == probe) return static_cast<int>(i);
    probes.push_back(probe);
    return static_cast<int>(probes.size()) - 1;
  }

  // Whether the weights are declared uncertain (stakeholder sets or weight ranges).
  bool weights_uncertain() const {
    if (!weight_sets.empty()) return true;
    for (const auto& c : criteria)
      if (c.weight_range) return true;
    return false;
  }

  // The scenario's run settings, as declared (or their defaults). A command resolves its own
  // settings over these once (pipeline.cc); the compiled Model is never changed.
  std::int64_t runs = 10000;
  int horizon = 60;
  std::uint64_t seed = 1;
  int baseline = 0;  // option index
  Design design = Design::kMonteCarlo;
};

// Documented limits, enforced by validation.
inline constexpr std::int64_t kMaxRuns = 1000000000;
inline constexpr int kMaxHorizon = 600;
inline constexpr int kMaxOptions = 64;
inline constexpr int kMaxDrivers = 256;
inline constexpr int kMaxActors = 256;
inline constexpr int kMaxActivities = 64;
inline constexpr int kMaxPlanningScenarios = 64;
inline constexpr int kMaxConditions = 16;
inline constexpr int kMaxCriteria = 32;
inline constexpr int kMaxBenchmarks = 64;  // an outcome holds whether each is met in one 64-bit word
inline constexpr int kMaxObservations = 10000;
inline constexpr int kMaxObservedMonth = 120;    // an assessment re-simulates every observed month at each move
inline constexpr double kMinUncertainty = 1e-6;  // of an observation: a measurement is never exact

}  // namespace peacesim
