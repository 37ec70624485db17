using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Kilowallet.Server.Demo;
using Kilowallet.Server.Simulation;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;

namespace Kilowallet.Server.Tests.Demo;

/// <summary>First start seeds Demo Plaza, visible through the API; restarts keep data and never seed twice.</summary>
public sealed class DemoSeedTests
{
    private static readonly Dictionary<string, string?> DemoOn = new() { ["Demo:Enabled"] = "true" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task First_start_seeds_Demo_Plaza_and_a_restart_keeps_it_without_seeding_again(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var app = new KilowalletApp(database, DemoOn))
        {
            using var client = await app.CreateApiClientAsync("operate");
            var sites = await client.GetFromJsonAsync<JsonElement>("/api/v1/sites", Ct);
            var site = Assert.Single(sites.GetProperty("items").EnumerateArray());
            Assert.Equal("Demo Plaza", site.GetProperty("name").GetString());
            Assert.Equal("Asia/Shanghai", site.GetProperty("timeZone").GetString());
            var siteId = site.GetProperty("id").GetInt64();

            var shops = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sites/{siteId}/shops?limit=500", Ct);
            Assert.Equal(DemoPlaza.Shops.Count, shops.GetProperty("total").GetInt32());
            Assert.InRange(shops.GetProperty("total").GetInt32(), 110, 130);
            var formats = shops.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("businessFormat").GetString()).Distinct().ToList();
            Assert.Contains("supermarket", formats);
            Assert.Contains("restaurant", formats);
            Assert.Contains("publicArea", formats);

            var areas = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sites/{siteId}/areas", Ct);
            Assert.Equal(3, areas.GetProperty("items").EnumerateArray().Count(a => a.GetProperty("kind").GetString() == "floor"));

            var accounts = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts?siteId={siteId}&limit=1", Ct);
            Assert.Equal(DemoPlaza.Shops.Count(s => s.TenantName is not null), accounts.GetProperty("total").GetInt32());
        }

        await using (var restarted = new KilowalletApp(database, DemoOn))
        {
            using var client = await restarted.CreateApiClientAsync("operate");
            var sites = await client.GetFromJsonAsync<JsonElement>("/api/v1/sites", Ct);
            Assert.Equal(1, sites.GetProperty("total").GetInt32());
            var meters = await client.GetFromJsonAsync<JsonElement>("/api/v1/meters?limit=1", Ct);
            Assert.Equal(DemoPlaza.Shops.Count, meters.GetProperty("total").GetInt32());

            // The simulated meters resume from the registers already stored, as real meters keep theirs: none runs
            // backwards to its opening reading (which would quarantine every meter's next interval).
            var mall = restarted.Services.GetRequiredService<SimulationHost>().Mall!;
            await using var scope = restarted.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var lastStored = await db.Readings.AsNoTracking().GroupBy(r => r.MeterId)
                .Select(g => new { Meter = g.Key, At = g.Max(r => r.At) }).ToListAsync(Ct);
            var serials = await db.Meters.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.Serial, Ct);
            Assert.Equal(DemoPlaza.Shops.Count, lastStored.Count);
            foreach (var last in lastStored)
            {
                var stored = await db.Readings.AsNoTracking().SingleAsync(r => r.MeterId == last.Meter && r.At == last.At, Ct);
                var live = mall.FindSerial(serials[last.Meter])!.ReadEnergy();
                // A float32 register (SDM120 and the like) shows ~21,420.471 kWh for 21,420.4708 kWh: stored may lead by a few Wh.
                Assert.True(live.TotalMilliwattHours >= (stored.EnergyWh - 5) * 1_000, $"{serials[last.Meter]}: {live.TotalMilliwattHours} mWh live < {stored.EnergyWh} Wh stored");
                Assert.True(live.TotalMilliwattHours < (stored.EnergyWh + 10_000) * 1_000, $"{serials[last.Meter]} jumped ahead: {live.TotalMilliwattHours} mWh live, {stored.EnergyWh} Wh stored");
            }
        }
    }

    [Fact]
    public async Task Demo_can_be_turned_off()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database, new Dictionary<string, string?> { ["Demo:Enabled"] = "false" });
        using var client = await app.CreateApiClientAsync("operate");
        var sites = await client.GetFromJsonAsync<JsonElement>("/api/v1/sites", Ct);
        Assert.Equal(0, sites.GetProperty("total").GetInt32());
    }

    [Fact]
    public void Demo_Plaza_wiring_is_consistent()
    {
        // Unit ids unique per Modbus bus, DL/T 645 addresses unique, every gateway used.
        var slots = DemoPlaza.Shops.Select(s => (s.GatewayName, Slot: s.UnitId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? s.Dlt645Address ?? s.MeterSerial)).ToList();
        Assert.Equal(slots.Count, slots.Distinct().Count());
        Assert.All(DemoPlaza.Shops.Where(s => s.UnitId is not null), s => Assert.InRange(s.UnitId!.Value, 1, 32));
        Assert.Equal(DemoPlaza.Gateways.Select(g => g.Name).Order(), DemoPlaza.Shops.Select(s => s.GatewayName).Distinct().Order());
        Assert.Equal(DemoPlaza.Shops.Count, DemoPlaza.Shops.Select(s => s.MeterSerial).Distinct().Count());
        Assert.Equal(DemoPlaza.Shops.Count, DemoPlaza.Shops.Select(s => s.UnitNumber).Distinct().Count());
    }
}
