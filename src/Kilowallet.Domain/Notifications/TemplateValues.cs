using Kilowallet.Domain.Safety;

namespace Kilowallet.Domain.Notifications;

/// <summary>The values a template may use. A template that needs a value left null cannot be rendered.</summary>
public sealed record TemplateValues
{
    /// <summary>{shop}: the shop's name or unit number.</summary>
    public string? Shop { get; init; }

    /// <summary>{amount}: the amount of a top-up.</summary>
    public Money? Amount { get; init; }

    /// <summary>{balance}: the available balance.</summary>
    public Money? Balance { get; init; }

    /// <summary>{days}: days of credit left; English renders "1 day" / "3 days", Chinese the number.</summary>
    public int? Days { get; init; }

    /// <summary>{alarm}: the alarm type, named in the message's language.</summary>
    public AlarmType? Alarm { get; init; }

    /// <summary>{source}: the device, e.g. "Meter 1F-012" or "Gateway 3".</summary>
    public string? Source { get; init; }

    /// <summary>{detail}: the detector's description (not translated); for a sign-in code, the code itself.</summary>
    public string? Detail { get; init; }
}
