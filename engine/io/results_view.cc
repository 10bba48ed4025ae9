// Reading results for people; see results_view.h.
#include "engine/io/results_view.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "engine/io/enum_mirrors.h"
#include "engine/robustness.h"

namespace peacesim::io {

const v1::OptionResult& option_result(const v1::Results& results, const std::string& id) {
  for (const auto& o : results.options())
    if (o.option_id() == id) return o;
  return v1::OptionResult::default_instance();
}

std::array<double, kPersonnelCount> personnel(const v1::OptionPlan& plan) {
  return {plan.troops(), plan.police(), plan.observers(), plan.civilians()};
}

std::array<double, kPersonnelCount> personnel(const v1::DrawdownStep& step) {
  return {step.troops(), step.police(), step.observers(), step.civilians()};
}

const v1::Distribution& metric_of(const v1::Evaluation& evaluation, v1::Metric metric) {
  for (const auto& x : evaluation.metrics())
    if (x.metric() == metric) return x.distribution();
  return v1::Distribution::default_instance();
}

double percentile_of(const v1::Distribution& distribution, double p) {
  for (const auto& x : distribution.percentiles())
    if (x.p() == p) return x.value();
  return std::nan("");
}

double p_relapse(const v1::Evaluation& e) {
  return e.p_relapse_by_month_size() > 0 ? e.p_relapse_by_month(e.p_relapse_by_month_size() - 1) : 0.0;
}

const v1::Benchmark* benchmark_of(const v1::Results& results, const std::string& id) {
  for (const auto& b : results.scenario().results_framework())
    if (b.id() == id) return &b;
  return nullptr;
}

std::string measure_label(const v1::Scenario& scenario, const v1::Measure& measure) {
  auto name_of = [](const auto& list, const std::string& id) {
    for (const auto& x : list)
      if (x.id() == id) return x.name().empty() ? id : x.name();
    return id;
  };
  switch (measure.what_case()) {
    case v1::Measure::kIndicator:
      switch (measure.indicator()) {
        case v1::INDICATOR_BATTLE_DEATHS:
          return "battle deaths a month";
        case v1::INDICATOR_CIVILIAN_DEATHS:
          return "civilian deaths a month";
        case v1::INDICATOR_CIVILIAN_DEATHS_FEMALE:
          return "civilian deaths of women and girls a month";
        case v1::INDICATOR_DISPLACED:
          return "people displaced";
        case v1::INDICATOR_DISPLACED_FEMALE:
          return "women and girls displaced";
        case v1::INDICATOR_CONFLICT_INTENSITY:
          return "conflict intensity";
        case v1::INDICATOR_WOMEN_PARTICIPATION:
          return "women's share of negotiators";
        case v1::INDICATOR_WOMEN_REPRESENTATION:
          return "women's share of seats";
        case v1::INDICATOR_GBV:
          return "gender-based violence index";
        case v1::INDICATOR_ARMED_STRENGTH:
          return "armed groups' strength (share of month 0's)";
        default:
          return "unspecified indicator";
      }
    case v1::Measure::kDriver:
      return name_of(scenario.drivers(), measure.driver()) + " (causal factor, 0-1)";
    case v1::Measure::kActorPosition:
      return name_of(scenario.actors(), measure.actor_position()) + ": support for the process (0-1)";
    case v1::Measure::kActorStrength:
      return name_of(scenario.actors(), measure.actor_strength()) + ": fighters (share of month 0's)";
    case v1::Measure::WHAT_NOT_SET:
      break;
  }
  return "unspecified measure";
}

std::string target_label(const v1::Benchmark& b) {
  const std::string bound = b.bound() == v1::BOUND_AT_LEAST ? "at least " : "at most ";
  char digits[32];
  std::snprintf(digits, sizeof digits, "%.6g", b.target());
  // Whole numbers of thousands and more in groups of three ("400,000"), as the table prints counts.
  const double t = std::abs(b.target());
  const std::string target = t >= 1000 && t < 1e15 && t == std::floor(t) ? grouped(b.target()) : digits;
  const std::string month = " in month " + std::to_string(b.month());
  if (!b.from_start()) return bound + target + month;
  if (b.target() == 0) return bound + "its month-0 level" + month;
  return bound + (b.target() > 0 ? "+" : "") + target + " from its month-0 level" + month;
}

std::string responsible_label(v1::Responsible responsible) {
  switch (responsible) {
    case v1::RESPONSIBLE_MISSION:
      return "mission";
    case v1::RESPONSIBLE_UN_COUNTRY_TEAM:
      return "UN country team";
    case v1::RESPONSIBLE_HOST_GOVERNMENT:
      return "host government";
    case v1::RESPONSIBLE_PARTNERS:
      return "partners";
    default:
      return "unspecified";
  }
}

std::string value_text(double value) { return std::fabs(value) >= 1000 ? grouped(value) : fmt("%.3g", value); }

std::string role_label(v1::UnRole role) {
  switch (role) {
    case v1::UN_ROLE_NONE:
      return "none";
    case v1::UN_ROLE_GOOD_OFFICES:
      return "good offices";
    case v1::UN_ROLE_SPECIAL_POLITICAL_MISSION:
      return "special political mission";
    case v1::UN_ROLE_OBSERVER_MISSION:
      return "observer mission";
    case v1::UN_ROLE_MULTIDIMENSIONAL_PKO:
      return "multidimensional PKO";
    default:
      return "unspecified";
  }
}

std::string metric_label(v1::RobustnessMetric metric) {
  return metric_name(static_cast<RobustnessMetric>(static_cast<int>(metric) - 1));
}

std::string fmt(const char* format, double value) {
  if (!std::isfinite(value)) return "n/a";
  // As long as the number needs (1e300 in "%.0f" is 301 digits): never cut short.
  const int size = std::snprintf(nullptr, 0, format, value);
  if (size <= 0) return "n/a";
  std::string out(static_cast<std::size_t>(size), '\0');
  std::snprintf(out.data(), out.size() + 1, format, value);
  return out;
}

std::string grouped(double value, std::string_view minus) {
  if (!std::isfinite(value)) return "-";
  const std::string digits = fmt("%.0f", std::fabs(value));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (value < 0 && out != "0" ? std::string(minus) : "") + out;
}

std::string csv_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // The shortest round-trip digits ("d.ddde±XX"), then written out without the exponent.
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific).ptr;
  std::string_view s(buf, static_cast<std::size_t>(end - buf));
  std::string out;
  if (s.front() == '-') {
    out = "-";
    s.remove_prefix(1);
  }
  const std::size_t e = s.find('e');
  std::string digits;
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  int exponent = 0;
  const std::string_view exp_text = s.substr(e + 1);
  std::from_chars(exp_text.data() + (exp_text.front() == '+' ? 1 : 0), exp_text.data() + exp_text.size(), exponent);
  // value = 0.digits x 10^point
  const int point = exponent + 1;
  const int n = static_cast<int>(digits.size());
  if (point <= 0)
    out += "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
  else if (point >= n)
    out += digits + std::string(static_cast<std::size_t>(point - n), '0');
  else
    out += digits.substr(0, static_cast<std::size_t>(point)) + "." + digits.substr(static_cast<std::size_t>(point));
  return out;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t k = 0; k < text.size(); ++k) {
    const auto u = static_cast<unsigned char>(text[k]);
    if ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7f) {
      out += '?';
    } else if (u == 0xc2 && k + 1 < text.size() && static_cast<unsigned char>(text[k + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[k + 1]) <= 0x9f) {
      out += '?';  // U+0080 to U+009F in UTF-8: C1 controls, such as the one-character CSI U+009B
      ++k;
    } else {
      out += text[k];
    }
  }
  return out;
}

}  // namespace peacesim::io
