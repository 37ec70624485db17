using System.Globalization;
using System.Text;
using Kilowallet.Domain;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tenants;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Admin;

/// <summary>
/// Import and export of the site directory (sites, areas, shops, tenants, accounts, gateways,
/// meters) as CSV. Rows are matched to existing records by their natural key (site code, unit
/// number, serial, …) and update them; new keys create records. An import validates every row
/// first and writes nothing unless the whole file is valid.
/// </summary>
public sealed class DirectoryCsv(KilowalletDb db, TimeProvider clock, MeterProfileCatalog? profiles = null)
{
    public static IReadOnlyDictionary<CsvKind, string[]> Columns { get; } = new Dictionary<CsvKind, string[]>
    {
        [CsvKind.Sites] = ["code", "name", "time_zone", "currency"],
        [CsvKind.Areas] = ["site_code", "code", "name", "kind", "floor"],
        [CsvKind.Shops] = ["site_code", "unit_number", "name", "area_code", "floor_area_m2", "business_format", "power_limit_kw", "high_power_appliances_allowed"],
        [CsvKind.Tenants] = ["site_code", "code", "name", "contact_name", "phone", "email", "language"],
        [CsvKind.Accounts] = ["site_code", "number", "tenant_code", "warning1", "warning2", "trip_level", "reconnect_level"],
        [CsvKind.Gateways] = ["site_code", "name", "transport", "host", "port", "serial_device", "baud_rate", "parity", "timeout_ms", "enabled"],
        [CsvKind.Meters] = ["site_code", "serial", "profile", "gateway", "unit_id", "dlt645_address", "mqtt_client_id", "ct_ratio", "pt_ratio", "phase_count", "shop_unit", "account_number", "purpose", "status", "feeds_own_gateway"],
    };

    private static readonly string[] RequiredColumnsOf = ["site_code", "code", "serial", "unit_number", "number", "name"];

    /// <summary>The result of an import: the errors (nothing was written if there are any) and the rows created and updated.</summary>
    public sealed record ImportResult(IReadOnlyList<string> Errors, int Created, int Updated);

