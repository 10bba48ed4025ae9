// The engine's enums mirror the schema's: engine value = schema value - 1, the schema's 0 being
// UNSPECIFIED. Converting one to the other is a cast, so a change to either side must fail the
// build: every pair is checked here at compile time, with the count of each enum. Included where
// the casts are made (compile.cc, results_io.cc, results_view.cc, the report).
#pragma once

#include <utility>

#include "engine/model.h"
#include "engine/robustness.h"
#include "models/situation.h"
#include "peacesim/v1/results.pb.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim::mirrors {

// Each engine value is its schema value less one, and the lists cover every schema value.
template <class Engine, class Schema, std::size_t N>
constexpr bool mirror(const std::pair<Engine, Schema> (&pairs)[N], int schema_values) {
  if (static_cast<int>(N) + 1 != schema_values) return false;
  for (const auto& [engine, schema] : pairs)
    if (static_cast<int>(engine) + 1 != static_cast<int>(schema)) return false;
  return true;
}

constexpr std::pair<Metric, v1::Metric> kMetrics[] = {
    {Metric::kRelapse, v1::METRIC_RELAPSE},
    {Metric::kMonthsInWar, v1::METRIC_MONTHS_IN_WAR},
    {Metric::kBattleDeaths, v1::METRIC_BATTLE_DEATHS},
    {Metric::kCivilianDeaths, v1::METRIC_CIVILIAN_DEATHS},
    {Metric::kCivilianDeathsFemale, v1::METRIC_CIVILIAN_DEATHS_FEMALE},
    {Metric::kDisplacedPeak, v1::METRIC_DISPLACED_PEAK},
    {Metric::kDisplacedPeakFemale, v1::METRIC_DISPLACED_PEAK_FEMALE},
    {Metric::kWomenParticipation, v1::METRIC_WOMEN_PARTICIPATION},
    {Metric::kWomenRepresentation, v1::METRIC_WOMEN_REPRESENTATION},
    {Metric::kGbvMean, v1::METRIC_GBV_MEAN},
    {Metric::kCostUsd, v1::METRIC_COST_USD},
    {Metric::kStablePeaceAtHorizon, v1::METRIC_STABLE_PEACE_AT_HORIZON},
    {Metric::kMonthsToStablePeace, v1::METRIC_MONTHS_TO_STABLE_PEACE},
};
static_assert(mirror(kMetrics, v1::Metric_ARRAYSIZE) && kMetricCount == v1::Metric_ARRAYSIZE - 1);

constexpr std::pair<Indicator, v1::Indicator> kIndicators[] = {
    {Indicator::kBattleDeaths, v1::INDICATOR_BATTLE_DEATHS},
    {Indicator::kCivilianDeaths, v1::INDICATOR_CIVILIAN_DEATHS},
    {Indicator::kCivilianDeathsFemale, v1::INDICATOR_CIVILIAN_DEATHS_FEMALE},
    {Indicator::kDisplaced, v1::INDICATOR_DISPLACED},
    {Indicator::kDisplacedFemale, v1::INDICATOR_DISPLACED_FEMALE},
    {Indicator::kConflictIntensity, v1::INDICATOR_CONFLICT_INTENSITY},
    {Indicator::kWomenParticipation, v1::INDICATOR_WOMEN_PARTICIPATION},
    {Indicator::kWomenRepresentation, v1::INDICATOR_WOMEN_REPRESENTATION},
    {Indicator::kGbv, v1::INDICATOR_GBV},
    {Indicator::kArmedStrength, v1::INDICATOR_ARMED_STRENGTH},
};
static_assert(mirror(kIndicators, v1::Indicator_ARRAYSIZE) && kIndicatorCount == v1::Indicator_ARRAYSIZE - 1);

constexpr std::pair<ActivityKind, v1::ActivityKind> kActivityKinds[] = {
    {ActivityKind::kMediation, v1::ACTIVITY_KIND_MEDIATION},
    {ActivityKind::kDdr, v1::ACTIVITY_KIND_DDR},
    {ActivityKind::kSsr, v1::ACTIVITY_KIND_SSR},
    {ActivityKind::kRuleOfLaw, v1::ACTIVITY_KIND_RULE_OF_LAW},
    {ActivityKind::kElections, v1::ACTIVITY_KIND_ELECTIONS},
    {ActivityKind::kProtectionOfCivilians, v1::ACTIVITY_KIND_PROTECTION_OF_CIVILIANS},
    {ActivityKind::kGenderWps, v1::ACTIVITY_KIND_GENDER_WPS},
    {ActivityKind::kEconomicRecovery, v1::ACTIVITY_KIND_ECONOMIC_RECOVERY},
    {ActivityKind::kHumanRightsMonitoring, v1::ACTIVITY_KIND_HUMAN_RIGHTS_MONITORING},
    {ActivityKind::kBorderMonitoring, v1::ACTIVITY_KIND_BORDER_MONITORING},
};
static_assert(mirror(kActivityKinds, v1::ActivityKind_ARRAYSIZE) &&
              kActivityKindCount == v1::ActivityKind_ARRAYSIZE - 1);

