namespace Kilowallet.Domain.Safety;

/// <summary>
/// An alarm record through its lifecycle: raised, acknowledged by an operator (optional), cleared
/// (by its detector or an operator). Repeats of the condition while open update it rather than
/// making a new one.
/// </summary>
public sealed record Alarm
{
    public required AlarmKey Key { get; init; }

    public required AlarmSeverity Severity { get; init; }

    public required AlarmStatus Status { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>How many raise signals this alarm absorbed, the first included.</summary>
    public int Occurrences { get; init; } = 1;

    public required string Detail { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public DateTimeOffset? ClearedAt { get; init; }

    /// <summary>The operator who cleared it; null when its detector did.</summary>
    public string? ClearedBy { get; init; }

    public bool IsOpen => Status != AlarmStatus.Cleared;

    public static Alarm Raise(AlarmSignal signal) => signal.Kind == AlarmSignalKind.Raise
        ? new Alarm
        {
            Key = signal.Key,
            Severity = signal.Severity,
            Status = AlarmStatus.Raised,
            RaisedAt = signal.At,
            LastSeenAt = signal.At,
            Detail = signal.Detail,
        }
        : throw new ArgumentException("Only a raise signal opens an alarm.", nameof(signal));

    public Alarm Acknowledge(string by, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        return Status == AlarmStatus.Raised ? this with { Status = AlarmStatus.Acknowledged, AcknowledgedBy = by, AcknowledgedAt = at } : this;
    }

    /// <summary>Clears the alarm; <paramref name="by"/> is the operator, or null for its detector.</summary>
    public Alarm Clear(DateTimeOffset at, string? by) =>
        IsOpen ? this with { Status = AlarmStatus.Cleared, ClearedAt = at, ClearedBy = by } : this;
}
