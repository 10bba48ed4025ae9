// Command settings; see resolve.h.
#include "engine/resolve.h"

#include <stdexcept>
#include <string>

namespace peacesim {

Settings resolve(const Model& model, std::optional<std::int64_t> runs, std::optional<int> horizon,
                 std::optional<std::uint64_t> seed) {
  if (runs && (*runs < 1 || *runs > kMaxRuns))
    throw std::invalid_argument("--runs is " + std::to_string(*runs) + ", but must lie in [1, 1000000000]");
  if (horizon && (*horizon < 1 || *horizon > kMaxHorizon))
    throw std::invalid_argument("--horizon is " + std::to_string(*horizon) + ", but must lie in [1, 600] months");
  return {runs.value_or(model.runs), horizon.value_or(model.horizon), seed.value_or(model.seed)};
}

void check_threads(int threads) {
  if (threads < 0 || threads > 4096)
    throw std::invalid_argument("--threads is " + std::to_string(threads) +
                                ", but must lie in [0, 4096] (0 = all cores)");
}

}  // namespace peacesim
