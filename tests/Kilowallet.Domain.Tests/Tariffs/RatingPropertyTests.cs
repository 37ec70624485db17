using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kilowallet.Domain.Tariffs;
using static Kilowallet.Domain.Tests.Tariffs.TariffBuilders;

namespace Kilowallet.Domain.Tests.Tariffs;

/// <summary>
/// What holds for every interval (Asia/Shanghai, the TOU plan, with the ladder where stated). The
/// additivity statements, precisely:
/// <list type="number">
/// <item>Energy is conserved exactly by every rating.</item>
/// <item>When the energy is proportional to time in whole watt-hours (a constant load of k Wh per
/// second, readings on whole seconds), rating [a,c) equals rating [a,b) then [b,c) exactly: the same
/// energy and amount per date, band, block and version, and the same cut instants plus b. So with a
/// constant load the cost does not depend on how the readings are spaced.</item>
/// <item>Otherwise the watt-hours are quantised: with b at a cut of the [a,c) rating and [a,b) given
/// the energy [a,c) put before b, each part is re-spread by largest remainder, which may move whole
/// watt-hours between pieces of the part (largest remainder is not consistent on sub-intervals). Each
/// piece's share is within 1 Wh of its exact share in both ratings, so a part of n pieces moves fewer
/// than 1.5·n Wh, and the amounts differ by less than 1.5 × slices × (highest − lowest unit price) / 1000.</item>
/// </list>
/// </summary>
public sealed class RatingPropertyTests
{
    private const int Tests = 300;
    private static readonly SiteCalendar Calendar = ShanghaiCalendar("2026-01-01", "2026-05-01", "2026-10-01");
    private static readonly DateTimeOffset Origin = Local("2026-01-01 00:00");
    private static readonly TariffRater Tiered = new(TariffTimeline.For(TimeOfUseWithTiers()), Calendar);
    private static readonly TariffRater Untiered = new(TariffTimeline.For(ExamplePlans.CommercialTimeOfUse()), Calendar);

