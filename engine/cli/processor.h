// The instruction-set extensions this build of peacesim uses (-DPEACESIM_MARCH, or -march in the
// compiler flags), checked against the processor's before anything else runs: a build for a newer
// processor stops with a message and exit code 2 instead of dying of an illegal instruction.
// processor_check.cc is compiled for any x86-64 and runs as a constructor ahead of every static
// initialiser; built_for.cc is compiled with the build's flags and holds data only.
#pragma once

namespace peacesim::cli {

// The extensions the build's flags enable, each name followed by a space, as
// __builtin_cpu_supports names them ("avx2 fma avx512f ...").
extern const char kBuiltFor[];

}  // namespace peacesim::cli
