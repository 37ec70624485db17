namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The fixed charges of a local date: those of the plan version in force that day. A per-day charge is
/// posted as is; a per-month charge is spread over the days of the month by
/// <see cref="MoneyRounding.SpreadEvenly"/>, so a month under one version posts exactly its amount (when
/// the version or plan changes mid-month, each posts its share of the days it was in force).
/// </summary>
public static class FixedCharges
{
    public static IReadOnlyList<FixedChargePosting> ForDay(TariffTimeline timeline, DateOnly localDate)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        if (timeline.On(localDate) is not { } tariff || tariff.Version.FixedCharges is not { Count: > 0 } charges)
        {
            return [];
        }

        var postings = new List<FixedChargePosting>(charges.Count);
        foreach (var charge in charges)
        {
            var amount = charge.Per == FixedChargeBasis.Day
                ? new Money(charge.Amount)
                : MoneyRounding.SpreadEvenly(new Money(charge.Amount), localDate.Day, DateTime.DaysInMonth(localDate.Year, localDate.Month));
            postings.Add(new FixedChargePosting(localDate, charge.Name, amount, tariff.Key));
        }

        return postings;
    }
}
