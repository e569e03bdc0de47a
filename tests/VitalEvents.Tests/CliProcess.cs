using System.Diagnostics;

namespace VitalEvents.Tests;

/// <summary>The `vitalevents` command line as a real process, from the build next to the tests.</summary>
public static class CliProcess
{
    /// <summary>A start of the CLI with these arguments, its output captured; the caller adds the environment.</summary>
    public static ProcessStartInfo Start(params IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VitalEvents.Cli.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    /// <summary>Runs it to the end (two minutes at most): its exit code, standard output and standard error.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }
}
