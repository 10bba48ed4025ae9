// From a validated peacesim.v1.Scenario to the protobuf-free Model the engine runs.
//
// The quantity table is defined here once, by for_each_quantity: its walk names every uncertain
// number of a scenario (declared or defaulted), with its path, its default and its allowed range.
// Validation checks what it visits; compilation numbers what it visits.
#pragma once

#include <functional>
#include <limits>
#include <string>

#include "engine/model.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim {

struct QuantityField {
  std::string id_path;                     // "drivers[land_grievance].reversion": used by overrides and reports
  std::string index_path;                  // "drivers[2].reversion": used to locate errors in the input file
  const v1::Quantity* declared = nullptr;  // nullptr when the scenario leaves it to the default
  Distribution fallback;                   // the engine default
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
};

// A driver's monthly reversion when the scenario leaves it unset (modelling assumption).
inline constexpr double kDefaultDriverReversion = 0.05;

// Visits every quantity of `scenario` in a fixed order. A driver's unset baseline is not visited
// (it is the driver's initial intensity).
void for_each_quantity(const v1::Scenario& scenario, const std::function<void(const QuantityField&)>& visit);

// The distribution a Quantity declares, with a normal's unset bounds taken from [lo, hi].
// Throws std::invalid_argument (from sampling.h) when its parameters are invalid.
Distribution to_distribution(const v1::Quantity& q, double lo, double hi);

// The short name of an activity kind as used in paths ("ELECTIONS").
std::string activity_kind_name(v1::ActivityKind kind);

// The measure `measure` names in `model`, whose drivers and actors are compiled (validated input).
Measure compile_measure(const Model& model, const v1::Measure& measure);

// Compiles a scenario that io::validate accepted. Throws std::logic_error if it was not valid.
Model compile(const v1::Scenario& scenario);

}  // namespace peacesim
