using VitalEvents.Api;

await ApiHost.Build(args).RunAsync();

/// <summary>The web host's entry point (also the anchor for integration tests).</summary>
public partial class Program;
