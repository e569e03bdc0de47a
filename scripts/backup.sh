#!/usr/bin/env bash
# Backups of the cluster's PostgreSQL (scripts/cluster.sh): base backups with pg_basebackup, and the WAL every node archives
# (archive_command, into .data/cluster/wal); a restore to a point in time into a new data directory, checked with
# `vitalevents verify`.
#
#   scripts/backup.sh base                      a base backup of the primary into .data/cluster/backups/<UTC time>; prints its path
#   scripts/backup.sh restore BACKUP [--to TIME] [--port PORT]
#                                               restore BACKUP into .data/cluster/restored-<port>, replay the archived WAL up to
#                                               TIME (a PostgreSQL timestamp; default: all of it), start it on PORT (default
#                                               cluster port + 60) as a server of its own, and run `vitalevents verify` on it
#   scripts/backup.sh stop-restored [--port PORT]   stop a restored server and remove its data directory
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=backup

usage() {
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

BASE="${VITALEVENTS_CLUSTER_PORT:-61400}"
CDIR="$DATA_DIR/cluster"
WAL_DIR="$CDIR/wal"

primary_port() {
    local name
    name="$("$ROOT/scripts/cluster.sh" primary)"
    [[ -n "$name" ]] || die "no primary: is the cluster up (scripts/cluster.sh up)?"
    echo $((BASE + ${name#node}))
}

cmd_base() {
    local port dir started
    port="$(primary_port)"
    dir="$CDIR/backups/$(date -u +%Y%m%dT%H%M%SZ)"
    mkdir -p "$CDIR/backups"
    [[ $EUID -eq 0 ]] && chown postgres:postgres "$CDIR/backups"
    started=$SECONDS
    log "base backup of the primary (127.0.0.1:$port) into $dir"
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$dir" -X stream --checkpoint=fast --no-password
    # Switch to a new WAL segment, so that the archive holds everything up to now.
    "$PGBIN/psql" -X -q -At -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "select pg_switch_wal()" >/dev/null
    log "done in $((SECONDS - started)) s: $(du -sh "$dir" | cut -f1)"
    echo "$dir"
}

cmd_restore() {
    local backup="${1:-}" target="" port=$((BASE + 60)) dir started
    [[ -n "$backup" ]] && backup="$(realpath "$backup")"
    [[ -n "$backup" && -f "$backup/PG_VERSION" ]] || die "restore needs a base backup directory (scripts/backup.sh base prints one)"
    shift
    while (( $# )); do
        case "$1" in
            --to) target="$2"; shift ;;
            --port) port="$2"; shift ;;
            *) usage ;;
        esac
        shift
    done
    dir="$CDIR/restored-$port"
    cmd_stop_restored --port "$port" 2>/dev/null || true
    started=$SECONDS
    log "restoring $backup into $dir${target:+, up to $target}"
    cp -a "$backup" "$dir"
    if [[ $EUID -eq 0 ]]; then chown -R postgres:postgres "$dir"; fi
    as_pg rm -f "$dir/postmaster.pid" "$dir/standby.signal"
    # A server of its own: not part of the replication, archiving nothing, on its own port.
    as_pg tee "$dir/vitalevents.conf" >/dev/null <<CONF
# Written by scripts/backup.sh restore.
listen_addresses = '127.0.0.1'
port = $port
archive_mode = off
shared_buffers = 128MB
max_connections = 200
primary_conninfo = ''
synchronous_standby_names = ''
restore_command = 'cp $WAL_DIR/%f %p'
recovery_target_action = 'promote'
${target:+recovery_target_time = '$target'}
CONF
    as_pg sh -c "echo > '$dir/postgresql.auto.conf'"
    as_pg touch "$dir/recovery.signal"
    touch "$CDIR/log/restored-$port.log"
    if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$CDIR/log/restored-$port.log"; fi
    as_pg "$PGBIN/pg_ctl" start -D "$dir" -l "$CDIR/log/restored-$port.log" -w -t 600 -s </dev/null >&2 \
        || { tail -n 20 "$CDIR/log/restored-$port.log" >&2; die "the restored server did not start"; }
    local i
    for ((i = 0; i < 1200; i++)); do
        [[ "$("$PGBIN/psql" -X -At -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select pg_is_in_recovery()' 2>/dev/null)" == f ]] && break
        sleep 0.5
    done
    log "restored and promoted in $((SECONDS - started)) s (127.0.0.1:$port)"
    started=$SECONDS
    VITALEVENTS_DB="Host=127.0.0.1;Port=$port;Database=vitalevents;Username=vitalevents;Password=vitalevents" \
        VITALEVENTS_OWNER_DB="Host=127.0.0.1;Port=$port;Database=vitalevents;Username=vitalevents_owner;Password=vitalevents_owner" \
        _VITALEVENTS_DB_LOCAL=0 "$ROOT/scripts/vitalevents" verify
    log "verified in $((SECONDS - started)) s"
}

cmd_stop_restored() {
    local port=$((BASE + 60))
    [[ "${1:-}" == --port ]] && port="$2"
    local dir="$CDIR/restored-$port"
    [[ -d "$dir" ]] || return 0
    as_pg "$PGBIN/pg_ctl" stop -D "$dir" -m fast -w -s >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
    base) cmd_base ;;
    restore) shift; cmd_restore "$@" ;;
    stop-restored) shift; cmd_stop_restored "$@" ;;
    *) usage ;;
esac
