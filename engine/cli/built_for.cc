// The extensions the build's compiler flags enable (see processor.h): the compiler's own macros.
// Every extension of the x86-64 levels 2-4 (v2: SSE3 to SSE4.2, POPCNT, CMPXCHG16B, LAHF/SAHF; v3:
// AVX, AVX2, FMA, BMI1/2, F16C, LZCNT, MOVBE, XSAVE; v4: AVX-512 F, BW, CD, DQ, VL) and those that
// -march=native may add on processors of Intel and AMD; processor_check.cc knows where CPUID
// reports each.
#include "engine/cli/processor.h"

namespace peacesim::cli {

const char kBuiltFor[] =
    ""
#ifdef __SSE3__
    "sse3 "
#endif
#ifdef __SSSE3__
    "ssse3 "
#endif
#ifdef __SSE4_1__
    "sse4.1 "
#endif
#ifdef __SSE4_2__
    "sse4.2 "
#endif
#ifdef __POPCNT__
    "popcnt "
#endif
#ifdef __AVX__
    "avx "
#endif
#ifdef __AVX2__
    "avx2 "
#endif
#ifdef __FMA__
    "fma "
#endif
#ifdef __BMI__
    "bmi "
#endif
#ifdef __BMI2__
    "bmi2 "
#endif
#ifdef __AVX512F__
    "avx512f "
#endif
#ifdef __AVX512BW__
    "avx512bw "
#endif
#ifdef __AVX512CD__
    "avx512cd "
#endif
#ifdef __AVX512DQ__
    "avx512dq "
#endif
#ifdef __AVX512VL__
    "avx512vl "
#endif
#ifdef __AVX512IFMA__
    "avx512ifma "
#endif
#ifdef __AVX512VBMI__
    "avx512vbmi "
#endif
#ifdef __AVX512VBMI2__
    "avx512vbmi2 "
#endif
#ifdef __AVX512VNNI__
    "avx512vnni "
#endif
#ifdef __AVX512BITALG__
    "avx512bitalg "
#endif
#ifdef __AVX512VPOPCNTDQ__
    "avx512vpopcntdq "
#endif
#ifdef __AVX512ER__
    "avx512er "
#endif
#ifdef __GFNI__
    "gfni "
#endif
#ifdef __VPCLMULQDQ__
    "vpclmulqdq "
#endif
#ifdef __PCLMUL__
    "pclmul "
#endif
#ifdef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
    "cmpxchg16b "
#endif
#ifdef __MOVBE__
    "movbe "
#endif
#ifdef __AES__
    "aes "
#endif
#ifdef __XSAVE__
    "xsave "
#endif
#ifdef __F16C__
    "f16c "
#endif
#ifdef __RDRND__
    "rdrnd "
#endif
#ifdef __FSGSBASE__
    "fsgsbase "
#endif
#ifdef __RDSEED__
    "rdseed "
#endif
#ifdef __ADX__
    "adx "
#endif
#ifdef __CLFLUSHOPT__
    "clflushopt "
#endif
#ifdef __CLWB__
    "clwb "
#endif
#ifdef __AVX512PF__
    "avx512pf "
#endif
#ifdef __SHA__
    "sha "
#endif
#ifdef __VAES__
    "vaes "
#endif
#ifdef __RDPID__
    "rdpid "
#endif
#ifdef __AVX5124VNNIW__
    "avx5124vnniw "
#endif
#ifdef __AVX5124FMAPS__
    "avx5124fmaps "
#endif
#ifdef __AVX512VP2INTERSECT__
    "avx512vp2intersect "
#endif
#ifdef __AVX512FP16__
    "avx512fp16 "
#endif
#ifdef __AVXVNNI__
    "avxvnni "
#endif
#ifdef __AVX512BF16__
    "avx512bf16 "
#endif
#ifdef __XSAVEOPT__
    "xsaveopt "
#endif
#ifdef __XSAVEC__
    "xsavec "
#endif
#ifdef __XSAVES__
    "xsaves "
#endif
#ifdef __LAHF_SAHF__
    "lahf_lm "
#endif
#ifdef __LZCNT__
    "lzcnt "
#endif
#if defined(__ABM__) && !defined(__LZCNT__)  // AMD's name for LZCNT (with POPCNT)
    "lzcnt "
#endif
#ifdef __SSE4A__
    "sse4a "
#endif
#ifdef __PRFCHW__
    "prfchw "
#endif
#ifdef __XOP__
    "xop "
#endif
#ifdef __FMA4__
    "fma4 "
#endif
#ifdef __TBM__
    "tbm "
#endif
#ifdef __CLZERO__
    "clzero "
#endif
    ;

}  // namespace peacesim::cli
