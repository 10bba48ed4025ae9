// Robustness metrics for choosing among options under deep uncertainty, in the families of
// McPhail et al. (2018), "Robustness metrics: how are they calculated, when should they be used
// and why do they give different results?", Earth's Future 6:169-191:
//   expected value (Laplace's principle of insufficient reason), maximin (Wald), maximax, Hurwicz's
//   optimism-pessimism rule, minimax regret and percentile regret (Savage), mean-variance
//   (signal-to-noise, Hamarat et al. 2014), undesirable deviations (Kwakkel et al. 2016),
//   percentile-based skewness and kurtosis (Voudouris et al. 2014), and Starr's domain criterion.
// Scores are "higher is better"; regret is the best option's score in the same realisation minus
// the option's. Each metric is oriented here so that a larger value is a more robust option.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

namespace peacesim {

enum class RobustnessMetric {
  kExpected = 0,           // mean score
  kMaximin,                // worst score
  kMaximax,                // best score
  kHurwicz,                // alpha * worst + (1 - alpha) * best
  kMinimaxRegret,          // - largest regret
  kPercentileRegret,       // - 90th percentile of regret
  kMeanVariance,           // mean / sd of the score
  kUndesirableDeviations,  // - mean shortfall below the median score
  kPercentileSkew,         // ((p90 + p10) / 2 - p50) / ((p90 - p10) / 2): upside over downside
  kPercentileKurtosis,     // - (p90 - p10) / (p75 - p25): thinner tails are better
  kStarrDomain,            // share of realisations meeting every satisficing threshold
};
inline constexpr int kRobustnessMetricCount = 11;

// The statistics of one option's scores that the metrics need.
struct ScoreSummary {
  double mean = 0, sd = 0, min = 0, max = 0;
  double p10 = 0, p25 = 0, p50 = 0, p75 = 0, p90 = 0;
  double regret_max = 0, regret_p90 = 0;
  double shortfall_below_median = 0;  // mean over realisations of max(0, p50 - score)
  double satisficing = 0;             // share meeting every threshold
};

// The metric's value, oriented so that larger is more robust.
double robustness(const ScoreSummary& s, RobustnessMetric metric, double hurwicz_alpha);

// Command-line name ("minimax-regret") and description.
const char* metric_name(RobustnessMetric metric);
// Parses a name; returns false when unknown.
bool parse_metric(const std::string& name, RobustnessMetric& metric);
// All names, comma-separated, for messages.
std::string metric_names();

// Exact summaries of a score matrix (rows: realisations, columns: options), with percentiles by
// linear interpolation between order statistics (Hyndman & Fan type 7). `satisficed` has the same
// shape (1 or 0). For small samples and tests; the engine summarises from bounded histograms.
std::vector<ScoreSummary> summarise(const Eigen::MatrixXd& scores, const Eigen::MatrixXd& satisficed);

// Options ordered from most to least robust by `metric` (ties keep the option order).
std::vector<int> rank(const std::vector<ScoreSummary>& options, RobustnessMetric metric, double hurwicz_alpha);

}  // namespace peacesim
