namespace Kilowallet.Server.Admin;

/// <summary>The kinds of directory data that import and export as CSV, in dependency order.</summary>
public enum CsvKind
{
    Sites,
    Areas,
    Shops,
    Tenants,
    Accounts,
    Gateways,
    Meters,
}
