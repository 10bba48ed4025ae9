// The bundled example scenarios the unit tests share, loaded and validated.
#pragma once

#include <string>

#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim {

// scenarios/examples/tiny.textproto: three options, a few drivers and actors.
inline v1::Scenario tiny() {
  io::LoadedScenario loaded =
      io::load_scenario(std::string(PEACESIM_SOURCE_DIR) + "/scenarios/examples/tiny.textproto");
  io::require_valid(loaded);
  return loaded.scenario;
}

}  // namespace peacesim
