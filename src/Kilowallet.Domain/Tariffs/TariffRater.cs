using System.Buffers;
using System.Globalization;

namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// Prices a meter's intervals at the tariff in force when the energy was used. Pure arithmetic on UTC
/// ticks: each local date of the timeline is resolved to UTC once and cached, so an interval inside
/// one band, block and day costs a few comparisons and one decimal multiplication, and allocates
/// nothing. Safe to share between threads (the cache holds immutable days; a race only rebuilds one).
/// <para>
/// An interval [start, end) is cut at every band, day (local midnight, hence season, day type, month
/// and plan-version) boundary; its energy is spread over the pieces by <see cref="EnergySpreading"/>
/// (constant power, whole watt-hours, largest remainder). Then, in time order, each piece is cut again
/// where the month-to-date energy crosses a ladder threshold, at the watt-hour where it crosses (the
/// cut instant is placed proportionally within the piece). The month-to-date restarts at 0 at each
/// local month start.
/// </para>
/// </summary>
public sealed class TariffRater
{
    private const int CacheSize = 64;
    private const int BandCount = 4;

    private readonly DayPlan?[] _days = new DayPlan?[CacheSize];
    private DayPlan? _last;

    public TariffRater(TariffTimeline timeline, SiteCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(calendar);
        Timeline = timeline;
        Calendar = calendar;
    }

    public TariffTimeline Timeline { get; }

    public SiteCalendar Calendar { get; }

    /// <summary>Rates one interval, appending its slices to <paramref name="output"/>.</summary>
    public RatingResult Rate(in RatingRequest request, RatingPolicy policy, RatedSliceBuffer output)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(request.MonthToDateWh, nameof(request));
        var first = output.Count;
        if (Refuse(request, policy, first) is { } refused)
        {
            return refused;
        }

        var start = request.Start.UtcTicks;
        var end = request.End.UtcTicks;
        var estimated = end - start > policy.EstimatedAfterTicks;
        var day = DayAt(start);
        if (day.Version is { } version && end <= day.EndTicks)
        {
            var monthToDate = request.MonthToDateWh;
            var tier = version.TierAt(monthToDate);
            if (request.EnergyWh <= version.RoomInTier(tier, monthToDate))
            {
                // The common cases: one day and one block, then either one band by the clock or the meter's own band registers.
                if (request.BandEnergy is { } registers)
                {
                    return RateRegisters(request, registers, day, version, tier, estimated, output);
                }

                var segment = day.SegmentAt(start);
                if (end <= day.SegmentEnd(segment))
                {
                    if (request.EnergyWh > 0)
                    {
                        output.Add(Slice(start, end, day, version, day.Bands[segment], tier, request.EnergyWh, estimated));
                    }

                    return RatingResult.Rated(first, output.Count - first, MonthToDateAtEnd(day, end, monthToDate + request.EnergyWh), estimated);
                }
            }
        }

