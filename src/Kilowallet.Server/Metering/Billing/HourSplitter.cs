using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Server.Metering.Billing;

/// <summary>
/// Cuts a rated slice at UTC hour boundaries for the hourly usage buckets. The slice's energy is
/// spread over the hours by the rater's own rule (constant power, whole Wh, largest remainder), and
/// each part is priced at the slice's unit price, so the parts add up exactly to the slice — a long
/// gap never lands in one hour as a spike.
/// </summary>
public static class HourSplitter
{
    public readonly record struct Part(DateTimeOffset HourStart, long EnergyWh, Money Amount);

    public static int Split(in RatedSlice slice, Span<Part> parts, Span<long> weights, Span<long> shares)
    {
        var first = Floor(slice.Start);
        var hours = 0;
        for (var hour = first; hour < slice.End; hour = hour.AddHours(1))
        {
            hours++;
        }

        if (hours == 1)
        {
            parts[0] = new Part(first, slice.EnergyWh, slice.Amount);
            return 1;
        }

        if (hours > parts.Length)
        {
            throw new ArgumentException($"A slice spanning {hours} hours needs a larger buffer.", nameof(parts));
        }

        for (var i = 0; i < hours; i++)
        {
            var from = Max(first.AddHours(i), slice.Start);
            var to = Min(first.AddHours(i + 1), slice.End);
            weights[i] = (to - from).Ticks;
        }

        EnergySpreading.LargestRemainder(slice.EnergyWh, weights[..hours], shares[..hours]);
        var pricePerWh = slice.UnitPrice / 1000m;
        var assigned = Money.Zero;
        for (var i = 0; i < hours - 1; i++)
        {
            var amount = new Money(shares[i] * pricePerWh);
            parts[i] = new Part(first.AddHours(i), shares[i], amount);
            assigned += amount;
        }

        // The last part takes the rest, so the parts add up to the slice's amount exactly.
        parts[hours - 1] = new Part(first.AddHours(hours - 1), shares[hours - 1], slice.Amount - assigned);

        return hours;
    }

    /// <summary>How many UTC hours the slice touches.</summary>
    public static int HoursOf(in RatedSlice slice) => (int)Math.Ceiling((slice.End - Floor(slice.Start)).TotalHours);

    public static DateTimeOffset Floor(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
