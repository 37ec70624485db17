namespace Kilowallet.Simulator.Meters;

/// <summary>One daily period of a TOU table: from <paramref name="Start"/> until the next period's start, energy goes to <paramref name="Band"/>.</summary>
public readonly record struct TouPeriod(TimeOnly Start, TouBand Band);
