using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace VitalEvents.Api;

/// <summary>The development token signing key: 256 random bits, created on first use under the data directory.</summary>
public static class SigningKey
{
    public const string Issuer = "vitalevents";
    public const string Audience = "vitalevents";

    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("VITALEVENTS_DATA") is { Length: > 0 } dir ? dir : Path.Combine(Directory.GetCurrentDirectory(), ".data");

    public static string DefaultPath => Path.Combine(DataDirectory, "jwt-signing.key");

    public static SymmetricSecurityKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream);
                writer.Write(fresh);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }
        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim())) { KeyId = "vitalevents-dev" };
    }
}
