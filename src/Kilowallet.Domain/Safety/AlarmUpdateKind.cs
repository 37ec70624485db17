namespace Kilowallet.Domain.Safety;

public enum AlarmUpdateKind
{
    /// <summary>Nothing to store: a clear with no open alarm, or one the detector may not clear.</summary>
    Ignored = 0,

    /// <summary>A new alarm: insert it and notify operators.</summary>
    Raised = 1,

    /// <summary>The open alarm was seen again: update it, do not notify again.</summary>
    Repeated = 2,

    /// <summary>The open alarm was cleared: update it.</summary>
    Cleared = 3,
}
