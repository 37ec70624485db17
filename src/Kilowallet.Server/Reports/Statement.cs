using System.Globalization;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Web.Localization;

namespace Kilowallet.Server.Reports;

/// <summary>
/// A tenant account's monthly statement: the wallet's opening and closing balance and every kind of
/// movement in between (by posting date), the electricity used in the month by band and by day (by
/// hour of use, exact amounts), the money movements other than hourly charges one by one, and the
/// account's share of the public-area electricity with its formula (for information).
/// </summary>
public sealed class Statement
{
    public required SiteFacts.AccountFact Account { get; init; }

    public required string SiteName { get; init; }

    public required string Currency { get; init; }

    public required TimeZoneInfo Zone { get; init; }

    public required ReportPeriod Period { get; init; }

    public required long OpeningMinor { get; init; }

    public required long ClosingMinor { get; init; }

    public required IReadOnlyList<Movement> Movements { get; init; }

    public required IReadOnlyList<Line> Lines { get; init; }

    /// <summary>Energy (Wh) and exact amount per band, in band order.</summary>
    public required IReadOnlyList<(TariffBand Band, long EnergyWh, decimal Amount)> Bands { get; init; }

    /// <summary>Per local day of the month, energy (Wh) per band in band order.</summary>
    public required IReadOnlyList<(DateOnly Day, long[] Wh)> Daily { get; init; }

    public required IReadOnlyList<string> Meters { get; init; }

    public required PublicAreaShares PublicShares { get; init; }

    public long EnergyWh => Bands.Sum(b => b.EnergyWh);

    public decimal EnergyAmount => Bands.Sum(b => b.Amount);

    public Apportionment.Share? PublicShare => PublicShares.For(Account.Id);

    public string Month => Period.From.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The month's use per day as stacked bars by band (inline SVG, prints with the page).</summary>
    public string DailyChart(Text t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var series = Enum.GetValues<TariffBand>()
            .Select(band => new ChartSeries(t["Band" + band], SvgChart.BandColor(band), [.. Daily.Select(d => d.Wh[(int)band] / 1000m)]))
            .ToList();
        return SvgChart.StackedBars([.. Daily.Select(d => d.Day.Day.ToString(CultureInfo.InvariantCulture))], series, "kWh", t["DailyUse"]);
    }

    /// <summary>Money moved on the wallet by one kind of posting in the month.</summary>
    public sealed record Movement(PostingKind Kind, int Count, long AmountMinor);

    /// <summary>A posting other than an hourly charge: top-up, fee, refund, reversal, adjustment …</summary>
    public sealed record Line(long EntryId, DateTimeOffset At, PostingKind Kind, string? Channel, string? Reference, long AmountMinor);
}
