// peacesim run across MPI ranks; see ranks.h.
#include "engine/cli/ranks.h"

#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#ifdef PEACESIM_MPI
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
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
    message += run_part(scenario, request);
  } catch (const io::InputError& e) {
    message = std::string(1, static_cast<char>(kExitUsage));
    for (const io::Diagnostic& d : e.diagnostics()) message += io::format(d) + "\n";
  } catch (const std::invalid_argument& e) {
    message = std::string(1, static_cast<char>(kExitUsage)) + e.what();
  } catch (const std::exception& e) {
    message = std::string(1, static_cast<char>(kExitInternal)) + e.what();
  }
  // A rank's failure is rank 0's to report, and rank 0's exit code is the launch's. The failing
  // rank itself exits 0: a non-zero exit would make mpirun abort the job, rank 0 with it, before
  // rank 0 has said what went wrong.
  constexpr int kPartTag = 1;
  if (rank != 0) {
    world.send(0, kPartTag, message);
    return outcome;
  }
  // Rank 0 adds the parts up in rank order as they come, holding one at a time. After a failure it
  // still receives every rank's message, so that no rank is left waiting on its send, and reports
  // the first failure in rank order.
  std::optional<ShardsInOrder> merge;  // of the run of rank 0's part
  std::exception_ptr failure;
  for (int r = 0; r < size; ++r) {
    if (r > 0) {
      message = std::string();
      world.recv(r, kPartTag, message);
    }
    if (failure) continue;
    try {
      const std::string from = "rank " + std::to_string(r);
      if (message.empty()) throw std::runtime_error(from + " sent nothing");
      if (message[0] == kExitUsage) throw std::invalid_argument(from + ": " + message.substr(1));
      if (message[0] != 0) throw std::runtime_error(from + ": " + message.substr(1));
      const std::string_view part = std::string_view(message).substr(1);
      if (r == 0) {  // the run of rank 0's part
        const v1::RunPartial header = io::parse_part_header(part, "the part of rank 0");
        merge.emplace(header.scenario(), header.scenario_sha256(), io::settings_of(header));
      }
      merge->add(part, "the part of " + from);
      // From here on each part reuses what the last one freed; before, rank 0's own run gives its
      // memory back (bench/rank_memory.sh: 24 ranks, 154 MiB at rank 0's peak, 168 MiB when kept
      // from before its own part is added).
      if (r == 0) reuse_freed_memory();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  outcome.results = std::move(*merge).results();
  return outcome;
}
#endif

}  // namespace peacesim::cli
