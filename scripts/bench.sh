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
if [[ "${1:-}" == faults ]]; then
    # Against the cluster's topology, through its load balancer: brought up (idempotent), and its settings exported.
    "$ROOT/scripts/cluster.sh" up
    eval "$("$ROOT/scripts/cluster.sh" env)"
    export VITALEVENTS_DB VITALEVENTS_OWNER_DB VITALEVENTS_READ_DB VITALEVENTS_NATS_URL VITALEVENTS_CLUSTER_URL
    export VITALEVENTS_CLUSTER_SCRIPT="$ROOT/scripts/cluster.sh" VITALEVENTS_CLI_DLL="$(cat "$CLI_PATH_FILE")"
else
    "$ROOT/scripts/db.sh" start
fi

exec dotnet run -c Release --project "$bench_project" -- "$@"
