namespace Kilowallet.Domain.Safety;

/// <summary>
/// The deduplication key of an alarm: at most one open alarm per cause per source.
/// Text form "{type}:{source}", e.g. "overload:meter:42"; storage keeps it in a unique index of open alarms.
/// </summary>
public readonly record struct AlarmKey(AlarmType Type, AlarmSource Source)
{
    public override string ToString() => AlarmCatalog.Code(Type) + ":" + Source;
}
