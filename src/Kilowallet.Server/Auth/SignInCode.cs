using Kilowallet.Domain;

namespace Kilowallet.Server.Auth;

/// <summary>
/// A one-time sign-in code sent to a shop owner's phone or email (table sign_in_codes). Only a salted
/// HMAC of the code is stored; a code is short-lived, single-use, and refused after a few wrong tries.
/// </summary>
public sealed class SignInCode
{
    public long Id { get; set; }

    /// <summary>The normalised phone number (E.164) or email address (lower case) the code was sent to.</summary>
    public required string Destination { get; set; }

    public TenantId TenantId { get; set; }

    /// <summary>Hex HMAC-SHA256 of the code keyed with <see cref="Salt"/>.</summary>
    public required string CodeHash { get; set; }

    /// <summary>Random hex salt of this code.</summary>
    public required string Salt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Wrong codes tried against this one; at the limit it is dead.</summary>
    public int FailedAttempts { get; set; }

    /// <summary>When it signed someone in (or was replaced by a newer code); a used code never works again.</summary>
    public DateTimeOffset? UsedAt { get; set; }

    public string? RequestedFrom { get; set; }
}
