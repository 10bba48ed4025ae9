// A deliberate data race in the engine's own pattern of parallel work (a task arena, the engine's
// parallel_for over blocked ranges of realisations, a shared tally), built only with
// -DPEACESIM_TSAN=ON. The ctest case expects ThreadSanitizer to report it with the suppressions of
// tests/tsan.supp and the hand-off annotations of engine/parallel.h in force: they silence oneTBB's
// internals and its join, not races between chunks of peacesim's work.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/task_arena.h>

#include <cstdint>
#include <cstdio>

#include "engine/parallel.h"

namespace {

// Counts the realisations in [0, n) with an odd index, tallying into one shared variable without
// synchronisation: the planted race.
std::int64_t racy_tally(std::int64_t n) {
  std::int64_t odd = 0;
  tbb::task_arena arena(2);
  arena.execute([&] {
    peacesim::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 64),
                           [&](const tbb::blocked_range<std::int64_t>& range) {
                             for (std::int64_t i = range.begin(); i < range.end(); ++i)
                               if (i % 2 == 1) odd = odd + 1;  // peacesim_planted_race
                           });
  });
  return odd;
}

}  // namespace

int main() {
  std::printf("tally %lld\n", static_cast<long long>(racy_tally(1 << 16)));
  return 0;
}
