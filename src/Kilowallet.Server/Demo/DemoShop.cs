using Kilowallet.Domain;

namespace Kilowallet.Server.Demo;

/// <summary>One supply point of Demo Plaza: a shop (or public circuit) and the meter that measures it.</summary>
public sealed record DemoShop(
    string UnitNumber,
    string Name,
    string AreaCode,
    BusinessFormat Format,
    decimal FloorAreaM2,
    decimal? PowerLimitKw,
    string ProfileName,
    int PhaseCount,
    decimal CtRatio,
    string GatewayName,
    int? UnitId,
    string? Dlt645Address,
    string MeterSerial,
    string? TenantName,
    string? ContactName,
    string? Phone,
    Language Language);
