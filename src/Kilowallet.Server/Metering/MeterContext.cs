using Kilowallet.Domain;
using Kilowallet.Protocols.Profiles;

namespace Kilowallet.Server.Metering;

/// <summary>Everything the acquisition and billing pipeline need to know about an installed meter, read once and cached.</summary>
public sealed record MeterContext(
    MeterId Id,
    SiteId Site,
    string Serial,
    MeterProfile Profile,
    GatewayId? Gateway,
    int? UnitId,
    string? Dlt645Address,
    string? MqttClientId,
    AccountId? Account,
    ShopId? Shop,
    MeterPurpose Purpose,
    MeterStatus Status,
    decimal CtRatio,
    decimal PtRatio,
    decimal? PowerLimitKw,
    bool FeedsOwnGateway)
{
    /// <summary>CT × PT: multiplies energy, and power (current by CT, voltage by PT).</summary>
    public decimal Ratio => CtRatio * PtRatio;

    /// <summary>Band registers are used for rating only when the profile trusts them and the ratio keeps whole watt-hours exact.</summary>
    public bool UsesBandRegisters => Profile.TrustBandRegisters && Ratio == decimal.Truncate(Ratio);

    /// <summary>The meter's cumulative register scaled to the primary side, in whole Wh (rounded down, so differences telescope exactly).</summary>
    public long Scale(long registerWh) => CtRatio == 1m && PtRatio == 1m ? registerWh : (long)decimal.Floor(registerWh * Ratio);
}
