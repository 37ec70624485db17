namespace Kilowallet.Server.Auth;

/// <summary>
/// A key an integrator's system uses instead of a password. Only a hash of the secret is stored;
/// the key is shown once when created. Scopes are the policies it may exercise; revoking is final.
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The public part of the key (kw_{prefix}_{secret}), unique, used to find it.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key, hex.</summary>
    public required string SecretHash { get; set; }

    /// <summary>Space-separated scopes: admin, operate, collect.</summary>
    public required string Scopes { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
