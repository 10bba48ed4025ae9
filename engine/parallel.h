// The engine's parallel loops: oneTBB's parallel_for, with its fork and join made visible to
// ThreadSanitizer. Debian's libtbb is not instrumented, so TSan cannot see how it hands work to
// its threads and back; without these annotations every value written before a loop and read in
// it, or written in it and read after, would be reported as a race. The annotations add exactly the
// ordering oneTBB guarantees (the caller's work before the loop happens before every chunk, and
// every chunk before the loop returns); chunks stay unordered among themselves, so a race between
// two chunks is still reported (tests/tsan/planted_race.cc). In other builds they are empty. Every
// parallel loop of the engine goes through here.
#pragma once

#include <oneapi/tbb/parallel_for.h>

#if defined(__SANITIZE_THREAD__)
#define PEACESIM_TSAN_ANNOTATE 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PEACESIM_TSAN_ANNOTATE 1
#endif
#endif

#ifdef PEACESIM_TSAN_ANNOTATE
#include <sanitizer/tsan_interface.h>
#endif

namespace peacesim {

// Happens-before edges around a parallel loop: from the caller before the loop (fork) to the
// start of every chunk, and from the end of every chunk to the caller after the loop (join). Two
// sync objects, so that no chunk is ordered after another.
class HandOff {
 public:
  void fork() { release(&fork_); }
  void chunk_starts() { acquire(&fork_); }
  void chunk_ends() { release(&join_); }
  void join() { acquire(&join_); }

 private:
  static void release([[maybe_unused]] void* sync) {
#ifdef PEACESIM_TSAN_ANNOTATE
    __tsan_release(sync);
#endif
  }
  static void acquire([[maybe_unused]] void* sync) {
#ifdef PEACESIM_TSAN_ANNOTATE
    __tsan_acquire(sync);
#endif
  }
  char fork_ = 0, join_ = 0;
};

// tbb::parallel_for over `range` (with `partitioner`, if given), with the hand-off.
template <class Range, class Body, class... Partitioner>
void parallel_for(const Range& range, const Body& body, const Partitioner&... partitioner) {
  HandOff hand_off;
  hand_off.fork();
  tbb::parallel_for(
      range,
      [&](const Range& chunk) {
        hand_off.chunk_starts();
        body(chunk);
        hand_off.chunk_ends();
      },
      partitioner...);
  hand_off.join();
}

// tbb::parallel_for over the indices [first, last), with the hand-off.
template <class Index, class Body>
void parallel_for(Index first, Index last, const Body& body) {
  HandOff hand_off;
  hand_off.fork();
  tbb::parallel_for(first, last, [&](Index i) {
    hand_off.chunk_starts();
    body(i);
    hand_off.chunk_ends();
  });
  hand_off.join();
}

}  // namespace peacesim
