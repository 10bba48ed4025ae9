// Results at the edge: the run's totals turned into a peacesim.v1.Results message (statistics,
// percentiles, survival curves, fan charts), and results files written atomically (temp file +
// rename) as binary protobuf (.pb) or JSON (.json), and read back.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/model.h"
#include "engine/runner.h"
#include "peacesim/v1/results.pb.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim::io {

struct RunInfo {
  std::string scenario_sha256;
  std::int64_t runs = 0;
  int horizon = 0;
  std::uint64_t seed = 0;
  double hurwicz_alpha = 0.5;  // weight of the worst case in the Hurwicz robustness metric
};

// The message's binary serialisation with deterministic field order: the bytes of results files
// and of the scenario fingerprint.
std::string deterministic_bytes(const google::protobuf::Message& message);

// SHA-256 of the scenario's deterministic binary serialisation.
std::string scenario_fingerprint(const v1::Scenario& scenario);

v1::Results to_results(const Model& model, const v1::Scenario& scenario, const RunTotals& totals, const RunInfo& info);

enum class ResultsFormat { kBinary, kJson };

// By extension: .pb or .binpb (binary), .json (JSON); throws InputError otherwise.
ResultsFormat results_format_of(const std::string& path);

std::string to_json(const google::protobuf::Message& message);

// Writes `contents` to `path` atomically: a temporary file in the same directory, flushed and
// renamed over `path`. Throws OutputError naming the file on failure (nothing is left).
void write_atomically(const std::string& path, const std::string& contents);

// A file written piece by piece and then atomically: the pieces go to a temporary file beside
// `path`, which commit() flushes and renames over it. Destroyed without commit() (an error, an
// exception), or ended by a signal (remove_temporary_files_on_signals), it leaves nothing behind.
// Throws OutputError naming the file.
//
// A resumable one (a stream saved with checkpoints) is written to PATH.in-progress instead, which
// outlives the process however it ends, so that a run carried on from a checkpoint can carry on
// writing it: `keep` >= 0 opens that file and keeps its first `keep` bytes (the rest, written after
// the checkpoint, is cut off); -1 starts it afresh. sync() makes what was written durable and says
// how many bytes that is; commit() renames it over `path` as ever.
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path);
  struct Resumable {
    std::int64_t keep = -1;
  };
  AtomicFile(const std::string& path, Resumable resumable);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  void write(std::string_view bytes);
  std::int64_t sync();
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what);
  std::string path_, temp_;
  int fd_ = -1;
  int slot_ = -1;  // its signal-cleanup slot, if one was free
  bool resumable_ = false;
  std::int64_t size_ = 0;  // bytes in the file
};

// The file a resumable AtomicFile of `path` is written to until it is committed.
std::string in_progress_path(const std::string& path);

// An output that could not be written (a full disk, a vanished directory, a closed pipe): exit 3.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGPIPE that remove the temporary file of a
// write in progress (write_atomically), then end the process as the signal would have. So output
// to a closed pipe (peacesim show r.pb --csv | head -1) ends the process quietly by SIGPIPE, as it
// ends cat or grep, even when the parent process ignored SIGPIPE.
void remove_temporary_files_on_signals();

// Before any work: that `path` can be written (not a directory, its directory exists and takes a
// new file); otherwise an InputError naming `flag` (exit 2).
void check_writable(const std::string& path, const std::string& flag);

void write_results(const v1::Results& results, const std::string& path);

// Any output message (results, an assessment) as write_results writes results: by extension, .pb
// or .binpb binary with deterministic field order, .json JSON; atomically.
void write_message(const google::protobuf::Message& message, const std::string& path);

// True for a results file rather than a scenario: .pb or .binpb, or JSON with a "provenance".
bool is_results_file(const std::string& path);

// Throws InputError when the file cannot be read or is not a results file.
v1::Results read_results(const std::string& path);

// The results in `bytes` (as read from `path`, which names them in errors), validated as
// read_results does: every repeated field's length, every index and id, and the stored scenario.
// Throws InputError when they are not a valid results file.
v1::Results parse_results(std::string_view bytes, const std::string& path, ResultsFormat format);

}  // namespace peacesim::io
