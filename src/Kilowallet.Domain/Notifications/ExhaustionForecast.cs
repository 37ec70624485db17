namespace Kilowallet.Domain.Notifications;

/// <summary>"About N days of credit left": the headroom above the trip level divided by the average daily cost of the last seven days.</summary>
public static class ExhaustionForecast
{
    public const int HistoryDays = 7;

    /// <summary>
    /// Whole days of credit left (rounded down), or null when there was no use to extrapolate from.
    /// Zero when the balance is already at or below the trip level.
    /// </summary>
    public static int? DaysLeft(Money available, Money tripLevel, Money costOfLastSevenDays)
    {
        if (costOfLastSevenDays <= Money.Zero)
        {
            return null;
        }

        var headroom = available - tripLevel;
        if (headroom <= Money.Zero)
        {
            return 0;
        }

        var days = decimal.Floor(headroom.Amount * HistoryDays / costOfLastSevenDays.Amount);
        return days > int.MaxValue ? int.MaxValue : (int)days;
    }

    /// <summary>Whether to send the forecast: credit left for at least one but at most <paramref name="warnAtDays"/> days.</summary>
    public static bool ShouldWarn(int? daysLeft, int warnAtDays) => daysLeft is { } days && days >= 1 && days <= warnAtDays;
}
