namespace Kilowallet.Domain.Tariffs;

/// <summary>Local dates [<see cref="From"/>, <see cref="Until"/>) priced by one plan version; <see cref="Until"/> null means open-ended.</summary>
public sealed record TariffTimelineSegment(DateOnly From, DateOnly? Until, TariffInForce Tariff);
