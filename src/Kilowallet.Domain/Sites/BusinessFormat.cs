namespace Kilowallet.Domain;

/// <summary>What a shop does; drives load profiles, analysis groupings and default policies.</summary>
public enum BusinessFormat
{
    Other = 0,
    Supermarket = 1,
    Restaurant = 2,
    Apparel = 3,
    Electronics = 4,
    Cinema = 5,
    Services = 6,
    PublicArea = 7,
}
