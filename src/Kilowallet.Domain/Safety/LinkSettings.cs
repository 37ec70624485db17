namespace Kilowallet.Domain.Safety;

/// <summary>Online/offline hysteresis of a meter or gateway.</summary>
public sealed record LinkSettings
{
    /// <summary>Consecutive failed polls that make a device offline.</summary>
    public int FailuresToOffline { get; init; } = 3;

    /// <summary>Consecutive successful polls that bring an offline device back online.</summary>
    public int SuccessesToOnline { get; init; } = 2;

    /// <summary>No data for this long makes a device offline (push devices have no failed polls).</summary>
    public TimeSpan SilenceToOffline { get; init; } = TimeSpan.FromMinutes(5);
}
