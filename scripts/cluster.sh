#!/usr/bin/env bash
# The registry's cluster topology on one machine (state in .data/cluster, 127.0.0.1 only):
#   PostgreSQL: a pg_auto_failover monitor, a primary and one or two hot standbys (streaming, synchronous replication)
#   NATS: three nats-server nodes in one JetStream cluster (the relay's stream is replicated on all three)
#   the service: two or three instances behind HAProxy (health-checked on /health/ready)
#
#   scripts/cluster.sh up [--standbys 1|2] [--instances 2|3] [--postgres-only]
#                             install what is missing (Debian packages), start what is not running, wait until ready
#                             (idempotent: a running part is left alone, a stopped one is started again and rejoins)
#   scripts/cluster.sh down   stop everything (data kept; `scripts/cluster.sh destroy` removes it)
#   scripts/cluster.sh status the state of each part (pg_autoctl's view of the nodes, NATS, instances, HAProxy)
#   scripts/cluster.sh env    the connection settings, as shell assignments (eval "$(scripts/cluster.sh env)")
#   scripts/cluster.sh kill pg-primary|pg-standby|pg-NODE|nats-N|instance-N
#                             kill -9 one part (its supervisor too, as when its machine is lost); prints what it killed
#   scripts/cluster.sh start PART   start a killed part again (pg-NODE, nats-N, instance-N)
#   scripts/cluster.sh primary      the name of the node pg_auto_failover holds as primary (node1, node2, …)
#
# Ports from VITALEVENTS_CLUSTER_PORT (default 61400, above the ephemeral ports): monitor +0, PostgreSQL nodes +1..+3, NATS clients +21..+23 (routes
# +31..+33, monitoring +41..+43), HAProxy +50 (stats +59), service instances +51..+53.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=cluster

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

BASE="${VITALEVENTS_CLUSTER_PORT:-61400}"
CDIR="$DATA_DIR/cluster"
MONITOR_PORT=$BASE
LB_PORT=$((BASE + 50))
LB_STATS_PORT=$((BASE + 59))
MONITOR_URI="postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"
PG_AUTOCTL=/usr/bin/pg_autoctl

