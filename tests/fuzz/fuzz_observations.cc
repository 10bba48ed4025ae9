// libFuzzer target: an observations file (protobuf text format) through what `peacesim assess` does
// with it on the bundled Carana: parse, validate against the scenario, compile into probes, and,
// when it is small, the sampler itself (100 futures, one round of moves). Bad input must end in
// InputError or std::invalid_argument, as the command line's exit 2; anything else is a finding.
// Built with -DPEACESIM_FUZZ=ON.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "engine/assessment.h"
#include "engine/compile.h"
#include "engine/io/assessment_io.h"
#include "engine/io/diagnostics.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace peacesim;
  static const io::LoadedScenario carana = [] {
    io::LoadedScenario loaded = io::load_default_scenario();
    io::require_valid(loaded);
    return loaded;
  }();
  try {
    const io::LoadedObservations o =
        io::parse_observations(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", io::Format::kText);
    io::require_valid_observations(o, carana.scenario, 60);
    Model model = compile(carana.scenario);
    const io::CompiledObservations compiled = io::compile_observations(o.observations, model);
    int last = 0;
    for (const ObservedValue& x : compiled.observed) last = std::max(last, x.month);
    if (compiled.observed.size() <= 40 && last <= 12) {
      AssessmentSettings settings;
      settings.implemented = compiled.implemented;
      settings.since = compiled.since;
      settings.particles = 100;
      settings.moves = 1;
      settings.threads = 1;
      const Assessment a = assess(model, compiled.observed, settings);
      if (a.posterior.size() != 100) __builtin_trap();
    }
  } catch (const io::InputError&) {
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
