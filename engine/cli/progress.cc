// Progress on stderr; see progress.h.
#include "engine/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace peacesim::cli {

Progress::Progress(bool enabled)
    : enabled_(enabled),
      terminal_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_line_(start_) {}

void Progress::update(std::int64_t done, std::int64_t total) {
  if (!enabled_ || total <= 0 || done <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  const double share = static_cast<double>(done) / static_cast<double>(total);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = elapsed * (1 - share) / share;
  // Once the rate is known (a few seconds in), a run of over an hour says so, once.
  if (!warned_ && elapsed >= 2 && done < total && eta > 3600) {
    warned_ = true;
    std::fprintf(stderr,
                 "%speacesim: this run will take about %.1f hours more (%lld realisations); "
                 "fewer --runs, or shards on a cluster, would be quicker\n",
                 drawn_ ? "\r\033[K" : "", eta / 3600, static_cast<long long>(total));
  }
  if (!terminal_) {
    // Every 30 s; at the end only when lines came before (a short run says nothing).
    if (std::chrono::duration<double>(now - last_line_).count() < 30 && (done < total || !drawn_)) return;
    last_line_ = now;
    drawn_ = done < total;
    std::fprintf(stderr, "peacesim: %lld/%lld realisations (%.0f%%), %.0fs elapsed, about %.0fs to go\n",
                 static_cast<long long>(done), static_cast<long long>(total), 100 * share, elapsed, eta);
    return;
  }
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(share * kWidth);
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
  bar[kWidth] = '\0';
  std::fprintf(stderr, "\r[%s] %3.0f%%  %lld/%lld realisations  ETA %.0fs ", bar, 100 * share,
               static_cast<long long>(done), static_cast<long long>(total), eta);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_ && terminal_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace peacesim::cli
