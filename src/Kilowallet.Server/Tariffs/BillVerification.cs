using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Server.Tariffs;

/// <summary>
/// The <c>rate</c> command's work: rate a meter's readings from a CSV file under a plan file with the
/// domain rater the running system uses, and print energy and cost per band (and per day), so a
/// utility bill or a tenant's statement can be checked by hand. Needs no database.
/// </summary>
public static class BillVerification
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <returns>0 when every interval was rated; 1 when a file or an option is wrong; 2 when some intervals were quarantined (left out of the totals).</returns>
    public static int Run(BillVerificationOptions options, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var problems = new List<string>();
        var plan = ReadPlan(options.Plan, problems);
        var calendar = ReadCalendar(options, problems);
        if (options.CtRatio <= 0m || options.PtRatio <= 0m)
        {
            problems.Add("The CT and PT ratios are positive numbers (e.g. --ct 40 for 200/5 A).");
        }

        if (options.ExpectedIntervalMinutes < 1 || options.MonthToDateKwh < 0m || options.MaxPowerKw <= 0m)
        {
            problems.Add("--expected-interval-minutes is at least 1, --month-to-date-kwh at least 0 and --max-kw above 0.");
        }

        IReadOnlyList<(int Line, CumulativeReading Reading)> readings = [];
        if (!options.Readings.Exists)
        {
            problems.Add($"{options.Readings.FullName} does not exist.");
        }
        else if (options.CtRatio > 0m && options.PtRatio > 0m)
        {
            (readings, var csvErrors) = MeterReadingsCsv.Parse(File.ReadAllText(options.Readings.FullName), options.Readings.Name, options.CtRatio * options.PtRatio);
            problems.AddRange(csvErrors);
            if (csvErrors.Count == 0 && readings.Count < 2)
            {
                problems.Add($"{options.Readings.Name}: at least two readings are needed to rate an interval.");
            }
        }

        if (problems.Count > 0 || plan is null || calendar is null)
        {
            foreach (var problem in problems)
            {
                error.WriteLine(problem);
            }

            return 1;
        }

        var timeline = TariffTimeline.For(plan);
        var rater = new TariffRater(timeline, calendar);
        var policy = new RatingPolicy(TimeSpan.FromMinutes(options.ExpectedIntervalMinutes), maxPowerKw: options.MaxPowerKw);
        var monthToDate = new EnergyKwh(options.MonthToDateKwh).ToWattHours();
        var meter = new MeterReadingRater(rater, policy, monthToDateWh: monthToDate);
        var slices = new RatedSliceBuffer(1024);
        int rated = 0, ignored = 0, quarantined = 0;
        foreach (var (line, reading) in readings)
        {
            var before = meter.LastRated;
            var result = meter.Add(reading, slices);
            if (before is null)
            {
                continue;
            }

            switch (result.Outcome)
            {
                case RatingOutcome.Rated:
                    rated++;
                    break;
                case RatingOutcome.Ignored:
                    ignored++;
                    error.WriteLine($"{options.Readings.Name} line {line}: ignored, not after the previous reading ({before.Value.At:yyyy-MM-dd HH:mm:ss zzz}).");
                    break;
                default:
                    quarantined++;
                    error.WriteLine($"{options.Readings.Name} line {line}: quarantined ({result.Reason}), not rated: {result.Detail}");
                    break;
            }
        }

        Print(output, options, plan, calendar, timeline, readings, slices, (rated, ignored, quarantined));
        return quarantined > 0 ? 2 : 0;
    }

    private static void Print(
        TextWriter output,
        BillVerificationOptions options,
        TariffPlan plan,
        SiteCalendar calendar,
        TariffTimeline timeline,
        IReadOnlyList<(int Line, CumulativeReading Reading)> readings,
        RatedSliceBuffer slices,
        (int Rated, int Ignored, int Quarantined) counts)
    {
        var first = readings[0].Reading.At;
        var last = readings.Max(r => r.Reading.At);
        var versions = string.Join(", ", slices.Select(s => s.Version).Distinct().Select(v => v.ToString()));
        output.WriteLine(string.Create(Invariant, $"Plan      {plan.Code} \"{plan.Name}\" ({plan.Currency}); versions used: {(versions.Length == 0 ? "none" : versions)}"));
        output.WriteLine(string.Create(Invariant, $"Site      {calendar.TimeZone.Id}; holidays: {(calendar.Holidays.Count == 0 ? "none" : string.Join(", ", calendar.Holidays.Order().Select(d => d.ToString("yyyy-MM-dd", Invariant))))}; CT {options.CtRatio} × PT {options.PtRatio}"));
        output.WriteLine(string.Create(Invariant, $"Readings  {readings.Count} from {Local(calendar, first)} to {Local(calendar, last)}: {counts.Rated} intervals rated, {counts.Ignored} ignored, {counts.Quarantined} quarantined"));
        output.WriteLine();

        var totals = UsageSummary.Total(slices);
        output.WriteLine($"{"band",-10} {"kWh",14} {"amount (exact)",24} {"amount",14}");
        foreach (var band in totals.Bands.Where(b => b.EnergyWh > 0))
        {
            output.WriteLine(string.Create(Invariant, $"{BandName(band.Band),-10} {Kwh(band.EnergyWh),14} {Exact(band.Amount),24} {Shown(band.Amount),14}"));
        }

        output.WriteLine(string.Create(Invariant, $"{"total",-10} {Kwh(totals.EnergyWh),14} {Exact(totals.Amount),24} {Shown(totals.Amount),14}"));
        var blocks = slices.GroupBy(s => s.TierIndex).OrderBy(g => g.Key).ToList();
        if (blocks.Count > 1 || blocks.Any(b => b.Key > 0))
        {
            foreach (var block in blocks)
            {
                var amount = new Money(block.Sum(s => s.Amount.Amount));
                output.WriteLine(string.Create(Invariant, $"{"block " + (block.Key + 1),-10} {Kwh(block.Sum(s => s.EnergyWh)),14} {Exact(amount),24} {Shown(amount),14}"));
            }
        }

        var estimated = slices.Where(s => s.Estimated).Sum(s => s.EnergyWh);
        if (estimated > 0)
        {
            output.WriteLine(string.Create(Invariant, $"of which estimated (spread over reading gaps): {Kwh(estimated)} kWh"));
        }

        if (options.Daily)
        {
            output.WriteLine();
            output.WriteLine($"{"date",-10} {"sharp kWh",12} {"peak kWh",12} {"flat kWh",12} {"valley kWh",12} {"total kWh",12} {"amount",14}");
            foreach (var day in UsageSummary.ByDay(slices))
            {
                var t = day.Totals;
                output.WriteLine(string.Create(Invariant, $"{day.Date:yyyy-MM-dd} {Kwh(t[TariffBand.Sharp].EnergyWh),12} {Kwh(t[TariffBand.Peak].EnergyWh),12} {Kwh(t[TariffBand.Flat].EnergyWh),12} {Kwh(t[TariffBand.Valley].EnergyWh),12} {Kwh(t.EnergyWh),12} {Shown(t.Amount),14}"));
            }
        }

        // Fixed charges of the local days the readings cover completely.
        var days = new List<DateOnly>();
        for (var date = calendar.LocalDateOf(first); calendar.StartOf(date.AddDays(1)) <= last; date = date.AddDays(1))
        {
            if (calendar.StartOf(date) >= first)
            {
                days.Add(date);
            }
        }

        var fixedCharges = days.SelectMany(d => FixedCharges.ForDay(timeline, d)).ToList();
        var fixedTotal = new Money(fixedCharges.Sum(c => c.Amount.Amount));
        output.WriteLine();
        if (fixedCharges.Count > 0)
        {
            var byName = fixedCharges.GroupBy(c => c.Name).Select(g => $"{g.Key} {new Money(g.Sum(c => c.Amount.Amount))}");
            output.WriteLine(string.Create(Invariant, $"Fixed charges for {days.Count} whole day(s): {string.Join(", ", byName)}"));
        }

        output.WriteLine(string.Create(Invariant, $"To pay    {Shown(totals.Amount + fixedTotal)} {plan.Currency} (energy {Shown(totals.Amount)} + fixed {fixedTotal})"));
    }

    private static TariffPlan? ReadPlan(FileInfo file, List<string> problems)
    {
        if (!file.Exists)
        {
            problems.Add($"{file.FullName} does not exist.");
            return null;
        }

        var parsed = TariffPlanJson.Parse(File.ReadAllText(file.FullName));
        problems.AddRange(parsed.Errors.Select(e => $"{file.Name}: {e}"));
        return parsed.Value;
    }

    private static SiteCalendar? ReadCalendar(BillVerificationOptions options, List<string> problems)
    {
        var holidays = new List<DateOnly>();
        foreach (var text in (options.Holidays ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var date))
            {
                holidays.Add(date);
            }
            else
            {
                problems.Add($"--holidays: '{text}' is not a date written yyyy-MM-dd.");
            }
        }

        try
        {
            return SiteCalendar.For(options.TimeZone, holidays);
        }
        catch (TimeZoneNotFoundException)
        {
            problems.Add($"--site-timezone: '{options.TimeZone}' is not a known IANA time zone (e.g. Asia/Shanghai).");
            return null;
        }
    }

    private static string Local(SiteCalendar calendar, DateTimeOffset instant) =>
        calendar.LocalDateTimeOf(instant).ToString("yyyy-MM-dd HH:mm", Invariant);

    private static string BandName(TariffBand band) => band switch
    {
        TariffBand.Sharp => "sharp 尖",
        TariffBand.Peak => "peak 峰",
        TariffBand.Flat => "flat 平",
        _ => "valley 谷",
    };

    private static string Kwh(long wattHours) => EnergyKwh.FromWattHours(wattHours).Kwh.ToString("#,0.000", Invariant);

    private static string Exact(Money amount) => amount.Amount.ToString("#,0.00##########", Invariant);

    private static string Shown(Money amount) => MoneyRounding.ForDisplay(amount).Amount.ToString("#,0.00", Invariant);
}
