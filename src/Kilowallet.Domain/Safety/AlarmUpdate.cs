namespace Kilowallet.Domain.Safety;

/// <summary>What to store after a signal: the alarm as it now stands (null when ignored with nothing open).</summary>
public sealed record AlarmUpdate(AlarmUpdateKind Kind, Alarm? Alarm);
