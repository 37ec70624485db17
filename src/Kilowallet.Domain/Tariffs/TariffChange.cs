namespace Kilowallet.Domain.Tariffs;

/// <summary>An instant (a local midnight) where the applicable tariff changes; <see cref="Tariff"/> is null when none applies from then on.</summary>
public readonly record struct TariffChange(DateTimeOffset At, DateOnly LocalDate, TariffInForce? Tariff);
