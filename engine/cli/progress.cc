// Progress bar; see progress.h.
#include "engine/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace peacesim::cli {

Progress::Progress(bool enabled)
    : enabled_(enabled && ::isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}

void Progress::update(std::int64_t done, std::int64_t total) {
  if (!enabled_ || total <= 0) return;
  const double share = static_cast<double>(done) / static_cast<double>(total);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double eta = share > 0 ? elapsed * (1 - share) / share : 0;
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
  if (drawn_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace peacesim::cli
