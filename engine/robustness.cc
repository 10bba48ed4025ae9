// Robustness metrics; see robustness.h.
#include "engine/robustness.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/stats.h"

namespace peacesim {
namespace {

constexpr double kMinSd = 1e-9;

struct Named {
  RobustnessMetric metric;
  const char* name;
};

constexpr Named kNames[] = {
    {RobustnessMetric::kExpected, "expected"},
    {RobustnessMetric::kMaximin, "maximin"},
    {RobustnessMetric::kMaximax, "maximax"},
    {RobustnessMetric::kHurwicz, "hurwicz"},
    {RobustnessMetric::kMinimaxRegret, "minimax-regret"},
    {RobustnessMetric::kPercentileRegret, "regret-p90"},
    {RobustnessMetric::kMeanVariance, "mean-variance"},
    {RobustnessMetric::kUndesirableDeviations, "undesirable-deviations"},
    {RobustnessMetric::kPercentileSkew, "skew"},
    {RobustnessMetric::kPercentileKurtosis, "kurtosis"},
    {RobustnessMetric::kStarrDomain, "satisficing"},
};

}  // namespace

double robustness(const ScoreSummary& s, RobustnessMetric metric, double alpha) {
  switch (metric) {
    case RobustnessMetric::kExpected:
      return s.mean;
    case RobustnessMetric::kMaximin:
      return s.min;
    case RobustnessMetric::kMaximax:
      return s.max;
    case RobustnessMetric::kHurwicz:
      return alpha * s.min + (1 - alpha) * s.max;
    case RobustnessMetric::kMinimaxRegret:
      return -s.regret_max;
    case RobustnessMetric::kPercentileRegret:
      return -s.regret_p90;
    case RobustnessMetric::kMeanVariance:
      // The sd is floored at 1e-9 (scores lie in [0, 1]) so that the value stays finite in results.
      return s.mean / std::max(s.sd, kMinSd);
    case RobustnessMetric::kUndesirableDeviations:
      return -s.shortfall_below_median;
    case RobustnessMetric::kPercentileSkew: {
      const double half_range = 0.5 * (s.p90 - s.p10);
      return half_range > 0 ? (0.5 * (s.p90 + s.p10) - s.p50) / half_range : 0.0;
    }
    case RobustnessMetric::kPercentileKurtosis: {
      const double iqr = s.p75 - s.p25;
      return iqr > 0 ? -(s.p90 - s.p10) / iqr : 0.0;
    }
    case RobustnessMetric::kStarrDomain:
      return s.satisficing;
  }
  return 0;
}

const char* metric_name(RobustnessMetric metric) {
  for (const Named& n : kNames)
    if (n.metric == metric) return n.name;
  return "?";
}

bool parse_metric(const std::string& name, RobustnessMetric& metric) {
  for (const Named& n : kNames)
    if (name == n.name) {
      metric = n.metric;
      return true;
    }
  return false;
}

std::string metric_names() {
  std::string s;
  for (const Named& n : kNames) s += (s.empty() ? "" : ", ") + std::string(n.name);
  return s;
}

std::vector<ScoreSummary> summarise(const Eigen::MatrixXd& scores, const Eigen::MatrixXd& satisficed) {
  const Eigen::Index n = scores.rows(), k = scores.cols();
  std::vector<ScoreSummary> out(k);
  if (k == 0) return out;  // no option: no row has a best score (Eigen's maximum of nothing is undefined)
  Eigen::VectorXd best = scores.rowwise().maxCoeff();
  for (Eigen::Index o = 0; o < k; ++o) {
    ScoreSummary& s = out[o];
    std::vector<double> x(scores.col(o).data(), scores.col(o).data() + n);
    std::vector<double> regret(n);
    for (Eigen::Index i = 0; i < n; ++i) regret[i] = best[i] - x[i];
    s.mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(n);
    double ss = 0;
    for (double v : x) ss += (v - s.mean) * (v - s.mean);
    s.sd = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0.0;
    std::sort(x.begin(), x.end());
    std::sort(regret.begin(), regret.end());
    s.min = x.front();
    s.max = x.back();
    s.p10 = quantile_type7(x, 0.10);
    s.p25 = quantile_type7(x, 0.25);
    s.p50 = quantile_type7(x, 0.50);
    s.p75 = quantile_type7(x, 0.75);
    s.p90 = quantile_type7(x, 0.90);
    s.regret_max = regret.back();
    s.regret_p90 = quantile_type7(regret, 0.90);
    double shortfall = 0;
    for (double v : x) shortfall += std::max(0.0, s.p50 - v);
    s.shortfall_below_median = shortfall / static_cast<double>(n);
    s.satisficing = satisficed.col(o).mean();
  }
  return out;
}

std::vector<int> rank(const std::vector<ScoreSummary>& options, RobustnessMetric metric, double alpha) {
  std::vector<int> order(options.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return robustness(options[a], metric, alpha) > robustness(options[b], metric, alpha);
  });
  return order;
}

}  // namespace peacesim
