using System.Globalization;
using System.Text;
using Kilowallet.Domain;
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
public sealed class DirectoryCsv(KilowalletDb db, TimeProvider clock)
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

    private static string LanguageCode(Language language) => language == Language.SimplifiedChinese ? "zh-Hans" : "en";

    private (int Created, int Updated) ImportSites(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var existing = context.Sites;
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var code = r.Required("code", 32);
            var name = r.Required("name");
            var timeZone = r.Optional("time_zone", 64) ?? "Asia/Shanghai";
            var currency = (r.Optional("currency", 3) ?? "CNY").ToUpperInvariant();
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
            {
                r.Error("time_zone", $"'{timeZone}' is not a known IANA time zone");
            }

            if (!SupportedCurrencies.Contains(currency))
            {
                r.Error("currency", $"'{currency}' is not a supported currency ({string.Join(", ", SupportedCurrencies)})");
            }

            if (code.Length > 0 && !seen.Add(code))
            {
                r.Error("code", $"site '{code}' appears twice in the file");
                continue;
            }

            if (existing.TryGetValue(code, out var site))
            {
                site.Name = name;
                site.TimeZone = timeZone;
                site.Currency = currency;
                updated++;
            }
            else
            {
                site = new Site { Code = code, Name = name, TimeZone = timeZone, Currency = currency, CreatedAt = clock.GetUtcNow() };
                db.Sites.Add(site);
                created++;
            }
        }

        return (created, updated);
    }

    /// <summary>Currencies with two minor-unit decimals that Kilowallet accepts.</summary>
    public static IReadOnlySet<string> SupportedCurrencies { get; } = new HashSet<string>(StringComparer.Ordinal) { "CNY", "HKD", "USD", "EUR", "SGD", "MYR" };

    private (int Created, int Updated) ImportAreas(IReadOnlyList<CsvRow> rows, string fileName, List<string> errors, ImportContext context)
    {
        var created = 0;
        var updated = 0;
        var seen = new HashSet<(long, string)>();
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var site = context.ResolveSite(r);
            var code = r.Required("code", 32);
            var name = r.Required("name");
            var kind = r.Enum("kind", AreaKind.Floor);
            var floor = r.WholeNumber("floor", -20, 200) ?? 0;
            if (site is null || code.Length == 0)
            {
                continue;
            }

            if (!seen.Add((site.Id.Value, code)))
            {
                r.Error("code", $"area '{code}' appears twice in the file");
                continue;
            }

            if (context.Areas.TryGetValue((site.Id, code), out var area))
            {
                area.Name = name;
                area.Kind = kind;
                area.Floor = floor;
                updated++;
            }
            else
            {
                area = new Area { SiteId = site.Id, Code = code, Name = name, Kind = kind, Floor = floor };
                db.Areas.Add(area);
                created++;
            }
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
            var unit = r.Required("unit_number", 32);
            var name = r.Required("name");
            var areaCode = r.Required("area_code", 32);
            var floorArea = r.Number("floor_area_m2", 0m, 1_000_000m, maxDecimals: 2) ?? 0m;
            var format = r.Enum("business_format", BusinessFormat.Other);
            var limit = r.Number("power_limit_kw", 0.1m, 100_000m, maxDecimals: 3);
            var highPower = r.Bool("high_power_appliances_allowed", false);
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
                shop = new Shop { SiteId = site.Id, UnitNumber = unit, Name = name };
                db.Shops.Add(shop);
                created++;
            }
            else
            {
                updated++;
            }

            shop.Name = name;
            shop.AreaId = area.Id;
            shop.Area = area;
            shop.FloorAreaM2 = floorArea;
            shop.BusinessFormat = format;
            shop.PowerLimitKw = limit;
            shop.HighPowerAppliancesAllowed = highPower;
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
            var code = r.Required("code", 32);
            var name = r.Required("name");
            var contact = r.Optional("contact_name");
            var phone = r.Optional("phone", 32);
            var email = r.Optional("email", 254);
            var languageText = r.Optional("language", 16) ?? "zh-Hans";
            Language language = Language.SimplifiedChinese;
            switch (languageText.ToUpperInvariant())
            {
                case "EN" or "EN-US" or "EN-GB" or "ENGLISH":
                    language = Language.English;
                    break;
                case "ZH" or "ZH-HANS" or "ZH-CN" or "CHINESE":
                    break;
                default:
                    r.Error("language", $"'{languageText}' is not en or zh-Hans");
                    break;
            }

            if (phone is not null && !IsPhone(phone))
            {
                r.Error("phone", $"'{phone}' is not a phone number in international form (+86…)");
            }

            if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || email.StartsWith('@') || email.EndsWith('@')))
            {
                r.Error("email", $"'{email}' is not an email address");
            }

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
                tenant = new Tenant { SiteId = site.Id, Code = code, Name = name };
                db.Tenants.Add(tenant);
                created++;
            }
            else
            {
                updated++;
            }

            tenant.Name = name;
            tenant.ContactName = contact;
            tenant.Phone = phone;
            tenant.Email = email;
            tenant.PreferredLanguage = language;
        }

        return (created, updated);
    }

    private static bool IsPhone(string phone) =>
        phone.Length is >= 8 and <= 16 && phone[0] == '+' && phone.Skip(1).All(char.IsAsciiDigit);

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
            var name = r.Required("name", 64);
            var transport = r.Enum("transport", GatewayTransport.ModbusTcp, required: true);
            var host = r.Optional("host", 253);
            var port = r.WholeNumber("port", 1, 65535);
            var device = r.Optional("serial_device", 128);
            var baud = r.WholeNumber("baud_rate", 300, 921_600);
            var parity = r.Optional("parity", 1)?.ToUpperInvariant();
            var timeout = r.WholeNumber("timeout_ms", 50, 60_000) ?? 1000;
            var enabled = r.Bool("enabled", true);
            var isTcp = transport is GatewayTransport.ModbusTcp or GatewayTransport.RtuOverTcp or GatewayTransport.Dlt645Tcp;
            var isSerial = transport is GatewayTransport.RtuSerial or GatewayTransport.Dlt645Serial;
            if (isTcp && (host is null || port is null))
            {
                r.Error(host is null ? "host" : "port", $"a {CsvNames.Of(transport)} gateway needs host and port");
            }

            if (isSerial && (device is null || baud is null))
            {
                r.Error(device is null ? "serial_device" : "baud_rate", $"a {CsvNames.Of(transport)} gateway needs serial_device and baud_rate");
            }

            if (parity is not null and not ("N" or "E" or "O"))
            {
                r.Error("parity", $"'{parity}' is not N, E or O");
            }

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

            gateway.Transport = transport;
            gateway.Host = host;
            gateway.Port = port;
            gateway.SerialDevice = device;
            gateway.BaudRate = baud;
            gateway.Parity = parity;
            gateway.TimeoutMs = timeout;
            gateway.Enabled = enabled;
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
        foreach (var row in rows)
        {
            var r = new RowReader(fileName, row, errors);
            var site = context.ResolveSite(r);
            var serial = r.Required("serial", 64);
            var profile = r.Required("profile", 64).ToLowerInvariant();
            var gatewayName = r.Optional("gateway", 64);
            var unitId = r.WholeNumber("unit_id", 1, 247);
            var address = r.Optional("dlt645_address", 12);
            var mqttClient = r.Optional("mqtt_client_id", 128);
            var ct = r.Number("ct_ratio", 1m, 10_000m, maxDecimals: 4) ?? 1m;
            var pt = r.Number("pt_ratio", 1m, 10_000m, maxDecimals: 4) ?? 1m;
            var phases = r.WholeNumber("phase_count", 1, 3) ?? 1;
            var shopUnit = r.Optional("shop_unit", 32);
            var accountNumber = r.Optional("account_number", 32);
            var purpose = r.Enum("purpose", MeterPurpose.Tenant);
            var status = r.Enum("status", MeterStatus.Active);
            var feedsGateway = r.Bool("feeds_own_gateway", false);
            if (phases == 2)
            {
                r.Error("phase_count", "must be 1 or 3");
            }

            if (address is not null && (address.Length != 12 || !address.All(char.IsAsciiDigit)))
            {
                r.Error("dlt645_address", $"'{address}' is not 12 decimal digits");
            }

            if (purpose == MeterPurpose.Tenant && accountNumber is null && status == MeterStatus.Active)
            {
                r.Error("account_number", "an active tenant meter needs the account that pays for it");
            }

            if (purpose != MeterPurpose.Tenant && accountNumber is not null)
            {
                r.Error("account_number", $"a {CsvNames.Of(purpose)} meter is paid by the property, not a tenant account");
            }

            if (site is null || serial.Length == 0)
            {
                continue;
            }

            if (!seenSerials.Add(serial))
            {
                r.Error("serial", $"meter '{serial}' appears twice in the file");
                continue;
            }

            Gateway? gateway = null;
            if (gatewayName is not null && !context.Gateways.TryGetValue((site.Id, gatewayName), out gateway))
            {
                r.Error("gateway", $"no gateway '{gatewayName}' at site '{site.Code}'");
                continue;
            }

            if (gateway is not null)
            {
                var needsUnit = gateway.Transport is GatewayTransport.ModbusTcp or GatewayTransport.RtuOverTcp or GatewayTransport.RtuSerial;
                var needsAddress = gateway.Transport is GatewayTransport.Dlt645Tcp or GatewayTransport.Dlt645Serial;
                if (needsUnit && unitId is null)
                {
                    r.Error("unit_id", $"a meter behind a {CsvNames.Of(gateway.Transport)} gateway needs a unit id (1-247)");
                }

                if (needsAddress && address is null)
                {
                    r.Error("dlt645_address", $"a meter behind a {CsvNames.Of(gateway.Transport)} gateway needs a 12-digit address");
                }

                var slot = needsUnit ? unitId?.ToString(CultureInfo.InvariantCulture) : needsAddress ? address : null;
                if (slot is not null)
                {
                    var clash = context.Meters.Values.FirstOrDefault(m => m.GatewayId == gateway.Id && m.Serial != serial
                        && (needsUnit ? m.UnitId == unitId : m.Dlt645Address == address) && m.Status != MeterStatus.Decommissioned
                        && !serialsInFile.Contains(m.Serial));
                    if (clash is not null)
                    {
                        r.Error(needsUnit ? "unit_id" : "dlt645_address", $"meter '{clash.Serial}' already has {slot} on gateway '{gateway.Name}'");
                    }
                }

                if (slot is not null && status != MeterStatus.Decommissioned)
                {
                    var key = (gateway.Id.Value, slot);
                    if (seenAddresses.TryGetValue(key, out var firstLine))
                    {
                        r.Error(needsUnit ? "unit_id" : "dlt645_address", $"{slot} on gateway '{gateway.Name}' is also used on line {firstLine}");
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
                meter = new Meter { SiteId = site.Id, Serial = serial, ProfileName = profile, InstalledAt = clock.GetUtcNow() };
                db.Meters.Add(meter);
                created++;
            }

            meter.ProfileName = profile;
            meter.GatewayId = gateway?.Id;

            meter.UnitId = unitId;
            meter.Dlt645Address = address;
            meter.MqttClientId = mqttClient;
            meter.CtRatio = ct;
            meter.PtRatio = pt;
            meter.PhaseCount = phases;
            meter.ShopId = shop?.Id;
            meter.AccountId = account?.Id;
            meter.Purpose = purpose;
            meter.Status = status;
            meter.FeedsOwnGateway = feedsGateway;
        }

        return (created, updated);
    }
}
