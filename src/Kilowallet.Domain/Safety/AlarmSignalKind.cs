namespace Kilowallet.Domain.Safety;

public enum AlarmSignalKind
{
    /// <summary>The condition is present (a new alarm, or a repeat of an open one).</summary>
    Raise = 0,

    /// <summary>The condition has gone.</summary>
    Clear = 1,
}
