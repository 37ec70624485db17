namespace Kilowallet.Simulator;

/// <summary>
/// History generated for every meter from <paramref name="From"/> every <paramref name="Interval"/>; the meters'
/// live state continues from <paramref name="LiveFrom"/> (the clock's now when it was generated).
/// </summary>
public sealed record MallHistory(DateTimeOffset From, TimeSpan Interval, DateTimeOffset LiveFrom, IReadOnlyList<MeterHistory> Meters);
