// libFuzzer target: a part of a run (peacesim run --shard K/N, or a checkpoint) through what merge
// and a resumed run do with it: the checks on read (the settings alone, then the whole part), the
// merge of a whole run's single part into results, and carrying a small run on from it. A part the
// checks pass must never crash the engine; bad input must end in InputError or
// std::invalid_argument (exit 2). Built with -DPEACESIM_FUZZ=ON.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "engine/io/diagnostics.h"
#include "engine/io/partial_io.h"
#include "engine/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace peacesim;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {  // the first reading of merge: the settings, the state skipped
    io::parse_part_header(bytes, "fuzz");
  } catch (const io::InputError&) {
  }
  try {
    const v1::RunPartial p = io::parse_partial(bytes, "fuzz");
    try {
      merge_parts({p});
    } catch (const std::invalid_argument&) {
    }
    if (p.runs() <= 2000 && p.horizon_months() <= 24) {  // carry it on, when that is quick
      RunRequest request = request_of(p);
      request.threads = 1;
      request.resume = &p;
      if (p.shards() == 1)
        run_scenario(p.scenario(), request);
      else
        run_part(p.scenario(), request);
    }
  } catch (const io::InputError&) {
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
