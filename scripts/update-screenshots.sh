#!/usr/bin/env bash
# Refreshes the dashboard pictures in docs/images/ from the browser test's screenshots (the bundled
# Carana scenario, 2,000 futures, seed 5, run --brief). Needs a build and Chromium.
# Usage: scripts/update-screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
ctest --test-dir "$build" -L browser --output-on-failure
for panel in ranking value-judgements survival fan-charts gender synchronisation sensitivity discovery brief planning-scenarios results-framework; do
  cp "$build/tests/artefacts/panel-$panel.png" "docs/images/report-$panel.png"
done
echo "docs/images/ updated"
