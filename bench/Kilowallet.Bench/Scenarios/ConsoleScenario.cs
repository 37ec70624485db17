using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Hosting;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tenants;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// The console with a big mall: the real server on SQLite with 2,000 supply points over 5 floors; an
/// operator's overview page (/console) and its JSON (/api/v1/sites/{id}/overview) requested over
/// loopback. Prints the time from request to last byte (the server's render time plus loopback) and
/// the size of what the browser downloads.
/// </summary>
internal sealed class ConsoleScenario : IScenario
{
    private const string Password = "Bench-Password-42";

    public string Name => "console";

    public string Description => "overview page render time and size with 2,000 meters (server on SQLite)";

    public async Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        const int meters = 2_000;
        var rounds = quick ? 15 : 50;
        var directory = Path.Combine(Path.GetTempPath(), "kw-bench-console-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var app = ServerHost.Build(
            [
                "--no-demo", "--urls", "http://127.0.0.1:0", "--Storage:DataDirectory", directory, "--Auth:InitialAdminPassword", Password,
                "--Acquisition:Enabled", "false", "--Notifications:WorkersEnabled", "false", "--Simulator:Enabled", "false", "--Mqtt:EmbeddedPort", "0",
                "--Logging:LogLevel:Default", "Warning",
            ]);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var site = await SeedAsync(app.Services, meters, cancellationToken);

            // Like a browser: asks for compression; the sizes below are what crosses the wire.
            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AutomaticDecompression = DecompressionMethods.None };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(address) };
            client.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");
            (await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "admin", password = Password }, cancellationToken)).EnsureSuccessStatusCode();

            var (pageMs, pageBytes) = await MeasureAsync(client, $"/console?site={site.Value}", rounds, cancellationToken);
            var (apiMs, apiBytes) = await MeasureAsync(client, $"/api/v1/sites/{site.Value}/overview", rounds, cancellationToken);
            report.Result("meters", meters, "meters");
            report.Result("overview_page_ms_median", Percentile(pageMs, 0.5), "ms");
            report.Result("overview_page_ms_p95", Percentile(pageMs, 0.95), "ms");
            report.Result("overview_page_kb_on_wire", pageBytes / 1024.0, "KiB");
            report.Result("overview_json_ms_median", Percentile(apiMs, 0.5), "ms");
            report.Result("overview_json_kb_on_wire", apiBytes / 1024.0, "KiB");
            await app.StopAsync(cancellationToken);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by the OS; the temp folder is cleaned later.
            }
        }
    }

    private static async Task<(List<double> Ms, long Bytes)> MeasureAsync(HttpClient client, string url, int rounds, CancellationToken cancellationToken)
    {
        long bytes = 0;
        for (var i = 0; i < 3; i++)
        {
            bytes = (await client.GetByteArrayAsync(url, cancellationToken)).LongLength;
        }

        var times = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(url, cancellationToken);
            response.EnsureSuccessStatusCode();
            bytes = (await response.Content.ReadAsByteArrayAsync(cancellationToken)).LongLength;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return (times, bytes);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static async Task<SiteId> SeedAsync(IServiceProvider services, int count, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var site = new Site { Code = "BIG", Name = "Big Mall", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(site);
        await db.SaveChangesAsync(cancellationToken);
        var areas = Enumerable.Range(1, 5).Select(f => new Area { SiteId = site.Id, Code = $"F{f}", Name = $"Floor {f}", Floor = f }).ToList();
        db.Areas.AddRange(areas);
        await db.SaveChangesAsync(cancellationToken);
        var formats = Enum.GetValues<BusinessFormat>();
        for (var i = 0; i < count; i++)
        {
            var area = areas[i % areas.Count];
            var tenant = new Tenant { SiteId = site.Id, Code = $"T{i:0000}", Name = $"Tenant {i}", Phone = $"+86138{i:00000000}" };
            var shop = new Shop { SiteId = site.Id, AreaId = area.Id, UnitNumber = $"{area.Code}-{i:0000}", Name = $"Shop {i}", BusinessFormat = formats[i % formats.Length] };
            db.AddRange(tenant, shop);
            await db.SaveChangesAsync(cancellationToken);
            var account = new Account { SiteId = site.Id, TenantId = tenant.Id, Number = $"A-{i:0000}", Status = AccountStatus.Open, Warning1Minor = 100_00, Warning2Minor = 50_00, ReconnectLevelMinor = 10_00 };
            db.Accounts.Add(account);
            await db.SaveChangesAsync(cancellationToken);
            db.Meters.Add(new Meter { SiteId = site.Id, Serial = $"M{i:0000}", ProfileName = "kpm31", ShopId = shop.Id, AccountId = account.Id, Purpose = MeterPurpose.Tenant });
            if (i % 200 == 199)
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return site.Id;
    }
}
