namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The property company's service markup on the utility price:
/// <c>unit price = (band price + tier adder + PerKwh) × (1 + Percent / 100)</c>.
/// The percentage has at most three decimals, the amount per kWh at most four; both are non-negative.
/// </summary>
public sealed record ServiceMarkup(decimal Percent = 0m, decimal PerKwh = 0m);
