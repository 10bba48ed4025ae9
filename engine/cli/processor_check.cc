// The processor check (see processor.h). Compiled for any x86-64 (CMakeLists.txt), and written
// with C library calls and <cpuid.h>'s static functions (this file's own copies) only: no inline
// function of a header that another file, compiled for the newer processor, might provide in its
// stead.
#include <cpuid.h>
#include <unistd.h>

#include <cstdint>
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

// The processor's CPUID words that name extensions, and the register state the operating system
// saves on a context switch (XCR0), read once.
struct Cpu {
  std::uint32_t leaf1_ecx = 0, leaf7_ebx = 0, leaf7_ecx = 0, leaf7_edx = 0, leaf7s1_eax = 0, leafd1_eax = 0;
  std::uint32_t ext1_ecx = 0, ext8_ebx = 0;
  std::uint64_t xcr0 = 0;
};

Cpu read_cpu() {
  Cpu c;
  unsigned a, b, cx, d;
  const unsigned max = __get_cpuid_max(0, nullptr);
  if (max >= 1 && __get_cpuid_count(1, 0, &a, &b, &cx, &d)) c.leaf1_ecx = cx;
  if (max >= 7 && __get_cpuid_count(7, 0, &a, &b, &cx, &d)) {
    c.leaf7_ebx = b;
    c.leaf7_ecx = cx;
    c.leaf7_edx = d;
    if (a >= 1 && __get_cpuid_count(7, 1, &a, &b, &cx, &d)) c.leaf7s1_eax = a;
  }
  if (max >= 0xd && __get_cpuid_count(0xd, 1, &a, &b, &cx, &d)) c.leafd1_eax = a;
  const unsigned ext = __get_cpuid_max(0x80000000u, nullptr);
  if (ext >= 0x80000001u && __get_cpuid_count(0x80000001u, 0, &a, &b, &cx, &d)) c.ext1_ecx = cx;
  if (ext >= 0x80000008u && __get_cpuid_count(0x80000008u, 0, &a, &b, &cx, &d)) c.ext8_ebx = b;
  if (c.leaf1_ecx & (1u << 27)) {  // OSXSAVE: XGETBV may be used (spelled as bytes: any assembler)
    std::uint32_t lo, hi;
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
    c.xcr0 = (static_cast<std::uint64_t>(hi) << 32) | lo;
  }
  return c;
}

// Where CPUID reports an extension, and the registers the operating system must save for it:
// the AVX registers (XCR0 bits 1-2) for VEX-encoded extensions, and the AVX-512 ones as well
// (bits 5-7) for AVX-512 (Intel SDM vol. 2A, CPUID; vol. 1, 13.3; AMD APM vol. 3, appendix E).
enum Word { kLeaf1Ecx, kLeaf7Ebx, kLeaf7Ecx, kLeaf7Edx, kLeaf7s1Eax, kLeafD1Eax, kExt1Ecx, kExt8Ebx };
constexpr std::uint64_t kNoState = 0, kAvxState = 0x6, kAvx512State = 0xe6;

struct Extension {
  const char* name;  // as kBuiltFor names it
  Word word;
  int bit;
  std::uint64_t state;
};

