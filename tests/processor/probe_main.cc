// A program linked with peacesim's processor check (engine/cli/processor_check.cc) and a stand-in
// for the build's extensions that names one this processor lacks (probe_built_for.cc): the check
// must stop it before its static initialisers and main run (tests/CMakeLists.txt, cli.processor_check).
#include <cstdio>

namespace {
struct Initialiser {
  Initialiser() { std::puts("a static initialiser ran"); }
} initialiser;
}  // namespace

int main() {
  std::puts("main ran");
  return 0;
}
