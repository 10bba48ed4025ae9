// A deliberate data race in the engine's own pattern of parallel work (a task arena, the engine's
// parallel_for over blocked ranges, a shared tally), built only with -DPEACESIM_TSAN=ON. The ctest
// case expects ThreadSanitizer to report it with the suppressions of tests/tsan.supp and the
// hand-off annotations of engine/parallel.h in force: they silence oneTBB's internals and its
// join, not races between chunks of peacesim's work.
//
// So that the race happens on every run, the two chunks run on two threads: each chunk writes the
// tally, then waits (up to 10 s) until the other chunk has started, so one thread cannot take both.
// The wait's atomic comes after each chunk's write, so it does not order the two writes.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>

#include "engine/parallel.h"

namespace {

std::int64_t racy_tally() {
  std::int64_t tally = 0;
  std::atomic<int> started{0};
  tbb::task_arena arena(2);
  arena.execute([&] {
    peacesim::parallel_for(
        tbb::blocked_range<int>(0, 2, 1),
        [&](const tbb::blocked_range<int>& range) {
          for (int i = range.begin(); i < range.end(); ++i) {
            tally = tally + 1;  // peacesim_planted_race: unsynchronised read-modify-write
            started.fetch_add(1);
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (started.load() < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
          }
        },
        tbb::simple_partitioner());
  });
  return tally;
}

}  // namespace

int main() {
  std::printf("tally %lld\n", static_cast<long long>(racy_tally()));
  return 0;
}
