using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Hosting;

/// <summary>The OpenAPI document describes every described endpoint with its authorization; the reference page is served from the server alone.</summary>
public sealed partial class ApiReferenceTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private KilowalletApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("sqlite");
        _app = new KilowalletApp(_database);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_document_lists_every_api_endpoint_with_its_authorization_and_idempotency_keys()
    {
        using var client = _app.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var paths = document.GetProperty("paths");

        var described = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? string.Empty).TrimStart('/').StartsWith("api/v1/", StringComparison.Ordinal))
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m.ToLowerInvariant(), Path: Normalize(e.RoutePattern.RawText!))))
            .ToList();
        Assert.NotEmpty(described);
        foreach (var (method, path) in described)
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} is not in the document");
        }

        var refund = paths.GetProperty("/api/v1/accounts/{accountId}/refunds").GetProperty("post");
        Assert.Contains(refund.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("required").GetBoolean());
        Assert.StartsWith("Authorization: operate", refund.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, refund.GetProperty("security").GetArrayLength());
        Assert.StartsWith("Authorization: admin", paths.GetProperty("/api/v1/users").GetProperty("get").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Anonymous", paths.GetProperty("/api/v1/auth/login").GetProperty("post").GetProperty("description").GetString(), StringComparison.Ordinal);
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());
        Assert.Contains("Idempotency-Key", document.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reference_page_needs_nothing_from_the_internet()
    {
        using var client = _app.CreateClient();
        var page = await client.GetAsync("/api/docs/index.html", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var assets = AssetReferences().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            Assert.False(Uri.TryCreate(asset, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), $"{asset} is fetched from elsewhere");
            var served = await client.GetAsync("/api/docs/" + asset.TrimStart('.', '/'), Ct);
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"{asset} → {(int)served.StatusCode}");
        }

        var config = await client.GetStringAsync("/api/docs/index.js", Ct);
        Assert.Contains("/openapi/v1.json", config, StringComparison.Ordinal);
        Assert.DoesNotContain("validator.swagger.io", config, StringComparison.Ordinal);
    }

    private static string Normalize(string template) =>
        "/" + Regex.Replace(template.TrimStart('/').TrimEnd('/'), @"\{(\w+)(:[^}]*)?\??\}", "{$1}");

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex AssetReferences();
}
