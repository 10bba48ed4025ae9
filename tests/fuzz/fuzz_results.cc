// libFuzzer target: a results file (binary protobuf, or JSON when built with PEACESIM_FUZZ_JSON)
// through the validation on read and every viewer: the table and its CSV under each ranking, the
// survival and fan-chart CSVs, the brief (text and Markdown), the HTML report and discovery from the
// stored sample. A file the validation passes must never crash a viewer; bad input must end in
// InputError or std::invalid_argument (exit 2). Built with -DPEACESIM_FUZZ=ON.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "engine/cli/table.h"
#include "engine/io/diagnostics.h"
#include "engine/io/results_io.h"
#include "engine/pipeline.h"
#include "engine/report/report.h"

#ifdef PEACESIM_FUZZ_JSON
constexpr auto kFormat = peacesim::io::ResultsFormat::kJson;
#else
constexpr auto kFormat = peacesim::io::ResultsFormat::kBinary;
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace peacesim;
  try {
    const v1::Results r =
        io::parse_results(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", kFormat);
    std::ostringstream out;
    for (int m = v1::RobustnessMetric_MIN; m <= v1::RobustnessMetric_MAX; ++m) {
      if (!v1::RobustnessMetric_IsValid(m) || m == v1::ROBUSTNESS_METRIC_UNSPECIFIED) continue;
      cli::print_table(r, out, static_cast<v1::RobustnessMetric>(m));
      cli::print_summary_csv(r, out, static_cast<v1::RobustnessMetric>(m));
    }
    cli::print_survival_csv(r, out);
    for (int i = v1::Indicator_MIN; i <= v1::Indicator_MAX; ++i)
      if (v1::Indicator_IsValid(i) && i != v1::INDICATOR_UNSPECIFIED)
        cli::print_fan_csv(r, static_cast<v1::Indicator>(i), out);
    cli::print_brief(r, out, false);
    cli::print_brief(r, out, true);
    out << report::html_report(r);
    if (r.sample().rows() > 0) discover_in_results(r, "", std::nullopt, 2);
  } catch (const io::InputError&) {
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
