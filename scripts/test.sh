#!/usr/bin/env bash
# Set up, start the database, nats-server and the cluster's PostgreSQL (primary and standby), run every test in VitalEvents.sln (Release).
# Extra arguments go to `dotnet test`, e.g. scripts/test.sh --filter "FullyQualifiedName~Births".
# Ends with the elapsed time and a summary line "N passed, N failed[, N skipped]";
# exits non-zero when `dotnet test` failed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG="test"

started=$SECONDS

"$ROOT/scripts/setup.sh" --tests
"$ROOT/scripts/db.sh" start
"$ROOT/scripts/nats.sh" start   # the NATS JetStream relay's tests publish to it
"$ROOT/scripts/cluster.sh" up --postgres-only   # the failover tests' replicated PostgreSQL (pg_auto_failover)

[[ -f "$SLN" ]] || die "no VitalEvents.sln in $ROOT: nothing to test"

results="$DATA_DIR/test-results"
rm -rf "$results"
mkdir -p "$results"

# LogFilePrefix, not LogFileName: with a solution every test project writes its own trx, and a
# fixed LogFileName makes them overwrite one another (microsoft/vstest#3026). The prefix gets
# the target framework and a millisecond timestamp appended.
set +e
dotnet test "$SLN" -c Release --nologo \
    --results-directory "$results" \
    --logger "trx;LogFilePrefix=vitalevents" \
    --logger "console;verbosity=normal" \
    "$@"
status=$?
set -e

# Sum <Counters> over all trx files: prints "passed failed skipped".
# failed includes error/timeout/aborted; skipped is total - executed (xunit's [Fact(Skip=…)] shows
# up as outcome NotExecuted but is not counted in notExecuted).
count_with_python() {
    python3 - "$results" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    get = lambda name: int(counters.get(name, "0") or 0)
    passed += get("passed")
    failed += get("failed") + get("error") + get("timeout") + get("aborted")
    skipped += get("total") - get("executed")
print(passed, failed, skipped)
PY
}

count_with_grep() {
    local passed=0 failed=0 skipped=0 trx line
    attr() {
        local v
        v="$(sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$line" | head -n1)"
        echo "${v:-0}"
    }
    while IFS= read -r -d '' trx; do
        line="$(tr -d '\r\n' <"$trx" | grep -o '<Counters [^>]*>' | head -n1)" || continue
        passed=$((passed + $(attr passed)))
        failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
        skipped=$((skipped + $(attr total) - $(attr executed)))
    done < <(find "$results" -name '*.trx' -print0)
    echo "$passed $failed $skipped"
}

counts=""
if [[ "${VITALEVENTS_TRX_PARSER:-}" != grep ]] && command -v python3 >/dev/null 2>&1; then
    counts="$(count_with_python 2>/dev/null)" || counts=""
fi
[[ -n "$counts" ]] || counts="$(count_with_grep)"
read -r passed failed skipped <<<"$counts"

trx_count="$(find "$results" -name '*.trx' | wc -l)"
if (( status != 0 && trx_count == 0 )); then
    echo "dotnet test failed (exit $status) before any test ran: see the build output above"
fi

elapsed=$((SECONDS - started))
printf 'elapsed %dm%02ds\n' $((elapsed / 60)) $((elapsed % 60))
summary="$passed passed, $failed failed"
if (( skipped > 0 )); then summary+=", $skipped skipped"; fi
echo "$summary"

exit "$status"
