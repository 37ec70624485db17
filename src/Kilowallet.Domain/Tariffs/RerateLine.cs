namespace Kilowallet.Domain.Tariffs;

/// <summary>One band of one local date: what was charged and what the new timeline charges (exact amounts).</summary>
public sealed record RerateLine(DateOnly LocalDate, TariffBand Band, long OldEnergyWh, Money OldAmount, long NewEnergyWh, Money NewAmount)
{
    /// <summary>The adjustment to post: positive charges more, negative refunds.</summary>
    public Money Difference => NewAmount - OldAmount;
}
