namespace Kilowallet.Domain.Tariffs;

/// <summary>The outcome of a change to a plan: the new plan, or why the change is refused.</summary>
public sealed record TariffPlanChange(TariffPlan? Plan, IReadOnlyList<TariffValidationError> Errors)
{
    public bool Succeeded => Plan is not null && Errors.Count == 0;

    internal static TariffPlanChange Refused(string path, string message) => new(null, [new TariffValidationError(path, message)]);
}
