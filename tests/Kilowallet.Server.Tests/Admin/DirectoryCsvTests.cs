using Kilowallet.Server.Admin;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Server.Tests.Admin;

/// <summary>CSV import and export of the site directory: all-or-nothing imports with line and field in every error.</summary>
public sealed class DirectoryCsvTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly (CsvKind Kind, string Text)[] ValidDirectory =
    [
        (CsvKind.Sites, "code,name,time_zone,currency\nMALL,Riverside Mall,Asia/Shanghai,CNY\n"),
        (CsvKind.Areas, "site_code,code,name,kind,floor\nMALL,F1,Floor 1,floor,1\nMALL,PUB,Plant,public,0\n"),
        (CsvKind.Shops, "site_code,unit_number,name,area_code,floor_area_m2,business_format,power_limit_kw,high_power_appliances_allowed\n"
            + "MALL,1F-01,\"Noodle Bar, Ltd\",F1,80.5,restaurant,15,true\nMALL,1F-02,Denim Lab,F1,60,apparel,8,false\nMALL,HVAC,Central air conditioning,PUB,0,public-area,300,true\n"),
        (CsvKind.Tenants, "site_code,code,name,contact_name,phone,email,language\nMALL,T1,Noodle Bar Ltd,Li Wei,+8613800138001,li@example.com,zh-Hans\nMALL,T2,Denim Lab,Anna,+8613800138002,,en\n"),
        (CsvKind.Accounts, "site_code,number,tenant_code,warning1,warning2,trip_level,reconnect_level\nMALL,A-1,T1,100,50,0,10\nMALL,A-2,T2,200,100,-20,0\n"),
        (CsvKind.Gateways, "site_code,name,transport,host,port,serial_device,baud_rate,parity,timeout_ms,enabled\nMALL,GW1,modbus-tcp,10.0.0.10,502,,,,1000,true\nMALL,DTU1,rtu-over-tcp,10.0.0.11,8899,,9600,N,1500,true\n"),
        (CsvKind.Meters, "site_code,serial,profile,gateway,unit_id,dlt645_address,mqtt_client_id,ct_ratio,pt_ratio,phase_count,shop_unit,account_number,purpose,status,feeds_own_gateway\n"
            + "MALL,M1,kpm31,GW1,1,,,1,1,1,1F-01,A-1,tenant,active,false\nMALL,M2,sdm120,DTU1,1,,,1,1,1,1F-02,A-2,tenant,active,true\nMALL,M3,sdm630,GW1,2,,,80,1,3,HVAC,,public-area,active,false\n"),
    ];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_valid_directory_imports_and_exports_back_identically(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (_, factory) = await database.OpenStorageAsync();
        foreach (var (kind, text) in ValidDirectory)
        {
            await using var db = factory.CreateDbContext();
            var result = await new DirectoryCsv(db, new FakeTimeProvider()).ImportAsync(kind, text, kind + ".csv", Ct);
            Assert.Empty(result.Errors);
            Assert.Equal(0, result.Updated);
            Assert.True(result.Created > 0);
        }

        await using (var db = factory.CreateDbContext())
        {
            var meter = await db.Meters.SingleAsync(m => m.Serial == "M3", Ct);
            Assert.Equal(80m, meter.CtRatio);
            Assert.Null(meter.AccountId);
            var shop = await db.Shops.SingleAsync(s => s.UnitNumber == "1F-01", Ct);
            Assert.Equal("Noodle Bar, Ltd", shop.Name);
            Assert.Equal(80.5m, shop.FloorAreaM2);
            var account = await db.Accounts.SingleAsync(a => a.Number == "A-2", Ct);
            Assert.Equal(-20_00, account.TripLevelMinor);
        }

        // Export, then import the export: everything matches and is reported as updated, not created.
        foreach (var (kind, _) in ValidDirectory)
        {
            await using var db = factory.CreateDbContext();
            var csv = new DirectoryCsv(db, new FakeTimeProvider());
            var exported = await csv.ExportAsync(kind, Ct);
            var again = await csv.ImportAsync(kind, exported, kind + ".csv", Ct);
            Assert.Empty(again.Errors);
            Assert.Equal(0, again.Created);
            await using var db2 = factory.CreateDbContext();
            Assert.Equal(exported, await new DirectoryCsv(db2, new FakeTimeProvider()).ExportAsync(kind, Ct));
        }
    }

    [Fact]
    public async Task A_malformed_file_imports_nothing_and_names_every_line_and_field()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var (_, factory) = await database.OpenStorageAsync();
        foreach (var (kind, text) in ValidDirectory.Where(d => d.Kind != CsvKind.Meters))
        {
            await using var db = factory.CreateDbContext();
            Assert.Empty((await new DirectoryCsv(db, new FakeTimeProvider()).ImportAsync(kind, text, "x.csv", Ct)).Errors);
        }

        const string bad = "site_code,serial,profile,gateway,unit_id,ct_ratio,phase_count,shop_unit,account_number,purpose\n"
            + "MALL,OK1,kpm31,GW1,5,1,1,1F-01,A-1,tenant\n"
            + "MALL,BAD1,kpm31,GW1,300,1,1,1F-01,A-1,tenant\n"
            + "MALL,BAD2,kpm31,GW9,6,1,1,1F-01,A-1,tenant\n"
            + "MALL,BAD3,kpm31,GW1,7,zero,2,1F-01,A-1,tenant\n"
            + "MALL,BAD4,kpm31,GW1,5,1,1,1F-01,A-1,tenant\n"
            + "MALL,BAD5,kpm31,GW1,8,1,1,1F-01,A-1,landlord\n";
        await using (var db = factory.CreateDbContext())
        {
            var result = await new DirectoryCsv(db, new FakeTimeProvider()).ImportAsync(CsvKind.Meters, bad, "meters.csv", Ct);
            Assert.Contains("meters.csv line 3, field unit_id: must be between 1 and 247 (was 300)", result.Errors);
            Assert.Contains("meters.csv line 4, field gateway: no gateway 'GW9' at site 'MALL'", result.Errors);
            Assert.Contains("meters.csv line 5, field ct_ratio: 'zero' is not a number", result.Errors);
            Assert.Contains("meters.csv line 5, field phase_count: must be 1 or 3", result.Errors);
            Assert.Contains("meters.csv line 6, field unit_id: 5 on gateway 'GW1' is also used on line 2", result.Errors);
            Assert.Contains(result.Errors, e => e.StartsWith("meters.csv line 7, field purpose: 'landlord' is not one of", StringComparison.Ordinal));
            Assert.Equal(0, result.Created);
        }

        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(0, await db.Meters.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task Structural_csv_errors_and_unknown_columns_are_reported()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var (_, factory) = await database.OpenStorageAsync();
        await using var db = factory.CreateDbContext();
        var csv = new DirectoryCsv(db, new FakeTimeProvider());

        var unknown = await csv.ImportAsync(CsvKind.Sites, "code,name,colour\nX,Y,blue\n", "sites.csv", Ct);
        Assert.Contains(unknown.Errors, e => e.StartsWith("sites.csv line 1: unknown column 'colour'", StringComparison.Ordinal));

        var ragged = await csv.ImportAsync(CsvKind.Sites, "code,name\nX,Y,Z\n\"open,quote\n", "sites.csv", Ct);
        Assert.Contains("sites.csv line 2: 3 fields, but the header has 2.", ragged.Errors);
        Assert.Contains("sites.csv line 3: a quoted field is not closed.", ragged.Errors);

        var zone = await csv.ImportAsync(CsvKind.Sites, "code,name,time_zone,currency\nX,Y,Mars/Olympus,XYZ\n", "sites.csv", Ct);
        Assert.Contains("sites.csv line 2, field time_zone: 'Mars/Olympus' is not a known IANA time zone", zone.Errors);
        Assert.Contains(zone.Errors, e => e.StartsWith("sites.csv line 2, field currency: 'XYZ' is not a supported currency", StringComparison.Ordinal));
        Assert.Equal(0, await db.Sites.CountAsync(Ct));
    }

    [Theory]
    [InlineData("meters.csv", CsvKind.Meters)]
    [InlineData("DEMO-shops.csv", CsvKind.Shops)]
    [InlineData("Tenants.CSV", CsvKind.Tenants)]
    [InlineData("readings.csv", null)]
    public void The_kind_is_taken_from_the_file_name(string file, CsvKind? expected) =>
        Assert.Equal(expected, DirectoryCsv.KindFromFileName(file));
}
