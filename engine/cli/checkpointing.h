// --checkpoint FILE: a run that saves its progress as it goes and carries on from it after a crash
// or a kill, giving the bytes of an uninterrupted run. Under MPI each rank saves its own share to a
// file of its own (rank_file).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "engine/pipeline.h"
#include "peacesim/v1/results.pb.h"

namespace peacesim::cli {

struct CheckpointSettings {
  std::string path;   // --checkpoint
  double every = 10;  // --checkpoint-every, seconds in [0, 86400]
  bool quiet = false;
};

// The file in which MPI rank `rank` saves its share of a checkpoint or a stream: PATH.rank-R.
std::string rank_file(const std::string& path, int rank);

// While it lives: carries on from the checkpoint when its file exists (refusing one of another run),
// and saves the run to it every `every` seconds. Does nothing without settings. `rank` >= 0 under
// MPI: the file is the rank's, and a checkpoint saved under another number of ranks is refused,
// naming the launch that saved it. `request` must outlive it and the run.
class Checkpointing {
 public:
  Checkpointing(const std::optional<CheckpointSettings>& settings, RunRequest& request, int rank = -1);
  Checkpointing(const Checkpointing&) = delete;
  Checkpointing& operator=(const Checkpointing&) = delete;

 private:
  std::string path_;
  v1::RunPartial resume_;
  std::chrono::steady_clock::time_point last_;
};

// The outputs are written: the checkpoints have served and are removed: the run's file, or under
// MPI (`mpi_ranks` > 0, however many) the files of its ranks.
void remove_checkpoints(const std::optional<CheckpointSettings>& settings, int mpi_ranks = 0);

}  // namespace peacesim::cli
