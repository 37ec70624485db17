namespace Kilowallet.Domain.Safety;

/// <summary>
/// Whether a meter or gateway is reachable, with hysteresis: offline after N consecutive failures or
/// no data for a while, online again after M consecutive successes. Immutable; the server keeps one per device.
/// </summary>
public sealed record LinkHealth
{
    public LinkStatus Status { get; private init; }

    public int ConsecutiveFailures { get; private init; }

    public int ConsecutiveSuccesses { get; private init; }

    /// <summary>The last successful contact, or the start of supervision if there was none.</summary>
    public DateTimeOffset LastHeardAt { get; private init; }

    /// <summary>When <see cref="Status"/> last changed.</summary>
    public DateTimeOffset? ChangedAt { get; private init; }

    public static LinkHealth Start(DateTimeOffset at) => new() { LastHeardAt = at };

    /// <summary>A poll answered, or a pushed message arrived.</summary>
    public LinkUpdate Succeeded(DateTimeOffset at, LinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var next = this with { ConsecutiveSuccesses = ConsecutiveSuccesses + 1, ConsecutiveFailures = 0, LastHeardAt = at };
        return Status switch
        {
            LinkStatus.Unknown => new(next with { Status = LinkStatus.Online, ChangedAt = at }, LinkChange.None),
            LinkStatus.Offline when next.ConsecutiveSuccesses >= settings.SuccessesToOnline =>
                new(next with { Status = LinkStatus.Online, ChangedAt = at }, LinkChange.CameOnline),
            _ => new(next, LinkChange.None),
        };
    }

    /// <summary>A poll timed out or returned garbage.</summary>
    public LinkUpdate Failed(DateTimeOffset at, LinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var next = this with { ConsecutiveFailures = ConsecutiveFailures + 1, ConsecutiveSuccesses = 0 };
        return Status != LinkStatus.Offline && next.ConsecutiveFailures >= settings.FailuresToOffline
            ? new(next with { Status = LinkStatus.Offline, ChangedAt = at }, LinkChange.WentOffline)
            : new(next, LinkChange.None);
    }

    /// <summary>The passage of time: a device silent for too long goes offline.</summary>
    public LinkUpdate Advance(DateTimeOffset now, LinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Status != LinkStatus.Offline && now - LastHeardAt >= settings.SilenceToOffline
            ? new(this with { Status = LinkStatus.Offline, ChangedAt = now, ConsecutiveSuccesses = 0 }, LinkChange.WentOffline)
            : new(this, LinkChange.None);
    }
}
