// Progress on stderr: a bar with an ETA on a terminal; elsewhere (CI, batch jobs, pipes) a plain
// line at most every 30 seconds, so that a long run is never silent. Both warn once, early, when
// the run will take more than an hour.
#pragma once

#include <chrono>
#include <cstdint>

namespace peacesim::cli {

class Progress {
 public:
  explicit Progress(bool enabled);
  void update(std::int64_t done, std::int64_t total);
  void finish();

 private:
  bool enabled_, terminal_;
  bool drawn_ = false, warned_ = false;
  std::chrono::steady_clock::time_point start_, last_line_;
};

}  // namespace peacesim::cli
