// Parts of a run at the edge: a run's state (runner.h) as a peacesim.v1.RunPartial and back, and
// partial files (shards, checkpoints) written atomically and read back checked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/runner.h"
#include "peacesim/v1/partial.pb.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim::io {

// The settings every part of one run shares, and which share this part is.
struct PartSettings {
  std::int64_t runs = 0;
  int horizon = 0;
  std::uint64_t seed = 0;
  double hurwicz_alpha = 0.5;
  std::int64_t sample = 0;
  bool until_settled = false;
  int shard = 1, shards = 1;  // 1-based

  // Whether `o` is a part of the same run: the same runs, horizon, seed, Hurwicz alpha, sample
  // and shard count (any shard, settled or not).
  bool same_run(const PartSettings& o) const;
  // The settings of this part's blocks, as the runner takes them (one thread, no progress).
  RunSettings run_settings() const;
};

// The bytes of a part (a binary protobuf peacesim.v1.RunPartial, as deterministic_bytes writes it)
// of `scenario` run with `settings`, holding `state` and, when not 0, the length of the run's stream
// so far (stream_bytes). Written straight from the state, with no copy of it in a message: a part's
// state is most of its size (about 39 MB of counts for Carana). Partial files are written with
// write_atomically, whatever their extension.
std::string partial_bytes(const v1::Scenario& scenario, const PartSettings& settings, const RunState& state,
                          std::int64_t stream_bytes = 0);
PartSettings settings_of(const v1::RunPartial& part);
RunState state_of(const v1::RunPartial& part);

// Reads a partial file and checks it whole: this peacesim's version, the stored scenario (valid,
// and the fingerprint it carries), the settings' ranges, and the state against the compiled
// scenario (runner.h, check_state). Throws InputError naming the file and the field. `state`, when
// given, receives the state checked (state_of the part), so that it need not be copied out again.
v1::RunPartial read_partial(const std::string& path);
v1::RunPartial parse_partial(std::string_view bytes, const std::string& path, RunState* state = nullptr);
// The first of those checks: the version, that the scenario is there, and the settings' ranges,
// which say which run and shard the part is of (not the scenario's validity or the state). The
// state's fields are skipped, not parsed: the part returned has none.
v1::RunPartial parse_part_header(std::string_view bytes, const std::string& path);

}  // namespace peacesim::io
