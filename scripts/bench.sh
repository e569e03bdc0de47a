#!/usr/bin/env bash
# Benchmarks (bench/VitalEvents.Bench, Release). Arguments go to the benchmark program,
# e.g. scripts/bench.sh verify, or scripts/bench.sh verify --events 200000 (--help lists the options).
# Every figure is a ratio against a baseline measured in the same run (see DESIGN.md, "Measuring").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=bench

bench_project="$ROOT/bench/VitalEvents.Bench"
if [[ ! -d "$bench_project" ]]; then
    echo "no benchmarks yet"
    exit 0
fi

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/db.sh" start

exec dotnet run -c Release --project "$bench_project" -- "$@"
