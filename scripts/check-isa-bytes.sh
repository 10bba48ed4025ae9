#!/usr/bin/env bash
# The same bytes whatever vector instructions a build uses: builds peacesim for this machine's
# widest ones (-march=x86-64-v4 with AVX-512, else x86-64-v3 with AVX2) into build-isa, and checks
# that every output of run, sensitivity, discover and assess is the bytes of the Release build in
# build/ (tests/isa/same_bytes.py). Nothing to compare on a machine without AVX2.
#
#   scripts/check-isa-bytes.sh [REFERENCE_BUILD_DIR]      (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
reference=${1:-build}
march=""
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  march=x86-64-v4
elif grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
  march=x86-64-v3
fi
if [ -z "$march" ]; then
  echo "no AVX2 on this machine: no wider build to compare"
  exit 0
fi
echo "building peacesim with -march=$march into build-isa"
cmake -S . -B build-isa -G Ninja -DCMAKE_BUILD_TYPE=Release -DPEACESIM_MARCH=$march \
  -DPEACESIM_TESTS=OFF -DPEACESIM_BENCHMARKS=OFF >/dev/null
cmake --build build-isa --target peacesim
# The build knows what it was built for (and would refuse a processor without it).
build-isa/peacesim --version | grep -q "processor extensions used: .*avx2" ||
  { echo "build-isa/peacesim --version does not list the extensions of -march=$march" >&2; exit 1; }
python3 tests/isa/same_bytes.py --reference "$reference/peacesim" --other build-isa/peacesim --source .