node_port() { echo $((BASE + ${1#node})); }                  # node1 -> BASE+1
nats_port() { echo $((BASE + 20 + $1)); }
route_port() { echo $((BASE + 30 + $1)); }
nats_http_port() { echo $((BASE + 40 + $1)); }
instance_port() { echo $((BASE + 50 + $1)); }

settings_file="$CDIR/settings"
standbys=1 instances=2 postgres_only=0
if [[ -f "$settings_file" ]]; then
    # shellcheck disable=SC1090
    source "$settings_file"
fi

nodes() { local i; for ((i = 1; i <= standbys + 1; i++)); do echo "node$i"; done; }

hosts() {
    local n out=()
    for n in $(nodes); do out+=("127.0.0.1:$(node_port "$n")"); done
    local IFS=,; echo "${out[*]}"
}

nats_urls() {
    local i out=()
    for i in 1 2 3; do out+=("nats://127.0.0.1:$(nats_port "$i")"); done
    local IFS=,; echo "${out[*]}"
}

# Writes go to whichever node accepts them (the primary, once pg_auto_failover has made it writable); reads that may trail
# prefer a standby. A host found down is tried again after two seconds, so a promoted standby is found quickly.
write_db() { echo "Host=$(hosts);Database=vitalevents;Username=${1:-vitalevents};Password=${1:-vitalevents};Target Session Attributes=read-write;Host Recheck Seconds=2;Timeout=5"; }
read_db() { echo "Host=$(hosts);Database=vitalevents;Username=vitalevents;Password=vitalevents;Target Session Attributes=prefer-standby;Load Balance Hosts=true;Host Recheck Seconds=2;Timeout=5"; }

cmd_env() {
    cat <<ENV
VITALEVENTS_DB='$(write_db)'
VITALEVENTS_OWNER_DB='$(write_db vitalevents_owner)'
VITALEVENTS_READ_DB='$(read_db)'
VITALEVENTS_NATS_URL='$(nats_urls)'
VITALEVENTS_CLUSTER_URL='http://127.0.0.1:$LB_PORT'
VITALEVENTS_CLUSTER_MONITOR='$MONITOR_URI'
ENV
}

# pg_autoctl keeps its configuration and state under XDG_CONFIG_HOME and XDG_DATA_HOME: here, beside the data.
pg_env=(env PATH="$PGBIN:$PATH" XDG_CONFIG_HOME="$CDIR/pg/config" XDG_DATA_HOME="$CDIR/pg/state")
as_pgaf() { as_pg "${pg_env[@]}" "$@"; }
pg_spawn_prefix() { if [[ $EUID -eq 0 ]]; then echo runuser -u postgres --; fi; }

install_packages() {
    local missing=()
    [[ -x "$PGBIN/initdb" ]] || missing+=("postgresql-$PG_MAJOR")
    [[ -x "$PG_AUTOCTL" && -f "/usr/lib/postgresql/$PG_MAJOR/lib/pgautofailover.so" ]] || missing+=("postgresql-$PG_MAJOR-auto-failover" pg-auto-failover-cli)
    if (( ! postgres_only )); then
        command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
        command -v haproxy >/dev/null 2>&1 || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
    fi
    (( ${#missing[@]} == 0 )) && return 0
    log "installing ${missing[*]} from Debian (apt-get)"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install ${missing[*]} by hand"
    as_root apt-get update >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

prepare_dirs() {
    mkdir -p "$CDIR/pg/config" "$CDIR/pg/state" "$CDIR/log" "$CDIR/run"
    if [[ $EUID -eq 0 ]]; then
        chown postgres:postgres "$CDIR/pg" "$CDIR/pg/config" "$CDIR/pg/state"
        local dir="$CDIR"
        while [[ "$dir" != / ]]; do
            runuser -u postgres -- test -x "$dir" || chmod go+x "$dir"
            dir="$(dirname "$dir")"
        done
    fi
}

# A long-lived process in a session of its own (so `kill` can take it and its children), detached from our pipes and lock;
# its pid (= its process group) in $CDIR/run/NAME.pid.
spawn() (
    local name="$1" log_file="$2" fd
    shift 2
    for fd in "/proc/$BASHPID/fd/"*; do
        fd="${fd##*/}"
        if (( fd > 2 )); then eval "exec $fd>&-"; fi
    done
    setsid "$@" </dev/null >>"$log_file" 2>&1 &
    echo $! >"$CDIR/run/$name.pid"
)

pid_of() {
    local f="$CDIR/run/$1.pid" pid
    [[ -f "$f" ]] || return 1
    pid="$(tr -dc '0-9' <"$f")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$CDIR"* || "$1" == instance-* ]] || return 1
    echo "$pid"
}

running() { pid_of "$1" >/dev/null; }

# ---- PostgreSQL: pg_auto_failover ----------------------------------------------------------------------------------

monitor_psql() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$MONITOR_PORT" -U autoctl_node -d pg_auto_failover "$@"; }
node_psql() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(node_port "$1")" -U postgres -d "${2:-postgres}" "${@:3}"; }

# Our settings after pg_auto_failover's (included last, so they win): loopback only, a modest memory footprint for a
# machine that runs every node, and WAL archiving for point-in-time recovery (scripts/backup.sh).
write_node_config() {
    local pgdata="$1" port="$2"
    as_pgaf tee "$pgdata/vitalevents.conf" >/dev/null <<CONF
# Written by scripts/cluster.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $port
max_connections = 200
shared_buffers = 256MB
effective_cache_size = 2GB
maintenance_work_mem = 128MB
wal_keep_size = '1GB'
archive_mode = on
archive_command = 'test ! -f $CDIR/wal/%f && cp %p $CDIR/wal/%f.tmp && mv $CDIR/wal/%f.tmp $CDIR/wal/%f'
archive_timeout = 60
CONF
    grep -qxF "include 'vitalevents.conf'" "$pgdata/postgresql.conf" \
        || printf "\ninclude 'vitalevents.conf'\n" | as_pgaf tee -a "$pgdata/postgresql.conf" >/dev/null
}

wait_for() {
    local what="$1" seconds="$2" i
    shift 2
    for ((i = 0; i < seconds * 4; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.25
    done
    return 1
}

monitor_up() {
    local pgdata="$CDIR/pg/monitor"
    if [[ ! -f "$pgdata/PG_VERSION" ]]; then
        log "creating the pg_auto_failover monitor on 127.0.0.1:$MONITOR_PORT"
        as_pgaf "$PG_AUTOCTL" create monitor --pgdata "$pgdata" --pgport "$MONITOR_PORT" --hostname 127.0.0.1 \
            --listen 127.0.0.1 --auth trust --no-ssl >>"$CDIR/log/monitor.log" 2>&1 || { tail -n 20 "$CDIR/log/monitor.log" >&2; die "creating the monitor failed"; }
    fi
    if ! running monitor; then
        log "starting the monitor"
        spawn monitor "$CDIR/log/monitor.log" $(pg_spawn_prefix) "${pg_env[@]}" "$PG_AUTOCTL" run --pgdata "$pgdata"
    fi
    wait_for monitor 60 monitor_psql -c "select 1" || { tail -n 20 "$CDIR/log/monitor.log" >&2; die "the monitor did not answer"; }
    # Failover in seconds on this machine: health checks every second, a node unhealthy after 5 s, a primary that cannot be
    # reached given 8 s to demote itself (its keeper demotes on its own after 5 s without the monitor and its standbys).
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$MONITOR_PORT" -U postgres -d pg_auto_failover >/dev/null <<'SQL'
alter system set pgautofailover.health_check_period = 1000;
alter system set pgautofailover.health_check_timeout = 1000;
alter system set pgautofailover.health_check_max_retries = 1;
alter system set pgautofailover.health_check_retry_delay = 500;
alter system set pgautofailover.node_considered_unhealthy_timeout = 5000;
alter system set pgautofailover.primary_demote_timeout = 8000;
select pg_reload_conf();
SQL
}

node_up() {
    local node="$1" port pgdata="$CDIR/pg/$1"
    port="$(node_port "$node")"
    mkdir -p "$CDIR/wal"
    [[ $EUID -eq 0 ]] && chown postgres:postgres "$CDIR/wal"
    if [[ ! -f "$pgdata/PG_VERSION" ]]; then
        log "creating PostgreSQL node $node on 127.0.0.1:$port (the monitor makes it primary or a standby)"
        rm -rf "$pgdata"
        as_pgaf "$PG_AUTOCTL" create postgres --pgdata "$pgdata" --pgport "$port" --hostname 127.0.0.1 --name "$node" \
            --listen 127.0.0.1 --auth trust --no-ssl --dbname vitalevents --monitor "$MONITOR_URI" >>"$CDIR/log/$node.log" 2>&1 \
            || { tail -n 20 "$CDIR/log/$node.log" >&2; die "creating node $node failed"; }
        as_pgaf "$PG_AUTOCTL" config set --pgdata "$pgdata" timeout.network_partition_timeout 5 >/dev/null
    fi
    write_node_config "$pgdata" "$port"
    if ! running "$node"; then
        log "starting node $node"
        spawn "$node" "$CDIR/log/$node.log" $(pg_spawn_prefix) "${pg_env[@]}" "$PG_AUTOCTL" run --pgdata "$pgdata"
    fi
}

# pg_auto_failover's view: "node1 primary primary" lines (name, reported state, assigned state).
node_states() {
    monitor_psql -F ' ' -c "select nodename, reportedstate, goalstate from pgautofailover.node order by nodeid" 2>/dev/null
}

cmd_primary() {
    node_states | awk '$2 ~ /primary/ && $3 ~ /primary/ {print $1; exit}'
}

settled() {
    local states n
    states="$(node_states)" || return 1
    for n in $(nodes); do
        grep -qE "^$n (primary|secondary) (primary|secondary)$" <<<"$states" || return 1
        # The monitor's last report may predate a restart: the node itself must answer too.
        node_psql "$n" postgres -c "select 1" >/dev/null 2>&1 || return 1
    done
    grep -qE " primary primary$" <<<"$states"
}

postgres_up() {
    monitor_up
    local n first=1
    for n in $(nodes); do
        node_up "$n"
        # The first node must be primary before the next clones it.
        if (( first )); then
            wait_for "$n" 90 sh -c "'$PGBIN/psql' -X -At -h 127.0.0.1 -p $(node_port "$n") -U postgres -d postgres -c 'select 1'" \
                || { tail -n 20 "$CDIR/log/$n.log" >&2; die "node $n did not start"; }
            first=0
        fi
    done
    log "waiting for pg_auto_failover to settle (one primary, $standbys standby)"
    wait_for settle 180 settled || { node_states >&2; die "the PostgreSQL nodes did not settle within 180 s"; }
    local primary
    primary="$(cmd_primary)"
    node_psql "$primary" postgres -f "$ROOT/scripts/provision.sql" >/dev/null
}

# ---- NATS ----------------------------------------------------------------------------------------------------------

nats_routes() {
    local i out=()
    for i in 1 2 3; do out+=("nats://127.0.0.1:$(route_port "$i")"); done
    local IFS=,; echo "${out[*]}"
}

nats_node_up() {
    local i="$1"
    running "nats-$i" && return 0
    mkdir -p "$CDIR/nats/n$i"
    log "starting NATS node n$i on 127.0.0.1:$(nats_port "$i")"
    spawn "nats-$i" "$CDIR/log/nats-$i.log" "$(command -v nats-server || echo /usr/sbin/nats-server)" \
        --name "n$i" --addr 127.0.0.1 --port "$(nats_port "$i")" --http_port "$(nats_http_port "$i")" \
        --jetstream --store_dir "$CDIR/nats/n$i" \
        --cluster_name vitalevents --cluster "nats://127.0.0.1:$(route_port "$i")" --routes "$(nats_routes)"
}

nats_ready() {
    local i
    for i in 1 2 3; do
        curl -fsS "http://127.0.0.1:$(nats_http_port "$i")/healthz" >/dev/null 2>&1 || return 1
    done
    # A JetStream meta leader is elected once the three have met.
    curl -fsS "http://127.0.0.1:$(nats_http_port 1)/jsz" 2>/dev/null | grep -q '"leader"'
}

nats_up() {
    local i
    for i in 1 2 3; do nats_node_up "$i"; done
    wait_for nats 60 nats_ready || { tail -n 20 "$CDIR/log/nats-1.log" >&2; die "the NATS cluster did not form within 60 s"; }
}

# ---- service instances and HAProxy -----------------------------------------------------------------------------------

instance_env() {
    eval "$(cmd_env)"
    export VITALEVENTS_DB VITALEVENTS_OWNER_DB VITALEVENTS_READ_DB VITALEVENTS_NATS_URL
    export _VITALEVENTS_DB_LOCAL=0 _VITALEVENTS_NATS_LOCAL=0
    export VitalEvents__Nats__Enabled=true VitalEvents__Nats__Replicas=3
    # This topology is for trying faults and measuring on one machine: one user's rate limit must not be what is measured.
    export VitalEvents__Http__RateLimitBurst="${VitalEvents__Http__RateLimitBurst:-100000}"
    export VitalEvents__Http__RateLimitPerSecond="${VitalEvents__Http__RateLimitPerSecond:-100000}"
}

instance_up() {
    local i="$1" port
    port="$(instance_port "$i")"
    running "instance-$i" && return 0
    log "starting service instance $i on 127.0.0.1:$port"
    (
        instance_env
        spawn "instance-$i" "$CDIR/log/instance-$i.log" dotnet "$(cat "$CLI_PATH_FILE")" serve --urls "http://127.0.0.1:$port"
    )
}

instance_ready() { curl -fsS -o /dev/null "http://127.0.0.1:$(instance_port "$1")/health/ready"; }

write_haproxy() {
    local i
    {
        cat <<CFG
# Written by scripts/cluster.sh; edit the script, not this file.
global
    maxconn 4096
    pidfile $CDIR/run/haproxy.pid
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
frontend vitalevents
    bind 127.0.0.1:$LB_PORT
    default_backend instances
frontend stats
    bind 127.0.0.1:$LB_STATS_PORT
    stats enable
    stats uri /
backend instances
    balance leastconn
    option httpchk GET /health/ready
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
CFG
        for ((i = 1; i <= instances; i++)); do
            echo "    server instance-$i 127.0.0.1:$(instance_port "$i") check"
        done
    } >"$CDIR/haproxy.cfg"
}

haproxy_up() {
    write_haproxy
    running haproxy && return 0
    log "starting HAProxy on 127.0.0.1:$LB_PORT (stats on :$LB_STATS_PORT)"
    spawn haproxy "$CDIR/log/haproxy.log" "$(command -v haproxy || echo /usr/sbin/haproxy)" -db -f "$CDIR/haproxy.cfg"
}

services_up() {
    log "building the service"
    dotnet build "$CLI_PROJECT" -c Release --nologo -v quiet -clp:NoSummary >&2
    rm -f "$CLI_PATH_FILE"
    (instance_env; VITALEVENTS_NO_BUILD=0 "$ROOT/scripts/vitalevents" db apply >&2)
    local i
    # One first: it creates the keys the others then share (.data).
    instance_up 1
    wait_for instance-1 120 instance_ready 1 || { tail -n 30 "$CDIR/log/instance-1.log" >&2; die "instance 1 did not become ready"; }
    for ((i = 2; i <= instances; i++)); do instance_up "$i"; done
    for ((i = 2; i <= instances; i++)); do
        wait_for "instance-$i" 120 instance_ready "$i" || { tail -n 30 "$CDIR/log/instance-$i.log" >&2; die "instance $i did not become ready"; }
    done
    haproxy_up
    wait_for haproxy 30 curl -fsS -o /dev/null "http://127.0.0.1:$LB_PORT/health/ready" || die "HAProxy did not answer on :$LB_PORT"
}

# ---- commands --------------------------------------------------------------------------------------------------------

lock() { take_lock .cluster.lock 600 scripts/cluster.sh; }

cmd_up() {
    while (( $# )); do
        case "$1" in
            --standbys) standbys="$2"; shift ;;
            --instances) instances="$2"; shift ;;
            --postgres-only) postgres_only=1 ;;
            *) usage ;;
        esac
        shift
    done
    [[ "$standbys" =~ ^[12]$ ]] || die "--standbys is 1 or 2"
    [[ "$instances" =~ ^[123]$ ]] || die "--instances is 1, 2 or 3"
    lock
    install_packages
    prepare_dirs
    printf 'standbys=%s\ninstances=%s\n' "$standbys" "$instances" >"$settings_file"
    postgres_up
    if (( ! postgres_only )); then
        nats_up
        services_up
    fi
    log "up"
    cmd_status
}

stop_part() {
    local name="$1" pid i
    pid="$(pid_of "$name")" || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$CDIR/run/$name.pid"
}

cmd_down() {
    lock
    local i n
    stop_part haproxy
    for i in 3 2 1; do stop_part "instance-$i"; done
    for i in 3 2 1; do stop_part "nats-$i"; done
    for n in node3 node2 node1; do stop_part "$n"; done
    stop_part monitor
    log "down (data kept in $CDIR)"
}

cmd_destroy() {
    cmd_down
    rm -rf "$CDIR"
    log "removed $CDIR"
}

# kill -9 a part and its supervisor: the whole process group, and the postmaster (which pg_ctl starts in a group of its own).
cmd_kill() {
    local part="$1" name pid pgdata
    case "$part" in
        pg-primary) name="$(cmd_primary)" ;;
        pg-standby) name="$(node_states | awk '$2 == "secondary" {print $1; exit}')" ;;
        pg-node*) name="${part#pg-}" ;;
        nats-[123]|instance-[123]|haproxy|monitor) name="$part" ;;
        *) usage ;;
    esac
    [[ -n "$name" ]] || die "no node is $part now"
    pid="$(pid_of "$name")" || die "$name is not running"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    pgdata="$CDIR/pg/$name"
    if [[ -f "$pgdata/postmaster.pid" ]]; then
        kill -KILL "$(head -n1 "$pgdata/postmaster.pid")" 2>/dev/null || true
    fi
    rm -f "$CDIR/run/$name.pid"
    echo "$name"
}

cmd_start() {
    local part="$1"
    lock
    case "$part" in
        pg-node*|node*)
            node_up "${part#pg-}"
            wait_for settle 180 settled || { node_states >&2; die "${part#pg-} did not rejoin within 180 s"; } ;;
        nats-[123]) nats_node_up "${part#nats-}" ;;
        instance-[123]) instance_up "${part#instance-}"; wait_for "$part" 120 instance_ready "${part#instance-}" || die "$part did not become ready" ;;
        *) usage ;;
    esac
}

