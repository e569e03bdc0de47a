using Npgsql;
using VitalEvents.Integrity;

namespace VitalEvents.Import;

/// <summary>
/// The hash chain of an imported batch, computed set-based in the batch's transaction: the trigger is told to skip the rows
/// (<see cref="IntegritySchema.ImportFlag"/>, honoured only for the schema owner's session), and one statement then hashes each
/// new stream with the running aggregate <c>chain_hash</c> over the same canonical text the trigger hashes. Imported streams are
/// new, so each starts from the empty hash, as the trigger's first link does.
/// </summary>
public static class ImportChain
{
    public static async Task SkipTriggerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"set local {IntegritySchema.ImportFlag} = 'on'", connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Chains every event of the given (new) streams.</summary>
    public static async Task<int> LinkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, string[] streams, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            insert into {schema}.{IntegritySchema.ChainTable} (seq_id, stream_id, version, hash, previous_hash)
            select seq_id, stream_id, version, hash, coalesce(lag(hash) over (partition by stream_id order by version), '\x'::bytea)
            from (select e.seq_id, e.stream_id, e.version,
                         {schema}.chain_hash(convert_to({IntegritySchema.CanonicalText}, 'UTF8')) over (partition by e.stream_id order by e.version) as hash
                  from {schema}.mt_events e where e.stream_id = any(@streams)) chained
            """, connection, transaction);
        command.Parameters.AddWithValue("streams", streams);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
