namespace Kilowallet.Server.Metering;

/// <summary>What a meter measures, which decides who pays for its energy.</summary>
public enum MeterPurpose
{
    /// <summary>A tenant's supply, billed to the tenant's prepaid account.</summary>
    Tenant = 0,

    /// <summary>A public-area circuit (lighting, escalators, central air conditioning) paid by the property.</summary>
    PublicArea = 1,

    /// <summary>The incoming supply of a site or area, compared with the sum of its sub-meters.</summary>
    Master = 2,
}