cmd_status() {
    local n i state
    echo "PostgreSQL (pg_auto_failover monitor 127.0.0.1:$MONITOR_PORT): $(running monitor && echo running || echo stopped)"
    if running monitor; then
        monitor_psql -F ' ' -c "select nodename, nodehost || ':' || nodeport, reportedstate, goalstate, reportedlsn from pgautofailover.node order by nodeid" 2>/dev/null \
            | while read -r n addr rep goal lsn; do printf '  %-6s %-16s %-18s assigned %-18s lsn %s\n' "$n" "$addr" "$rep" "$goal" "$lsn"; done
    fi
    for i in 1 2 3; do
        state=stopped
        if running "nats-$i"; then state=running; fi
        echo "NATS n$i 127.0.0.1:$(nats_port "$i"): $state"
    done
    for ((i = 1; i <= instances; i++)); do
        state=stopped
        if running "instance-$i"; then state="running, $(instance_ready "$i" 2>/dev/null && echo ready || echo "not ready")"; fi
        echo "instance $i 127.0.0.1:$(instance_port "$i"): $state"
    done
    state=stopped
    if running haproxy; then state="running (stats http://127.0.0.1:$LB_STATS_PORT/)"; fi
    echo "HAProxy http://127.0.0.1:$LB_PORT: $state"
}

case "${1:-}" in
    up) shift; cmd_up "$@" ;;
    down) cmd_down ;;
    destroy) cmd_destroy ;;
    status) cmd_status ;;
    env) cmd_env ;;
    primary) cmd_primary ;;
    kill) [[ $# -eq 2 ]] || usage; cmd_kill "$2" ;;
    start) [[ $# -eq 2 ]] || usage; cmd_start "$2" ;;
    *) usage ;;
esac
