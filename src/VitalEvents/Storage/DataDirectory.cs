namespace VitalEvents.Storage;

/// <summary>Where local state lives: VITALEVENTS_DATA (the scripts set it to the checkout's .data), else ./.data.</summary>
public static class DataDirectory
{
    public static string Path =>
        Environment.GetEnvironmentVariable("VITALEVENTS_DATA") is { Length: > 0 } dir ? dir : System.IO.Path.Combine(Directory.GetCurrentDirectory(), ".data");
}
