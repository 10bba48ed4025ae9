#!/usr/bin/env bash
# Builds peacesim (Release) in build/ and runs every test: unit, CLI (golden, bad inputs, exit
# codes, determinism, atomic output) and benchmark smoke tests. With Open MPI and Boost.MPI
# installed (scripts/install-deps.sh --mpi) it builds with MPI, and the `mpi` tests run mpirun.
# Usage: scripts/build-and-test.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
mpi=OFF
if command -v mpirun >/dev/null && compgen -G "/usr/lib/*/cmake/boost_mpi-*" >/dev/null; then mpi=ON; fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPEACESIM_MPI=$mpi
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
