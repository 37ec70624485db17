using System.Net;
using Kilowallet.Server.Tests.Infrastructure;

namespace Kilowallet.Server.Tests.Hosting;

public sealed class HostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_reports_the_database_and_alive_answers()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        using var client = app.CreateClient();

        var health = await client.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(Ct));
        Assert.Equal("alive", await client.GetStringAsync("/alive", Ct));
    }

    [Fact]
    public async Task Unknown_resources_are_404_problem_details()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        using var client = await app.CreateApiClientAsync("operate");

        var response = await client.GetAsync("/api/v1/sites/999", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var meter = await client.GetAsync("/api/v1/meters/12345", Ct);
        Assert.Equal(HttpStatusCode.NotFound, meter.StatusCode);
    }
}