    private static readonly Gen<Interval> Intervals =
        from startMinute in Gen.Choose(0, 365 * 1440)
        from startSecond in Gen.Choose(0, 59)
        from seconds in Gen.Frequency((3, Gen.Choose(1, 3600)), (2, Gen.Choose(1, 72 * 3600)))
        from energy in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 2_000)), (3, Gen.Choose(1, 5_000_000)))
        from monthToDate in Gen.Choose(0, 6_000_000)
        select new Interval(Origin.AddMinutes(startMinute).AddSeconds(startSecond), TimeSpan.FromSeconds(seconds), energy, monthToDate);

    [Property(MaxTest = Tests)]
    public Property Energy_rated_over_any_interval_equals_the_input_energy() => Prop.ForAll(Arb.From(Intervals), interval =>
    {
        var rated = Tiered.Rate(interval.Request, RatingPolicy.EveryMinute);

        Assert.Equal(RatingOutcome.Rated, rated.Outcome);
        Assert.Equal(interval.EnergyWh, rated.EnergyWh);
        Assert.All(rated.Slices, slice =>
        {
            Assert.True(slice.EnergyWh > 0);
            Assert.True(slice.Start >= interval.Start && slice.End <= interval.End && slice.Start < slice.End);
            Assert.Equal(Calendar.LocalDateOf(slice.Start), slice.LocalDate);
            Assert.Equal(slice.EnergyWh * slice.UnitPrice / 1000m, slice.Amount.Amount);
            Assert.True(MoneyPrecision.IsRepresentable(slice.Amount));
        });
    });

    [Property(MaxTest = Tests)]
    public Property Trusted_band_registers_are_conserved_band_by_band() => Prop.ForAll(
        Arb.From(from interval in Intervals
                 from sharp in Gen.Choose(0, 100_000)
                 from peak in Gen.Choose(0, 2_000_000)
                 from flat in Gen.Choose(0, 100_000)
                 from valley in Gen.Choose(0, 2_000_000)
                 select (interval, new BandEnergyWh(sharp, peak, flat, valley))),
        test =>
        {
            var (interval, bands) = test;
            var request = interval.Request with { EnergyWh = bands.Total, BandEnergy = bands };

            var rated = Tiered.Rate(request, RatingPolicy.EveryMinute);

            Assert.Equal(RatingOutcome.Rated, rated.Outcome);
            foreach (var band in Enum.GetValues<TariffBand>())
            {
                Assert.Equal(bands[band], rated.WhIn(band));
            }

            Assert.All(rated.Slices, s => Assert.Equal(Calendar.LocalDateOf(s.Start), s.LocalDate));
        });

    [Property(MaxTest = Tests)]
    public Property With_power_in_whole_watt_hours_per_second_the_slices_tile_the_interval() => Prop.ForAll(Arb.From(Intervals), interval =>
    {
        var proportional = interval with { EnergyWh = (long)interval.Duration.TotalSeconds * 7 };

        var slices = Tiered.Rate(proportional.Request, RatingPolicy.EveryMinute).Slices;

        Assert.Equal(interval.Start, slices[0].Start);
        Assert.Equal(interval.End, slices[^1].End);
        for (var i = 1; i < slices.Count; i++)
        {
            Assert.Equal(slices[i - 1].End, slices[i].Start);
        }
    });

    [Property(MaxTest = Tests)]
    public Property With_energy_proportional_to_time_rating_a_to_c_equals_rating_a_to_b_then_b_to_c() => Prop.ForAll(
        Arb.From(from interval in Intervals
                 from cut in Gen.Choose(1, 1_000_000)
                 from wattHoursPerSecond in Gen.Choose(0, 50)
                 select (interval, cut, wattHoursPerSecond)),
        test =>
        {
            var (interval, cut, k) = test;
            var seconds = (long)interval.Duration.TotalSeconds;
            if (seconds < 2)
            {
                return;
            }

            var b = interval.Start.AddSeconds(1 + (cut % (seconds - 1)));
            var whole = Tiered.Rate(new RatingRequest(interval.Start, interval.End, seconds * k, interval.MonthToDateWh), RatingPolicy.EveryMinute);
            var first = Tiered.Rate(new RatingRequest(interval.Start, b, (long)(b - interval.Start).TotalSeconds * k, interval.MonthToDateWh), RatingPolicy.EveryMinute);
            var second = Tiered.Rate(new RatingRequest(b, interval.End, (long)(interval.End - b).TotalSeconds * k, first.Result.MonthToDateWhAtEnd), RatingPolicy.EveryMinute);

            Assert.Equal(Totals(whole.Slices), Totals([.. first.Slices, .. second.Slices]));
            Assert.Equal(whole.Amount, first.Amount + second.Amount);
            Assert.Equal(whole.Result.MonthToDateWhAtEnd, second.Result.MonthToDateWhAtEnd);
            if (k > 0)
            {
                Assert.Equal(Cuts(whole.Slices).Append(b).Distinct().Order(), Cuts([.. first.Slices, .. second.Slices]).Distinct().Order());
            }
        });

    [Property(MaxTest = Tests)]
    public Property Otherwise_a_split_differs_only_by_whole_watt_hours_moved_between_pieces() => Prop.ForAll(
        Arb.From(from interval in Intervals
                 from pick in Gen.Choose(0, 1000)
                 select (interval, pick)),
        test =>
        {
            var (interval, pick) = test;
            var whole = Untiered.Rate(interval.Request, RatingPolicy.EveryMinute);
            var cuts = whole.Slices.Select(s => s.End).Where(t => t < interval.End).ToList();
            if (cuts.Count == 0)
            {
                return;
            }

            var b = cuts[pick % cuts.Count];
            var before = whole.Slices.Where(s => s.End <= b).Sum(s => s.EnergyWh);
            var first = Untiered.Rate(new RatingRequest(interval.Start, b, before, 0), RatingPolicy.EveryMinute);
            var second = Untiered.Rate(new RatingRequest(b, interval.End, interval.EnergyWh - before, 0), RatingPolicy.EveryMinute);

            var prices = whole.Slices.Concat(first.Slices).Concat(second.Slices).Select(s => s.UnitPrice).ToList();
            var bound = 1.5m * whole.Slices.Count * (prices.Max() - prices.Min()) / 1000m;
            Assert.Equal(interval.EnergyWh, first.EnergyWh + second.EnergyWh);
            Assert.True(
                Math.Abs((first.Amount - whole.Amount + second.Amount).Amount) <= bound,
                $"{whole.Amount} vs {first.Amount} + {second.Amount}: more than {bound} apart");
        });

    [Property(MaxTest = 100)]
    public Property With_a_constant_load_the_cost_does_not_depend_on_how_the_readings_are_spaced() => Prop.ForAll(
        Arb.From(from startMinute in Gen.Choose(0, 365 * 1440)
                 from minutes in Gen.Choose(1, 3 * 1440)
                 from wattHoursPerMinute in Gen.Choose(0, 3_000)
                 from monthToDate in Gen.Choose(0, 6_000_000)
                 from readings in Gen.ListOf(Gen.Choose(1, 3 * 1440))
                 select (startMinute, minutes, wattHoursPerMinute, monthToDate, readings)),
        test =>
        {
            var (startMinute, minutes, k, monthToDate, readings) = test;
            var start = Origin.AddMinutes(startMinute);
            var offsets = readings.Where(m => m < minutes).Append(minutes).Prepend(0).Distinct().Order().ToList();
            var buffer = new RatedSliceBuffer();
            var meter = new MeterReadingRater(Tiered, RatingPolicy.EveryMinute, new CumulativeReading(start, 0), monthToDate);
            foreach (var offset in offsets.Skip(1))
            {
                Assert.Equal(RatingOutcome.Rated, meter.Add(new CumulativeReading(start.AddMinutes(offset), (long)offset * k), buffer).Outcome);
            }

            var once = Tiered.Rate(new RatingRequest(start, start.AddMinutes(minutes), (long)minutes * k, monthToDate), RatingPolicy.EveryMinute);

            Assert.Equal(Totals(once.Slices), Totals(buffer));
            Assert.Equal(once.Result.MonthToDateWhAtEnd, meter.MonthToDateWh);
        });

    [Property(MaxTest = Tests)]
    public Property A_duplicated_or_older_reading_is_ignored() => Prop.ForAll(
        Arb.From(from interval in Intervals
                 from back in Gen.Choose(0, 100_000)
                 select (interval, back)),
        test =>
        {
            var (interval, back) = test;
            var buffer = new RatedSliceBuffer();
            var meter = new MeterReadingRater(Tiered, RatingPolicy.EveryMinute, new CumulativeReading(interval.Start, 1_000), interval.MonthToDateWh);
            var reading = new CumulativeReading(interval.End, 1_000 + interval.EnergyWh);
            meter.Add(reading, buffer);
            var rated = buffer.Count;

            var again = meter.Add(reading, buffer);
            var older = meter.Add(new CumulativeReading(interval.End.AddSeconds(-back), 1_000 + interval.EnergyWh + 5), buffer);
            var direct = Tiered.Rate(new RatingRequest(interval.End, interval.End.AddSeconds(-back), 5, 0), RatingPolicy.EveryMinute, buffer);

            Assert.Equal([RatingOutcome.Ignored, RatingOutcome.Ignored, RatingOutcome.Ignored], [again.Outcome, older.Outcome, direct.Outcome]);
            Assert.Equal(rated, buffer.Count);
            Assert.Equal(reading, meter.LastRated);
        });

    [Property(MaxTest = 100)]
    public Property Posted_cents_never_drift_from_the_exact_total() => Prop.ForAll(
        Arb.From(Gen.ListOf(Intervals).Select(list => list.Take(400).ToList())),
        intervals =>
        {
            var carry = Money.Zero;
            var posted = Money.Zero;
            var exact = Money.Zero;
            foreach (var slice in intervals.SelectMany(i => Tiered.Rate(i.Request, RatingPolicy.EveryMinute).Slices))
            {
                (var postable, carry) = MoneyRounding.ToPostable(slice.Amount, carry);
                Assert.True(postable.IsWholeMinorUnits);
                posted += postable;
                exact += slice.Amount;
                Assert.True(carry >= Money.Zero && carry < Money.FromMinorUnits(1));
                Assert.Equal(exact, posted + carry);
            }

            Assert.True(exact - posted < Money.FromMinorUnits(1));
        });

    private static List<(DateOnly, TariffBand, int, TariffVersionKey, long, decimal)> Totals(IEnumerable<RatedSlice> slices) =>
        [.. slices
            .GroupBy(s => (s.LocalDate, s.Band, s.TierIndex, s.Version))
            .OrderBy(g => g.Key.LocalDate).ThenBy(g => g.Key.Band).ThenBy(g => g.Key.TierIndex)
            .Select(g => (g.Key.LocalDate, g.Key.Band, g.Key.TierIndex, g.Key.Version, g.Sum(s => s.EnergyWh), g.Sum(s => s.Amount.Amount)))];

    private static IEnumerable<DateTimeOffset> Cuts(IEnumerable<RatedSlice> slices) => slices.SelectMany(s => new[] { s.Start, s.End });

    public sealed record Interval(DateTimeOffset Start, TimeSpan Duration, long EnergyWh, long MonthToDateWh)
    {
        public DateTimeOffset End => Start + Duration;

        public RatingRequest Request => new(Start, End, EnergyWh, MonthToDateWh);
    }
}
