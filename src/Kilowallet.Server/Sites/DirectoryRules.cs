using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Tenants;

namespace Kilowallet.Server.Sites;

/// <summary>
/// The rules of the site directory (sites, areas, shops, tenants, gateways, meters), shared by the
/// CSV import and the REST API so both accept and refuse exactly the same records. Each Check takes
/// the fields as given (trimmed, empty as null), records every problem under the field's CSV column
/// name, and returns the fields with defaults filled in. References (site, area, gateway, shop,
/// account) are resolved by the caller, which knows whether they came by code or by id.
/// </summary>
public static class DirectoryRules
{
    public const string DefaultTimeZone = "Asia/Shanghai";
    public const string DefaultCurrency = "CNY";

    /// <summary>Currencies with two minor-unit decimals that Kilowallet accepts.</summary>
    public static IReadOnlySet<string> SupportedCurrencies { get; } = new HashSet<string>(StringComparer.Ordinal) { "CNY", "HKD", "USD", "EUR", "SGD", "MYR" };

    public sealed record SiteFields(string? Code, string? Name, string? TimeZone, string? Currency);

    public sealed record AreaFields(string? Code, string? Name, AreaKind? Kind, int? Floor);

    public sealed record ShopFields(string? UnitNumber, string? Name, decimal? FloorAreaM2, BusinessFormat? BusinessFormat, decimal? PowerLimitKw, bool? HighPowerAppliancesAllowed);

    public sealed record TenantFields(string? Code, string? Name, string? ContactName, string? Phone, string? Email, Language? PreferredLanguage);

    public sealed record GatewayFields(
        string? Name, GatewayTransport? Transport, string? Host, int? Port, string? SerialDevice, int? BaudRate, string? Parity, int? TimeoutMs, bool? Enabled);

    public sealed record MeterFields(
        string? Serial, string? ProfileName, int? UnitId, string? Dlt645Address, string? MqttClientId, decimal? CtRatio, decimal? PtRatio,
        int? PhaseCount, MeterPurpose? Purpose, MeterStatus? Status, bool? FeedsOwnGateway);

    public static SiteFields Check(SiteFields fields, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(errors);
        var code = Required(errors, "code", fields.Code, 32);
        var name = Required(errors, "name", fields.Name, 200);
        var timeZone = Optional(errors, "time_zone", fields.TimeZone, 64) ?? DefaultTimeZone;
        var currency = (Optional(errors, "currency", fields.Currency, 3) ?? DefaultCurrency).ToUpperInvariant();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            errors.Invalid("time_zone", $"'{timeZone}' is not a known IANA time zone");
        }

        if (!SupportedCurrencies.Contains(currency))
        {
            errors.Invalid("currency", $"'{currency}' is not a supported currency ({string.Join(", ", SupportedCurrencies)})");
        }

