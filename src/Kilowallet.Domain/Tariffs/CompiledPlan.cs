using System.Globalization;

namespace Kilowallet.Domain.Tariffs;

/// <summary>A validated plan with each version compiled for rating.</summary>
internal sealed class CompiledPlan
{
    public CompiledPlan(TariffPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = plan.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Tariff plan '{plan.Code}' is not valid: {string.Join("; ", errors)}"),
                nameof(plan));
        }

        Plan = plan;
        Versions = [.. plan.Versions.Select(v => new CompiledVersion(plan, v))];
    }

    public TariffPlan Plan { get; }

    public CompiledVersion[] Versions { get; }

    public CompiledVersion? VersionOn(DateOnly date)
    {
        CompiledVersion? found = null;
        foreach (var version in Versions)
        {
            if (version.Definition.EffectiveFrom > date)
            {
                break;
            }

            found = version;
        }

        return found;
    }
}
