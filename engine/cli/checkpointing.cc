// Checkpoints of a run; see checkpointing.h.
#include "engine/cli/checkpointing.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "engine/io/diagnostics.h"
#include "engine/io/partial_io.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"
#include "engine/runner.h"

namespace peacesim::cli {

std::string rank_file(const std::string& path, int rank) { return path + ".rank-" + std::to_string(rank); }

Checkpointing::Checkpointing(const std::optional<CheckpointSettings>& settings, RunRequest& request, int rank) {
  if (!settings) return;
  path_ = rank >= 0 ? rank_file(settings->path, rank) : settings->path;
  std::error_code ec;
  const bool saved = std::filesystem::exists(path_, ec);
  if (ec) throw io::InputError({{path_, {}, "--checkpoint", "cannot be looked at: " + ec.message()}});
  if (saved) {
    resume_ = io::read_partial(path_);
    const io::PartSettings saved = io::settings_of(resume_);
    if (rank >= 0 && (saved.shards != request.shards || saved.shard != request.shard))
      throw std::invalid_argument(
          "the checkpoint in " + io::printable(path_) + " was saved by rank " + std::to_string(saved.shard - 1) +
          " of " + std::to_string(saved.shards) + " MPI ranks, but this launch has " + std::to_string(request.shards) +
          ": launch it with mpirun -np " + std::to_string(saved.shards) + " to carry on, or remove " +
          io::printable(settings->path) + ".rank-* to start afresh");
    request.resume = &resume_;
    if (!settings->quiet) {
      const std::string who = rank >= 0 ? "rank " + std::to_string(rank) + " " : "";
      std::fprintf(stderr, "peacesim: %scarrying on from the checkpoint in %s: %lld of %lld realisations done\n",
                   who.c_str(), io::printable(path_).c_str(),
                   static_cast<long long>(std::min(resume_.runs(), resume_.end_block() * kBlockSize) -
                                          std::min(resume_.runs(), resume_.first_block() * kBlockSize)),
                   static_cast<long long>(resume_.runs()));
    }
  } else {
    io::check_writable(path_, "--checkpoint");
  }
  last_ = std::chrono::steady_clock::now();
  request.checkpoint_due = [this, every = settings->every] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - last_).count() >= every;
  };
  request.checkpoint = [this](const std::string& part) {
    io::write_atomically(path_, part);
    last_ = std::chrono::steady_clock::now();
  };
}

void remove_checkpoints(const std::optional<CheckpointSettings>& settings, int mpi_ranks) {
  if (!settings) return;
  if (mpi_ranks == 0) std::filesystem::remove(settings->path);
  for (int r = 0; r < mpi_ranks; ++r) std::filesystem::remove(rank_file(settings->path, r));
}

}  // namespace peacesim::cli
