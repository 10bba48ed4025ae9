// The extensions the build's compiler flags enable (see processor.h): the compiler's own macros.
// The x86-64 levels 2-4 (v2: SSE3 to SSE4.2 and POPCNT; v3: AVX, AVX2, FMA, BMI1/2; v4: AVX-512
// F, BW, CD, DQ, VL) and the later vector extensions that -march=native may enable.
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
    ;

}  // namespace peacesim::cli
