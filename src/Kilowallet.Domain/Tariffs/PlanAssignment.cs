namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// A plan assigned from local date <see cref="From"/> (00:00 at the site) until the next assignment at the
/// same level, or until <see cref="Until"/> (exclusive) when given. A meter-level assignment without a
/// successor and without <see cref="Until"/> lasts for good.
/// </summary>
public sealed record PlanAssignment(TariffPlan Plan, DateOnly From, DateOnly? Until = null);
