using System.Text.RegularExpressions;
using Npgsql;
using VitalEvents.Storage;

namespace VitalEvents.Bench;

/// <summary>Where a benchmark runs: the connections, a schema of its own (dropped at the start and the end), and plain SQL.</summary>
public sealed partial record BenchDatabase(string App, string Owner, string Schema)
{
    /// <summary>VITALEVENTS_DB and VITALEVENTS_OWNER_DB when set, else the local cluster the scripts run.</summary>
    public static BenchDatabase FromEnvironment(string schema)
    {
        // The schema is dropped with everything in it: never let a typo name the registry's own.
        if (!SchemaName().IsMatch(schema))
            throw new ArgumentException($"the benchmark's schema must be named bench_… (lower case, digits, _), not {schema}");
        return new BenchDatabase(
            Environment.GetEnvironmentVariable("VITALEVENTS_DB") ?? StoreSetup.LocalConnectionString,
            Environment.GetEnvironmentVariable("VITALEVENTS_OWNER_DB") ?? StoreSetup.LocalOwnerConnectionString,
            schema);
    }

    /// <summary>A schema that is there already and is never dropped (any name): the benchmark measures on it as it is.</summary>
    public static BenchDatabase Existing(string schema) => new(
        Environment.GetEnvironmentVariable("VITALEVENTS_DB") ?? StoreSetup.LocalConnectionString,
        Environment.GetEnvironmentVariable("VITALEVENTS_OWNER_DB") ?? StoreSetup.LocalOwnerConnectionString,
        ExistingName().IsMatch(schema) ? schema : throw new ArgumentException($"{schema} is not a schema name (lower case, digits, _)"));

    public StoreSettings Settings => new(App, Schema, OwnerConnectionString: Owner);

    /// <summary>Prints the machine and the server, so that a result says where it was measured.</summary>
    public async Task DescribeMachineAsync(CancellationToken ct) =>
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB; "
            + await ScalarAsync("select version()", ct));

    public Task DropSchemaAsync(CancellationToken ct) => ExecuteAsync($"drop schema if exists {Schema} cascade", ct);

    /// <summary>Runs SQL as the schema owner.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Owner);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs a query as the schema owner and gives its first value as text.</summary>
    public async Task<string> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Owner);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return (await command.ExecuteScalarAsync(ct))?.ToString() ?? "";
    }

    [GeneratedRegex("^bench_[a-z0-9_]+$")]
    private static partial Regex SchemaName();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex ExistingName();
}