constexpr Extension kExtensions[] = {
    {"sse3", kLeaf1Ecx, 0, kNoState},
    {"pclmul", kLeaf1Ecx, 1, kNoState},
    {"ssse3", kLeaf1Ecx, 9, kNoState},
    {"fma", kLeaf1Ecx, 12, kAvxState},
    {"cmpxchg16b", kLeaf1Ecx, 13, kNoState},
    {"sse4.1", kLeaf1Ecx, 19, kNoState},
    {"sse4.2", kLeaf1Ecx, 20, kNoState},
    {"movbe", kLeaf1Ecx, 22, kNoState},
    {"popcnt", kLeaf1Ecx, 23, kNoState},
    {"aes", kLeaf1Ecx, 25, kNoState},
    {"xsave", kLeaf1Ecx, 26, kNoState},
    {"avx", kLeaf1Ecx, 28, kAvxState},
    {"f16c", kLeaf1Ecx, 29, kAvxState},
    {"rdrnd", kLeaf1Ecx, 30, kNoState},
    {"fsgsbase", kLeaf7Ebx, 0, kNoState},
    {"bmi", kLeaf7Ebx, 3, kNoState},
    {"avx2", kLeaf7Ebx, 5, kAvxState},
    {"bmi2", kLeaf7Ebx, 8, kNoState},
    {"avx512f", kLeaf7Ebx, 16, kAvx512State},
    {"avx512dq", kLeaf7Ebx, 17, kAvx512State},
    {"rdseed", kLeaf7Ebx, 18, kNoState},
    {"adx", kLeaf7Ebx, 19, kNoState},
    {"avx512ifma", kLeaf7Ebx, 21, kAvx512State},
    {"clflushopt", kLeaf7Ebx, 23, kNoState},
    {"clwb", kLeaf7Ebx, 24, kNoState},
    {"avx512pf", kLeaf7Ebx, 26, kAvx512State},
    {"avx512er", kLeaf7Ebx, 27, kAvx512State},
    {"avx512cd", kLeaf7Ebx, 28, kAvx512State},
    {"sha", kLeaf7Ebx, 29, kNoState},
    {"avx512bw", kLeaf7Ebx, 30, kAvx512State},
    {"avx512vl", kLeaf7Ebx, 31, kAvx512State},
    {"avx512vbmi", kLeaf7Ecx, 1, kAvx512State},
    {"avx512vbmi2", kLeaf7Ecx, 6, kAvx512State},
    {"gfni", kLeaf7Ecx, 8, kNoState},
    {"vaes", kLeaf7Ecx, 9, kAvxState},
    {"vpclmulqdq", kLeaf7Ecx, 10, kAvxState},
    {"avx512vnni", kLeaf7Ecx, 11, kAvx512State},
    {"avx512bitalg", kLeaf7Ecx, 12, kAvx512State},
    {"avx512vpopcntdq", kLeaf7Ecx, 14, kAvx512State},
    {"rdpid", kLeaf7Ecx, 22, kNoState},
    {"avx5124vnniw", kLeaf7Edx, 2, kAvx512State},
    {"avx5124fmaps", kLeaf7Edx, 3, kAvx512State},
    {"avx512vp2intersect", kLeaf7Edx, 8, kAvx512State},
    {"avx512fp16", kLeaf7Edx, 23, kAvx512State},
    {"avxvnni", kLeaf7s1Eax, 4, kAvxState},
    {"avx512bf16", kLeaf7s1Eax, 5, kAvx512State},
    {"xsaveopt", kLeafD1Eax, 0, kNoState},
    {"xsavec", kLeafD1Eax, 1, kNoState},
    {"xsaves", kLeafD1Eax, 3, kNoState},
    {"lahf_lm", kExt1Ecx, 0, kNoState},
    {"lzcnt", kExt1Ecx, 5, kNoState},
    {"sse4a", kExt1Ecx, 6, kNoState},
    {"prfchw", kExt1Ecx, 8, kNoState},
    {"xop", kExt1Ecx, 11, kAvxState},
    {"fma4", kExt1Ecx, 16, kAvxState},
    {"tbm", kExt1Ecx, 21, kNoState},
    {"clzero", kExt8Ebx, 0, kNoState},
};

// Room for every name, each with a space.
constexpr std::size_t kNamesRoom = [] {
  std::size_t n = 1;
  for (const Extension& e : kExtensions)
    for (const char* c = e.name; *c != '\0'; ++c) ++n;
  return n + sizeof kExtensions / sizeof kExtensions[0];
}();

bool has(const Cpu& c, const Extension& e) {
  const std::uint32_t words[] = {c.leaf1_ecx,   c.leaf7_ebx,  c.leaf7_ecx, c.leaf7_edx,
                                 c.leaf7s1_eax, c.leafd1_eax, c.ext1_ecx,  c.ext8_ebx};
  return (words[e.word] >> e.bit & 1u) != 0 && (c.xcr0 & e.state) == e.state;
}

// Ahead of every static initialiser (priority 101, the first an application may use): those of
// the files compiled for the newer processor could already use its instructions.
__attribute__((constructor(101))) void check_processor() {
  const Cpu cpu = read_cpu();
  char missing[kNamesRoom] = "";
  for (const Extension& e : kExtensions) {
    if (!built_for(e.name) || has(cpu, e)) continue;
    if (missing[0] != '\0') std::strcat(missing, " ");
    std::strcat(missing, e.name);
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
