namespace Kilowallet.Server.Tariffs;

/// <summary>What the <c>rate</c> command was asked to do.</summary>
public sealed record BillVerificationOptions(
    FileInfo Plan,
    FileInfo Readings,
    string TimeZone,
    string? Holidays,
    decimal CtRatio,
    decimal PtRatio,
    bool Daily,
    decimal MonthToDateKwh,
    decimal? MaxPowerKw,
    int ExpectedIntervalMinutes);
