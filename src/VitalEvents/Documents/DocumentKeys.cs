using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using VitalEvents.Integrity;
using VitalEvents.Storage;

namespace VitalEvents.Documents;

/// <summary>
/// Where documents' signing keys live and how documents are signed (VitalEvents:Documents:*): the key directory, the
/// passphrase that encrypts the private keys at rest, the CWT issuer, the public address printed under the QR code, and how
/// long a retired key still verifies the documents it signed.
/// </summary>
public sealed record DocumentSettings(string KeyDirectory, string? Passphrase, string Issuer, string PublicUrl, TimeSpan RetiredKeysVerifyFor)
{
    public const string Section = "VitalEvents:Documents";

    public static DocumentSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new DocumentSettings(
            section["KeyDirectory"] ?? System.IO.Path.Combine(DataDirectory.Path, "document-keys"),
            section["KeyPassphrase"] is { Length: > 0 } passphrase ? passphrase : null,
            section["Issuer"] ?? "https://sabteahval.ir",
            (section["PublicUrl"] ?? "https://sabteahval.ir").TrimEnd('/'),
            TimeSpan.FromDays(365.25 * section.GetValue("RetiredKeysVerifyYears", 25)));
    }

    /// <summary>Where a holder or a verifier checks a document by hand: the public verification page.</summary>
    public string VerifyUrl => $"{PublicUrl}/documents/verify";
}

/// <summary>
/// A document signing key's public part and its validity: it signs from <c>NotBefore</c> until it is retired
/// (<c>SignsUntil</c>), and verifies what it signed until <c>VerifiesUntil</c>.
/// </summary>
public sealed record DocumentPublicKey(string KeyId, string PublicKeyPem, DateTimeOffset NotBefore, DateTimeOffset? SignsUntil, DateTimeOffset? VerifiesUntil)
{
    private ECDsa? _key;

    /// <summary>The public key, imported once (verifying with it is safe from many threads); not to be disposed by callers.</summary>
    public ECDsa Key() => _key ??= RegistryKey.FromPublicPem(PublicKeyPem);

    /// <summary>Whether a document issued at <paramref name="issuedAt"/> can carry this key's signature, verified at <paramref name="now"/>.</summary>
    public string? ProblemWith(DateTimeOffset issuedAt, DateTimeOffset now) =>
        issuedAt < NotBefore.AddMinutes(-5) ? $"The key {KeyId} was made after the document says it was issued."
        : SignsUntil is { } until && issuedAt > until.AddMinutes(5) ? $"The key {KeyId} was retired before the document says it was issued."
        : VerifiesUntil is { } end && now > end ? $"The key {KeyId} stopped verifying documents on {end:yyyy-MM-dd}."
        : null;
}

/// <summary>The key that signs documents now.</summary>
public sealed record DocumentSigningKey(string KeyId, ECDsa Key);

/// <summary>
/// The documents' signing keys, separate from the integrity checkpoint key. One signs at a time; retired ones keep verifying
/// until their end. This is the seam for a hardware security module or a cloud key service: the default is
/// <see cref="FileDocumentKeyStore"/>.
/// </summary>
public interface IDocumentKeyStore
{
    /// <summary>The key that signs new documents (made on first use).</summary>
    DocumentSigningKey Current();

    /// <summary>Every key, current and retired, newest first: what the public key list shows.</summary>
    IReadOnlyList<DocumentPublicKey> Keys();

    /// <summary>Makes a new key the signing one and retires the current one, which verifies until its end.</summary>
    DocumentPublicKey Rotate(DateTimeOffset now);
}

