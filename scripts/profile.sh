#!/usr/bin/env bash
# Where the time goes while something runs: the whole machine sampled with perf (every process's share of the CPU, and
# PostgreSQL's functions), and, given a .NET process, its threads sampled with dotnet-trace (methods on the CPU).
#
#   scripts/profile.sh [--seconds N] [--pid PID] [--out DIR]
#
# Start the work first (scripts/bench.sh http --only births --seconds 120, an import, a rebuild), then profile it.
# Installs linux-perf from Debian and dotnet-trace (pinned in .config/dotnet-tools.json) when they are missing.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=profile

seconds=30 pid="" out="$DATA_DIR/profile"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --pid) pid="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) die "unknown option $1 (--seconds N, --pid PID, --out DIR)" ;;
    esac
done
mkdir -p "$out"

if ! command -v perf >/dev/null 2>&1; then
    log "perf is not installed; installing linux-perf from Debian (apt-get)"
    as_root apt-get update >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends linux-perf >&2
fi
if [[ -n "$pid" ]]; then
    (cd "$ROOT" && dotnet tool restore >/dev/null)
    (cd "$ROOT" && dotnet tool run dotnet-trace collect -p "$pid" --duration "00:00:00:$(printf '%02d' "$seconds")" \
        -o "$out/dotnet.nettrace" >"$out/dotnet-trace.log" 2>&1) &
    tracing=$!
fi
log "sampling the machine for $seconds s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
as_root perf record -a -g -F 199 -o "$out/machine.perf" -- sleep "$seconds" 2>"$out/perf.log" >/dev/null

echo "== CPU by process (all cores, $seconds s; 'swapper' is idle)"
perf report -i "$out/machine.perf" --sort comm --stdio --no-children -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -12 || true
echo "== PostgreSQL: functions by time spent in them and below (children)"
perf report -i "$out/machine.perf" --comm postgres --sort sym --stdio --children -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40 || true
if [[ -n "$pid" ]]; then
    wait "$tracing" || die "dotnet-trace failed ($out/dotnet-trace.log)"
    (cd "$ROOT" && dotnet tool run dotnet-trace convert "$out/dotnet.nettrace" --format Speedscope -o "$out/dotnet.speedscope.json" >/dev/null)
    rm -f "$out/dotnet.nettrace"
    echo "== .NET process $pid: methods on the CPU (dotnet-trace thread-time samples)"
    python3 "$ROOT/scripts/profile-top.py" "$out"/dotnet.speedscope*.json 40
fi
echo "(raw profiles in $out)"
