namespace Kilowallet.Domain.Safety;

/// <summary>Deduplication: applies a detector's signal to the open alarm with the same key, if any.</summary>
public static class AlarmLifecycle
{
    /// <param name="open">The open alarm with the signal's key, or null when none is open.</param>
    /// <param name="signal">The detector's (or operator's) signal.</param>
    public static AlarmUpdate Apply(Alarm? open, AlarmSignal signal)
    {
        if (open is not null && (!open.IsOpen || open.Key != signal.Key))
        {
            throw new ArgumentException("Pass the open alarm with the signal's key, or null.", nameof(open));
        }

        return (signal.Kind, open) switch
        {
            (AlarmSignalKind.Raise, null) => new(AlarmUpdateKind.Raised, Alarm.Raise(signal)),
            (AlarmSignalKind.Raise, { } alarm) => new(
                AlarmUpdateKind.Repeated,
                alarm with { LastSeenAt = signal.At, Occurrences = alarm.Occurrences + 1, Detail = signal.Detail }),
            (AlarmSignalKind.Clear, { } alarm) when signal.By is not null || AlarmCatalog.ClearsAutomatically(signal.Key.Type) =>
                new(AlarmUpdateKind.Cleared, alarm.Clear(signal.At, signal.By)),
            _ => new(AlarmUpdateKind.Ignored, open),
        };
    }
}
