namespace Kilowallet.Server.Auth;

/// <summary>Configuration section "Auth".</summary>
public sealed record AuthOptions
{
    public const string Section = "Auth";

    /// <summary>User name of the first administrator, created when no administrator exists.</summary>
    public string InitialAdminUser { get; init; } = "admin";

    /// <summary>
    /// Password of the first administrator. When empty a random one is generated, printed once on
    /// the console and written to {DataDirectory}/initial-credentials.txt (readable by the owner only).
    /// </summary>
    public string? InitialAdminPassword { get; init; }

    /// <summary>How long a staff sign-in lasts without activity.</summary>
    public int StaffSessionHours { get; init; } = 12;

    /// <summary>How long a tenant stays signed in on their phone.</summary>
    public int TenantSessionDays { get; init; } = 30;

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    public int LoginAttemptsPerMinute { get; init; } = 10;
}
