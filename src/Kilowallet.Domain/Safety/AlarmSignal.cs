namespace Kilowallet.Domain.Safety;

/// <summary>
/// What a detector says about an alarm condition. <see cref="AlarmLifecycle.Apply"/> turns signals into
/// alarm records, deduplicated by <see cref="Key"/>. <see cref="By"/> names the operator when a person
/// caused the signal (e.g. a reset), which lets it clear alarms that do not clear by themselves.
/// </summary>
public readonly record struct AlarmSignal(AlarmSignalKind Kind, AlarmKey Key, DateTimeOffset At, string Detail, string? By = null)
{
    public AlarmSeverity Severity => AlarmCatalog.Severity(Key.Type);

    public static AlarmSignal Raise(AlarmType type, AlarmSource source, DateTimeOffset at, string detail) =>
        new(AlarmSignalKind.Raise, new AlarmKey(type, source), at, detail);

    public static AlarmSignal Clear(AlarmType type, AlarmSource source, DateTimeOffset at, string detail, string? by = null) =>
        new(AlarmSignalKind.Clear, new AlarmKey(type, source), at, detail, by);
}
