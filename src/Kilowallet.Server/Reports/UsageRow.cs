using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Server.Reports;

/// <summary>
/// Summed usage of one key in one time bucket and band. <see cref="Bucket"/> is the UTC hour
/// (Unix milliseconds), the local day (<see cref="DateOnly.DayNumber"/>), or the local hour 0–23, as
/// asked; 0 when not bucketed. <see cref="Band"/> is null when bands were not asked for. The amount is exact.
/// </summary>
public readonly record struct UsageRow(long Key, long Bucket, TariffBand? Band, long EnergyWh, Money Amount, long EstimatedWh)
{
    public DateOnly Day => DateOnly.FromDayNumber((int)Bucket);

    public decimal Kwh => EnergyWh / 1000m;
}
