// Scoring of outcomes against the scenario's criteria (multi-criteria value: a weighted mean of
// linear value functions between a worst and a best anchor; Keeney & Raiffa 1976), and the
// per-realisation comparison of options: best option (ties split), regret against the best option
// in the same realisation (Savage 1951), and satisficing (Starr's domain criterion, Starr 1963).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model.h"
#include "engine/world.h"

namespace peacesim {

// Value in [0, 1] of metric value x: 0 at the worst anchor, 1 at the best, linear between.
double criterion_value(const CriterionSpec& c, double x);

// Weighted value of an outcome (criteria weights are normalised at compile time).
double score(const Model& model, const Outcome& outcome);

// True when every criterion with a satisficing threshold meets it.
bool satisficed(const Model& model, const Outcome& outcome);

// Bit b set when the outcome meets benchmark b of the results framework (docs/model.md §6.4): its
// probe's value, or its change since month 0, on the right side of the target. A benchmark whose
// month was not simulated is not met.
std::uint64_t benchmarks_met(const Model& model, const Outcome& outcome);

// For the options' scores of one realisation: best score, and each option's share of "best"
// (1 / number of options tied at the best, else 0).
double best_shares(const std::vector<double>& scores, std::vector<double>& share);

}  // namespace peacesim
