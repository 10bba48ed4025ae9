// peacesim run across the processes of an MPI launch (mpirun -np N, or srun): each rank runs an
// even, block-aligned share of the realisations, and rank 0 merges the shares into the results a
// single process gives, byte for byte. Built with -DPEACESIM_MPI=ON (Boost.MPI over Open MPI).
#pragma once

#include <optional>

#include "engine/cli/checkpointing.h"
#include "engine/pipeline.h"
#include "peacesim/v1/results.pb.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim::cli {

// Whether the process was started by an MPI launcher (Open MPI's mpirun, or a PMI/PMIx launcher
// such as Slurm's srun), from the variables the launcher sets.
bool launched_by_mpi();

// The processes of the launch, where the launcher says (OMPI_COMM_WORLD_SIZE, PMI_SIZE); else 1.
int launched_processes();

#ifdef PEACESIM_MPI

// On every rank: runs shard rank + 1 of size, and gathers the parts on rank 0, which merges them.
// Rank 0 gets the results; the other ranks get nothing, and exit 0 once their part, or their
// failure, is sent. A rank's failure is rank 0's: it is thrown there, naming the rank, and rank 0
// exits with its code (the launch's exit code).
struct RankOutcome {
  std::optional<v1::Results> results;  // rank 0 only
  int ranks = 1;
};
// With `checkpoint`, each rank saves its share to a file of its own (rank_file) and carries on from
// it; remove_checkpoints(checkpoint, ranks) clears them once the outputs are written. With
// request.stream, each rank streams its share to a file of its own (rank_file): the streams of a
// run's shards, which join in rank order.
RankOutcome run_on_ranks(const v1::Scenario& scenario, RunRequest request,
                         const std::optional<CheckpointSettings>& checkpoint);
#endif

}  // namespace peacesim::cli
