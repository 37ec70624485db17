namespace Kilowallet.Domain.Tariffs;

/// <summary>What a fixed charge's amount is for: one local day, or one local calendar month (spread over its days).</summary>
public enum FixedChargeBasis
{
    Day = 0,
    Month = 1,
}
