namespace Kilowallet.Domain.Tariffs;

/// <summary>Old against new totals per local date and band, and the intervals that could not be re-rated.</summary>
public sealed record RerateReport(IReadOnlyList<RerateLine> Lines, IReadOnlyList<RerateProblem> Problems)
{
    public Money OldAmount => new(Lines.Sum(l => l.OldAmount.Amount));

    public Money NewAmount => new(Lines.Sum(l => l.NewAmount.Amount));

    public Money Difference => NewAmount - OldAmount;
}
