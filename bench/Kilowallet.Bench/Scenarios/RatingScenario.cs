using System.Diagnostics;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// Interval ratings per second on one core (one thread), with the TOU example plan plus a monthly
/// ladder (sharp/peak/flat/valley, summer sharp band, three blocks), Asia/Shanghai, July 2026:
/// 1-minute intervals on whole minutes (the common case: one band, block and day), 1-minute intervals
/// every one of which straddles a band or day boundary, and 1-minute intervals off the minute (a mix).
/// Also the bytes allocated per common-case rating. Rating must never be the bottleneck: target
/// ≥ 1,000,000 ratings/s/core.
/// </summary>
internal sealed class RatingScenario : IScenario
{
    private const long WattHoursPerMinute = 50; // 3 kW: about 2,200 kWh a month, so the month crosses the 1,000 kWh block

    /// <summary>The caller's reusable output buffer (allocated once, outside the timed loops).</summary>
    private RatedSliceBuffer Buffer { get; } = new(4096);

    public string Name => "rating";

    public string Description => "interval ratings per second on one core (TOU + ladder plan, 1-minute intervals)";

    public Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var rater = CreateRater();
        var start = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var count = quick ? 3_000_000 : 30_000_000;

        // Warm up every path so the tiered JIT has optimised them before anything is timed.
        Measure(rater, start, count / 10, TimeSpan.Zero, cancellationToken);
        Measure(rater, start, count / 10, TimeSpan.FromSeconds(30), cancellationToken);
        MeasureCrossing(rater, start, count / 100, cancellationToken);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var aligned = Measure(rater, start, count, TimeSpan.Zero, cancellationToken);
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
        report.Result("one_minute_intervals_per_second", aligned, "ratings/s");
        report.Result("allocated_bytes_per_interval", allocated, "B");

        var offset = Measure(rater, start, count, TimeSpan.FromSeconds(30), cancellationToken);
        report.Result("off_minute_intervals_per_second", offset, "ratings/s");

        var crossing = MeasureCrossing(rater, start, quick ? 300_000 : 3_000_000, cancellationToken);
        report.Result("boundary_crossing_intervals_per_second", crossing, "ratings/s");
        return Task.CompletedTask;
    }

    private static TariffRater CreateRater()
    {
        var tou = ExamplePlans.CommercialTimeOfUse();
        var ladder = ExamplePlans.Tiered().Versions[0].Tiers;
        var plan = tou with { Code = "BENCH-TOU-LADDER", Versions = [tou.Versions[0] with { Tiers = ladder }] };
        return new TariffRater(TariffTimeline.For(plan), SiteCalendar.For("Asia/Shanghai"));
    }

    /// <summary>Consecutive 1-minute intervals from <paramref name="start"/> + <paramref name="offset"/>, wrapping after 31 days.</summary>
    private double Measure(TariffRater rater, DateTimeOffset start, int count, TimeSpan offset, CancellationToken cancellationToken)
    {
        var policy = RatingPolicy.EveryMinute;
        var buffer = Buffer;
        buffer.Clear();
        const int MinutesInJuly = 31 * 1440;
        var first = start + offset;
        var monthToDate = 0L;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var minute = i % MinutesInJuly;
            if (minute == 0)
            {
                monthToDate = 0;
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (buffer.Count > 4000)
            {
                buffer.Clear();
            }

            var from = first.AddTicks(minute * TimeSpan.TicksPerMinute);
            var result = rater.Rate(new RatingRequest(from, from.AddTicks(TimeSpan.TicksPerMinute), WattHoursPerMinute, monthToDate), policy, buffer);
            monthToDate = result.MonthToDateWhAtEnd;
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>1-minute intervals centred on each band and day boundary of July, over and over.</summary>
    private double MeasureCrossing(TariffRater rater, DateTimeOffset start, int count, CancellationToken cancellationToken)
    {
        var probe = rater.Rate(new RatingRequest(start, start.AddDays(31), 31 * 1440 * WattHoursPerMinute, 0), RatingPolicy.EveryMinute);
        var boundaries = probe.Slices.Skip(1).Select(s => s.Start).ToArray();
        var policy = RatingPolicy.EveryMinute;
        var buffer = Buffer;
        buffer.Clear();
        var half = TimeSpan.FromSeconds(30);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (buffer.Count > 4000)
            {
                buffer.Clear();
                cancellationToken.ThrowIfCancellationRequested();
            }

            var boundary = boundaries[i % boundaries.Length];
            rater.Rate(new RatingRequest(boundary - half, boundary + half, WattHoursPerMinute, 999_980), policy, buffer);
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
