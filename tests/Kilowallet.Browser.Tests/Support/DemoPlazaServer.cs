using Kilowallet.Server.Tests.Infrastructure;

namespace Kilowallet.Browser.Tests.Support;

/// <summary>One server with Demo Plaza seeded and its simulated meters on loopback, shared by a test class (it takes a while to start).</summary>
public sealed class DemoPlazaServer : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public KilowalletApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("sqlite");
        App = DemoMall.Start(Database);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}
