using System.Security.Cryptography;
using System.Text;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Auth;

/// <summary>Creates, verifies and revokes API keys. Keys look like kw_{prefix}_{secret}.</summary>
public sealed class ApiKeyService(TimeProvider clock)
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Creates a key; the returned secret is shown once and never stored.</summary>
    public (ApiKey Key, string Secret) Create(KilowalletDb db, string name, IReadOnlyCollection<string> scopes, string createdBy)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scopes);
        var unknown = scopes.Where(s => !ApiKeyScopes.All.Contains(s)).ToList();
        if (unknown.Count > 0 || scopes.Count == 0)
        {
            throw new ArgumentException($"Scopes must be one or more of {string.Join(", ", ApiKeyScopes.All)}; not {string.Join(", ", unknown)}.", nameof(scopes));
        }

        var prefix = Random(8);
        var secret = $"kw_{prefix}_{Random(32)}";
        var key = new ApiKey
        {
            Name = name,
            Prefix = prefix,
            SecretHash = Hash(secret),
            Scopes = string.Join(' ', scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            CreatedBy = createdBy,
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        return (key, secret);
    }

    /// <summary>The live key matching <paramref name="secret"/>, or null.</summary>
    public static async Task<ApiKey?> FindAsync(KilowalletDb db, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var parts = secret.Split('_');
        if (parts.Length != 3 || parts[0] != "kw" || parts[1].Length != 8)
        {
            return null;
        }

        var prefix = parts[1];
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            return null;
        }

        var expected = Convert.FromHexString(key.SecretHash);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? key : null;
    }

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
