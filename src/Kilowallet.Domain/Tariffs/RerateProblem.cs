namespace Kilowallet.Domain.Tariffs;

/// <summary>A historical interval the new timeline does not rate (e.g. no tariff in force); it is left out of the comparison.</summary>
public sealed record RerateProblem(RatingRequest Interval, RatingResult Result);
