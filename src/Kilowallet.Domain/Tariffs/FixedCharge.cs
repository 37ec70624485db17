namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// A charge independent of energy (a meter service fee, a capacity charge), posted daily in whole minor
/// units: a per-day amount as is, a per-month amount spread over the month's days
/// (<see cref="MoneyRounding.SpreadEvenly"/>) so the month's postings add up to it exactly.
/// </summary>
public sealed record FixedCharge(string Name, decimal Amount, FixedChargeBasis Per);
