// A progress bar with an ETA on stderr, drawn only when stderr is a terminal.
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
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace peacesim::cli
