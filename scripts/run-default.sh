#!/usr/bin/env bash
# Builds the peacesim command (Release) and the Python classes of the results (build/python/) in
# build/, and runs the default analysis: the bundled Carana scenario, 10,000 realisations x 60
# months, results in carana-results.pb.
# Usage: scripts/run-default.sh [extra 'peacesim run' options]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target peacesim peacesim_python
build/peacesim run --out carana-results.pb "$@"
