# shellcheck shell=bash disable=SC2034  # variables here are used by the scripts that source this file
# Shared settings for the scripts in this folder. Source it; do not run it.
#
#   ROOT          repository root (resolved from this file's location)
#   DATA_DIR      $ROOT/.data: local state (PostgreSQL cluster, test results, …), git-ignored
#   PGPORT        port of the project-local PostgreSQL cluster (127.0.0.1 only)
#   VITALEVENTS_DB  Npgsql connection string; the user's own value wins and then the
#                   local cluster is never started (see vitalevents_db_is_external).
#   NATS_PORT     port of the project-local nats-server (127.0.0.1 only; VITALEVENTS_NATS_PORT)
#   VITALEVENTS_NATS_URL  the NATS server the relay and its tests use; the user's own value wins and
#                   then the local nats-server is never started (see vitalevents_nats_is_external).

if [[ -n "${_VITALEVENTS_LIB_LOADED:-}" ]]; then
    return 0
fi
_VITALEVENTS_LIB_LOADED=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DATA_DIR="$ROOT/.data"
export VITALEVENTS_DATA="$DATA_DIR"

PGPORT="${VITALEVENTS_PGPORT:-55432}"   # override when two checkouts share a machine
PG_MAJOR=15
PGBIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PGDATA_DIR="$DATA_DIR/pg"
PGLOG_DIR="$DATA_DIR/log"
PGLOG_FILE="$PGLOG_DIR/postgresql.log"

# The unix socket path must stay below ~100 bytes (sun_path is 108, PostgreSQL checks
# against it). In a deeply nested checkout fall back to a per-checkout directory in /tmp.
PGSOCKET_DIR="$DATA_DIR/run"
if (( ${#PGSOCKET_DIR} + ${#PGPORT} + 10 > 100 )); then
    PGSOCKET_DIR="/tmp/vitalevents-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
fi

VITALEVENTS_DB_DEFAULT="Host=127.0.0.1;Port=$PGPORT;Database=vitalevents;Username=vitalevents;Password=vitalevents"

# The user's VITALEVENTS_DB wins. Our own default is exported with a marker so that child
# scripts (test.sh -> db.sh, vitalevents -> db.sh) still recognise it as the local cluster.
if [[ -n "${VITALEVENTS_DB:-}" && ! ( "${_VITALEVENTS_DB_LOCAL:-}" == 1 && "$VITALEVENTS_DB" == "$VITALEVENTS_DB_DEFAULT" ) ]]; then
    _VITALEVENTS_DB_EXTERNAL=1
else
    _VITALEVENTS_DB_EXTERNAL=0
    export VITALEVENTS_DB="$VITALEVENTS_DB_DEFAULT"
    export _VITALEVENTS_DB_LOCAL=1
    # The schema owner's connection, for `vitalevents db apply` (and tests); the application uses VITALEVENTS_DB.
    export VITALEVENTS_OWNER_DB="${VITALEVENTS_OWNER_DB:-Host=127.0.0.1;Port=$PGPORT;Database=vitalevents;Username=vitalevents_owner;Password=vitalevents_owner}"
    # The cluster's superuser over the Unix socket: only tests use it, to play an intruder with full database rights.
    export VITALEVENTS_SUPERUSER_DB="Host=$PGSOCKET_DIR;Port=$PGPORT;Database=vitalevents;Username=postgres"
fi

# Solution file: the .NET 10 SDK creates .slnx by default; accept either.
SLN="$ROOT/VitalEvents.sln"
if [[ ! -f "$SLN" && -f "$ROOT/VitalEvents.slnx" ]]; then
    SLN="$ROOT/VitalEvents.slnx"
fi

# The project-local nats-server (scripts/nats.sh), JetStream store in .data/nats. Same rule as the
# database: the user's VITALEVENTS_NATS_URL wins; our default is exported with a marker.
NATS_PORT="${VITALEVENTS_NATS_PORT:-54222}"
NATS_STORE_DIR="$DATA_DIR/nats"
NATS_PID_FILE="$DATA_DIR/nats.pid"
NATS_LOG_FILE="$DATA_DIR/log/nats.log"
VITALEVENTS_NATS_URL_DEFAULT="nats://127.0.0.1:$NATS_PORT"
if [[ -n "${VITALEVENTS_NATS_URL:-}" && ! ( "${_VITALEVENTS_NATS_LOCAL:-}" == 1 && "$VITALEVENTS_NATS_URL" == "$VITALEVENTS_NATS_URL_DEFAULT" ) ]]; then
    _VITALEVENTS_NATS_EXTERNAL=1
else
    _VITALEVENTS_NATS_EXTERNAL=0
    export VITALEVENTS_NATS_URL="$VITALEVENTS_NATS_URL_DEFAULT"
    export _VITALEVENTS_NATS_LOCAL=1
fi

CLI_PROJECT="$ROOT/src/VitalEvents.Cli/VitalEvents.Cli.csproj"
CLI_DLL="$ROOT/src/VitalEvents.Cli/bin/Release/net10.0/vitalevents.dll"   # expected; MSBuild has the last word
CLI_PATH_FILE="$DATA_DIR/cli-path"   # where scripts/vitalevents found the built CLI last time

# The scripts run the registry on this machine, for development and tests: the Development environment (development
# tokens, the schema applied on start, the API reference). A deployment sets its own (Production in docker/).
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-$ASPNETCORE_ENVIRONMENT}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

vitalevents_db_is_external() { [[ "$_VITALEVENTS_DB_EXTERNAL" == 1 ]]; }
vitalevents_nats_is_external() { [[ "$_VITALEVENTS_NATS_EXTERNAL" == 1 ]]; }

# Serialise a script against itself: take_lock <file under .data> <seconds> <what is running>.
take_lock() {
    mkdir -p "$DATA_DIR"
    exec 9>"$DATA_DIR/$1"
    flock -w "$2" 9 || die "another $3 is still running (lock $DATA_DIR/$1)"
}

log()  { printf '[%s] %s\n' "${LOG_TAG:-vitalevents}" "$*" >&2; }
die()  { log "error: $*"; exit 1; }

# Run a command as the "postgres" OS user when root (initdb, pg_ctl and pg_autoctl refuse root), else as ourselves; from /,
# so that the postgres user never starts in a directory it cannot read.
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Run a command as root: directly when root, through sudo when available, else fail.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (no sudo available)"
    fi
}
