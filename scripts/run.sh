#!/usr/bin/env bash
# Set up, start the database, apply the schema, seed demo data (only into an empty registry:
# the CLI decides) and serve on http://127.0.0.1:5080. Extra arguments go to `vitalevents serve`.
# VITALEVENTS_URL changes the address (or pass --urls yourself).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=run

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/db.sh" start

log "building the CLI"
dotnet build "$CLI_PROJECT" -c Release --nologo -v minimal -clp:NoSummary
rm -f "$CLI_PATH_FILE"   # scripts/vitalevents asks MSBuild again where the dll is

# Built above; the database is up.
export VITALEVENTS_NO_BUILD=1
"$ROOT/scripts/vitalevents" db apply
"$ROOT/scripts/vitalevents" seed

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
  OpenAPI    $base/openapi/v1.json
  Health     $base/health/ready
  Token      TOKEN=\$(./scripts/vitalevents token --role registrar --office 001 --user reg1)
             curl -H "Authorization: Bearer \$TOKEN" $base/api/persons/<nationalCode>
  Database   $VITALEVENTS_DB
             (./scripts/db.sh psql; it keeps running after Ctrl+C: ./scripts/db.sh stop)

BANNER

exec "$ROOT/scripts/vitalevents" serve "${serve_args[@]}" "$@"
