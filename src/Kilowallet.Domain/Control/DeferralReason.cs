namespace Kilowallet.Domain.Control;

/// <summary>Why a trip is deferred.</summary>
public enum DeferralReason
{
    /// <summary>The site's friendly hours forbid a cut now.</summary>
    FriendlyHours = 0,

    /// <summary>The previous relay command was too recent (anti-chatter).</summary>
    MinimumInterval = 1,
}
