using System.Diagnostics;
using Npgsql;

namespace VitalEvents.Tests.Cluster;

/// <summary>
/// The replicated PostgreSQL of <c>scripts/cluster.sh</c> (a pg_auto_failover monitor, a primary and a hot standby), which
/// <c>scripts/test.sh</c> brings up before the tests; its connection settings come from <c>cluster.sh env</c>.
/// </summary>
public sealed class ClusterFixture
{
    private static readonly string Script = Path.Combine(Root(), "scripts", "cluster.sh");

    public ClusterFixture()
    {
        var env = Run("env").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('\''));
        Database = env["VITALEVENTS_DB"];
        OwnerDatabase = env["VITALEVENTS_OWNER_DB"];
        ReadDatabase = env["VITALEVENTS_READ_DB"];
    }

    /// <summary>The application's connection to whichever node is writable.</summary>
    public string Database { get; }

    public string OwnerDatabase { get; }

    /// <summary>The application's connection for reads that may trail: a standby where one answers.</summary>
    public string ReadDatabase { get; }

    /// <summary>Runs <c>scripts/cluster.sh</c> with the arguments; its standard output, or an exception with its error output.</summary>
    public static string Run(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4))) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0) throw new InvalidOperationException($"cluster.sh {string.Join(' ', args)} exited {process.ExitCode}: {error.Result}");
        return output.Result.Trim();
    }

    /// <summary>One value; again after a second while a node that has just rejoined restarts (its connections ended with 57P01).</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                return (T)(await command.ExecuteScalarAsync())!;
            }
            catch (Exception e) when (attempt < 10 && Storage.Commit.IsConnectionFailure(e))
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "cluster.sh"))) return dir.FullName;
        throw new InvalidOperationException("scripts/cluster.sh not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
