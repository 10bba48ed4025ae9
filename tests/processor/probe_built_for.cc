// The extensions of a build for a processor with AVX-512 ER (Xeon Phi only, which no machine that
// runs these tests has), in place of engine/cli/built_for.cc.
#include "engine/cli/processor.h"

namespace peacesim::cli {

const char kBuiltFor[] = "sse3 avx512er ";

}  // namespace peacesim::cli
