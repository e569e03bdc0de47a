namespace VitalEvents.Integrity;

/// <summary>
/// The tamper-evidence objects in the database. A trigger hashes every event as it is inserted, chained per stream:
/// hash = SHA-256(previous hash ‖ stream ‖ version ‖ stored type ‖ event id ‖ data as PostgreSQL renders jsonb ‖
/// correlation ‖ causation ‖ user ‖ headers ‖ timestamp in UTC to the microsecond), fields separated by newlines.
/// The trigger runs as the owner, so the application role can read the chain but not write it. Marten's tombstones
/// (<see cref="Storage.Tombstones"/>) are not chained: they belong to no stream of the registry's, and the verifier checks
/// them by their shape instead.
/// </summary>
public static class IntegritySchema
{
    public const string ChainTable = "event_chain";
    public const string CheckpointTable = "integrity_checkpoints";

    /// <summary>The canonical text of an event that its hash covers, as SQL over a row <c>e</c> of mt_events.</summary>
    public const string CanonicalText = """
        concat_ws(E'\n', e.stream_id, e.version::text, e.type, e.id::text, e.data::text, coalesce(e.correlation_id, ''),
            coalesce(e.causation_id, ''), coalesce(e.user_name, ''), coalesce(e.headers::text, ''),
            to_char(e.timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        """;

    /// <summary>The setting an importing owner session turns on (set local) while it chains its own rows in bulk.</summary>
    public const string ImportFlag = "vitalevents.import";

    public static string Sql(string s) => $$"""
        create table if not exists {{s}}.{{ChainTable}} (
            seq_id bigint primary key,
            stream_id varchar not null,
            version bigint not null,
            hash bytea not null,
            previous_hash bytea not null,
            unique (stream_id, version));

        create or replace function {{s}}.chain_event() returns trigger language plpgsql security definer
        set search_path = pg_catalog, {{s}} as $fn$
        declare
            previous bytea;
            e {{s}}.mt_events := new;
        begin
            if new.stream_id = '{{Storage.Tombstones.StreamKey}}' then return null; end if;
            -- A bulk import chains its rows itself, set-based, in the same transaction (Import.ImportChain). Only a session
            -- logged in as this function's owner may ask for that: the application role setting the flag is chained anyway.
            if current_setting('{{ImportFlag}}', true) = 'on' and session_user = current_user then return null; end if;
            select c.hash into previous from {{s}}.{{ChainTable}} c where c.stream_id = new.stream_id and c.version = new.version - 1;
            previous := coalesce(previous, '\x'::bytea);
            insert into {{s}}.{{ChainTable}} (seq_id, stream_id, version, hash, previous_hash)
            values (new.seq_id, new.stream_id, new.version, sha256(previous || convert_to({{CanonicalText}}, 'UTF8')), previous);
            return null;
        end
        $fn$;

        -- Events recorded before the chain existed (an older installation) are chained once, when the chain starts empty.
        do $backfill$
        declare
            e {{s}}.mt_events;
            previous bytea := '\x'::bytea;
            stream varchar;
        begin
            if exists (select from {{s}}.{{ChainTable}}) then return; end if;
            for e in select * from {{s}}.mt_events where stream_id <> '{{Storage.Tombstones.StreamKey}}' order by stream_id, version loop
                if stream is distinct from e.stream_id then previous := '\x'::bytea; stream := e.stream_id; end if;
                insert into {{s}}.{{ChainTable}} (seq_id, stream_id, version, hash, previous_hash)
                values (e.seq_id, e.stream_id, e.version, sha256(previous || convert_to({{CanonicalText}}, 'UTF8')), previous);
                previous := sha256(previous || convert_to({{CanonicalText}}, 'UTF8'));
            end loop;
        end
        $backfill$;

        -- The chain as a running aggregate, for bulk imports: chain_hash(text) over (partition by stream order by version) is
        -- each row's hash, the empty hash before the first.
        create or replace function {{s}}.chain_step(state bytea, canonical bytea) returns bytea language sql immutable strict parallel safe
        as $fn$ select sha256(state || canonical) $fn$;
        create or replace aggregate {{s}}.chain_hash(bytea) (sfunc = {{s}}.chain_step, stype = bytea, initcond = '');

        drop trigger if exists chain_event on {{s}}.mt_events;
        create trigger chain_event after insert on {{s}}.mt_events for each row execute function {{s}}.chain_event();

        create table if not exists {{s}}.{{CheckpointTable}} (
            id bigserial primary key,
            up_to_seq bigint not null unique,
            event_count bigint not null,
            digest bytea not null,
            previous_digest bytea not null,
            signature bytea not null,
            key_id text not null,
            created_at timestamptz not null default now());
        """;
}
