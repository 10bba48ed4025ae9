#!/usr/bin/env bash
# Refreshes the dashboard pictures in docs/images/ from the browser test's screenshots (the bundled
# Carana scenario, 2,000 futures, seed 5, run --brief; and its assessment of
# scenarios/carana-observations.textproto, 500 futures). Needs a build and Chromium.
# Usage: scripts/update-screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
ctest --test-dir "$build" -L browser --output-on-failure
for panel in ranking value-judgements survival fan-charts gender synchronisation sensitivity discovery brief planning-scenarios results-framework; do
  cp "$build/tests/artefacts/panel-$panel.png" "docs/images/report-$panel.png"
done
for panel in observed posterior adjustment; do
  cp "$build/tests/artefacts/assessment-panel-$panel.png" "docs/images/assess-$panel.png"
done
cp "$build/tests/artefacts/level-one-panel-level-one.png" docs/images/assess-level-one.png
echo "docs/images/ updated"