/// <summary>
/// Keys in a directory: <c>keys.json</c> lists them (public keys and validity), each private key is an encrypted PKCS#8 PEM
/// (PBES2: PBKDF2-SHA256 and AES-256-CBC) under the configured passphrase. Without one, a random passphrase is written beside
/// the directory (owner-readable only) so that development needs no setup; production gives it from a secret store.
/// Processes share the directory: a rotation by one is seen by the others on their next signature.
/// </summary>
public sealed class FileDocumentKeyStore(DocumentSettings settings, TimeProvider clock) : IDocumentKeyStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private static readonly PbeParameters Encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000);

    private readonly Lock _lock = new();
    private (DateTime Written, long Length, IReadOnlyList<DocumentPublicKey> Keys)? _list;
    private DocumentSigningKey? _current;

    private string ListPath => Path.Combine(settings.KeyDirectory, "keys.json");
    private string PrivatePath(string keyId) => Path.Combine(settings.KeyDirectory, $"{keyId}.key.pem");
    private string PassphrasePath => settings.KeyDirectory.TrimEnd(Path.DirectorySeparatorChar) + ".passphrase";

    public DocumentSigningKey Current()
    {
        lock (_lock)
        {
            var keys = Load();
            if (keys.Count == 0) keys = Exclusively(() => Load() is { Count: > 0 } made ? made : Add(clock.GetUtcNow()));
            var signing = keys.First(k => k.SignsUntil is null);
            if (_current?.KeyId != signing.KeyId)
            {
                var key = ECDsa.Create();
                key.ImportFromEncryptedPem(File.ReadAllText(PrivatePath(signing.KeyId)), Passphrase());
                _current = new DocumentSigningKey(signing.KeyId, key);
            }
            return _current;
        }
    }

    public IReadOnlyList<DocumentPublicKey> Keys()
    {
        lock (_lock) return Load();
    }

    public DocumentPublicKey Rotate(DateTimeOffset now)
    {
        lock (_lock) return Exclusively(() => Add(now))[0];
    }

    /// <summary>Makes a key, retiring the one that signed until now; under the directory's lock.</summary>
    private IReadOnlyList<DocumentPublicKey> Add(DateTimeOffset now)
    {
        using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = RegistryKey.Id(fresh);
        OwnerOnlyFile.Write(PrivatePath(keyId), fresh.ExportEncryptedPkcs8PrivateKeyPem(Passphrase(), Encryption));
        var retired = Load().Select(k => k.SignsUntil is null ? k with { SignsUntil = now, VerifiesUntil = now + settings.RetiredKeysVerifyFor } : k);
        IReadOnlyList<DocumentPublicKey> keys = [new DocumentPublicKey(keyId, fresh.ExportSubjectPublicKeyInfoPem(), now, null, null), .. retired];
        OwnerOnlyFile.Write(ListPath, JsonSerializer.Serialize(keys, Json), overwrite: true);
        _list = null;
        return Load();
    }

    private IReadOnlyList<DocumentPublicKey> Load()
    {
        var file = new FileInfo(ListPath);
        if (!file.Exists) return [];
        if (_list is { } cached && cached.Written == file.LastWriteTimeUtc && cached.Length == file.Length) return cached.Keys;
        var keys = JsonSerializer.Deserialize<List<DocumentPublicKey>>(File.ReadAllText(file.FullName), Json) ?? [];
        _list = (file.LastWriteTimeUtc, file.Length, keys);
        return keys;
    }

    /// <summary>Runs under an exclusive lock on the directory, so two processes never rotate or create at once.</summary>
    private T Exclusively<T>(Func<T> action)
    {
        Directory.CreateDirectory(settings.KeyDirectory);
        var lockPath = Path.Combine(settings.KeyDirectory, ".lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return action();
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(50);
            }
        }
    }

    private string Passphrase()
    {
        if (settings.Passphrase is { } configured) return configured;
        if (!File.Exists(PassphrasePath))
        {
            try
            {
                OwnerOnlyFile.Write(PassphrasePath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(PassphrasePath))
            {
                // Another process wrote it first; use theirs.
            }
        }
        return File.ReadAllText(PassphrasePath).Trim();
    }
}
