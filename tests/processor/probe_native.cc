// The extensions of a build for this very processor: engine/cli/built_for.cc compiled with
// -march=native (tests/CMakeLists.txt). The check must find every one of them here and let the
// program run (cli.processor_check_native).
#include "engine/cli/built_for.cc"
