#!/usr/bin/env bash
# The console's pictures in docs/images (docs/console.md, README), taken by its browser tests in Chromium as they run.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=screenshots

"$ROOT/scripts/setup.sh" --tests
"$ROOT/scripts/db.sh" start
export VITALEVENTS_SCREENSHOTS="$ROOT/docs/images"
mkdir -p "$VITALEVENTS_SCREENSHOTS"
dotnet test "$ROOT/tests/VitalEvents.Tests" -c Release --nologo --filter "FullyQualifiedName~VitalEvents.Tests.Console" \
    --logger "console;verbosity=minimal"
log "pictures in ${VITALEVENTS_SCREENSHOTS#"$ROOT"/}: $(find "$VITALEVENTS_SCREENSHOTS" -name 'console-*.png' | wc -l)"
