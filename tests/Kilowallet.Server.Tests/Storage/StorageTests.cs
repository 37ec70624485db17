using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tenants;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Tests.Storage;

/// <summary>The core model on each storage provider: migrations apply, values round-trip exactly, constraints hold.</summary>
public sealed class StorageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrations_create_an_empty_schema_and_a_second_initialisation_is_a_no_op(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (_, factory) = await database.OpenStorageAsync();
        await database.OpenStorageAsync();

        await using var db = factory.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(0, await db.Sites.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_core_model_round_trips_exactly(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (_, factory) = await database.OpenStorageAsync();
        var installed = new DateTimeOffset(2026, 7, 1, 9, 30, 15, 123, TimeSpan.FromHours(8));
        MeterId meterId;
        await using (var db = factory.CreateDbContext())
        {
            var site = new Site { Code = "S1", Name = "Test Mall", TimeZone = "Asia/Shanghai", Currency = "CNY", CreatedAt = installed };
            db.Sites.Add(site);
            await db.SaveChangesAsync(Ct);
            var area = new Area { SiteId = site.Id, Code = "F1", Name = "Floor 1", Kind = AreaKind.Floor, Floor = 1 };
            var gateway = new Gateway { SiteId = site.Id, Name = "GW1", Transport = GatewayTransport.RtuOverTcp, Host = "10.0.0.5", Port = 8899, TimeoutMs = 800 };
            var tenant = new Tenant { SiteId = site.Id, Code = "T1", Name = "Noodle Bar", Phone = "+8613800138000", PreferredLanguage = Language.English };
            db.AddRange(area, gateway, tenant);
            await db.SaveChangesAsync(Ct);
            var shop = new Shop
            {
                SiteId = site.Id, AreaId = area.Id, UnitNumber = "1F-001", Name = "Noodle Bar", FloorAreaM2 = 123.45m,
                BusinessFormat = BusinessFormat.Restaurant, PowerLimitKw = 15.5m,
            };
            var account = new Account
            {
                SiteId = site.Id, TenantId = tenant.Id, Number = "A-1", Warning1Minor = 100_00, Warning2Minor = 50_00,
                TripLevelMinor = -20_00, ReconnectLevelMinor = 10_00, OpenedAt = installed,
            };
            db.AddRange(shop, account);
            await db.SaveChangesAsync(Ct);
            var meter = new Meter
            {
                SiteId = site.Id, Serial = "SN-1", ProfileName = "kpm31", GatewayId = gateway.Id, UnitId = 7, CtRatio = 40m, PtRatio = 1.5m,
                PhaseCount = 3, ShopId = shop.Id, AccountId = account.Id, Purpose = MeterPurpose.Tenant, FeedsOwnGateway = true, InstalledAt = installed,
            };
            db.Meters.Add(meter);
            await db.SaveChangesAsync(Ct);
            meterId = meter.Id;
        }

        await using (var db = factory.CreateDbContext())
        {
            var meter = await db.Meters.SingleAsync(m => m.Id == meterId, Ct);
            Assert.Equal(40m, meter.CtRatio);
            Assert.Equal(1.5m, meter.PtRatio);
            Assert.Equal(7, meter.UnitId);
            Assert.True(meter.FeedsOwnGateway);
            Assert.Equal(installed, meter.InstalledAt);
            var account = await db.Accounts.SingleAsync(a => a.Id == meter.AccountId, Ct);
            Assert.Equal(-20_00, account.TripLevelMinor);
            var shop = await db.Shops.SingleAsync(s => s.Id == meter.ShopId, Ct);
            Assert.Equal(123.45m, shop.FloorAreaM2);
            Assert.Equal(15.5m, shop.PowerLimitKw);
            var gateway = await db.Gateways.SingleAsync(g => g.Id == meter.GatewayId, Ct);
            Assert.Equal(GatewayTransport.RtuOverTcp, gateway.Transport);

            // Thresholds are integers so the database can compare them with balances.
            Assert.Equal(1, await db.Accounts.CountAsync(a => a.TripLevelMinor < 0 && a.Warning1Minor > a.Warning2Minor, Ct));
            Assert.Equal(1, await db.Meters.CountAsync(m => m.InstalledAt < installed.AddSeconds(1), Ct));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_duplicate_meter_serial_is_refused_by_the_database(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (_, factory) = await database.OpenStorageAsync();
        await using var db = factory.CreateDbContext();
        var site = new Site { Code = "S1", Name = "Mall", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(site);
        await db.SaveChangesAsync(Ct);
        db.Meters.Add(new Meter { SiteId = site.Id, Serial = "DUP", ProfileName = "kpm31" });
        await db.SaveChangesAsync(Ct);

        db.Meters.Add(new Meter { SiteId = site.Id, Serial = "DUP", ProfileName = "sdm120" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Generated_ids_are_never_reused_after_a_delete(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (_, factory) = await database.OpenStorageAsync();
        await using var db = factory.CreateDbContext();
        var first = new Site { Code = "A", Name = "A", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(first);
        await db.SaveChangesAsync(Ct);
        var firstId = first.Id;
        db.Sites.Remove(first);
        await db.SaveChangesAsync(Ct);

        var second = new Site { Code = "B", Name = "B", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(second);
        await db.SaveChangesAsync(Ct);

        Assert.True(second.Id.Value > firstId.Value);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Raw_connections_reach_the_same_database(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (connections, factory) = await database.OpenStorageAsync();
        await using (var db = factory.CreateDbContext())
        {
            db.Sites.Add(new Site { Code = "RAW", Name = "Raw", TimeZone = "Asia/Shanghai", Currency = "CNY" });
            await db.SaveChangesAsync(Ct);
        }

        await using var connection = await connections.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sites WHERE code = 'RAW'";
        Assert.Equal("Raw", await command.ExecuteScalarAsync(Ct));
        Assert.Equal(provider == "sqlite" ? StorageProvider.Sqlite : StorageProvider.Postgres, connections.Provider);
    }

    [Fact]
    public async Task Sqlite_runs_in_wal_mode_with_full_synchronous_commits()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var (connections, _) = await database.OpenStorageAsync();
        await using var connection = await connections.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync(Ct));
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, await command.ExecuteScalarAsync(Ct));
    }
}
