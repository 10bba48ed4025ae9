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
#include <oneapi/tbb/parallel_pipeline.h>

#include <cstdint>
#include <optional>
#include <vector>

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

// A point of ThreadSanitizer synchronisation: what a thread did before release() happens before
// what another does after a later acquire(). Empty outside ThreadSanitizer builds.
class SyncPoint {
 public:
  void release() {
#ifdef PEACESIM_TSAN_ANNOTATE
    __tsan_release(&sync_);
#endif
  }
  void acquire() {
#ifdef PEACESIM_TSAN_ANNOTATE
    __tsan_acquire(&sync_);
#endif
  }

 private:
  char sync_ = 0;
};

// tbb::parallel_pipeline over items 0, 1, 2, ... of three stages: issue() (serial, in order)
// returns the next item or nullopt to stop; work(i) runs items in parallel; finish(i) takes them
// serially in issue order. At most `tokens` items are in flight, so item i may keep its data in
// slot i % tokens: item i + tokens is issued only after finish(i) has returned. issue() must not
// touch the slots: they are the work and finish stages'. The hand-offs ordered by oneTBB are made
// visible to ThreadSanitizer: from the caller to every stage, from the issue of an item to its work
// and from its work to its finish, from finish(i) to the work of i + tokens (which reuses the slot),
// between calls of each serial stage, and from every stage back to the caller, also when a stage
// throws (oneTBB then cancels the rest, waits for the stages running, and rethrows).
template <class Issue, class Work, class Finish>
void ordered_pipeline(std::size_t tokens, Issue&& issue, Work&& work, Finish&& finish) {
  SyncPoint start, issued, finished;
  std::vector<SyncPoint> slots(tokens);
  auto slot = [&](std::int64_t i) -> SyncPoint& { return slots[static_cast<std::size_t>(i) % tokens]; };
  // Releases `point` when the stage ends, returning or throwing.
  struct ReleaseAtEnd {
    SyncPoint& point;
    ~ReleaseAtEnd() { point.release(); }
  };
  auto issue_stage = [&](tbb::flow_control& control) -> std::int64_t {
    start.acquire();
    issued.acquire();
    ReleaseAtEnd end{issued};
    const std::optional<std::int64_t> next = issue();
    if (!next) {
      control.stop();
      return 0;
    }
    slot(*next).release();
    return *next;
  };
  auto work_stage = [&](std::int64_t i) {
    start.acquire();
    slot(i).acquire();
    ReleaseAtEnd end{slot(i)};
    work(i);
    return i;
  };
  auto finish_stage = [&](std::int64_t i) {
    start.acquire();
    finished.acquire();
    ReleaseAtEnd end_finished{finished};
    slot(i).acquire();
    ReleaseAtEnd end_slot{slot(i)};
    finish(i);
  };
  // Back to the caller, however the pipeline ends.
  struct AcquireAtEnd {
    SyncPoint &issued, &finished;
    std::vector<SyncPoint>& slots;
    ~AcquireAtEnd() {
      issued.acquire();
      finished.acquire();
      for (SyncPoint& s : slots) s.acquire();
    }
  } join{issued, finished, slots};
  start.release();
  tbb::parallel_pipeline(tokens,
                         tbb::make_filter<void, std::int64_t>(tbb::filter_mode::serial_in_order, issue_stage) &
                             tbb::make_filter<std::int64_t, std::int64_t>(tbb::filter_mode::parallel, work_stage) &
                             tbb::make_filter<std::int64_t, void>(tbb::filter_mode::serial_in_order, finish_stage));
}

}  // namespace peacesim
