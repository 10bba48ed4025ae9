// The settings of one command, resolved once: the command line's --runs, --horizon and --seed over
// the scenario's simulation block (compile() has read it into the Model, which stays as compiled),
// each checked against its range. Every command of the pipeline resolves its settings here.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/model.h"

namespace peacesim {

struct Settings {
  std::int64_t runs = 0;
  int horizon = 0;
  std::uint64_t seed = 0;
};

// Throws std::invalid_argument, naming the flag, for a value out of its range.
Settings resolve(const Model& model, std::optional<std::int64_t> runs, std::optional<int> horizon,
                 std::optional<std::uint64_t> seed);

// Throws std::invalid_argument unless 0 <= threads <= 4096 (0 = all cores).
void check_threads(int threads);

}  // namespace peacesim
