// peacesim run across MPI ranks; see ranks.h.
#include "engine/cli/ranks.h"

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef PEACESIM_MPI
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#endif

#include "engine/cli/commands.h"
#include "engine/io/diagnostics.h"
#include "engine/io/partial_io.h"
#include "engine/io/results_io.h"

namespace peacesim::cli {

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

int launched_processes() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* value = std::getenv(name);
    if (value == nullptr) continue;
    char* end = nullptr;
    const long n = std::strtol(value, &end, 10);
    if (end != value && *end == '\0' && n >= 1 && n <= 1000000) return static_cast<int>(n);
  }
  return 1;
}

#ifdef PEACESIM_MPI
RankOutcome run_on_ranks(const v1::Scenario& scenario, RunRequest request,
                         const std::optional<CheckpointSettings>& checkpoint) {
  boost::mpi::environment environment(boost::mpi::threading::funneled, /*abort_on_exception=*/false);
  boost::mpi::communicator world;
  const int rank = world.rank(), size = world.size();
  RankOutcome outcome;
  outcome.ranks = size;
  // Each rank's part, or its failure: a leading byte 0 (the part's bytes follow), or the exit code
  // and the message.
  std::string message(1, '\0');
  try {
    request.shard = rank + 1;
    request.shards = size;
    if (rank != 0) request.progress = nullptr;
    if (!request.stream.empty()) {
      request.stream = rank_file(request.stream, rank);
      io::check_writable(request.stream, "--stream");  // this rank's own file, as the bare one was checked
    }
    const Checkpointing checkpointing(checkpoint, request, rank);
    message += io::deterministic_bytes(run_part(scenario, request));
  } catch (const io::InputError& e) {
    message = std::string(1, static_cast<char>(kExitUsage));
    for (const io::Diagnostic& d : e.diagnostics()) message += io::format(d) + "\n";
  } catch (const std::invalid_argument& e) {
    message = std::string(1, static_cast<char>(kExitUsage)) + e.what();
  } catch (const std::exception& e) {
    message = std::string(1, static_cast<char>(kExitInternal)) + e.what();
  }
  std::vector<std::string> gathered;
  boost::mpi::gather(world, message, gathered, 0);
  // A rank's failure is rank 0's to report, and rank 0's exit code is the launch's. The failing
  // rank itself exits 0: a non-zero exit would make mpirun abort the job, rank 0 with it, before
  // rank 0 has said what went wrong.
  if (rank != 0) return outcome;
  for (int r = 0; r < size; ++r) {
    const std::string& m = gathered[r];
    if (m[0] == kExitUsage) throw std::invalid_argument("rank " + std::to_string(r) + ": " + m.substr(1));
    if (m[0] != 0) throw std::runtime_error("rank " + std::to_string(r) + ": " + m.substr(1));
  }
  // Each rank's part is parsed when the merge reads it, one at a time.
  reuse_freed_memory();
  const PartsMerge merge({gathered.size(), [&](std::size_t r) { return gathered[r].substr(1); },
                          [](std::size_t r) { return "the part of rank " + std::to_string(r); }});
  outcome.results = merge.results();
  return outcome;
}
#endif

}  // namespace peacesim::cli
