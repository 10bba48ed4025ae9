// The per-future stream at the edge (peacesim run --stream FILE; proto/peacesim/v1/stream.proto):
// written record by record with bounded memory, atomically, and read back checked.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/io/results_io.h"
#include "engine/model.h"
#include "engine/runner.h"
#include "peacesim/v1/results.pb.h"
#include "peacesim/v1/scenario.pb.h"
#include "peacesim/v1/stream.pb.h"

namespace peacesim::io {

inline constexpr const char* kStreamFormat = "peacesim.v1.FutureStream";

// Where a stream written beside checkpoints stood when one was saved: its bytes, and the futures
// they hold.
struct StreamProgress {
  std::int64_t bytes = 0, futures = 0;
};

// Writes the header, then each block's futures as they come; commit() once the run is done.
class StreamWriter {
 public:
  StreamWriter(const std::string& path, const v1::StreamHeader& header);
  // A stream beside checkpoints: written to in_progress_path(path), which outlives a kill. With
  // `from`, carries on the one saved at a checkpoint (its header must be `header`, and its first
  // `from->bytes` are kept); without, starts afresh. Throws InputError naming the file when it
  // cannot carry on.
  StreamWriter(const std::string& path, const v1::StreamHeader& header, const std::optional<StreamProgress>& from);
  void write(const FutureRows& rows);
  // What was written is on disk: its bytes.
  std::int64_t sync();
  void commit();
  std::int64_t written() const { return written_; }

 private:
  void record(const google::protobuf::Message& message);
  std::optional<AtomicFile> file_;
  std::int64_t expected_, written_ = 0;
  std::string buffer_;
};

// The header of a run's stream of the realisations [first, first + count).
v1::StreamHeader stream_header(const Model& model, const v1::Scenario& scenario, std::uint64_t seed, std::int64_t runs,
                               int horizon, std::int64_t first, std::int64_t count);

// True when the file starts as a stream does: a header's length, then its format field (whatever
// the file's name).
bool is_stream_file(const std::string& path);

// The futures of a stream file as a per-realisation sample for discovery and the given-data
// sensitivity estimator: a results message with the provenance (seed, horizon), the scenario, the
// options ranked by their mean score over the stream, and `sample` holding the first `max_rows`
// futures. Checks every record against the header; throws InputError naming the file, the record
// and the field.
v1::Results read_stream_as_sample(const std::string& path, std::int64_t max_rows);

}  // namespace peacesim::io
