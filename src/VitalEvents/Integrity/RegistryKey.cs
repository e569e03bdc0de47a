using System.Security.Cryptography;
using VitalEvents.Storage;

namespace VitalEvents.Integrity;

/// <summary>
/// The registry's checkpoint signing key: ECDSA P-256, created on first use (PKCS#8 PEM, owner-readable only). Its public
/// key (SubjectPublicKeyInfo PEM) is what auditors and offline verifiers trust.
/// </summary>
public static class RegistryKey
{
    public static string DefaultPath(string dataDirectory) => Path.Combine(dataDirectory, "integrity-signing-key.pem");

    public static ECDsa LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            try
            {
                OwnerOnlyFile.Write(path, fresh.ExportPkcs8PrivateKeyPem());
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    public static string PublicPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    public static ECDsa FromPublicPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    /// <summary>A short identifier of a key: the first 16 hex digits of SHA-256 over its public key.</summary>
    public static string Id(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}
