// The processor check (see processor.h). Compiled for any x86-64 (CMakeLists.txt), and written
// with C library calls only: no inline function of a header that another file, compiled for the
// newer processor, might provide in its stead.
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "engine/cli/processor.h"

#if defined(__x86_64__)

namespace peacesim::cli {
namespace {

// Whether the build's flags enable extension `name` (one of kBuiltFor's space-ended names).
bool built_for(const char* name) {
  const std::size_t n = std::strlen(name);
  for (const char* p = kBuiltFor; *p != '\0';) {
    const char* end = std::strchr(p, ' ');
    if (static_cast<std::size_t>(end - p) == n && std::strncmp(p, name, n) == 0) return true;
    p = end + 1;
  }
  return false;
}

// Ahead of every static initialiser (priority 101, the first an application may use): those of
// the files compiled for the newer processor could already use its instructions.
__attribute__((constructor(101))) void check_processor() {
  __builtin_cpu_init();
  struct Known {
    const char* name;
    bool present;
  };
  const Known known[] = {
      {"sse3", __builtin_cpu_supports("sse3") != 0},
      {"ssse3", __builtin_cpu_supports("ssse3") != 0},
      {"sse4.1", __builtin_cpu_supports("sse4.1") != 0},
      {"sse4.2", __builtin_cpu_supports("sse4.2") != 0},
      {"popcnt", __builtin_cpu_supports("popcnt") != 0},
      {"avx", __builtin_cpu_supports("avx") != 0},
      {"avx2", __builtin_cpu_supports("avx2") != 0},
      {"fma", __builtin_cpu_supports("fma") != 0},
      {"bmi", __builtin_cpu_supports("bmi") != 0},
      {"bmi2", __builtin_cpu_supports("bmi2") != 0},
      {"avx512f", __builtin_cpu_supports("avx512f") != 0},
      {"avx512bw", __builtin_cpu_supports("avx512bw") != 0},
      {"avx512cd", __builtin_cpu_supports("avx512cd") != 0},
      {"avx512dq", __builtin_cpu_supports("avx512dq") != 0},
      {"avx512vl", __builtin_cpu_supports("avx512vl") != 0},
      {"avx512ifma", __builtin_cpu_supports("avx512ifma") != 0},
      {"avx512vbmi", __builtin_cpu_supports("avx512vbmi") != 0},
      {"avx512vbmi2", __builtin_cpu_supports("avx512vbmi2") != 0},
      {"avx512vnni", __builtin_cpu_supports("avx512vnni") != 0},
      {"avx512bitalg", __builtin_cpu_supports("avx512bitalg") != 0},
      {"avx512vpopcntdq", __builtin_cpu_supports("avx512vpopcntdq") != 0},
      {"avx512er", __builtin_cpu_supports("avx512er") != 0},
      {"gfni", __builtin_cpu_supports("gfni") != 0},
      {"vpclmulqdq", __builtin_cpu_supports("vpclmulqdq") != 0},
  };
  char missing[512] = "";
  for (const Known& k : known) {
    if (k.present || !built_for(k.name)) continue;
    if (missing[0] != '\0') std::strcat(missing, " ");
    std::strcat(missing, k.name);  // at most 24 names of at most 15 letters
  }
  if (missing[0] == '\0') return;
  std::fprintf(stderr,
               "peacesim: this build uses instructions this processor lacks (%s): it was built for a newer "
               "processor (-DPEACESIM_MARCH or -march). Build it again for this one, or without PEACESIM_MARCH "
               "for any x86-64 processor; the results are the same bytes either way.\n",
               missing);
  _exit(2);
}

}  // namespace
}  // namespace peacesim::cli

#endif  // __x86_64__
