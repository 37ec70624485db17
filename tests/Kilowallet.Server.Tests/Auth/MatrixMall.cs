using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;

namespace Kilowallet.Server.Tests.Auth;

/// <summary>
/// A small mall made through the API for the authorization matrix: two tenants with an account
/// each; tenant B also has a meter and a payment order. Tenant A's user must never see B's things.
/// </summary>
internal sealed class MatrixMall
{
    /// <summary>Ids that exist nowhere, for routes whose resources this mall does not make (a call then cannot change anything).</summary>
    public const long Missing = 987_654_321;

    private static readonly string[] Secrets = ["Bravo Secret Denim", "ACC-BRAVO-SECRET", "+8613900000002", "MTR-BRAVO-SECRET"];

    private MatrixMall()
    {
    }

    public long Site { get; private init; }

    public long Area { get; private init; }

    public long Shop { get; private init; }

    public long TenantA { get; private init; }

    public long TenantB { get; private init; }

    public long AccountA { get; private init; }

    public long AccountB { get; private init; }

    public long Gateway { get; private init; }

    public long MeterB { get; private init; }

    public string OrderB { get; private init; } = string.Empty;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<MatrixMall> CreateAsync(KilowalletApp app)
    {
        using var admin = await app.CreateApiClientAsync(ApiKeyScopes.Admin);
        var site = await IdAsync(admin, "/api/v1/sites", new { code = "MX-" + Guid.NewGuid().ToString("N")[..6], name = "Matrix Mall" });
        var area = await IdAsync(admin, $"/api/v1/sites/{site}/areas", new { code = "F1", name = "Floor 1", kind = "floor", floor = 1 });
        var shop = await IdAsync(admin, $"/api/v1/sites/{site}/shops", new { unitNumber = "1F-01", name = "Denim corner", areaId = area });
        var tenantA = await IdAsync(admin, "/api/v1/tenants", new { siteId = site, code = "TA", name = "Alpha Noodles", phone = "+8613900000001" });
        var tenantB = await IdAsync(admin, "/api/v1/tenants", new { siteId = site, code = "TB", name = "Bravo Secret Denim", phone = "+8613900000002" });
        var accountA = await IdAsync(admin, "/api/v1/accounts", new { tenantId = tenantA, number = "ACC-ALPHA" });
        var accountB = await IdAsync(admin, "/api/v1/accounts", new { tenantId = tenantB, number = "ACC-BRAVO-SECRET" });

        // Port 9 (discard) on loopback: a test read gets a refused connection at once.
        var gateway = await IdAsync(admin, "/api/v1/gateways", new { siteId = site, name = "GW-1", transport = "modbusTcp", host = "127.0.0.1", port = 9, timeoutMs = 200 });
        var meter = await IdAsync(admin, "/api/v1/meters", new { siteId = site, serial = "MTR-BRAVO-SECRET", profileName = "kpm31", gatewayId = gateway, unitId = 1, shopId = shop, accountId = accountB });
        var order = await admin.PostAsJsonAsync($"/api/v1/accounts/{accountB}/payments", new { amount = 10m }, Ct);
        Assert.True(order.IsSuccessStatusCode, await order.Content.ReadAsStringAsync(Ct));
        var orderNo = (await order.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("orderNo").GetString()!;
        return new MatrixMall
        {
            Site = site, Area = area, Shop = shop, TenantA = tenantA, TenantB = tenantB, AccountA = accountA, AccountB = accountB,
            Gateway = gateway, MeterB = meter, OrderB = orderNo,
        };
    }

    /// <summary>A concrete URL for a route template: this mall's ids (tenant B's where a tenant is meant), or ids that exist nowhere.</summary>
    public string Url(string template) => Regex.Replace(template, @"\{(\w+)\}", m => m.Groups[1].Value switch
    {
        "siteId" => Site.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "areaId" => Area.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "shopId" => Shop.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "tenantId" => TenantB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "accountId" => AccountB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "gatewayId" => Gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "meterId" => MeterB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "orderNo" => OrderB,
        "provider" => "demo",
        "userName" => "nobody-" + Missing,
        "serial" => "no-such-serial",
        _ => Missing.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>Whether the route names one of tenant B's resources (through the ids <see cref="Url"/> fills in).</summary>
    public static bool NamesAnotherTenantsResource(string template) =>
        template.Contains("{accountId}", StringComparison.Ordinal) || template.Contains("{orderNo}", StringComparison.Ordinal)
        || template.Contains("{tenantId}", StringComparison.Ordinal) || template.Contains("{meterId}", StringComparison.Ordinal);

    /// <summary>Whether an answer shows anything of tenant B.</summary>
    public static bool Leaks(string body) => Secrets.Any(s => body.Contains(s, StringComparison.Ordinal));

    private static async Task<long> IdAsync(HttpClient admin, string url, object body)
    {
        var response = await admin.PostAsJsonAsync(url, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"POST {url} → {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }
}
