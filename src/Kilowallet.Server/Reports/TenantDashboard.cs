using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Reports;

/// <summary>What a shop owner sees first: balance, days of credit left, each meter's state, today's and this month's use, and the charts.</summary>
public sealed class TenantDashboard
{
    public required long AccountId { get; init; }

    public required string AccountNumber { get; init; }

    public required string TenantName { get; init; }

    public required string SiteName { get; init; }

    public required string Currency { get; init; }

    public required TimeZoneInfo Zone { get; init; }

    public required DateOnly Today { get; init; }

    public required Money Available { get; init; }

    public required Money TripLevel { get; init; }

    public required bool Exhausted { get; init; }

    /// <summary>Whole days the balance lasts at the last seven days' spending; null without recent use.</summary>
    public required int? DaysLeft { get; init; }

    public required IReadOnlyList<MeterState> Meters { get; init; }

    /// <summary>Today's usage per UTC hour and band.</summary>
    public required IReadOnlyList<UsageRow> TodayHourly { get; init; }

    /// <summary>This year's usage per local day and band.</summary>
    public required IReadOnlyList<UsageRow> YearDaily { get; init; }

    public (long EnergyWh, decimal Amount) TodayTotal => (TodayHourly.Sum(r => r.EnergyWh), TodayHourly.Sum(r => r.Amount.Amount));

    public IEnumerable<UsageRow> MonthRows => YearDaily.Where(r => r.Day.Year == Today.Year && r.Day.Month == Today.Month);

    public (long EnergyWh, decimal Amount) MonthTotal => (MonthRows.Sum(r => r.EnergyWh), MonthRows.Sum(r => r.Amount.Amount));

    /// <summary>A meter of the account as the tenant sees it.</summary>
    public sealed record MeterState(long Id, string Serial, string? Unit, string? ShopName, RelayReport Relay, Domain.Safety.LinkStatus Link, DateTimeOffset? LastHeardAt, bool Protected);

    public IEnumerable<(TariffBand Band, long EnergyWh, decimal Amount)> MonthBands() =>
        Enum.GetValues<TariffBand>().Select(b => (b, MonthRows.Where(r => r.Band == b).Sum(r => r.EnergyWh), MonthRows.Where(r => r.Band == b).Sum(r => r.Amount.Amount)));
}
