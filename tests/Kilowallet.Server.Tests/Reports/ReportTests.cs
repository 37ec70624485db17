using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Reports;
using Kilowallet.Server.Tests.Infrastructure;
using Kilowallet.Server.Web.Localization;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Reports;

/// <summary>The analysis and statements against hand-computed figures of <see cref="ReportData"/>, billed through the real pipeline.</summary>
public sealed class ReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Text English = new() { Language = Language.English };

    private static async Task<AnalysisReport> AnalyseAsync(KilowalletApp app, ReportData.Made made, AnalysisOptions? options = null)
    {
        var reports = app.Services.GetRequiredService<ReportService>();
        var site = (await reports.SiteAsync(made.Site.Value, Ct))!;
        return await reports.AnalyseAsync(site, ResolvedPeriod.Resolve("2026-03-02", "2026-03-02", new DateOnly(2026, 11, 1)), options ?? new AnalysisOptions(), English, Ct);
    }

    private static object?[] Row(ReportTable table, string first) => table.Rows.Single(r => Equals(r[0], first));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Totals_by_floor_business_format_and_band_match_the_hand_computed_figures(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await ReportData.MakeAsync(app.Services, Ct);

        var report = await AnalyseAsync(app, made);

        Assert.Equal(66m, report.TotalKwh);
        Assert.Equal(43.45m, report.TotalCost);
        var byArea = report.Table("by-area")!;
        Assert.Equal([43.2m, 28.44m], Row(byArea, "F1")[3..5]);
        Assert.Equal([6m, 3.95m], Row(byArea, "F2")[3..5]);
        Assert.Equal([16.8m, 11.06m], Row(byArea, "PUB")[3..5]);
        var byFormat = report.Table("by-format")!;
        Assert.Equal([24m, 15.80m], Row(byFormat, "Supermarket")[3..5]);
        Assert.Equal([12m, 7.90m], Row(byFormat, "Restaurant")[3..5]);
        Assert.Equal([6m, 3.95m], Row(byFormat, "Apparel")[3..5]);
        Assert.Equal([24m, 15.80m], Row(byFormat, "Public area")[3..5]);
        var byBand = report.Table("by-band")!;
        Assert.Equal([27.5m, 8.25m], Row(byBand, "Valley")[1..3]);
        Assert.Equal([27.5m, 22.00m], Row(byBand, "Flat")[1..3]);
        Assert.Equal([11m, 13.20m], Row(byBand, "Peak")[1..3]);
        Assert.Equal([0m, 0m], Row(byBand, "Sharp")[1..3]);
        var publicAreas = report.Table("public-areas")!;
        Assert.Equal(24m, Row(publicAreas, "All public areas")[4]);
        Assert.Equal(24m / 66m * 100m, Row(publicAreas, "All public areas")[6]);
        Assert.Equal(2.75m, report.PeakKw);
        var day = Assert.Single(report.Table("by-day")!.Rows);
        Assert.Equal([ReportData.Day, 0m, 11m, 27.5m, 27.5m, 66m, 43.45m], day);
        Assert.Equal(24, report.Table("load-curve")!.Rows.Count);
        Assert.Equal("1F-A", report.Table("top-consumers")!.Rows[0][1]);

        // The same figures by the API's consumption grouping, and as JSON.
        using var client = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        var json = await client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/consumption?siteId={made.Site.Value}&from=2026-03-02&to=2026-03-02&groupBy=format", Ct);
        var rows = json.GetProperty("rows").EnumerateArray().ToDictionary(r => r[0].GetString()!, r => r[2].GetDecimal());
        Assert.Equal(24m, rows["Supermarket"]);
        Assert.Equal(24m, rows["Public area"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Public_area_cost_is_apportioned_to_the_fen_and_the_shares_add_up_exactly(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await ReportData.MakeAsync(app.Services, Ct);

        // C = ¥4.74 + ¥11.06 = 1,580 fen. By floor area 100 : 50 : 30 → 877.78, 438.89, 263.33 → 877 + 438 + 263 = 1,578,
        // the two fen left go to the largest remainders (B .89, A .78): 878, 439, 263.
        var byArea = (await AnalyseAsync(app, made)).Apportionment;
        Assert.Equal(1_580, byArea.PublicCostMinor);
        Assert.Equal(24_000, byArea.PublicEnergyWh);
        Assert.Equal(878, byArea.For(made.A1.Value)!.AmountMinor);
        Assert.Equal(439, byArea.For(made.A2.Value)!.AmountMinor);
        Assert.Equal(263, byArea.For(made.A3.Value)!.AmountMinor);
        Assert.Equal(byArea.PublicCostMinor, byArea.Shares.Sum(s => s.AmountMinor));

        // By metered use 24 : 12 : 6 kWh → 902.86, 451.43, 225.71 → the two fen go to A (.86) and C (.71): 903, 451, 226.
        var report = await AnalyseAsync(app, made, new AnalysisOptions { Basis = ApportionmentBasis.MeteredUse });
        var byUse = report.Apportionment;
        Assert.Equal([903L, 451L, 226L], new[] { made.A1, made.A2, made.A3 }.Select(a => byUse.For(a.Value)!.AmountMinor));
        Assert.Equal(1_580, byUse.Shares.Sum(s => s.AmountMinor));
        Assert.Contains("15.80", report.Table("apportionment")!.Note, StringComparison.Ordinal);
        Assert.Equal(15.80m, Row(report.Table("apportionment")!, "Total")[4]);
    }

    [Fact]
    public void Largest_remainder_always_adds_up_to_the_total_and_no_share_is_a_fen_from_exact()
    {
        var random = new Random(20260302);
        for (var run = 0; run < 2_000; run++)
        {
            var total = random.NextInt64(0, 10_000_000);
            var weights = Enumerable.Range(0, random.Next(1, 40)).Select(i => ((long)i, (decimal)random.Next(0, 5_000) / 7m)).ToList();
            var shares = Apportionment.LargestRemainder(total, weights);
            if (weights.Sum(w => w.Item2) == 0m)
            {
                Assert.All(shares, s => Assert.Equal(0, s.AmountMinor));
                continue;
            }

            Assert.Equal(total, shares.Sum(s => s.AmountMinor));
            Assert.All(shares, s => Assert.True(Math.Abs(s.AmountMinor - s.ExactMinor) < 1m));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Losses_are_the_master_less_its_sub_meters_and_are_flagged_above_the_threshold(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await ReportData.MakeAsync(app.Services, Ct);

        // Master 69.6 kWh against 66 kWh of sub-meters: 3.6 kWh lost, 5.17 %.
        var report = await AnalyseAsync(app, made);
        var losses = Assert.Single(report.Table("losses")!.Rows);
        Assert.Equal([69.6m, 66m, 3.6m], losses[..3]);
        Assert.Equal(3.6m / 69.6m * 100m, report.LossPercent);
        Assert.True(report.LossFlagged);
        Assert.Contains(report.Table("hints")!.Rows, r => (string)r[0]! == "Losses");

        var lenient = await AnalyseAsync(app, made, new AnalysisOptions { LossThresholdPercent = 6m });
        Assert.False(lenient.LossFlagged);
    }

    [Theory]
    [InlineData("2026-03-10", "2026-03-01", "2026-03-01", "2026-03-10", PeriodProblem.Reversed)]
    [InlineData("2027-01-01", "2027-01-31", "2026-11-01", "2026-11-15", PeriodProblem.Future)]
    [InlineData("2026-11-01", "2026-12-31", "2026-11-01", "2026-11-15", PeriodProblem.EndInFuture)]
    [InlineData("2024-01-01", "2026-11-15", "2025-11-15", "2026-11-15", PeriodProblem.TooLong)]
    [InlineData("01/03/2026", "2026-03-31", "2026-11-01", "2026-11-15", PeriodProblem.Unreadable)]
    [InlineData(null, null, "2026-11-01", "2026-11-15", null)]
    [InlineData("2026-02-01", "2026-02-28", "2026-02-01", "2026-02-28", null)]
    public void Bad_date_ranges_are_corrected_to_a_sensible_period_and_named(string? from, string? to, string first, string last, PeriodProblem? problem)
    {
        var resolved = ResolvedPeriod.Resolve(from, to, new DateOnly(2026, 11, 15));

        Assert.Equal(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), resolved.Period.From);
        Assert.Equal(DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture), resolved.Period.LastDay);
        Assert.Equal(problem, resolved.Problem);
        Assert.True(resolved.Period.Days <= ResolvedPeriod.MaxDays);
    }

    [Fact]
    public async Task The_api_explains_a_corrected_period_and_refuses_unknown_settings()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        var made = await ReportData.MakeAsync(app.Services, Ct);
        using var client = await app.CreateApiClientAsync(ApiKeyScopes.Operate);

        var reversed = await client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/analysis?siteId={made.Site.Value}&from=2026-03-02&to=2026-03-01", Ct);
        Assert.Equal("reversed", reversed.GetProperty("period").GetProperty("problem").GetString());
        Assert.Contains("before the start", reversed.GetProperty("period").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-03-01", reversed.GetProperty("period").GetProperty("from").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/reports/analysis?siteId={made.Site.Value}&basis=height", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/reports/consumption?siteId={made.Site.Value}&groupBy=shop&interval=hour", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/reports/tables/everything", Ct)).StatusCode);
    }

    [Fact]
    public async Task Every_table_downloads_as_csv_and_as_an_excel_workbook()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        var made = await ReportData.MakeAsync(app.Services, Ct);
        using var client = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        var query = $"siteId={made.Site.Value}&from=2026-03-02&to=2026-03-02";

        foreach (var name in ReportService.TableNames)
        {
            using var csv = await client.GetAsync($"/api/v1/reports/tables/{name}?{query}&format=csv", Ct);
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        }

        var byArea = await client.GetStringAsync($"/api/v1/reports/tables/by-area?{query}&format=csv", Ct);
        Assert.Contains("F1,Floor 1,Floor,43.200,28.44", byArea, StringComparison.Ordinal);

        var workbook = await client.GetByteArrayAsync($"/api/v1/reports/analysis?{query}&format=xlsx", Ct);
        using var zip = new ZipArchive(new MemoryStream(workbook));
        Assert.NotNull(zip.GetEntry("xl/workbook.xml"));
        Assert.Equal(ReportService.TableNames.Count, zip.Entries.Count(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)));
        using var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet3.xml")!.Open());
        var xml = await sheet.ReadToEndAsync(Ct);
        Assert.Contains("<v>43.200</v>", xml, StringComparison.Ordinal);
        System.Xml.Linq.XDocument.Parse(xml);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_statement_has_the_opening_and_closing_balance_the_use_by_band_and_the_public_share(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await ReportData.MakeAsync(app.Services, Ct);
        await app.Services.GetRequiredService<AccountMoney>().TopUpAsync(
            new TopUpCommand(made.A1, 200m, "cash", IdempotencyKey.ForSystem("report-test-topup"), LedgerAccountKey.CashDrawer("test"), "test", "R-1", AtTill: false), Ct);
        await app.Services.GetRequiredService<ChargePoster>().PostChargesAsync(Ct);

        var statement = await ReportEndpoints.LoadStatementAsync(
            app.Services.GetRequiredService<ReportService>(), app.Services.GetRequiredService<StatementService>(), made.TenantA, made.A1, 2026, 3, Ct);

        Assert.NotNull(statement);
        Assert.Equal(24_000, statement.EnergyWh);
        Assert.Equal(15.80m, statement.EnergyAmount);
        Assert.Equal([0L, 4_000L, 10_000L, 10_000L], statement.Bands.Select(b => b.EnergyWh));
        Assert.Equal(878, statement.PublicShare!.AmountMinor);

        // The top-up is posted today (November), the charges now too: March's wallet does not move; the balance today is 200 − 15.80.
        var today = await ReportEndpoints.LoadStatementAsync(
            app.Services.GetRequiredService<ReportService>(), app.Services.GetRequiredService<StatementService>(), made.TenantA, made.A1,
            TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).Year, TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).Month, Ct);
        Assert.Equal(0, today!.OpeningMinor);
        Assert.Equal(200_00 - 15_80, today.ClosingMinor);
        Assert.Equal(200_00, today.Movements.Single(m => m.Kind == PostingKind.TopUp).AmountMinor);
        Assert.Equal(-15_80, today.Movements.Single(m => m.Kind == PostingKind.Charge).AmountMinor);
        Assert.Single(today.Lines);

        // Another tenant asking for it finds nothing.
        Assert.Null(await ReportEndpoints.LoadStatementAsync(
            app.Services.GetRequiredService<ReportService>(), app.Services.GetRequiredService<StatementService>(), made.TenantB, made.A1, 2026, 3, Ct));
    }

    [Fact]
    public async Task A_tenant_sees_only_their_own_statement_and_no_report_at_all()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        var made = await ReportData.MakeAsync(app.Services, Ct);
        using var tenant = await app.CreateUserClientAsync(Roles.Tenant, made.TenantA);

        using (var own = await tenant.GetAsync($"/my/statements/{made.A1.Value}/2026-03", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            var html = await own.Content.ReadAsStringAsync(Ct);
            Assert.Contains("15.80", html, StringComparison.Ordinal);
            Assert.Contains("<svg", html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync($"/my/statements/{made.A2.Value}/2026-03", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync($"/my/history?account={made.A2.Value}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync($"/my?account={made.A2.Value}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync($"/api/v1/reports/analysis?siteId={made.Site.Value}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync($"/api/v1/reports/tables/by-shop?siteId={made.Site.Value}&format=csv", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync($"/api/v1/reports/statements/{made.A1.Value}/2026-03", Ct)).StatusCode);

        using var home = await tenant.GetAsync("/my", Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        using var operatorClient = await app.CreateUserClientAsync(Roles.Operator);
        var page = await operatorClient.GetStringAsync($"/console/reports?siteId={made.Site.Value}&from=2026-03-02&to=2026-03-02", Ct);
        Assert.Contains("43.45", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync($"/console/reports/statement/{made.A2.Value}/2026-03", Ct)).StatusCode);
    }
}
