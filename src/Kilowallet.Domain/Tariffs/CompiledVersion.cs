namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// A validated version prepared for rating: schedules per month and day type, monthly block
/// thresholds in watt-hours, and the unit price of every band and block (and per watt-hour) computed once.
/// </summary>
internal sealed class CompiledVersion
{
    private const int DayTypes = 3;
    private const int Bands = 4;

    private readonly CompiledSchedule[] _scheduleByMonthAndDayType;
    private readonly decimal[] _unitPrice;
    private readonly decimal[] _pricePerWattHour;
    private readonly long[] _tierStartsWh;

    public CompiledVersion(TariffPlan plan, TariffVersion version)
    {
        Definition = version;
        Key = new TariffVersionKey(plan.Code, version.Number);
        Currency = plan.Currency;
        _scheduleByMonthAndDayType = new CompiledSchedule[12 * DayTypes];
        var compiledBySeason = new Dictionary<(Season, DayType), CompiledSchedule>();
        for (var month = 1; month <= 12; month++)
        {
            var season = version.SeasonFor(month);
            foreach (var dayType in Enum.GetValues<DayType>())
            {
                if (!compiledBySeason.TryGetValue((season, dayType), out var schedule))
                {
                    schedule = CompiledSchedule.Compile(season.ScheduleFor(dayType));
                    compiledBySeason[(season, dayType)] = schedule;
                }

                _scheduleByMonthAndDayType[((month - 1) * DayTypes) + (int)dayType] = schedule;
            }
        }

        TierCount = version.TierCount;
        _tierStartsWh = new long[TierCount];
        for (var tier = 0; tier < TierCount; tier++)
        {
            _tierStartsWh[tier] = version.Tiers is { Count: > 0 } tiers ? new EnergyKwh(tiers[tier].FromKwh).ToWattHours() : 0;
        }

        _unitPrice = new decimal[Bands * TierCount];
        _pricePerWattHour = new decimal[Bands * TierCount];
        foreach (var band in Enum.GetValues<TariffBand>())
        {
            if (version.Prices[band] is null)
            {
                continue;
            }

            for (var tier = 0; tier < TierCount; tier++)
            {
                var unit = version.UnitPrice(band, tier);
                _unitPrice[Index(band, tier)] = unit;
                _pricePerWattHour[Index(band, tier)] = unit / EnergyKwh.WattHoursPerKwh;
            }
        }
    }

    public TariffVersion Definition { get; }

    public TariffVersionKey Key { get; }

    public string Currency { get; }

    public int TierCount { get; }

    public bool HasPrice(TariffBand band) => Definition.Prices[band] is not null;

    public CompiledSchedule ScheduleFor(int month, DayType dayType) => _scheduleByMonthAndDayType[((month - 1) * DayTypes) + (int)dayType];

    /// <summary>The block the next watt-hour falls in when the month so far has used <paramref name="monthToDateWh"/>.</summary>
    public int TierAt(long monthToDateWh)
    {
        var tier = 0;
        while (tier + 1 < TierCount && _tierStartsWh[tier + 1] <= monthToDateWh)
        {
            tier++;
        }

        return tier;
    }

    /// <summary>Watt-hours left in block <paramref name="tier"/> after <paramref name="monthToDateWh"/>; <see cref="long.MaxValue"/> in the last block.</summary>
    public long RoomInTier(int tier, long monthToDateWh) =>
        tier + 1 < TierCount ? _tierStartsWh[tier + 1] - monthToDateWh : long.MaxValue;

    public decimal UnitPrice(TariffBand band, int tier) => _unitPrice[Index(band, tier)];

    /// <summary>The exact amount for <paramref name="energyWh"/> in a band and block (at most 12 decimals).</summary>
    public decimal Amount(TariffBand band, int tier, long energyWh) => energyWh * _pricePerWattHour[Index(band, tier)];

    private int Index(TariffBand band, int tier) => ((int)band * TierCount) + tier;
}
