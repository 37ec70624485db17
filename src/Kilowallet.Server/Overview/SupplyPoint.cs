using Kilowallet.Domain;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Overview;

/// <summary>One meter as the overview shows it: where it is, who pays, money, live values, state.</summary>
public sealed record SupplyPoint(
    MeterId Meter,
    string Serial,
    ShopId? Shop,
    string UnitNumber,
    string ShopName,
    BusinessFormat Format,
    AreaId? Area,
    string AreaCode,
    int Floor,
    AccountId? Account,
    string? AccountNumber,
    string? TenantName,
    string? Phone,
    decimal? Available,
    decimal? Warning1,
    bool Exhausted,
    MeterPurpose Purpose,
    RelayReport Relay,
    LinkStatus Link,
    double? PowerKw,
    DateTimeOffset? LastReadingAt,
    int OpenAlarms,
    AlarmSeverity? WorstAlarm,
    SupplyState State);
