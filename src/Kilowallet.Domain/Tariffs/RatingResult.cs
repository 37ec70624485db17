namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The outcome of rating one interval. When rated, <see cref="SliceCount"/> slices were appended to the
/// caller's <see cref="RatedSliceBuffer"/> from index <see cref="FirstSlice"/>, and
/// <see cref="MonthToDateWhAtEnd"/> is the meter's month-to-date energy at the interval's end (0 when the
/// end is a local month start) — the next interval's <see cref="RatingRequest.MonthToDateWh"/>.
/// </summary>
public readonly record struct RatingResult(
    RatingOutcome Outcome,
    int FirstSlice,
    int SliceCount,
    long MonthToDateWhAtEnd,
    bool Estimated,
    QuarantineReason Reason,
    string? Detail)
{
    internal static RatingResult Rated(int firstSlice, int sliceCount, long monthToDateWhAtEnd, bool estimated) =>
        new(RatingOutcome.Rated, firstSlice, sliceCount, monthToDateWhAtEnd, estimated, QuarantineReason.None, null);

    internal static RatingResult Ignored(int firstSlice, long monthToDateWh) =>
        new(RatingOutcome.Ignored, firstSlice, 0, monthToDateWh, false, QuarantineReason.None, "The reading is not after the last rated reading.");

    internal static RatingResult Quarantined(int firstSlice, long monthToDateWh, QuarantineReason reason, string detail) =>
        new(RatingOutcome.Quarantined, firstSlice, 0, monthToDateWh, false, reason, detail);
}
