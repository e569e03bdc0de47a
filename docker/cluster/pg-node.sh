#!/bin/sh
# The monitor or a data node of pg_auto_failover (docker/cluster/docker-compose.yml): created on the first start (its volume
# empty), then run. Passwords come from the environment (MONITOR_PASSWORD, REPLICATION_PASSWORD, POSTGRES_PASSWORD); connections are scram with
# TLS (self-signed certificates: pg_auto_failover's own; a deployment gives its CA's with --ssl-ca-file/--server-cert/--server-key).
set -eu
role="$1"
host="$(hostname)"
monitor_uri="postgres://autoctl_node:${MONITOR_PASSWORD}@monitor:5432/pg_auto_failover?sslmode=require"

case "$role" in
    monitor)
        if [ ! -f "$PGDATA/PG_VERSION" ]; then
            pg_autoctl create monitor --pgdata "$PGDATA" --hostname "$host" --pgport 5432 --auth scram-sha-256 --ssl-self-signed
            # The nodes connect as autoctl_node with its password: set it once, on a server started just for that.
            pg_ctl -D "$PGDATA" -w start -o "-c listen_addresses=''"
            psql -X -v ON_ERROR_STOP=1 -d pg_auto_failover -c "alter user autoctl_node password '${MONITOR_PASSWORD}'"
            pg_ctl -D "$PGDATA" -w stop
        fi
        exec pg_autoctl run --pgdata "$PGDATA"
        ;;
    node)
        if [ ! -f "$PGDATA/PG_VERSION" ]; then
            pg_autoctl create postgres --pgdata "$PGDATA" --hostname "$host" --name "$host" --pgport 5432 --dbname vitalevents \
                --auth scram-sha-256 --ssl-self-signed --pg-hba-lan --monitor "$monitor_uri"
            pg_autoctl config set --pgdata "$PGDATA" replication.password "${REPLICATION_PASSWORD}"
            # The first node (a primary, not a clone) gets the superuser's password, for the provisioning over the network;
            # a standby has it already from its clone.
            pg_ctl -D "$PGDATA" -w start -o "-c listen_addresses=''"
            psql -X -d vitalevents -c "alter user postgres password '${POSTGRES_PASSWORD}'" 2>/dev/null || true
            pg_ctl -D "$PGDATA" -w stop
        fi
        exec pg_autoctl run --pgdata "$PGDATA"
        ;;
    *)
        echo "usage: pg-node monitor|node" >&2
        exit 2
        ;;
esac