        return new SiteFields(code, name, timeZone, currency);
    }

    public static void Apply(SiteFields fields, Site site)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(site);
        site.Code = fields.Code!;
        site.Name = fields.Name!;
        site.TimeZone = fields.TimeZone!;
        site.Currency = fields.Currency!;
    }

    public static AreaFields Check(AreaFields fields, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(errors);
        return new AreaFields(
            Required(errors, "code", fields.Code, 32),
            Required(errors, "name", fields.Name, 200),
            fields.Kind ?? AreaKind.Floor,
            Range(errors, "floor", fields.Floor, -20, 200) ?? 0);
    }

    public static void Apply(AreaFields fields, Area area)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(area);
        area.Code = fields.Code!;
        area.Name = fields.Name!;
        area.Kind = fields.Kind!.Value;
        area.Floor = fields.Floor!.Value;
    }

    public static ShopFields Check(ShopFields fields, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(errors);
        return new ShopFields(
            Required(errors, "unit_number", fields.UnitNumber, 32),
            Required(errors, "name", fields.Name, 200),
            Range(errors, "floor_area_m2", fields.FloorAreaM2, 0m, 1_000_000m, 2) ?? 0m,
            fields.BusinessFormat ?? BusinessFormat.Other,
            Range(errors, "power_limit_kw", fields.PowerLimitKw, 0.1m, 100_000m, 3),
            fields.HighPowerAppliancesAllowed ?? false);
    }

    /// <summary>Writes the checked fields; the area is the caller's resolved reference.</summary>
    public static void Apply(ShopFields fields, Area area, Shop shop)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(shop);
        shop.UnitNumber = fields.UnitNumber!;
        shop.Name = fields.Name!;
        shop.AreaId = area.Id;
        shop.Area = area;
        shop.FloorAreaM2 = fields.FloorAreaM2!.Value;
        shop.BusinessFormat = fields.BusinessFormat!.Value;
        shop.PowerLimitKw = fields.PowerLimitKw;
        shop.HighPowerAppliancesAllowed = fields.HighPowerAppliancesAllowed!.Value;
    }

    public static TenantFields Check(TenantFields fields, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(errors);
        var phone = Optional(errors, "phone", fields.Phone, 32);
        var email = Optional(errors, "email", fields.Email, 254);
        if (phone is not null && !IsPhone(phone))
        {
            errors.Invalid("phone", $"'{phone}' is not a phone number in international form (+86…)");
        }

        if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || email.StartsWith('@') || email.EndsWith('@')))
        {
            errors.Invalid("email", $"'{email}' is not an email address");
        }

        return new TenantFields(
            Required(errors, "code", fields.Code, 32),
            Required(errors, "name", fields.Name, 200),
            Optional(errors, "contact_name", fields.ContactName, 200),
            phone,
            email,
            fields.PreferredLanguage ?? Language.SimplifiedChinese);
    }

    public static void Apply(TenantFields fields, Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(tenant);
        tenant.Code = fields.Code!;
        tenant.Name = fields.Name!;
        tenant.ContactName = fields.ContactName;
        tenant.Phone = fields.Phone;
        tenant.Email = fields.Email;
        tenant.PreferredLanguage = fields.PreferredLanguage!.Value;
    }

    /// <summary>"en", "zh-Hans" and their usual spellings; null for anything else.</summary>
    public static Language? ParseLanguage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToUpperInvariant() switch
        {
            "EN" or "EN-US" or "EN-GB" or "ENGLISH" => Language.English,
            "ZH" or "ZH-HANS" or "ZH-CN" or "CHINESE" => Language.SimplifiedChinese,
            _ => null,
        };
    }

    public static string LanguageCode(Language language) => language == Language.SimplifiedChinese ? "zh-Hans" : "en";

    public static bool IsPhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return phone.Length is >= 8 and <= 16 && phone[0] == '+' && phone.Skip(1).All(char.IsAsciiDigit);
    }

    public static GatewayFields Check(GatewayFields fields, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(errors);
        var name = Required(errors, "name", fields.Name, 64);
        if (fields.Transport is null)
        {
            errors.Invalid("transport", "is required");
        }

        var transport = fields.Transport ?? GatewayTransport.ModbusTcp;
        var host = Optional(errors, "host", fields.Host, 253);
        var port = Range(errors, "port", fields.Port, 1, 65535);
        var device = Optional(errors, "serial_device", fields.SerialDevice, 128);
        var baud = Range(errors, "baud_rate", fields.BaudRate, 300, 921_600);
        var parity = Optional(errors, "parity", fields.Parity, 1)?.ToUpperInvariant();
        var timeout = Range(errors, "timeout_ms", fields.TimeoutMs, 50, 60_000) ?? 1000;
        if (IsTcp(transport) && (host is null || port is null))
        {
            errors.Invalid(host is null ? "host" : "port", $"a {Admin.CsvNames.Of(transport)} gateway needs host and port");
        }

        if (IsSerial(transport) && (device is null || baud is null))
        {
            errors.Invalid(device is null ? "serial_device" : "baud_rate", $"a {Admin.CsvNames.Of(transport)} gateway needs serial_device and baud_rate");
        }

        if (parity is not null and not ("N" or "E" or "O"))
        {
            errors.Invalid("parity", $"'{parity}' is not N, E or O");
        }

        return new GatewayFields(name, transport, host, port, device, baud, parity, timeout, fields.Enabled ?? true);
    }

    public static void Apply(GatewayFields fields, Gateway gateway)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(gateway);
        gateway.Name = fields.Name!;
        gateway.Transport = fields.Transport!.Value;
        gateway.Host = fields.Host;
        gateway.Port = fields.Port;
        gateway.SerialDevice = fields.SerialDevice;
        gateway.BaudRate = fields.BaudRate;
        gateway.Parity = fields.Parity;
        gateway.TimeoutMs = fields.TimeoutMs!.Value;
        gateway.Enabled = fields.Enabled!.Value;
    }

    public static bool IsTcp(GatewayTransport transport) => transport is GatewayTransport.ModbusTcp or GatewayTransport.RtuOverTcp or GatewayTransport.Dlt645Tcp;

    public static bool IsSerial(GatewayTransport transport) => transport is GatewayTransport.RtuSerial or GatewayTransport.Dlt645Serial;

    /// <summary>Meters behind this transport are addressed by Modbus unit id.</summary>
    public static bool UsesUnitId(GatewayTransport transport) => transport is GatewayTransport.ModbusTcp or GatewayTransport.RtuOverTcp or GatewayTransport.RtuSerial;

    /// <summary>Meters behind this transport are addressed by a DL/T 645 address.</summary>
    public static bool UsesDlt645Address(GatewayTransport transport) => transport is GatewayTransport.Dlt645Tcp or GatewayTransport.Dlt645Serial;

    /// <summary>
    /// Checks a meter. <paramref name="gateway"/> is its resolved gateway (null for none);
    /// <paramref name="hasAccount"/> whether a paying account is given; <paramref name="neighbours"/> the
    /// other meters that may hold a bus address on that gateway (a clash is a conflict);
    /// <paramref name="profiles"/>, when given, the catalogue the profile must be in.
    /// </summary>
    public static MeterFields Check(MeterFields fields, Gateway? gateway, bool hasAccount, IEnumerable<Meter> neighbours, MeterProfileCatalog? profiles, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(neighbours);
        ArgumentNullException.ThrowIfNull(errors);
        var serial = Required(errors, "serial", fields.Serial, 64);
        var profile = Required(errors, "profile", fields.ProfileName, 64).ToLowerInvariant();
        var unitId = Range(errors, "unit_id", fields.UnitId, 1, 247);
        var address = Optional(errors, "dlt645_address", fields.Dlt645Address, 12);
        var mqttClient = Optional(errors, "mqtt_client_id", fields.MqttClientId, 128);
        var ct = Range(errors, "ct_ratio", fields.CtRatio, 1m, 10_000m, 4) ?? 1m;
        var pt = Range(errors, "pt_ratio", fields.PtRatio, 1m, 10_000m, 4) ?? 1m;
        var phases = Range(errors, "phase_count", fields.PhaseCount, 1, 3) ?? 1;
        var purpose = fields.Purpose ?? MeterPurpose.Tenant;
        var status = fields.Status ?? MeterStatus.Active;
        if (profile.Length > 0 && profiles is not null && !profiles.TryGet(profile, out _))
        {
            errors.Invalid("profile", $"no meter profile '{profile}'; known: {string.Join(", ", profiles.Profiles.Select(p => p.Name).Order(StringComparer.Ordinal))}");
        }

        if (profile.Length > 0 && profiles is not null && gateway is not null && profiles.TryGet(profile, out var model))
        {
            var speaks = UsesUnitId(gateway.Transport) ? model.Modbus is not null
                : UsesDlt645Address(gateway.Transport) ? model.Dlt645 is not null
                : model.Mqtt is not null;
            if (!speaks)
            {
                errors.Invalid("profile", $"profile '{profile}' has no map for a {Admin.CsvNames.Of(gateway.Transport)} gateway");
            }
        }

        if (phases == 2)
        {
            errors.Invalid("phase_count", "must be 1 or 3");
        }

        if (address is not null && (address.Length != 12 || !address.All(char.IsAsciiDigit)))
        {
            errors.Invalid("dlt645_address", $"'{address}' is not 12 decimal digits");
        }

        if (purpose == MeterPurpose.Tenant && !hasAccount && status == MeterStatus.Active)
        {
            errors.Invalid("account_number", "an active tenant meter needs the account that pays for it");
        }

        if (purpose != MeterPurpose.Tenant && hasAccount)
        {
            errors.Invalid("account_number", $"a {Admin.CsvNames.Of(purpose)} meter is paid by the property, not a tenant account");
        }

        if (gateway is not null)
        {
            var needsUnit = UsesUnitId(gateway.Transport);
            var needsAddress = UsesDlt645Address(gateway.Transport);
            if (needsUnit && unitId is null && fields.UnitId is null)
            {
                errors.Invalid("unit_id", $"a meter behind a {Admin.CsvNames.Of(gateway.Transport)} gateway needs a unit id (1-247)");
            }

            if (needsAddress && fields.Dlt645Address is null)
            {
                errors.Invalid("dlt645_address", $"a meter behind a {Admin.CsvNames.Of(gateway.Transport)} gateway needs a 12-digit address");
            }

            var slot = needsUnit ? unitId?.ToString(CultureInfo.InvariantCulture) : needsAddress ? address : null;
            if (slot is not null && status != MeterStatus.Decommissioned)
            {
                var clash = neighbours.FirstOrDefault(m => m.GatewayId == gateway.Id && m.Serial != serial && m.Status != MeterStatus.Decommissioned
                    && (needsUnit ? m.UnitId == unitId : m.Dlt645Address == address));
                if (clash is not null)
                {
                    errors.Conflict(needsUnit ? "unit_id" : "dlt645_address", $"meter '{clash.Serial}' already has {slot} on gateway '{gateway.Name}'");
                }
            }
        }

        return new MeterFields(serial, profile, unitId, address, mqttClient, ct, pt, phases, purpose, status, fields.FeedsOwnGateway ?? false);
    }

    /// <summary>Writes the checked fields and the caller's resolved references.</summary>
    public static void Apply(MeterFields fields, Gateway? gateway, Shop? shop, AccountId? account, Meter meter)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(meter);
        meter.Serial = fields.Serial!;
        meter.ProfileName = fields.ProfileName!;
        meter.GatewayId = gateway?.Id;
        meter.UnitId = fields.UnitId;
        meter.Dlt645Address = fields.Dlt645Address;
        meter.MqttClientId = fields.MqttClientId;
        meter.CtRatio = fields.CtRatio!.Value;
        meter.PtRatio = fields.PtRatio!.Value;
        meter.PhaseCount = fields.PhaseCount!.Value;
        meter.ShopId = shop?.Id;
        meter.AccountId = account;
        meter.Purpose = fields.Purpose!.Value;
        meter.Status = fields.Status!.Value;
        meter.FeedsOwnGateway = fields.FeedsOwnGateway!.Value;
    }

    /// <summary>A natural key already used by another record: one wording for every kind.</summary>
    public static void Taken(FieldErrors errors, string field, string what)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Conflict(field, $"{what} already exists");
    }

    private static string Required(FieldErrors errors, string field, string? value, int maxLength)
    {
        var text = Normalize(value);
        if (text is null)
        {
            errors.Invalid(field, "is required");
            return string.Empty;
        }

        return Optional(errors, field, text, maxLength) ?? string.Empty;
    }

    private static string? Optional(FieldErrors errors, string field, string? value, int maxLength)
    {
        var text = Normalize(value);
        if (text is not null && text.Length > maxLength)
        {
            errors.Invalid(field, $"longer than {maxLength} characters");
            return null;
        }

        return text;
    }

    private static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int? Range(FieldErrors errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Invalid(field, $"must be between {min} and {max} (was {v})");
            return null;
        }

        return value;
    }

    private static decimal? Range(FieldErrors errors, string field, decimal? value, decimal min, decimal max, int maxDecimals)
    {
        if (value is not { } v)
        {
            return null;
        }

        var text = v.ToString(CultureInfo.InvariantCulture);
        if (v < min || v > max)
        {
            errors.Invalid(field, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (was {text})");
            return null;
        }

        if (v.Scale > maxDecimals && decimal.Round(v, maxDecimals) != v)
        {
            errors.Invalid(field, $"at most {maxDecimals} decimal places (was {text})");
            return null;
        }

        return v;
    }
}
