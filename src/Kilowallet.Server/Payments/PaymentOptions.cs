namespace Kilowallet.Server.Payments;

/// <summary>Configuration section "Payments".</summary>
public sealed record PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>The largest single top-up accepted, in the site currency.</summary>
    public decimal MaxTopUp { get; init; } = 50_000m;

    /// <summary>How old a provider callback's timestamp may be before it is refused as a replay.</summary>
    public int CallbackWindowSeconds { get; init; } = 300;

    /// <summary>Secret of the built-in demo payment provider (HMAC-SHA256 key). Set your own outside demos.</summary>
    public string DemoPaySecret { get; init; } = "demo-pay-secret-change-me";

    /// <summary>Offer the built-in demo payment provider (a local stand-in page). On by default in demo mode.</summary>
    public bool DemoPayEnabled { get; init; } = true;

    /// <summary>The server's own base address, used in payment redirect and callback URLs (default: the request's).</summary>
    public string? PublicBaseUrl { get; init; }
}
