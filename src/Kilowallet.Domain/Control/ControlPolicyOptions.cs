namespace Kilowallet.Domain.Control;

/// <summary>Site-wide settings of <see cref="ControlPolicy"/>.</summary>
public sealed record ControlPolicyOptions
{
    /// <summary>
    /// A balance trip is never commanded sooner than this after the meter's previous relay command, so
    /// a balance hovering at the trip level cannot make the relay chatter. Reconnects are never delayed.
    /// </summary>
    public TimeSpan MinimumCommandInterval { get; init; } = TimeSpan.FromMinutes(5);
}
