using System.CommandLine;
using Kilowallet.Server.Tariffs;

namespace Kilowallet.Server.Admin;

/// <summary>
/// <c>rate --plan PLAN.json --readings READINGS.csv</c>: bill verification. Rates a meter's readings
/// under a plan file with the same domain rater the running system uses and prints energy and cost per
/// band (per day with <c>--daily</c>). Needs no database. Formats: docs/tariffs.md.
/// </summary>
public static class RateCommand
{
    public static Command Create()
    {
        var plan = new Option<FileInfo>("--plan") { Description = "Tariff plan file (JSON, see docs/tariffs.md).", Required = true };
        var readings = new Option<FileInfo>("--readings") { Description = "Readings CSV: time (with offset), kwh (cumulative), optionally sharp_kwh, peak_kwh, flat_kwh, valley_kwh.", Required = true };
        var timeZone = new Option<string>("--site-timezone") { Description = "The site's IANA time zone.", DefaultValueFactory = _ => "Asia/Shanghai" };
        var holidays = new Option<string?>("--holidays") { Description = "Holiday dates, comma separated (e.g. 2026-10-01,2026-10-02)." };
        var ct = new Option<decimal>("--ct") { Description = "Current-transformer ratio multiplying the registers (e.g. 40 for 200/5 A).", DefaultValueFactory = _ => 1m };
        var pt = new Option<decimal>("--pt") { Description = "Voltage-transformer ratio multiplying the registers.", DefaultValueFactory = _ => 1m };
        var daily = new Option<bool>("--daily") { Description = "Also print energy and cost per local day." };
        var monthToDate = new Option<decimal>("--month-to-date-kwh") { Description = "Energy of the first reading's month before it (for ladder blocks).", DefaultValueFactory = _ => 0m };
        var maxKw = new Option<decimal?>("--max-kw") { Description = "The installation's maximum power: intervals above 1.5 × it are quarantined." };
        var interval = new Option<int>("--expected-interval-minutes") { Description = "The normal reading interval; intervals over 15 times it are marked estimated.", DefaultValueFactory = _ => 1 };
        var command = new Command("rate", "Bill verification: rate a meter's readings (CSV) under a tariff plan file and print energy and cost per band. Needs no database.")
        {
            plan, readings, timeZone, holidays, ct, pt, daily, monthToDate, maxKw, interval,
        };
        command.SetAction(parse => BillVerification.Run(
            new BillVerificationOptions(
                parse.GetValue(plan)!,
                parse.GetValue(readings)!,
                parse.GetValue(timeZone)!,
                parse.GetValue(holidays),
                parse.GetValue(ct),
                parse.GetValue(pt),
                parse.GetValue(daily),
                parse.GetValue(monthToDate),
                parse.GetValue(maxKw),
                parse.GetValue(interval)),
            Console.Out,
            Console.Error));
        return command;
    }
}