        return RateAcrossBoundaries(request, day, estimated, output);
    }

    /// <summary>Rates one interval into a new list (allocates; for tools, tests and re-rating).</summary>
    public RatedInterval Rate(in RatingRequest request, RatingPolicy policy)
    {
        var buffer = new RatedSliceBuffer();
        var result = Rate(request, policy, buffer);
        return new RatedInterval(result, buffer.ToArray());
    }

    /// <summary>Ignored or quarantined before anything is cut; null when the interval is to be rated.</summary>
    private static RatingResult? Refuse(in RatingRequest request, RatingPolicy policy, int first)
    {
        var energy = request.EnergyWh;
        var duration = request.End.UtcTicks - request.Start.UtcTicks;
        if (duration <= 0)
        {
            return RatingResult.Ignored(first, request.MonthToDateWh);
        }

        if (energy < 0 || request.BandEnergy is { AnyNegative: true })
        {
            return RatingResult.Quarantined(first, request.MonthToDateWh, QuarantineReason.RegisterWentBackwards, Invariant(
                $"The register went backwards ({(energy < 0 ? energy : request.BandEnergy!.Value.Total)} Wh from {request.Start:O} to {request.End:O}): meter replaced or reset?"));
        }

        if (policy.MaxPlausibleWatts is { } maxWatts && (Int128)energy * TimeSpan.TicksPerHour > (Int128)maxWatts * duration)
        {
            return RatingResult.Quarantined(first, request.MonthToDateWh, QuarantineReason.ImplausibleJump, Invariant(
                $"{energy} Wh in {TimeSpan.FromTicks(duration)} is more than {policy.MaxPowerKw} kW × {policy.PlausibilityFactor} could deliver."));
        }

        if (request.BandEnergy is { } bands && bands.Total != energy)
        {
            return RatingResult.Quarantined(first, request.MonthToDateWh, QuarantineReason.BandEnergyMismatch, Invariant(
                $"The band registers add up to {bands.Total} Wh but the total register moved {energy} Wh."));
        }

        return null;
    }

    /// <summary>A meter's band registers over an interval within one day and one block: one slice per band with energy, each over the whole interval.</summary>
    private static RatingResult RateRegisters(in RatingRequest request, BandEnergyWh registers, DayPlan day, CompiledVersion version, int tier, bool estimated, RatedSliceBuffer output)
    {
        var first = output.Count;
        for (var band = TariffBand.Sharp; band <= TariffBand.Valley; band++)
        {
            if (registers[band] != 0 && !version.HasPrice(band))
            {
                return WithoutPrice(request, band, version, first);
            }
        }

        var (start, end) = (request.Start.UtcTicks, request.End.UtcTicks);
        for (var band = TariffBand.Sharp; band <= TariffBand.Valley; band++)
        {
            if (registers[band] != 0)
            {
                output.Add(Slice(start, end, day, version, band, tier, registers[band], estimated));
            }
        }

        return RatingResult.Rated(first, output.Count - first, MonthToDateAtEnd(day, end, request.MonthToDateWh + request.EnergyWh), estimated);
    }

    private static RatingResult WithoutPrice(in RatingRequest request, TariffBand band, CompiledVersion version, int first) =>
        RatingResult.Quarantined(first, request.MonthToDateWh, QuarantineReason.BandWithoutPrice, Invariant(
            $"The meter registered {request.BandEnergy!.Value[band]} Wh of {band} but {version.Key} has no {band} price."));

    private static RatedSlice Slice(long start, long end, DayPlan day, CompiledVersion version, TariffBand band, int tier, long energyWh, bool estimated) => new(
        new DateTimeOffset(start, TimeSpan.Zero),
        new DateTimeOffset(end, TimeSpan.Zero),
        day.Date,
        band,
        version.Key,
        tier,
        energyWh,
        version.UnitPrice(band, tier),
        new Money(version.Amount(band, tier, energyWh)),
        estimated);

    /// <summary>The month-to-date handed on: 0 when the interval ends exactly at a local month start.</summary>
    private static long MonthToDateAtEnd(DayPlan lastDay, long end, long monthToDate) =>
        end == lastDay.EndTicks && lastDay.IsLastDayOfMonth ? 0 : monthToDate;

    private RatingResult RateAcrossBoundaries(in RatingRequest request, DayPlan firstDay, bool estimated, RatedSliceBuffer output)
    {
        var first = output.Count;
        var onStack = default(PieceBuffer);
        Span<Piece> pieces = onStack;
        var count = CollectPieces(request, firstDay, pieces, out var withoutTariff);
        if (withoutTariff is not null)
        {
            return RatingResult.Quarantined(first, request.MonthToDateWh, QuarantineReason.NoTariffInForce, Invariant(
                $"No tariff plan is in force on {withoutTariff.Date:yyyy-MM-dd}."));
        }

        Piece[]? rented = null;
        if (count > pieces.Length)
        {
            rented = ArrayPool<Piece>.Shared.Rent(count);
            pieces = rented;
            CollectPieces(request, firstDay, pieces, out _);
        }

        try
        {
            pieces = pieces[..count];
            if (request.BandEnergy is not { } bands)
            {
                Spread(request.EnergyWh, pieces);
                return Emit(request, pieces, estimated, output, first);
            }

            return RateByRegisters(request, bands, pieces, estimated, output, first);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<Piece>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>
    /// Cuts the interval at day boundaries, and at band boundaries unless the registers give the bands.
    /// Writes the pieces while they fit and returns how many there are; stops at a day without a tariff.
    /// </summary>
    private int CollectPieces(in RatingRequest request, DayPlan firstDay, Span<Piece> destination, out DayPlan? withoutTariff)
    {
        var end = request.End.UtcTicks;
        var byRegisters = request.BandEnergy is not null;
        var count = 0;
        var day = firstDay;
        var cursor = request.Start.UtcTicks;
        while (true)
        {
            if (day.Version is null && day.EndTicks > day.StartTicks)
            {
                withoutTariff = day;
                return count;
            }

            var dayEnd = Math.Min(end, day.EndTicks);
            if (byRegisters)
            {
                Add(destination, ref count, new Piece(cursor, dayEnd, default, day));
            }
            else
            {
                for (var segment = day.SegmentAt(cursor); segment < day.SegmentStarts.Length && day.SegmentStarts[segment] < dayEnd; segment++)
                {
                    var pieceStart = Math.Max(cursor, day.SegmentStarts[segment]);
                    var pieceEnd = Math.Min(dayEnd, day.SegmentEnd(segment));
                    if (pieceEnd > pieceStart)
                    {
                        Add(destination, ref count, new Piece(pieceStart, pieceEnd, day.Bands[segment], day));
                    }
                }
            }

            if (end <= day.EndTicks)
            {
                withoutTariff = null;
                return count;
            }

            cursor = day.EndTicks;
            day = DayOn(day.Date.AddDays(1));
        }

        static void Add(Span<Piece> destination, ref int count, in Piece piece)
        {
            if (count < destination.Length)
            {
                destination[count] = piece;
            }

            count++;
        }
    }

    /// <summary>Each band's register energy spread over the pieces of time; items in time order, bands in band order within a piece.</summary>
    private static RatingResult RateByRegisters(in RatingRequest request, BandEnergyWh bands, Span<Piece> pieces, bool estimated, RatedSliceBuffer output, int first)
    {
        var items = new List<Piece>(pieces.Length * BandCount);
        var spread = new Piece[pieces.Length];
        for (var band = TariffBand.Sharp; band <= TariffBand.Valley; band++)
        {
            if (bands[band] == 0)
            {
                continue;
            }

            for (var i = 0; i < pieces.Length; i++)
            {
                if (!pieces[i].Day.Version!.HasPrice(band))
                {
                    return WithoutPrice(request, band, pieces[i].Day.Version!, first);
                }

                spread[i] = pieces[i] with { Band = band };
            }

            Spread(bands[band], spread);
            items.AddRange(spread);
        }

        var ordered = items.OrderBy(p => p.Start).ThenBy(p => p.Band).ToArray();
        return Emit(request, ordered, estimated, output, first);
    }

    private static void Spread(long energyWh, Span<Piece> pieces)
    {
        Span<long> weights = pieces.Length <= 64 ? stackalloc long[pieces.Length] : new long[pieces.Length];
        Span<long> shares = pieces.Length <= 64 ? stackalloc long[pieces.Length] : new long[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            weights[i] = pieces[i].End - pieces[i].Start;
        }

        if (energyWh == 0)
        {
            shares.Clear();
        }
        else
        {
            EnergySpreading.LargestRemainder(energyWh, weights, shares);
        }

        for (var i = 0; i < pieces.Length; i++)
        {
            pieces[i].EnergyWh = shares[i];
        }
    }

    /// <summary>Cuts the pieces (in time order) at ladder thresholds and appends their slices.</summary>
    private static RatingResult Emit(in RatingRequest request, ReadOnlySpan<Piece> pieces, bool estimated, RatedSliceBuffer output, int first)
    {
        var monthToDate = request.MonthToDateWh;
        var month = pieces.Length > 0 ? pieces[0].Day.MonthKey : 0;
        DayPlan? lastDay = null;
        foreach (ref readonly var piece in pieces)
        {
            lastDay = piece.Day;
            if (piece.Day.MonthKey != month)
            {
                month = piece.Day.MonthKey;
                monthToDate = 0;
            }

            var version = piece.Day.Version!;
            var energy = piece.EnergyWh;
            var duration = piece.End - piece.Start;
            long done = 0;
            while (done < energy)
            {
                var tier = version.TierAt(monthToDate);
                var take = Math.Min(energy - done, version.RoomInTier(tier, monthToDate));
                var sliceStart = piece.Start + WideMath.MultiplyDivide(duration, done, energy);
                var sliceEnd = done + take == energy ? piece.End : piece.Start + WideMath.MultiplyDivide(duration, done + take, energy);
                output.Add(Slice(sliceStart, sliceEnd, piece.Day, version, piece.Band, tier, take, estimated));
                done += take;
                monthToDate += take;
            }
        }

        return RatingResult.Rated(first, output.Count - first, lastDay is null ? monthToDate : MonthToDateAtEnd(lastDay, request.End.UtcTicks, monthToDate), estimated);
    }

    /// <summary>The local day containing the instant.</summary>
    private DayPlan DayAt(long utcTicks)
    {
        var last = _last;
        if (last is not null && utcTicks >= last.StartTicks && utcTicks < last.EndTicks)
        {
            return last;
        }

        // Readings move forward: try the next day before converting the instant to a local date.
        var day = last is not null && utcTicks >= last.EndTicks && DayOn(last.Date.AddDays(1)) is var next && utcTicks < next.EndTicks
            ? next
            : DayOn(Calendar.LocalDateOf(new DateTimeOffset(utcTicks, TimeSpan.Zero)));
        while (utcTicks < day.StartTicks)
        {
            day = DayOn(day.Date.AddDays(-1));
        }

        while (utcTicks >= day.EndTicks)
        {
            day = DayOn(day.Date.AddDays(1));
        }

        _last = day;
        return day;
    }

    private DayPlan DayOn(DateOnly date)
    {
        var slot = date.DayNumber % CacheSize;
        if (_days[slot] is { } cached && cached.Date == date)
        {
            return cached;
        }

        var day = DayPlan.Build(date, Timeline, Calendar);
        _days[slot] = day;
        return day;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Room for the pieces of a typical interval on the stack.</summary>
    [System.Runtime.CompilerServices.InlineArray(16)]
    private struct PieceBuffer
    {
        private Piece _first;
    }

    /// <summary>A piece of an interval in one band of one day, and the energy spread onto it.</summary>
    private record struct Piece(long Start, long End, TariffBand Band, DayPlan Day)
    {
        public long EnergyWh { get; set; }
    }
}