    /// <summary>Guesses the kind from a file name such as "meters.csv" or "demo-meters.csv".</summary>
    public static CsvKind? KindFromFileName(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        return Enum.GetValues<CsvKind>()
            .Select(k => (CsvKind?)k)
            .FirstOrDefault(k => string.Equals(stem, k.ToString(), StringComparison.OrdinalIgnoreCase)
                || stem.EndsWith("-" + k.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    public async Task<ImportResult> ImportAsync(CsvKind kind, string text, string fileName, CancellationToken cancellationToken)
    {
        var (header, rows, errors) = Csv.Parse(text, fileName);
        var errorList = errors.ToList();
        var known = Columns[kind];
        foreach (var column in header.Where(h => !known.Contains(h)))
        {
            errorList.Add($"{fileName} line 1: unknown column '{column}'; {kind.ToString().ToLowerInvariant()} files have {string.Join(", ", known)}.");
        }

        foreach (var column in known.Where(k => RequiredColumnsOf.Contains(k) && !header.Contains(k)))
        {
            errorList.Add($"{fileName} line 1: missing column '{column}'.");
        }

        if (errorList.Count > 0)
        {
            return new ImportResult(errorList, 0, 0);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var context = await ImportContext.LoadAsync(db, cancellationToken);
        var (created, updated) = kind switch
        {
            CsvKind.Sites => ImportSites(rows, fileName, errorList, context),
            CsvKind.Areas => ImportAreas(rows, fileName, errorList, context),
            CsvKind.Shops => ImportShops(rows, fileName, errorList, context),
            CsvKind.Tenants => ImportTenants(rows, fileName, errorList, context),
            CsvKind.Accounts => ImportAccounts(rows, fileName, errorList, context),
            CsvKind.Gateways => ImportGateways(rows, fileName, errorList, context),
            CsvKind.Meters => ImportMeters(rows, fileName, errorList, context),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        if (errorList.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new ImportResult(errorList, 0, 0);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ImportResult([], created, updated);
    }

    public async Task<string> ExportAsync(CsvKind kind, CancellationToken cancellationToken)
    {
        var context = await ImportContext.LoadAsync(db, cancellationToken);
        var text = new StringBuilder();
        text.Append(Csv.Line(Columns[kind])).Append('\n');
        IEnumerable<IEnumerable<string?>> lines = kind switch
        {
            CsvKind.Sites => context.Sites.Values.OrderBy(s => s.Code, StringComparer.Ordinal)
                .Select(s => new[] { s.Code, s.Name, s.TimeZone, s.Currency }),
            CsvKind.Areas => context.Areas.Values.OrderBy(a => a.Id.Value)
                .Select(a => new[] { context.SiteCode(a.SiteId), a.Code, a.Name, CsvNames.Of(a.Kind), Format(a.Floor) }),
            CsvKind.Shops => context.Shops.Values.OrderBy(s => s.Id.Value)
                .Select(s => new[]
                {
                    context.SiteCode(s.SiteId), s.UnitNumber, s.Name, context.AreasById[s.AreaId].Code, Format(s.FloorAreaM2),
                    CsvNames.Of(s.BusinessFormat), s.PowerLimitKw is { } kw ? Format(kw) : null, Format(s.HighPowerAppliancesAllowed),
                }),
            CsvKind.Tenants => context.Tenants.Values.OrderBy(t => t.Id.Value)
                .Select(t => new[] { context.SiteCode(t.SiteId), t.Code, t.Name, t.ContactName, t.Phone, t.Email, LanguageCode(t.PreferredLanguage) }),
            CsvKind.Accounts => context.Accounts.Values.OrderBy(a => a.Id.Value)
                .Select(a => new[]
                {
                    context.SiteCode(a.SiteId), a.Number, context.TenantsById[a.TenantId].Code, Format(Money.FromMinorUnits(a.Warning1Minor).Amount),
                    Format(Money.FromMinorUnits(a.Warning2Minor).Amount), Format(Money.FromMinorUnits(a.TripLevelMinor).Amount),
                    Format(Money.FromMinorUnits(a.ReconnectLevelMinor).Amount),
                }),
            CsvKind.Gateways => context.Gateways.Values.OrderBy(g => g.Id.Value)
                .Select(g => new[]
                {
                    context.SiteCode(g.SiteId), g.Name, CsvNames.Of(g.Transport), g.Host, g.Port is { } p ? Format(p) : null, g.SerialDevice,
                    g.BaudRate is { } b ? Format(b) : null, g.Parity, Format(g.TimeoutMs), Format(g.Enabled),
                }),
            CsvKind.Meters => context.Meters.Values.OrderBy(m => m.Id.Value)
                .Select(m => new[]
                {
                    context.SiteCode(m.SiteId), m.Serial, m.ProfileName, m.GatewayId is { } g ? context.GatewaysById[g].Name : null,
                    m.UnitId is { } u ? Format(u) : null, m.Dlt645Address, m.MqttClientId, Format(m.CtRatio), Format(m.PtRatio), Format(m.PhaseCount),
                    m.ShopId is { } s ? context.ShopsById[s].UnitNumber : null, m.AccountId is { } a ? context.AccountsById[a].Number : null,
                    CsvNames.Of(m.Purpose), CsvNames.Of(m.Status), Format(m.FeedsOwnGateway),
                }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        foreach (var line in lines)
        {
            text.Append(Csv.Line(line)).Append('\n');
        }

        return text.ToString();
    }

    private static string Format(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(bool value) => value ? "true" : "false";

    private static string LanguageCode(Language language) => DirectoryRules.LanguageCode(language);

    private (int Created, int Updated) ImportSites(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var existing = context.Sites;
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var problems = new FieldErrors();
            var fields = DirectoryRules.Check(new DirectoryRules.SiteFields(r.Text("code"), r.Text("name"), r.Text("time_zone"), r.Text("currency")), problems);
            r.Report(problems);
            var code = fields.Code!;
            if (code.Length > 0 && !seen.Add(code))
            {
                r.Error("code", $"site '{code}' appears twice in the file");
                continue;
            }

            if (!existing.TryGetValue(code, out var site))
            {
                site = new Site { Code = code, Name = fields.Name!, TimeZone = fields.TimeZone!, Currency = fields.Currency!, CreatedAt = clock.GetUtcNow() };
                db.Sites.Add(site);
                created++;
            }
            else
            {
                updated++;
            }

            DirectoryRules.Apply(fields, site);
        }

        return (created, updated);
    }

    private (int Created, int Updated) ImportAreas(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seen = new HashSet<(long, string)>();
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var site = context.ResolveSite(r);
            var problems = new FieldErrors();
            var fields = DirectoryRules.Check(new DirectoryRules.AreaFields(r.Text("code"), r.Text("name"), r.EnumOrNull<AreaKind>("kind"), r.Whole("floor")), problems);
            r.Report(problems);
            var code = fields.Code!;
            if (site is null || code.Length == 0)
            {
                continue;
            }

            if (!seen.Add((site.Id.Value, code)))
            {
                r.Error("code", $"area '{code}' appears twice in the file");
                continue;
            }

            if (!context.Areas.TryGetValue((site.Id, code), out var area))
            {
                area = new Area { SiteId = site.Id, Code = code, Name = fields.Name! };
                db.Areas.Add(area);
                created++;
            }
            else
            {
                updated++;
            }

            DirectoryRules.Apply(fields, area);
        }

        return (created, updated);
    }

    private (int Created, int Updated) ImportShops(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seen = new HashSet<(long, string)>();
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var site = context.ResolveSite(r);
            var areaCode = r.Required("area_code", 32);
            var problems = new FieldErrors();
            var fields = DirectoryRules.Check(
                new DirectoryRules.ShopFields(
                    r.Text("unit_number"), r.Text("name"), r.Amount("floor_area_m2"), r.EnumOrNull<BusinessFormat>("business_format"),
                    r.Amount("power_limit_kw"), r.Flag("high_power_appliances_allowed")),
                problems);
            r.Report(problems);
            var unit = fields.UnitNumber!;
            if (site is null || unit.Length == 0)
            {
                continue;
            }

            if (!context.Areas.TryGetValue((site.Id, areaCode), out var area))
            {
                if (areaCode.Length > 0)
                {
                    r.Error("area_code", $"no area '{areaCode}' at site '{site.Code}'");
                }

                continue;
            }

            if (!seen.Add((site.Id.Value, unit)))
            {
                r.Error("unit_number", $"shop '{unit}' appears twice in the file");
                continue;
            }

            if (!context.Shops.TryGetValue((site.Id, unit), out var shop))
            {
                shop = new Shop { SiteId = site.Id, UnitNumber = unit, Name = fields.Name! };
                db.Shops.Add(shop);
                created++;
            }
            else
            {
                updated++;
            }

            DirectoryRules.Apply(fields, area, shop);
        }

        return (created, updated);
    }

    private (int Created, int Updated) ImportTenants(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seen = new HashSet<(long, string)>();
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var site = context.ResolveSite(r);
            var languageText = r.Optional("language", 16);
            Language? language = null;
            if (languageText is not null && (language = DirectoryRules.ParseLanguage(languageText)) is null)
            {
                r.Error("language", $"'{languageText}' is not en or zh-Hans");
            }

            var problems = new FieldErrors();
            var fields = DirectoryRules.Check(
                new DirectoryRules.TenantFields(r.Text("code"), r.Text("name"), r.Text("contact_name"), r.Text("phone"), r.Text("email"), language),
                problems);
            r.Report(problems);
            var code = fields.Code!;
            if (site is null || code.Length == 0)
            {
                continue;
            }

            if (!seen.Add((site.Id.Value, code)))
            {
                r.Error("code", $"tenant '{code}' appears twice in the file");
                continue;
            }

            if (!context.Tenants.TryGetValue((site.Id, code), out var tenant))
            {
                tenant = new Tenant { SiteId = site.Id, Code = code, Name = fields.Name! };
                db.Tenants.Add(tenant);
                created++;
            }
            else
            {
                updated++;
            }

            DirectoryRules.Apply(fields, tenant);
        }

        return (created, updated);
    }

    private (int Created, int Updated) ImportAccounts(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seen = new HashSet<(long, string)>();
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var site = context.ResolveSite(r);
            var number = r.Required("number", 32);
            var tenantCode = r.Required("tenant_code", 32);
            var warning1 = r.Number("warning1", 0m, 1_000_000m, maxDecimals: 2) ?? 100m;
            var warning2 = r.Number("warning2", 0m, 1_000_000m, maxDecimals: 2) ?? 50m;
            var trip = r.Number("trip_level", -100_000m, 1_000_000m, maxDecimals: 2) ?? 0m;
            var reconnect = r.Number("reconnect_level", -100_000m, 1_000_000m, maxDecimals: 2) ?? trip + 10m;
            if (warning2 > warning1)
            {
                r.Error("warning2", "must not be above warning1");
            }

            if (trip > warning2)
            {
                r.Error("trip_level", "must not be above warning2");
            }

            if (reconnect < trip)
            {
                r.Error("reconnect_level", "must not be below trip_level");
            }

            if (site is null || number.Length == 0)
            {
                continue;
            }

            if (!context.Tenants.TryGetValue((site.Id, tenantCode), out var tenant))
            {
                if (tenantCode.Length > 0)
                {
                    r.Error("tenant_code", $"no tenant '{tenantCode}' at site '{site.Code}'");
                }

                continue;
            }

            if (!seen.Add((site.Id.Value, number)))
            {
                r.Error("number", $"account '{number}' appears twice in the file");
                continue;
            }

            if (!context.Accounts.TryGetValue((site.Id, number), out var account))
            {
                account = new Account { SiteId = site.Id, Number = number, Status = AccountStatus.Open, OpenedAt = clock.GetUtcNow() };
                db.Accounts.Add(account);
                created++;
            }
            else
            {
                if (account.TenantId != tenant.Id)
                {
                    r.Error("tenant_code", $"account '{number}' belongs to another tenant; an account cannot change owner (close it and open a new one)");
                    continue;
                }

                updated++;
            }

            account.TenantId = tenant.Id;
            account.Tenant = tenant;
            account.Warning1Minor = new Money(warning1).ToMinorUnits();
            account.Warning2Minor = new Money(warning2).ToMinorUnits();
            account.TripLevelMinor = new Money(trip).ToMinorUnits();
            account.ReconnectLevelMinor = new Money(reconnect).ToMinorUnits();
        }

        return (created, updated);
    }

    private (int Created, int Updated) ImportGateways(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seen = new HashSet<(long, string)>();
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var site = context.ResolveSite(r);
            var problems = new FieldErrors();
            var fields = DirectoryRules.Check(
                new DirectoryRules.GatewayFields(
                    r.Text("name"), r.EnumOrNull<GatewayTransport>("transport"), r.Text("host"), r.Whole("port"), r.Text("serial_device"),
                    r.Whole("baud_rate"), r.Text("parity"), r.Whole("timeout_ms"), r.Flag("enabled")),
                problems);
            r.Report(problems);
            var name = fields.Name!;
            if (site is null || name.Length == 0)
            {
                continue;
            }

            if (!seen.Add((site.Id.Value, name)))
            {
                r.Error("name", $"gateway '{name}' appears twice in the file");
                continue;
            }

            if (!context.Gateways.TryGetValue((site.Id, name), out var gateway))
            {
                gateway = new Gateway { SiteId = site.Id, Name = name };
                db.Gateways.Add(gateway);
                created++;
            }
            else
            {
                updated++;
            }

            DirectoryRules.Apply(fields, gateway);
        }

        return (created, updated);
    }

    private (int Created, int Updated) ImportMeters(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seenSerials = new HashSet<string>(StringComparer.Ordinal);
        var seenAddresses = new Dictionary<(long Gateway, string Address), int>();
        var serialsInFile = rows.Select(row => row["serial"]).OfType<string>().ToHashSet(StringComparer.Ordinal);

        // Meters named in the file may be moving; the file's own rows are checked against each other below.
        var neighbours = context.Meters.Values.Where(m => !serialsInFile.Contains(m.Serial)).ToList();
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var site = context.ResolveSite(r);
            var gatewayName = r.Optional("gateway", 64);
            var shopUnit = r.Optional("shop_unit", 32);
            var accountNumber = r.Optional("account_number", 32);
            Gateway? gateway = null;
            var gatewayFound = site is null || gatewayName is null || context.Gateways.TryGetValue((site.Id, gatewayName), out gateway);
            var problems = new FieldErrors();
            var fields = DirectoryRules.Check(
                new DirectoryRules.MeterFields(
                    r.Text("serial"), r.Text("profile"), r.Whole("unit_id"), r.Text("dlt645_address"), r.Text("mqtt_client_id"), r.Amount("ct_ratio"),
                    r.Amount("pt_ratio"), r.Whole("phase_count"), r.EnumOrNull<MeterPurpose>("purpose"), r.EnumOrNull<MeterStatus>("status"),
                    r.Flag("feeds_own_gateway")),
                gateway,
                accountNumber is not null,
                neighbours,
                profiles,
                problems);
            r.Report(problems);
            var serial = fields.Serial!;
            if (site is null || serial.Length == 0)
            {
                continue;
            }

            if (!seenSerials.Add(serial))
            {
                r.Error("serial", $"meter '{serial}' appears twice in the file");
                continue;
            }

            if (!gatewayFound)
            {
                r.Error("gateway", $"no gateway '{gatewayName}' at site '{site.Code}'");
                continue;
            }

            if (gateway is not null && fields.Status != MeterStatus.Decommissioned)
            {
                var slot = DirectoryRules.UsesUnitId(gateway.Transport) ? fields.UnitId?.ToString(CultureInfo.InvariantCulture)
                    : DirectoryRules.UsesDlt645Address(gateway.Transport) ? fields.Dlt645Address : null;
                if (slot is not null)
                {
                    var key = (gateway.Id.Value, slot);
                    if (seenAddresses.TryGetValue(key, out var firstLine))
                    {
                        r.Error(DirectoryRules.UsesUnitId(gateway.Transport) ? "unit_id" : "dlt645_address", $"{slot} on gateway '{gateway.Name}' is also used on line {firstLine}");
                    }
                    else
                    {
                        seenAddresses[key] = row.Line;
                    }
                }
            }

            Shop? shop = null;
            if (shopUnit is not null && !context.Shops.TryGetValue((site.Id, shopUnit), out shop))
            {
                r.Error("shop_unit", $"no shop '{shopUnit}' at site '{site.Code}'");
                continue;
            }

            Account? account = null;
            if (accountNumber is not null && !context.Accounts.TryGetValue((site.Id, accountNumber), out account))
            {
                r.Error("account_number", $"no account '{accountNumber}' at site '{site.Code}'");
                continue;
            }

            if (context.Meters.TryGetValue(serial, out var meter))
            {
                if (meter.SiteId != site.Id)
                {
                    r.Error("site_code", $"meter '{serial}' is installed at another site");
                    continue;
                }

                updated++;
            }
            else
            {
                meter = new Meter { SiteId = site.Id, Serial = serial, ProfileName = fields.ProfileName!, InstalledAt = clock.GetUtcNow() };
                db.Meters.Add(meter);
                created++;
            }

            DirectoryRules.Apply(fields, gateway, shop, account?.Id, meter);
        }

        return (created, updated);
    }
}
