namespace Kilowallet.Server.Reports;

/// <summary>Why the dates asked for were not used as they were.</summary>
public enum PeriodProblem
{
    /// <summary>A date could not be read (yyyy-MM-dd expected); the default period is shown.</summary>
    Unreadable = 0,

    /// <summary>The end was before the start; the two were swapped.</summary>
    Reversed = 1,

    /// <summary>The period began in the future; the default period is shown.</summary>
    Future = 2,

    /// <summary>The end was in the future; it was cut at today.</summary>
    EndInFuture = 3,

    /// <summary>Longer than hourly data is analysed at once; the last allowed days up to the end are shown.</summary>
    TooLong = 4,
}
