// libFuzzer target: a scenario file (protobuf text format, or JSON when built with
// PEACESIM_FUZZ_JSON) through everything `peacesim run` does with it: parse, validate, compile, run
// a few futures (every option, up to 12 months) and view the results (table, CSV, report). Bad
// input must end in InputError or std::invalid_argument, as the command line's exit 2; anything
// else (a crash, a sanitizer report, another exception) is a finding. Built with -DPEACESIM_FUZZ=ON.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "engine/cli/table.h"
#include "engine/io/diagnostics.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/report/report.h"

#ifdef PEACESIM_FUZZ_JSON
constexpr auto kFormat = peacesim::io::Format::kJson;
#else
constexpr auto kFormat = peacesim::io::Format::kText;
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace peacesim;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    io::LoadedScenario loaded = io::parse_scenario(text, "fuzz", kFormat);
    io::require_valid(loaded);
    RunRequest q;
    q.runs = 3;
    q.horizon = 12;
    q.threads = 1;
    q.sample = 3;
    const v1::Results r = run_scenario(loaded.scenario, q);
    std::ostringstream out;
    cli::print_table(r, out);
    cli::print_summary_csv(r, out);
    out << report::html_report(r);
  } catch (const io::InputError&) {
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
