namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// A monthly block of a ladder tariff: the month's energy (per meter, from local month start) above
/// <see cref="FromKwh"/> and up to the next block's threshold costs <see cref="AdderPerKwh"/> more per kWh.
/// The first block starts at 0. Thresholds are whole watt-hours (at most three decimals in kWh).
/// </summary>
public readonly record struct TariffTier(decimal FromKwh, decimal AdderPerKwh);
