#!/usr/bin/env bash
# Builds peacesim (Release) in build/ and runs every test: unit, CLI (golden, bad inputs, exit
# codes, determinism, atomic output) and benchmark smoke tests.
# Usage: scripts/build-and-test.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
