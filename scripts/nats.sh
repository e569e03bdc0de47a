#!/usr/bin/env bash
# The project-local nats-server with JetStream (store in .data/nats, 127.0.0.1:54222).
#
#   scripts/nats.sh start    install Debian's nats-server if missing, start it as a daemon (pid file
#                            .data/nats.pid, log .data/log/nats.log) and wait until it answers with
#                            JetStream enabled (idempotent: a running server is left alone)
#   scripts/nats.sh stop     stop it (success when already stopped)
#   scripts/nats.sh status   print "running" (exit 0) or "stopped" (exit 3)
#   scripts/nats.sh url      print the URL (VITALEVENTS_NATS_URL)
#
# VITALEVENTS_NATS_PORT changes the port. When the user set VITALEVENTS_NATS_URL, that server is used
# and the local one is left alone.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=nats

usage() {
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

NATS_BIN="$(command -v nats-server 2>/dev/null || echo /usr/bin/nats-server)"

install_nats() {
    [[ -x "$NATS_BIN" ]] && return 0
    log "nats-server is not installed; installing nats-server from Debian (apt-get)"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install nats-server (2.9 or newer) by hand, or set VITALEVENTS_NATS_URL"
    as_root apt-get update >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nats-server >&2
    NATS_BIN="$(command -v nats-server 2>/dev/null || echo /usr/bin/nats-server)"
    [[ -x "$NATS_BIN" ]] || die "nats-server was installed but is not on PATH"
}

cmdline_of() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline"; }

server_pid() {
    local pid
    [[ -f "$NATS_PID_FILE" ]] || return 1
    pid="$(tr -dc '0-9' <"$NATS_PID_FILE")"
    [[ -n "$pid" ]] || return 1
    # A stale pid file may name an unrelated process by now: check it really is our nats-server.
    [[ "$(cmdline_of "$pid")" == *nats-server*"$NATS_STORE_DIR"* ]] || return 1
    printf '%s\n' "$pid"
}

is_running() { server_pid >/dev/null; }

# True when the server on our port greets a client with INFO and has JetStream enabled.
answers() {
    local line=""
    (
        exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT" || exit 1
        IFS= read -r -t 1 line <&3 || exit 1
        [[ "$line" == INFO* && "$line" == *'"jetstream":true'* ]]
    ) 2>/dev/null
}

# Long-lived: it must not inherit our lock or any pipe of the caller (a CI runner or a $(…)
# capture would otherwise wait for it forever). stdin/out/err go to the log.
start_server() (
    local fd
    for fd in "/proc/$BASHPID/fd/"*; do
        fd="${fd##*/}"
        if (( fd > 2 )); then eval "exec $fd>&-"; fi
    done
    setsid "$NATS_BIN" --addr 127.0.0.1 --port "$NATS_PORT" --jetstream --store_dir "$NATS_STORE_DIR" \
        --pid "$NATS_PID_FILE" </dev/null >>"$NATS_LOG_FILE" 2>&1 &
)

wait_ready() {
    local deadline=$((SECONDS + 30)) i
    for ((i = 0; SECONDS < deadline; i++)); do
        if answers; then return 0; fi
        if (( i > 4 )) && ! is_running; then break; fi
        sleep 0.25
    done
    tail -n 30 "$NATS_LOG_FILE" >&2 || true
    if tail -n 30 "$NATS_LOG_FILE" 2>/dev/null | grep -qi 'address already in use'; then
        log "port $NATS_PORT is taken (another checkout's nats-server?): stop that one, or set" \
            "VITALEVENTS_NATS_PORT to another port, or VITALEVENTS_NATS_URL to use that server"
    fi
    die "nats-server did not answer on 127.0.0.1:$NATS_PORT within 30 s (log: $NATS_LOG_FILE)"
}

lock() { take_lock .nats.lock 120 scripts/nats.sh; }

cmd_start() {
    if vitalevents_nats_is_external; then
        log "VITALEVENTS_NATS_URL is set: using $VITALEVENTS_NATS_URL, not starting the local nats-server"
        return 0
    fi
    lock
    install_nats
    local pid
    if pid="$(server_pid)"; then
        if [[ "$(cmdline_of "$pid")" != *"--port $NATS_PORT "* ]]; then
            die "this checkout's nats-server (pid $pid) listens on another port than $NATS_PORT: scripts/nats.sh stop, then start"
        fi
        log "nats-server already running on 127.0.0.1:$NATS_PORT"
    else
        mkdir -p "$NATS_STORE_DIR" "$(dirname "$NATS_LOG_FILE")"
        rm -f "$NATS_PID_FILE"
        log "starting nats-server with JetStream on 127.0.0.1:$NATS_PORT (store: $NATS_STORE_DIR, log: $NATS_LOG_FILE)"
        start_server
    fi
    wait_ready
    log "ready: $VITALEVENTS_NATS_URL"
}

cmd_stop() {
    if vitalevents_nats_is_external; then
        log "VITALEVENTS_NATS_URL is set: using $VITALEVENTS_NATS_URL, nothing to stop"
        return 0
    fi
    lock
    local pid i
    if ! pid="$(server_pid)"; then
        log "nats-server is not running"
        rm -f "$NATS_PID_FILE"
        return 0
    fi
    log "stopping nats-server (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 120; i++)); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$NATS_PID_FILE"; return 0; }
        sleep 0.25
    done
    die "nats-server (pid $pid) did not stop within 30 s"
}

cmd_status() {
    if vitalevents_nats_is_external; then
        log "VITALEVENTS_NATS_URL is set: using $VITALEVENTS_NATS_URL (the local nats-server is not used)"
        echo "external"
        return 0
    fi
    if is_running; then
        echo "running"
        log "127.0.0.1:$NATS_PORT, pid $(server_pid), store $NATS_STORE_DIR"
        return 0
    fi
    echo "stopped"
    return 3
}

case "${1:-}" in
    start)  cmd_start ;;
    stop)   cmd_stop ;;
    status) cmd_status ;;
    url)    printf '%s\n' "$VITALEVENTS_NATS_URL" ;;
    *)      usage ;;
esac
