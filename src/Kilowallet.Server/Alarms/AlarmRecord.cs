using Kilowallet.Domain.Safety;

namespace Kilowallet.Server.Alarms;

/// <summary>
/// An alarm: raised by a detector, acknowledged by a person, cleared when the cause goes away (or by
/// an operator for alarms that need one). At most one open alarm per cause (its key); a repeat only
/// updates the open one. Kept after clearing, as history.
/// </summary>
public sealed class AlarmRecord
{
    public long Id { get; set; }

    public AlarmType Type { get; set; }

    public AlarmSeverity Severity { get; set; }

    public AlarmSourceKind SourceKind { get; set; }

    public long SourceId { get; set; }

    /// <summary>"overload:meter:42": the cause; unique among open alarms.</summary>
    public required string Key { get; set; }

    public required string Detail { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public int Occurrences { get; set; } = 1;

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset? ClearedAt { get; set; }

    public string? ClearedBy { get; set; }
}
