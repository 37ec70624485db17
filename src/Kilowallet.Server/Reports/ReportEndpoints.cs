using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Server.Api;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Reports;

/// <summary>
/// /api/v1/reports (operators): the analysis of a site and period as JSON, any of its tables as
/// JSON, CSV or Excel, the whole analysis as one workbook, consumption by any grouping and interval,
/// and tenants' monthly statements. Dates are local dates of the site (yyyy-MM-dd, inclusive); a
/// reversed, unreadable, future or too long range is corrected and the correction named in "problem".
/// </summary>
public static class ReportEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/reports").WithTags("Reports").RequireAuthorization(Policies.Operate);
        group.MapGet("/analysis", Analysis);
        group.MapGet("/tables/{name}", Table);
        group.MapGet("/consumption", Consumption);
        group.MapGet("/statements/{accountId:long}/{month}", StatementOf);
    }

    public sealed record PeriodDto(DateOnly From, DateOnly To, int Days, DateOnly PreviousFrom, DateOnly PreviousTo, string? Problem, string? Message);

    public sealed record TableDto(string Name, string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<object?[]> Rows, string? Note);

    public sealed record AnalysisDto(
        long SiteId, string Site, PeriodDto Period, decimal TotalKwh, decimal TotalCost, decimal PreviousKwh, decimal PublicKwh, decimal PeakKw,
        DateTimeOffset? PeakAt, decimal? LossPercent, bool LossFlagged, string Formula, IReadOnlyList<TableDto> Tables);

    public sealed record StatementDto(
        long AccountId, string Account, string Tenant, string Month, decimal Opening, decimal Closing, IReadOnlyList<Statement.Movement> Movements,
        decimal EnergyKwh, decimal EnergyAmount, IReadOnlyList<object> Bands, decimal? PublicShare, string Formula);

    /// <summary>The analysis as JSON, or every table in one Excel workbook with format=xlsx.</summary>
    public static async Task<IResult> Analysis(
        ReportService reports, Text text, long? siteId, string? from, string? to, string? basis, decimal? lossThreshold, int? nightStart, int? nightEnd, string? format,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, problem) = await RunAsync(reports, text, siteId, from, to, basis, lossThreshold, nightStart, nightEnd, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (format == "xlsx")
        {
            return TypedResults.File(TableFiles.Xlsx(report!.Tables), TableFiles.XlsxContentType, TableFiles.FileName("analysis", report.Period, "xlsx"));
        }

        var r = report!;
        return TypedResults.Ok(new AnalysisDto(
            r.Site.Id.Value, r.Site.Name, Period(r.Resolved, r.Previous, text), r.TotalKwh, MoneyRounding.ForDisplay(new Money(r.TotalCost)).Amount, r.PreviousKwh, r.PublicKwh,
            r.PeakKw, r.PeakAt, r.LossPercent, r.LossFlagged, r.Table("apportionment")?.Note ?? string.Empty, [.. r.Tables.Select(ToDto)]));
    }

    /// <summary>One table of the analysis: JSON, or a file with format=csv or format=xlsx.</summary>
    public static async Task<IResult> Table(
        string name, ReportService reports, Text text, long? siteId, string? from, string? to, string? basis, decimal? lossThreshold, int? nightStart, int? nightEnd,
        string? format, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ReportService.TableNames.Contains(name))
        {
            return Problems.Validation("name", $"The tables are {string.Join(", ", ReportService.TableNames)}.");
        }

        var (report, problem) = await RunAsync(reports, text, siteId, from, to, basis, lossThreshold, nightStart, nightEnd, clock, cancellationToken);
        return problem ?? File(report!.Table(name)!, report.Period, format);
    }

    public static async Task<IResult> Consumption(
        ReportService reports, ConsumptionReport consumption, Text text, long? siteId, string? from, string? to, string? groupBy, string? interval, string? format,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        groupBy ??= "area";
        interval ??= "total";
        if (ConsumptionReport.Problem(groupBy, interval) is { } wrong)
        {
            return Problems.Validation(groupBy is null || !ConsumptionReport.Groupings.Contains(groupBy) ? "groupBy" : "interval", wrong);
        }

        var site = await reports.SiteAsync(siteId, cancellationToken);
        if (site is null)
        {
            return TypedResults.NotFound();
        }

        var resolved = ResolvedPeriod.Resolve(from, to, site.Today(clock));
        var table = await consumption.BuildAsync(site, resolved.Period, groupBy, interval, text, cancellationToken);
        return File(table, resolved.Period, format);
    }

    public static async Task<Results<Ok<StatementDto>, NotFound, ProblemHttpResult>> StatementOf(
        long accountId, string month, ReportService reports, StatementService statements, Text text, CancellationToken cancellationToken)
    {
        if (!TryMonth(month, out var year, out var number))
        {
            return Problems.Validation("month", "The month is yyyy-MM, e.g. 2026-03.");
        }

        var statement = await LoadStatementAsync(reports, statements, null, new AccountId(accountId), year, number, cancellationToken);
        if (statement is null)
        {
            return TypedResults.NotFound();
        }

        var formula = text.Format("FormulaFloorArea", Money.FromMinorUnits(statement.PublicShares.PublicCostMinor).Amount.ToString("0.00", CultureInfo.InvariantCulture),
            (statement.PublicShares.PublicEnergyWh / 1000m).ToString("0.###", CultureInfo.InvariantCulture), statement.PublicShares.TotalWeight.ToString("0.###", CultureInfo.InvariantCulture),
            statement.PublicShares.Shares.Count(s => s.Weight > 0m));
        return TypedResults.Ok(new StatementDto(
            statement.Account.Id, statement.Account.Number, statement.Account.TenantName, statement.Month,
            Money.FromMinorUnits(statement.OpeningMinor).Amount, Money.FromMinorUnits(statement.ClosingMinor).Amount, statement.Movements,
            statement.EnergyWh / 1000m, MoneyRounding.ForDisplay(new Money(statement.EnergyAmount)).Amount,
            [.. statement.Bands.Select(b => new { band = b.Band.ToString().ToLowerInvariant(), kwh = b.EnergyWh / 1000m, amount = MoneyRounding.ForDisplay(new Money(b.Amount)).Amount })],
            statement.PublicShare is { } share ? Money.FromMinorUnits(share.AmountMinor).Amount : null, formula));
    }

    /// <summary>
    /// The statement of an account for a month; with <paramref name="tenant"/>, only when the account is
    /// that tenant's (anyone else's is not found).
    /// </summary>
    public static async Task<Statement?> LoadStatementAsync(
        ReportService reports, StatementService statements, TenantId? tenant, AccountId account, int year, int month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(statements);
        var siteId = await reports.SiteOfAccountAsync(account, tenant, cancellationToken);
        if (siteId is null || await reports.SiteAsync(siteId.Value.Value, cancellationToken) is not { } site)
        {
            return null;
        }

        var built = await statements.BuildAsync(site, year, month, account, cancellationToken);
        return built.Count > 0 ? built[0] : null;
    }

    public static bool TryMonth(string? text, out int year, out int month)
    {
        year = 0;
        month = 0;
        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        (year, month) = (date.Year, date.Month);
        return true;
    }

    public static PeriodDto Period(ResolvedPeriod resolved, ReportPeriod previous, Text text)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(text);
        var p = resolved.Period;
        return new PeriodDto(p.From, p.LastDay, p.Days, previous.From, previous.LastDay,
            resolved.Problem is { } problem ? JsonNamingPolicyName(problem) : null, Message(resolved, text));
    }

    /// <summary>What was wrong with the dates asked for, in the reader's language; null when nothing was.</summary>
    public static string? Message(ResolvedPeriod resolved, Text text)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(text);
        return resolved.Problem is { } problem
            ? text.Format("Period" + problem, resolved.Period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), resolved.Period.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ResolvedPeriod.MaxDays)
            : null;
    }

    /// <summary>Reads the analysis settings from a query; the problem is a 400 answer naming the setting.</summary>
    public static (AnalysisOptions? Options, string? Field, string? Error) Options(string? basis, decimal? lossThreshold, int? nightStart, int? nightEnd)
    {
        var kind = basis switch
        {
            null or "" or "floor-area" => ApportionmentBasis.FloorArea,
            "metered-use" => ApportionmentBasis.MeteredUse,
            _ => (ApportionmentBasis?)null,
        };
        if (kind is null)
        {
            return (null, "basis", "The basis is floor-area or metered-use.");
        }

        if (lossThreshold is < 0m or > 100m)
        {
            return (null, "lossThreshold", "The loss threshold is a percentage from 0 to 100.");
        }

        if (nightStart is < 0 or > 23 || nightEnd is < 0 or > 23 || (nightStart is { } s && nightEnd is { } e && s == e))
        {
            return (null, "nightStart", "The closed hours are two different hours of the day, 0 to 23.");
        }

        var defaults = new AnalysisOptions();
        return (new AnalysisOptions
        {
            Basis = kind.Value,
            LossThresholdPercent = lossThreshold ?? defaults.LossThresholdPercent,
            NightStartHour = nightStart ?? defaults.NightStartHour,
            NightEndHour = nightEnd ?? defaults.NightEndHour,
        }, null, null);
    }

    private static async Task<(AnalysisReport? Report, IResult? Problem)> RunAsync(
        ReportService reports, Text text, long? siteId, string? from, string? to, string? basis, decimal? lossThreshold, int? nightStart, int? nightEnd,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (options, field, error) = Options(basis, lossThreshold, nightStart, nightEnd);
        if (options is null)
        {
            return (null, Problems.Validation(field!, error!));
        }

        var site = await reports.SiteAsync(siteId, cancellationToken);
        if (site is null)
        {
            return (null, TypedResults.NotFound());
        }

        var resolved = ResolvedPeriod.Resolve(from, to, site.Today(clock));
        return (await reports.AnalyseAsync(site, resolved, options, text, cancellationToken), null);
    }

    private static IResult File(ReportTable table, ReportPeriod period, string? format) => format switch
    {
        "csv" => TypedResults.File(TableFiles.Csv(table), TableFiles.CsvContentType, TableFiles.FileName(table.Name, period, "csv")),
        "xlsx" => TypedResults.File(TableFiles.Xlsx([table]), TableFiles.XlsxContentType, TableFiles.FileName(table.Name, period, "xlsx")),
        _ => TypedResults.Ok(ToDto(table)),
    };

    private static TableDto ToDto(ReportTable table) => new(table.Name, table.Title, table.Columns, table.Rows, table.Note);

    private static string JsonNamingPolicyName(PeriodProblem problem) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(problem.ToString());
}
