#!/usr/bin/env bash
# The project-local PostgreSQL cluster (data in .data/pg, 127.0.0.1:55432).
#
#   scripts/db.sh start    install postgresql-15 if missing, init the cluster, start it, create
#                          roles vitalevents_owner (schema) and vitalevents (application), database
#                          "vitalevents" and extension pg_trgm (idempotent)
#   scripts/db.sh stop     stop the cluster (success when already stopped)
#   scripts/db.sh status   print "running" (exit 0) or "stopped" (exit 3)
#   scripts/db.sh psql [args…]   psql on the vitalevents database as vitalevents
#   scripts/db.sh url      print the connection string (VITALEVENTS_DB)
#
# When the user set VITALEVENTS_DB, that database is used and the local cluster is left alone.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=db

usage() {
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# initdb and pg_ctl refuse to run as root: run the cluster as the "postgres" OS user then.
if [[ $EUID -eq 0 ]]; then
    PG_OS_USER=postgres
else
    PG_OS_USER="$(id -un)"
fi


is_initialized() { [[ -f "$PGDATA_DIR/PG_VERSION" ]]; }

is_running() {
    is_initialized || return 1
    as_pg "$PGBIN/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1
}

install_postgres() {
    [[ -x "$PGBIN/initdb" ]] && return 0
    log "PostgreSQL $PG_MAJOR is not installed; installing postgresql-$PG_MAJOR from Debian (apt-get)"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install PostgreSQL $PG_MAJOR (initdb in $PGBIN) by hand, or set VITALEVENTS_DB"
    as_root apt-get update >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "postgresql-$PG_MAJOR" >&2
    [[ -x "$PGBIN/initdb" ]] || die "postgresql-$PG_MAJOR was installed but $PGBIN/initdb is still missing"
}

# Directories the cluster needs, owned by the user that runs it; every parent must be
# traversable by that user (a checkout under /root is not, by default).
prepare_dirs() {
    mkdir -p "$DATA_DIR" "$PGLOG_DIR" "$PGSOCKET_DIR" "$PGDATA_DIR"
    if [[ $EUID -eq 0 ]]; then
        id -u postgres >/dev/null 2>&1 || die "OS user 'postgres' does not exist (it comes with the postgresql-common package)"
        chown postgres:postgres "$PGDATA_DIR" "$PGLOG_DIR" "$PGSOCKET_DIR"
        if ! runuser -u postgres -- test -x "$DATA_DIR"; then
            # Top-down, so each check sees its parents already fixed.
            local dir="$DATA_DIR" ancestors=() i
            while [[ "$dir" != / ]]; do ancestors=("$dir" "${ancestors[@]}"); dir="$(dirname "$dir")"; done
            for i in "${ancestors[@]}"; do
                if ! runuser -u postgres -- test -x "$i"; then
                    log "making $i traversable for the postgres user (chmod go+x)"
                    chmod go+x "$i"
                fi
            done
        fi
    fi
    chmod 700 "$PGDATA_DIR"
    chmod 755 "$PGSOCKET_DIR"
}

init_cluster() {
    is_initialized && return 0
    if [[ -n "$(ls -A "$PGDATA_DIR")" ]]; then
        die "$PGDATA_DIR is not empty but holds no cluster (a failed initdb?); remove it and retry"
    fi
    local locale_args=(--locale=C.UTF-8)
    if ! locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        log "locale C.UTF-8 not available; initialising without locale"
        locale_args=(--no-locale)
    fi
    log "initialising cluster in $PGDATA_DIR (as $PG_OS_USER)"
    if ! as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --encoding=UTF8 "${locale_args[@]}" \
            --data-checksums --auth-local=trust --auth-host=scram-sha-256 \
            >"$PGLOG_DIR/initdb.log" 2>&1; then
        cat "$PGLOG_DIR/initdb.log" >&2
        die "initdb failed"
    fi
}

# Rewritten on every start so changes here reach existing clusters (at their next restart).
write_config() {
    local sockdir="${PGSOCKET_DIR//\'/\'\'}"
    as_pg tee "$PGDATA_DIR/vitalevents.conf" >/dev/null <<CONF
# Written by scripts/db.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$sockdir'
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
full_page_writes = on
password_encryption = 'scram-sha-256'
CONF
    if ! grep -qxF "include 'vitalevents.conf'" "$PGDATA_DIR/postgresql.conf"; then
        printf "\ninclude 'vitalevents.conf'\n" | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
    fi
    as_pg tee "$PGDATA_DIR/pg_hba.conf" >/dev/null <<'HBA'
# Written by scripts/db.sh. Unix socket (inside .data): trust. TCP: password.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   scram-sha-256
host    all       all   ::1/128        scram-sha-256
HBA
}

# The server is long-lived: it must not inherit our lock or any pipe of the caller (a CI
# runner or a $(…) capture would otherwise wait for it forever). stdin/out/err go to the log.
start_server() (
    local fd
    for fd in "/proc/$BASHPID/fd/"*; do
        fd="${fd##*/}"
        if (( fd > 2 )); then eval "exec $fd>&-"; fi
    done
    as_pg "$PGBIN/pg_ctl" start -D "$PGDATA_DIR" -l "$PGLOG_FILE" -w -t 60 -s </dev/null >&2
)

admin_psql() {
    PGOPTIONS='-c client_min_messages=warning' \
        "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGSOCKET_DIR" -p "$PGPORT" -U postgres "$@"
}

wait_ready() {
    local i
    for ((i = 0; i < 120; i++)); do
        "$PGBIN/pg_isready" -q -h "$PGSOCKET_DIR" -p "$PGPORT" -U postgres -d postgres && return 0
        sleep 0.5
    done
    tail -n 30 "$PGLOG_FILE" >&2 || true
    die "PostgreSQL did not become ready on port $PGPORT within 60 s (log: $PGLOG_FILE)"
}

provision() {
    # Two roles: vitalevents_owner owns the database and applies the schema (`vitalevents db apply`);
    # vitalevents is the application's role, which can append events but never UPDATE or DELETE them.
    admin_psql -d postgres -f "$ROOT/scripts/provision.sql"
}

lock() { take_lock .db.lock 300 scripts/db.sh; }

cmd_start() {
    if vitalevents_db_is_external; then
        log "VITALEVENTS_DB is set: using that database, not starting the local cluster"
        return 0
    fi
    lock
    install_postgres
    prepare_dirs
    init_cluster
    if is_running; then
        log "PostgreSQL already running on 127.0.0.1:$PGPORT"
    else
        write_config
        log "starting PostgreSQL $PG_MAJOR on 127.0.0.1:$PGPORT (log: $PGLOG_FILE)"
        if ! start_server; then
            tail -n 30 "$PGLOG_FILE" >&2 || true
            if tail -n 30 "$PGLOG_FILE" 2>/dev/null | grep -q 'Address already in use'; then
                log "port $PGPORT is taken (another checkout's cluster?): stop that one, or set" \
                    "VITALEVENTS_PGPORT to another port, or VITALEVENTS_DB to use that database"
            fi
            die "PostgreSQL failed to start (log: $PGLOG_FILE)"
        fi
    fi
    wait_ready
    provision
    log "ready: $VITALEVENTS_DB"
}

cmd_stop() {
    if vitalevents_db_is_external; then
        log "VITALEVENTS_DB is set: using that database, nothing to stop"
        return 0
    fi
    lock
    if ! is_running; then
        log "PostgreSQL is not running"
        return 0
    fi
    log "stopping PostgreSQL"
    as_pg "$PGBIN/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w -t 60 -s >&2
}

cmd_status() {
    if vitalevents_db_is_external; then
        log "VITALEVENTS_DB is set: using that database (the local cluster is not used)"
        echo "external"
        return 0
    fi
    if [[ -x "$PGBIN/pg_ctl" ]] && is_running; then
        echo "running"
        log "127.0.0.1:$PGPORT, data $PGDATA_DIR"
        return 0
    fi
    echo "stopped"
    return 3
}

# Npgsql connection string -> libpq keyword/value conninfo in CONNINFO; the password goes to
# PGPASSWORD so it does not show up in the process list. Covers the keys people actually use.
npgsql_to_conninfo() {
    local part key value out=()
    local -a parts
    IFS=';' read -r -a parts <<<"$1"
    for part in "${parts[@]}"; do
        [[ "$part" == *=* ]] || continue
        key="${part%%=*}"; value="${part#*=}"
        key="$(printf '%s' "$key" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
        value="${value#"${value%%[![:space:]]*}"}"; value="${value%"${value##*[![:space:]]}"}"
        if [[ "$value" == \"*\" || "$value" == \'*\' ]]; then value="${value:1:${#value}-2}"; fi
        case "$key" in
            host|server) key=host ;;
            port) key=port ;;
            database|db) key=dbname ;;
            username|userid|user|uid) key=user ;;
            password|pwd|psw) export PGPASSWORD="$value"; continue ;;
            sslmode)
                key=sslmode
                value="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')"
                case "$value" in verifyca) value=verify-ca ;; verifyfull) value=verify-full ;; esac ;;
            timeout) key=connect_timeout ;;
            *) continue ;;
        esac
        value="${value//\\/\\\\}"; value="${value//\'/\\\'}"
        out+=("$key='$value'")
    done
    CONNINFO="${out[*]}"
}

cmd_psql() {
    if ! vitalevents_db_is_external && ! is_running; then
        die "the local cluster is not running: scripts/db.sh start"
    fi
    local psql_bin="$PGBIN/psql"
    [[ -x "$psql_bin" ]] || psql_bin="$(command -v psql)" || die "psql not found (apt-get install postgresql-client)"
    npgsql_to_conninfo "$VITALEVENTS_DB"
    exec "$psql_bin" "$CONNINFO" "$@"
}

case "${1:-}" in
    start)  cmd_start ;;
    stop)   cmd_stop ;;
    status) cmd_status ;;
    psql)   shift; cmd_psql "$@" ;;
    url)    printf '%s\n' "$VITALEVENTS_DB" ;;
    *)      usage ;;
esac
