namespace Kilowallet.Domain.Tariffs;

/// <summary>A fixed charge to post for one local date, in whole minor units.</summary>
public readonly record struct FixedChargePosting(DateOnly LocalDate, string Name, Money Amount, TariffVersionKey Version);
