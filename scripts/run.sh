#!/usr/bin/env bash
# Set up, start the database, apply the schema, seed demo data (only into an empty registry:
# the CLI decides) and serve the web console and the API on http://127.0.0.1:5080. Extra arguments go to `vitalevents serve`.
# VITALEVENTS_URL changes the address (or pass --urls yourself).
# VITALEVENTS_NATS=1 (or --nats) also starts the local nats-server (scripts/nats.sh, 127.0.0.1:54222) and enables
# the relay: every event is published to the JetStream stream VITALEVENTS on vitalevents.<type>.<province>
# (VITALEVENTS_NATS_URL points it at another NATS server instead).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=run

nats="${VITALEVENTS_NATS:-0}"
args=()
for arg in "$@"; do
    if [[ "$arg" == --nats ]]; then nats=1; else args+=("$arg"); fi
done
set -- ${args[@]+"${args[@]}"}
case "$nats" in 1|true|yes) nats=1 ;; *) nats=0 ;; esac

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/db.sh" start
if (( nats )); then
    "$ROOT/scripts/nats.sh" start
    export VitalEvents__Nats__Enabled=true   # the relay reads VITALEVENTS_NATS_URL (lib.sh) for the server
    nats_banner="$VITALEVENTS_NATS_URL, stream VITALEVENTS, subjects vitalevents.<type>.<province>
             (it keeps running after Ctrl+C: ./scripts/nats.sh stop)"
else
    nats_banner="relay off (VITALEVENTS_NATS=1 or --nats publishes every event to NATS JetStream)"
fi

log "building the CLI"
dotnet build "$CLI_PROJECT" -c Release --nologo -v minimal -clp:NoSummary
rm -f "$CLI_PATH_FILE"   # scripts/vitalevents asks MSBuild again where the dll is

# Built above; the database is up.
export VITALEVENTS_NO_BUILD=1
"$ROOT/scripts/vitalevents" db apply
"$ROOT/scripts/vitalevents" seed
# A generated population beside the demo families, once, so that the observatory has a century of births, deaths and
# marriages to show (VITALEVENTS_DEMO_PEOPLE=0 leaves it out). The import skips what is already there.
demo_people="${VITALEVENTS_DEMO_PEOPLE:-20000}"
demo_marker="$DATA_DIR/demo-population-$demo_people.imported"
if [[ "$demo_people" != 0 && ! -f "$demo_marker" ]]; then
    log "importing a generated population of $demo_people people for the observatory (once)"
    "$ROOT/scripts/vitalevents" generate-legacy --persons "$demo_people" --seed 3 --out "$DATA_DIR/demo-population.jsonl" >/dev/null
    "$ROOT/scripts/vitalevents" import "$DATA_DIR/demo-population.jsonl" >&2
    touch "$demo_marker"
fi

url="${VITALEVENTS_URL:-http://127.0.0.1:5080}"
serve_args=(--urls "$url")
previous=""
for arg in "$@"; do
    case "$arg" in
        --urls=*) url="${arg#--urls=}"; serve_args=() ;;
    esac
    if [[ "$previous" == --urls ]]; then url="$arg"; serve_args=(); fi
    previous="$arg"
done
base="${url%%;*}"       # first of several ;-separated URLs
base="${base%/}"

cat <<BANNER

  VitalEvents  $base
  ---------------------------------------------------------------------------
  Console    $base/   (sign in at $base/signin: pick a user, a role and an office)
  OpenAPI    $base/openapi/v1.json
  Health     $base/health/ready
  Token      TOKEN=\$(./scripts/vitalevents token --role registrar --office 001 --user reg1)
             curl -H "Authorization: Bearer \$TOKEN" $base/api/persons/<nationalCode>
  Database   $VITALEVENTS_DB
             (./scripts/db.sh psql; it keeps running after Ctrl+C: ./scripts/db.sh stop)
  NATS       $nats_banner

BANNER

exec "$ROOT/scripts/vitalevents" serve "${serve_args[@]}" "$@"
