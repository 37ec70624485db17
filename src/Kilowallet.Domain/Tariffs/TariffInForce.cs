namespace Kilowallet.Domain.Tariffs;

/// <summary>The plan version that prices a meter's energy on some date, and whether the meter's own assignment or its account's chose it.</summary>
public readonly record struct TariffInForce(TariffPlan Plan, TariffVersion Version, AssignmentLevel Level)
{
    public TariffVersionKey Key => new(Plan.Code, Version.Number);
}
