// Reading scenarios: protobuf text format (.textproto, .txtpb, .pbtxt) or JSON (.json), chosen by
// extension, with every syntax error reported as file:line:col.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/io/diagnostics.h"
#include "engine/io/locate.h"
#include "peacesim/v1/observations.pb.h"
#include "peacesim/v1/scenario.pb.h"

namespace peacesim::io {

struct LoadedScenario {
  v1::Scenario scenario;
  std::string file;                  // as named to the user
  std::unique_ptr<Locator> locator;  // where each field was written
};

struct LoadedObservations {
  v1::Observations observations;
  std::string file;
  std::unique_ptr<Locator> locator;
};

enum class Format { kText, kJson };

// Format by extension; throws InputError for an unknown extension, naming `what` is expected
// ("scenario", "observations").
Format format_of(const std::string& path, const std::string& what = "scenario");

// Parses `text`; throws InputError with located diagnostics.
LoadedScenario parse_scenario(std::string_view text, const std::string& file, Format format);

// Reads and parses a file; throws InputError if it cannot be read or parsed.
LoadedScenario load_scenario(const std::string& path);

// The same for observations (peacesim.v1.Observations).
LoadedObservations parse_observations(std::string_view text, const std::string& file, Format format);
LoadedObservations load_observations(const std::string& path);

// The bundled default scenario (Carana), compiled into the binary.
LoadedScenario load_default_scenario();
std::string_view default_scenario_text();

// The commented starter scenario written by `peacesim init` (scenarios/starter.textproto, compiled
// in), with the placeholder name "NAME".
std::string_view starter_scenario_text();

// Reads a whole file; throws InputError naming the file when it cannot.
std::string read_file(const std::string& path);

}  // namespace peacesim::io
