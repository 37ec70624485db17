using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Server.Admin;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Sites;

/// <summary>
/// The site directory through the API: the CSV import's rules, field-level problems, 409 for
/// duplicates, 404 for unknown ids, deletion only where safe, acquisition picking changes up,
/// commissioning test reads of saved and unsaved meters, readings and usage.
/// </summary>
public sealed class DirectoryApiTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private KilowalletApp _app = null!;
    private HttpClient _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("sqlite");
        _app = new KilowalletApp(_database);
        _api = await _app.CreateApiClientAsync(ApiKeyScopes.Operate);
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Invalid_fields_are_named_and_nothing_is_saved()
    {
        var site = await PostAsync("/api/v1/sites", new { code = "BAD", name = "Mall", timeZone = "Mars/Olympus", currency = "XYZ" });
        Assert.Equal(HttpStatusCode.BadRequest, site.Status);
        Assert.Contains("timeZone", Fields(site.Body));
        Assert.Contains("currency", Fields(site.Body));

        var d = await DirectoryAsync();
        var meter = await PostAsync("/api/v1/meters", new { siteId = d.Site, serial = "M-BAD", profileName = "no-such-model", gatewayId = d.Gateway, ctRatio = 0, phaseCount = 2, accountId = d.Account });
        Assert.Equal(HttpStatusCode.BadRequest, meter.Status);
        Assert.Equal(["ctRatio", "phaseCount", "profileName", "unitId"], Fields(meter.Body).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await GetAsync($"/api/v1/meters?search=M-BAD")).GetProperty("total").GetInt32());

        var noSite = await PostAsync("/api/v1/tenants", new { code = "T9", name = "Nobody" });
        Assert.Equal(HttpStatusCode.BadRequest, noSite.Status);
        Assert.Contains("siteId", Fields(noSite.Body));
    }

    [Fact]
    public async Task The_api_and_the_csv_import_refuse_a_record_for_the_same_reason()
    {
        var d = await DirectoryAsync();
        var api = await PostAsync("/api/v1/meters", new { siteId = d.Site, serial = "M-CT", profileName = "kpm31", gatewayId = d.Gateway, unitId = 9, ctRatio = 0.5m, accountId = d.Account });
        var apiReason = JsonDocument.Parse(api.Body).RootElement.GetProperty("errors").GetProperty("ctRatio")[0].GetString();

        await using var scope = _app.Services.CreateAsyncScope();
        var csv = ActivatorUtilities.CreateInstance<DirectoryCsv>(scope.ServiceProvider);
        var import = await csv.ImportAsync(
            CsvKind.Meters,
            "site_code,serial,profile,gateway,unit_id,ct_ratio,account_number\nDIR,M-CT,kpm31,GW-1,9,0.5,A-1\n",
            "meters.csv",
            Ct);
        Assert.Equal([$"meters.csv line 2, field ct_ratio: {apiReason}"], import.Errors);
    }

    [Fact]
    public async Task Duplicates_are_conflicts_and_unknown_ids_are_not_found()
    {
        var d = await DirectoryAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync("/api/v1/sites", new { code = "DIR", name = "Again" })).Status);
        Assert.Equal(1, (await GetAsync("/api/v1/sites?search=Directory")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await GetAsync("/api/v1/sites?search=Again")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/api/v1/sites/{d.Site}/shops", new { unitNumber = "1F-01", name = "Twin", areaId = d.Area })).Status);
        var serial = await PostAsync("/api/v1/meters", new { siteId = d.Site, serial = "M-1", profileName = "kpm31", gatewayId = d.Gateway, unitId = 2, accountId = d.Account });
        Assert.Equal(HttpStatusCode.Conflict, serial.Status);
        Assert.Contains("serial", Fields(serial.Body));
        var slot = await PostAsync("/api/v1/meters", new { siteId = d.Site, serial = "M-2", profileName = "kpm31", gatewayId = d.Gateway, unitId = 1, accountId = d.Account });
        Assert.Equal(HttpStatusCode.Conflict, slot.Status);
        Assert.Contains("unitId", Fields(slot.Body));

        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync("/api/v1/meters/999999", new { serial = "X", profileName = "kpm31" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/v1/gateways/999999", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync($"/api/v1/sites/{d.Site}/shops/999999", new { unitNumber = "X", name = "X", areaId = d.Area })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("/api/v1/sites/999999/areas", new { code = "X", name = "X" })).Status);
    }

    [Fact]
    public async Task Updates_replace_the_record_but_never_move_a_meter_to_another_account()
    {
        var d = await DirectoryAsync();
        var renamed = await PutAsync($"/api/v1/tenants/{d.Tenant}", new { code = "T1", name = "Noodle Bar Ltd", phone = "+8613800138009", preferredLanguage = "english" });
        Assert.Equal(HttpStatusCode.OK, renamed.Status);
        Assert.Equal("english", JsonDocument.Parse(renamed.Body).RootElement.GetProperty("preferredLanguage").GetString());

        var other = await IdAsync("/api/v1/accounts", new { tenantId = d.Tenant, number = "A-2" });
        var moved = await PutAsync($"/api/v1/meters/{d.Meter}", new { serial = "M-1", profileName = "kpm31", gatewayId = d.Gateway, unitId = 1, accountId = other });
        Assert.Equal(HttpStatusCode.Conflict, moved.Status);
        Assert.Contains("accountId", Fields(moved.Body));

        var ratio = await PutAsync($"/api/v1/meters/{d.Meter}", new { serial = "M-1", profileName = "kpm31", gatewayId = d.Gateway, unitId = 1, accountId = d.Account, ctRatio = 40m });
        Assert.Equal(HttpStatusCode.OK, ratio.Status);
        Assert.Equal(40m, JsonDocument.Parse(ratio.Body).RootElement.GetProperty("ctRatio").GetDecimal());

        using var admin = await _app.CreateApiClientAsync(ApiKeyScopes.Admin);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?target=meter:{d.Meter}", Ct);
        Assert.Contains("meter.updated", audit.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Deleting_is_refused_where_history_or_references_would_be_lost()
    {
        var d = await DirectoryAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await _api.DeleteAsync($"/api/v1/gateways/{d.Gateway}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.DeleteAsync($"/api/v1/sites/{d.Site}/shops/{d.Shop}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.DeleteAsync($"/api/v1/sites/{d.Site}/areas/{d.Area}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.DeleteAsync($"/api/v1/tenants/{d.Tenant}", Ct)).StatusCode);

        // A meter with a reading is retired, not deleted.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            db.Readings.Add(new MeterReadingRecord { MeterId = new MeterId(d.Meter), At = DateTimeOffset.Parse("2026-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), EnergyWh = 1000 });
            await db.SaveChangesAsync(Ct);
        }

        var retired = await _api.DeleteAsync($"/api/v1/meters/{d.Meter}", Ct);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.Equal("decommissioned", (await GetAsync($"/api/v1/meters/{d.Meter}")).GetProperty("status").GetString());

        // One that never read anything is gone; then its shop, and an empty area, can go too.
        var spare = await IdAsync("/api/v1/meters", new { siteId = d.Site, serial = "M-SPARE", profileName = "sdm120", gatewayId = d.Gateway, unitId = 7, purpose = "publicArea" });
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/v1/meters/{spare}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/meters/{spare}", Ct)).StatusCode);
        var empty = await IdAsync($"/api/v1/sites/{d.Site}/areas", new { code = "F9", name = "Floor 9", floor = 9 });
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/v1/sites/{d.Site}/areas/{empty}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_commissioning_engineer_test_reads_a_meter_before_and_after_saving_it()
    {
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 0x0001, 0xE240, 0, 100, 0, 200, 0, 300, 0, 400, 0, 0, 0, 0, 0, 0);
        store.SetHoldingRegisters(0x10, 2301, 512, 0xFFFF, 0xFC18, 980, 5000, 0x0004);
        store.SetCoils(0, true);
        await using var bus = new ModbusSlaveServer(ModbusFraming.Rtu);
        bus.AddDevice(3, store);
        bus.Start();
        var d = await DirectoryAsync();
        var gateway = await IdAsync("/api/v1/gateways", new { siteId = d.Site, name = "DTU-7", transport = "rtuOverTcp", host = "127.0.0.1", port = bus.Port, timeoutMs = 500 });

        // Not saved yet: the gateway has no meter, so nothing polls it and the read goes on a connection of its own.
        var before = await PostAsync("/api/v1/meters/test-read", new { gatewayId = gateway, profileName = "kpm31", unitId = 3 });
        Assert.Equal(HttpStatusCode.OK, before.Status);
        var reading = JsonDocument.Parse(before.Body).RootElement;
        Assert.True(reading.GetProperty("answered").GetBoolean(), before.Body);
        Assert.Equal("direct", reading.GetProperty("path").GetString());
        Assert.Equal("1234.560", Value(reading, "energy_total"));
        Assert.Equal("230.1", Value(reading, "voltage_a"));
        Assert.Equal("closed", reading.GetProperty("relay").GetString());
        Assert.Contains("0001 E240", string.Join(" ", reading.GetProperty("raw")[0].GetProperty("words").EnumerateArray().Select(w => w.GetString())), StringComparison.Ordinal);

        var wrongUnit = await PostAsync("/api/v1/meters/test-read", new { gatewayId = gateway, profileName = "kpm31", unitId = 300 });
        Assert.Equal(HttpStatusCode.BadRequest, wrongUnit.Status);
        Assert.Contains("unitId", Fields(wrongUnit.Body));

        // Saved: acquisition picks the meter up at once, and the test read is queued on the bus's poller.
        var meter = await IdAsync("/api/v1/meters", new { siteId = d.Site, serial = "M-DTU", profileName = "kpm31", gatewayId = gateway, unitId = 3, purpose = "publicArea" });
        var after = JsonDocument.Parse((await PostAsync($"/api/v1/meters/{meter}/test-read", new { })).Body).RootElement;
        Assert.Equal("poller", after.GetProperty("path").GetString());
        Assert.Equal("1234.560", Value(after, "energy_total"));

        // A meter that does not answer is a reading that says so, not an error.
        var silent = JsonDocument.Parse((await PostAsync("/api/v1/meters/test-read", new { gatewayId = gateway, profileName = "kpm31", unitId = 4 })).Body).RootElement;
        Assert.False(silent.GetProperty("answered").GetBoolean());
        Assert.False(string.IsNullOrEmpty(silent.GetProperty("failure").GetString()));
    }

    [Fact]
    public async Task Readings_are_paged_and_usage_is_grouped_by_the_sites_local_day_with_bands()
    {
        var d = await DirectoryAsync();
        var at = DateTimeOffset.Parse("2026-03-01T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            for (var i = 0; i < 5; i++)
            {
                db.Readings.Add(new MeterReadingRecord { MeterId = new MeterId(d.Meter), At = at.AddHours(i), EnergyWh = 1_000_000 + (i * 1500), VoltageA = 230 });
            }

            // 15:00Z is 23:00 on 1 March in Shanghai, 16:00Z is midnight on 2 March.
            db.UsageHourly.Add(Bucket(d, at.AddHours(1), TariffBand.Peak, 1500, 1.50m));
            db.UsageHourly.Add(Bucket(d, at.AddHours(2), TariffBand.Valley, 1500, 0.45m));
            db.UsageHourly.Add(Bucket(d, at.AddHours(2), TariffBand.Flat, 500, 0.35m));
            await db.SaveChangesAsync(Ct);
        }

        var page = await GetAsync($"/api/v1/meters/{d.Meter}/readings?from=2026-03-01T15:00:00Z&to=2026-03-01T18:00:00Z&limit=2");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(1004.5m, page.GetProperty("items")[0].GetProperty("registerKwh").GetDecimal());

        var days = await GetAsync($"/api/v1/meters/{d.Meter}/usage?by=day&from=2026-03-01T00:00:00%2B08:00&to=2026-03-03T00:00:00%2B08:00");
        Assert.Equal("Asia/Shanghai", days.GetProperty("timeZone").GetString());
        var periods = days.GetProperty("periods");
        Assert.Equal(2, periods.GetArrayLength());
        Assert.Equal(1.5m, periods[0].GetProperty("energyKwh").GetDecimal());
        Assert.Equal(1.50m, periods[0].GetProperty("cost").GetDecimal());
        Assert.Equal(2.0m, periods[1].GetProperty("energyKwh").GetDecimal());
        Assert.Equal(0.80m, periods[1].GetProperty("cost").GetDecimal());
        Assert.Equal(["flat", "valley"], periods[1].GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("band").GetString()));
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), periods[1].GetProperty("start").GetDateTimeOffset());

        var month = await GetAsync($"/api/v1/meters/{d.Meter}/usage?by=month&from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00");
        Assert.Equal(3.5m, month.GetProperty("energyKwh").GetDecimal());
        Assert.Equal(2.30m, month.GetProperty("cost").GetDecimal());

        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync($"/api/v1/meters/{d.Meter}/usage?by=week", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync($"/api/v1/meters/{d.Meter}/usage?by=hour&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/v1/meters/999999/usage", Ct)).StatusCode);
    }

    private static UsageBucket Bucket(Made d, DateTimeOffset hour, TariffBand band, long wh, decimal cost) => new()
    {
        MeterId = new MeterId(d.Meter),
        HourStart = hour,
        Band = band,
        AccountKey = d.Account,
        EnergyWh = wh,
        AmountPico = MoneyPrecision.ToPicoUnits(new Money(cost)),
    };

    private static string? Value(JsonElement reading, string quantity) =>
        reading.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("name").GetString() == quantity).GetProperty("text").GetString();

    private static List<string> Fields(string problem) =>
        [.. JsonDocument.Parse(problem).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)];

    /// <summary>Site DIR, area F1, shop 1F-01, tenant T1 with account A-1, Modbus TCP gateway GW-1, meter M-1 (unit 1) paid by A-1.</summary>
    private async Task<Made> DirectoryAsync()
    {
        var site = await IdAsync("/api/v1/sites", new { code = "DIR", name = "Directory Mall" });
        var area = await IdAsync($"/api/v1/sites/{site}/areas", new { code = "F1", name = "Floor 1", kind = "floor", floor = 1 });
        var shop = await IdAsync($"/api/v1/sites/{site}/shops", new { unitNumber = "1F-01", name = "Noodle Bar", areaId = area, floorAreaM2 = 80.5m, businessFormat = "restaurant" });
        var tenant = await IdAsync("/api/v1/tenants", new { siteId = site, code = "T1", name = "Noodle Bar", phone = "+8613800138001" });
        var account = await IdAsync("/api/v1/accounts", new { tenantId = tenant, number = "A-1" });
        var gateway = await IdAsync("/api/v1/gateways", new { siteId = site, name = "GW-1", transport = "modbusTcp", host = "127.0.0.1", port = 9, enabled = false });
        var meter = await IdAsync("/api/v1/meters", new { siteId = site, serial = "M-1", profileName = "kpm31", gatewayId = gateway, unitId = 1, shopId = shop, accountId = account });
        return new Made(site, area, shop, tenant, account, gateway, meter);
    }

    private async Task<long> IdAsync(string url, object body)
    {
        var (status, text) = await PostAsync(url, body);
        Assert.True(status == HttpStatusCode.Created, $"POST {url} → {(int)status} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string url, object body)
    {
        using var response = await _api.PostAsJsonAsync(url, body, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<(HttpStatusCode Status, string Body)> PutAsync(string url, object body)
    {
        using var response = await _api.PutAsJsonAsync(url, body, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<JsonElement> GetAsync(string url) => await _api.GetFromJsonAsync<JsonElement>(url, Ct);

    private sealed record Made(long Site, long Area, long Shop, long Tenant, long Account, long Gateway, long Meter);
}