constexpr std::pair<Lead, v1::Component> kLeads[] = {
    {Lead::kMilitary, v1::COMPONENT_MILITARY},
    {Lead::kPolice, v1::COMPONENT_POLICE},
    {Lead::kCivilian, v1::COMPONENT_CIVILIAN},
    {Lead::kUnCountryTeam, v1::COMPONENT_UN_COUNTRY_TEAM},
    {Lead::kHostGovernment, v1::COMPONENT_HOST_GOVERNMENT},
};
static_assert(mirror(kLeads, v1::Component_ARRAYSIZE));

constexpr std::pair<models::Regime, v1::Regime> kRegimes[] = {
    {models::Regime::kStablePeace, v1::REGIME_STABLE_PEACE},
    {models::Regime::kUnstablePeace, v1::REGIME_UNSTABLE_PEACE},
    {models::Regime::kCrisis, v1::REGIME_CRISIS},
    {models::Regime::kWar, v1::REGIME_WAR},
};
static_assert(mirror(kRegimes, v1::Regime_ARRAYSIZE));

constexpr std::pair<models::WarEnding, v1::WarEnding> kWarEndings[] = {
    {models::WarEnding::kGovernmentVictory, v1::WAR_ENDING_GOVERNMENT_VICTORY},
    {models::WarEnding::kRebelVictory, v1::WAR_ENDING_REBEL_VICTORY},
    {models::WarEnding::kSettlement, v1::WAR_ENDING_NEGOTIATED_SETTLEMENT},
    {models::WarEnding::kTruce, v1::WAR_ENDING_TRUCE},
};
static_assert(mirror(kWarEndings, v1::WarEnding_ARRAYSIZE));

constexpr std::pair<RobustnessMetric, v1::RobustnessMetric> kRobustnessMetrics[] = {
    {RobustnessMetric::kExpected, v1::ROBUSTNESS_METRIC_EXPECTED},
    {RobustnessMetric::kMaximin, v1::ROBUSTNESS_METRIC_MAXIMIN},
    {RobustnessMetric::kMaximax, v1::ROBUSTNESS_METRIC_MAXIMAX},
    {RobustnessMetric::kHurwicz, v1::ROBUSTNESS_METRIC_HURWICZ},
    {RobustnessMetric::kMinimaxRegret, v1::ROBUSTNESS_METRIC_MINIMAX_REGRET},
    {RobustnessMetric::kPercentileRegret, v1::ROBUSTNESS_METRIC_REGRET_P90},
    {RobustnessMetric::kMeanVariance, v1::ROBUSTNESS_METRIC_MEAN_VARIANCE},
    {RobustnessMetric::kUndesirableDeviations, v1::ROBUSTNESS_METRIC_UNDESIRABLE_DEVIATIONS},
    {RobustnessMetric::kPercentileSkew, v1::ROBUSTNESS_METRIC_SKEW},
    {RobustnessMetric::kPercentileKurtosis, v1::ROBUSTNESS_METRIC_KURTOSIS},
    {RobustnessMetric::kStarrDomain, v1::ROBUSTNESS_METRIC_SATISFICING},
};
static_assert(mirror(kRobustnessMetrics, v1::RobustnessMetric_ARRAYSIZE) &&
              kRobustnessMetricCount == v1::RobustnessMetric_ARRAYSIZE - 1);

constexpr std::pair<Responsible, v1::Responsible> kResponsibles[] = {
    {Responsible::kMission, v1::RESPONSIBLE_MISSION},
    {Responsible::kUnCountryTeam, v1::RESPONSIBLE_UN_COUNTRY_TEAM},
    {Responsible::kHostGovernment, v1::RESPONSIBLE_HOST_GOVERNMENT},
    {Responsible::kPartners, v1::RESPONSIBLE_PARTNERS},
};
static_assert(mirror(kResponsibles, v1::Responsible_ARRAYSIZE));

// The one actor kind the engine names, by its schema value.
static_assert(kActorKindRegionalState == v1::ACTOR_KIND_REGIONAL_STATE);

}  // namespace peacesim::mirrors
