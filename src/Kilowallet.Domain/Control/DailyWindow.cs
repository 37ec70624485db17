namespace Kilowallet.Domain.Control;

/// <summary>
/// A local time-of-day window [<paramref name="Start"/>, <paramref name="End"/>) that recurs every day.
/// When <paramref name="End"/> is earlier than <paramref name="Start"/> the window crosses midnight:
/// 20:00–08:00 runs from 20:00 to 08:00 the next morning.
/// </summary>
public readonly record struct DailyWindow(TimeOnly Start, TimeOnly End)
{
    public bool CrossesMidnight => End < Start;

    public bool Contains(TimeOnly time) => CrossesMidnight ? time >= Start || time < End : time >= Start && time < End;

    /// <summary>The local end of the occurrence of this window that contains <paramref name="local"/>.</summary>
    internal DateTime EndOfOccurrenceContaining(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        var date = DateOnly.FromDateTime(local);
        var endDate = CrossesMidnight && time >= Start ? date.AddDays(1) : date;
        return endDate.ToDateTime(End);
    }

    public override string ToString() => $"{Start:HH\\:mm}–{End:HH\\:mm}";
}
