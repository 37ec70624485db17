namespace Kilowallet.Server.Reports;

/// <summary>How public-area electricity is shared among tenants: by let floor area, or by each tenant's share of the metered use.</summary>
public enum ApportionmentBasis
{
    FloorArea = 0,
    MeteredUse = 1,
}
