#!/usr/bin/env bash
# The same bytes whatever vector instructions a build uses: builds peacesim into build-isa for
# other vector instructions than the reference build's, and checks that every output of run,
# sensitivity, discover and assess is the reference build's bytes (tests/isa/same_bytes.py). A
# reference built with AVX2 (the default on a machine that has x86-64-v3) is compared with a build
# for any x86-64 (SSE2 only); a reference for any x86-64 with a build for this machine's widest
# level (x86-64-v4 with AVX-512, else x86-64-v3). Nothing to compare on a machine without AVX2.
#
#   scripts/check-isa-bytes.sh [REFERENCE_BUILD_DIR]      (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
reference=${1:-build}
if ! grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
  echo "no AVX2 on this machine: no other vector width to compare"
  exit 0
fi
if "$reference/peacesim" --version | grep -q "processor extensions used: .*avx2"; then
  march=x86-64
elif grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  march=x86-64-v4
else
  march=x86-64-v3
fi
echo "building peacesim with -march=$march into build-isa"
cmake -S . -B build-isa -G Ninja -DCMAKE_BUILD_TYPE=Release -DPEACESIM_MARCH=$march \
  -DPEACESIM_TESTS=OFF -DPEACESIM_BENCHMARKS=OFF >/dev/null
cmake --build build-isa --target peacesim
# The build knows what it was built for (and would refuse a processor without it).
if [ "$march" = x86-64 ]; then
  build-isa/peacesim --version | grep -q "processor extensions used: none beyond the baseline" ||
    { echo "build-isa/peacesim --version lists extensions beyond any x86-64's" >&2; exit 1; }
else
  build-isa/peacesim --version | grep -q "processor extensions used: .*avx2" ||
    { echo "build-isa/peacesim --version does not list the extensions of -march=$march" >&2; exit 1; }
fi
python3 tests/isa/same_bytes.py --reference "$reference/peacesim" --other build-isa/peacesim --source .
